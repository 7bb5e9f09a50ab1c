//===- Fiber.h - Minimal user-space context switching -----------*- C++ -*-===//
//
// Every emulated GPU thread of a kernel that synchronises runs on its own
// fiber. On x86-64 a switch saves six registers and the FP control words
// (a few nanoseconds); elsewhere it falls back to ucontext, which also saves
// the signal mask with a system call.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_RUNTIME_EMULATOR_FIBER_H
#define HEAVYMETAL_RUNTIME_EMULATOR_FIBER_H

#include <cstddef>

#if defined(__x86_64__) && !defined(HM_EMU_USE_UCONTEXT)
#define HM_EMU_ASM_FIBERS 1
#else
#define HM_EMU_ASM_FIBERS 0
#include <ucontext.h>
#endif

namespace hm::emu {

/// A suspended execution context.
struct Fiber {
#if HM_EMU_ASM_FIBERS
  void *stackPointer = nullptr;
#else
  ucontext_t context;
  /// Set until the fiber first runs.
  void (*startEntry)(void *) = nullptr;
  void *startArgument = nullptr;
#endif
};

/// Prepares `fiber` to run `entry(argument)` on the stack [stackLow,
/// stackLow + stackBytes) when first switched to. `entry` must never return.
void initFiber(Fiber &fiber, char *stackLow, size_t stackBytes,
               void (*entry)(void *), void *argument);

/// Saves the current context into `from` and resumes `to`.
void switchFiber(Fiber &from, Fiber &to);

} // namespace hm::emu

#endif // HEAVYMETAL_RUNTIME_EMULATOR_FIBER_H
