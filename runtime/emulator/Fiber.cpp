//===- Fiber.cpp - Minimal user-space context switching -------------------===//

#include "Fiber.h"

#include <cstdint>
#include <cstdlib>

using namespace hm::emu;

#if HM_EMU_ASM_FIBERS

extern "C" void hm_emu_fiber_switch(void **saveStackPointer,
                                    void *newStackPointer);
extern "C" void hm_emu_fiber_start();

// The System V ABI makes rbx, rbp, r12-r15, the MXCSR control bits and the
// x87 control word callee-saved; everything else is saved by the caller of
// switchFiber. A new fiber starts in hm_emu_fiber_start with r12 = argument
// and r13 = entry.
asm(R"(
  .text
  .p2align 4
  .globl hm_emu_fiber_switch
  .hidden hm_emu_fiber_switch
  .type hm_emu_fiber_switch,@function
hm_emu_fiber_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size hm_emu_fiber_switch, .-hm_emu_fiber_switch

  .p2align 4
  .globl hm_emu_fiber_start
  .hidden hm_emu_fiber_start
  .type hm_emu_fiber_start,@function
hm_emu_fiber_start:
  movq %r12, %rdi
  callq *%r13
  ud2
  .size hm_emu_fiber_start, .-hm_emu_fiber_start
)");

void hm::emu::initFiber(Fiber &fiber, char *stackLow, size_t stackBytes,
                        void (*entry)(void *), void *argument) {
  auto top =
      reinterpret_cast<uintptr_t>(stackLow + stackBytes) & ~uintptr_t(15);
  // Frame popped by hm_emu_fiber_switch, lowest address first: control
  // words, r15, r14, r13, r12, rbx, rbp, return address. After the `ret`
  // the stack pointer is 16-byte aligned, as the `callq` in
  // hm_emu_fiber_start needs.
  auto *frame = reinterpret_cast<uint64_t *>(top - 80);
  uint32_t mxcsr;
  uint16_t fpuControl;
  asm volatile("stmxcsr %0" : "=m"(mxcsr));
  asm volatile("fnstcw %0" : "=m"(fpuControl));
  frame[0] = uint64_t(mxcsr) | (uint64_t(fpuControl) << 32);
  frame[1] = 0;                                    // r15
  frame[2] = 0;                                    // r14
  frame[3] = reinterpret_cast<uint64_t>(entry);    // r13
  frame[4] = reinterpret_cast<uint64_t>(argument); // r12
  frame[5] = 0;                                    // rbx
  frame[6] = 0;                                    // rbp
  frame[7] = reinterpret_cast<uint64_t>(&hm_emu_fiber_start);
  fiber.stackPointer = frame;
}

void hm::emu::switchFiber(Fiber &from, Fiber &to) {
  hm_emu_fiber_switch(&from.stackPointer, to.stackPointer);
}

#else // ucontext fallback

namespace {
/// makecontext passes only ints; the entry and its argument travel here.
thread_local void (*pendingEntry)(void *);
thread_local void *pendingArgument;

void startFiber() {
  void (*entry)(void *) = pendingEntry;
  void *argument = pendingArgument;
  entry(argument);
  abort(); // entries never return
}
} // namespace

void hm::emu::initFiber(Fiber &fiber, char *stackLow, size_t stackBytes,
                        void (*entry)(void *), void *argument) {
  getcontext(&fiber.context);
  fiber.context.uc_stack.ss_sp = stackLow;
  fiber.context.uc_stack.ss_size = stackBytes;
  fiber.context.uc_link = nullptr;
  // The entry travels through thread-locals set right before the first
  // switch to the fiber (see switchFiber).
  makecontext(&fiber.context, startFiber, 0);
  fiber.startEntry = entry;
  fiber.startArgument = argument;
}

void hm::emu::switchFiber(Fiber &from, Fiber &to) {
  if (to.startEntry) {
    pendingEntry = to.startEntry;
    pendingArgument = to.startArgument;
    to.startEntry = nullptr;
  }
  swapcontext(&from.context, &to.context);
}

#endif
