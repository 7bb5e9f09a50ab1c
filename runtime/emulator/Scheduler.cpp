//===- Scheduler.cpp - Fibers, barriers, warps and yields of the emulator -===//
//
// Each worker runs a set of resident blocks. The threads of a block are
// fibers in a ring of runnable threads; the running thread keeps going until
// it waits (gpu.barrier, a warp operation), yields or exits, and then
// switches directly to the next runnable thread of its block. A thread
// waiting at a barrier or warp operation leaves the ring and re-enters it
// when the last participant arrives.
//
// A block returns to its worker's scheduler when it finishes, is aborted
// (deadlock), or when every runnable thread of it has yielded in a row: the
// sign of a spin-wait on another block. The worker then resumes another
// resident block, admitting the next block of the grid when all resident
// ones are spinning, so a block waiting for a flag that a later block sets
// makes progress (the GPU's co-residency, up to kMaxResidentBlocks per
// worker).
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <sys/mman.h>

using namespace hm::emu;
using namespace mlir::hm::emu;

namespace {

/// Stack of each fiber. Pages are only committed when touched.
constexpr size_t kStackBytes = 256 * 1024;
/// Blocks a worker keeps in flight while they spin-wait on each other.
constexpr size_t kMaxResidentBlocks = 64;
/// A worker whose resident blocks only spin for this long, while no block
/// of the launch finishes anywhere, reports a deadlock.
constexpr auto kSpinTimeout = std::chrono::seconds(10);
constexpr uint64_t kStackCanary = 0x6865616d6574616cULL; // "heametal"

//===----------------------------------------------------------------------===//
// The ring of runnable threads
//===----------------------------------------------------------------------===//

void ringRemove(Block &block, Thread &thread) {
  thread.prev->next = thread.next;
  thread.next->prev = thread.prev;
  if (block.resume == &thread)
    block.resume = thread.next == &thread ? nullptr : thread.next;
  thread.next = thread.prev = &thread;
  --block.runnable;
}

void ringInsertAfter(Block &block, Thread &position, Thread &thread) {
  thread.prev = &position;
  thread.next = position.next;
  position.next->prev = &thread;
  position.next = &thread;
  ++block.runnable;
}

/// Puts every live thread in the ring, in thread order (after a barrier).
void rebuildRing(Block &block) {
  Thread *first = nullptr, *last = nullptr;
  block.runnable = 0;
  for (Thread &thread : block.threads) {
    if (thread.state == ThreadState::Done)
      continue;
    thread.state = ThreadState::Runnable;
    if (!first)
      first = &thread;
    else {
      last->next = &thread;
      thread.prev = last;
    }
    last = &thread;
    ++block.runnable;
  }
  if (first) {
    last->next = first;
    first->prev = last;
  }
  block.resume = first;
}

//===----------------------------------------------------------------------===//
// Switching
//===----------------------------------------------------------------------===//

void switchToThread(Thread &from, Thread &to) {
  if (&from == &to)
    return;
  setCurrentThread(&to);
  switchFiber(from.fiber, to.fiber);
}

void switchToScheduler(Thread &from, BlockStatus status) {
  Block &block = *from.block;
  block.status = status;
  setCurrentThread(nullptr);
  switchFiber(from.fiber, block.worker->scheduler);
}

void checkStack(Thread &thread) {
  uint64_t canary;
  memcpy(&canary, thread.stackLow, sizeof(canary));
  if (canary != kStackCanary) {
    reportError(&thread, "stack overflow: the thread's private memory and "
                         "calls exceed the emulator's " +
                             std::to_string(kStackBytes / 1024) +
                             " KiB fiber stack");
    memcpy(thread.stackLow, &kStackCanary, sizeof(kStackCanary));
  }
}

std::string listWaiters(Block &block) {
  std::string text;
  int shown = 0;
  for (Thread &thread : block.threads) {
    if (thread.state != ThreadState::AtBarrier &&
        thread.state != ThreadState::AtWarpOp)
      continue;
    if (shown++ == 4) {
      text += "\n  ...";
      break;
    }
    text += "\n  thread " + std::to_string(thread.index) + " waits at " +
            (thread.state == ThreadState::AtBarrier ? "gpu.barrier"
                                                    : "a warp operation");
  }
  return text;
}

/// `thread` must wait but no thread of its block can run: report and abort
/// the block.
[[noreturn]] void deadlock(Thread &thread) {
  reportError(&thread, "deadlock: every live thread of the block waits, at "
                       "barriers or warp operations that cannot complete "
                       "(threads of one warp or block wait at different "
                       "operations)" +
                           listWaiters(*thread.block));
  switchToScheduler(thread, BlockStatus::Aborted);
  __builtin_unreachable();
}

/// Leaves the ring and runs the next runnable thread until released.
void waitInRing(Thread &thread, ThreadState state) {
  Block &block = *thread.block;
  Thread *next = thread.next;
  ringRemove(block, thread);
  thread.state = state;
  if (block.runnable == 0)
    deadlock(thread);
  switchToThread(thread, *next);
}

void releaseBarrier(Block &block) {
  block.shadow.advance();
  block.arrived = 0;
  block.barrierSite = nullptr;
  rebuildRing(block);
}

/// Makes `thread` runnable again, after `after` when that is runnable.
void makeRunnable(Block &block, Thread &thread, Thread *after) {
  thread.state = ThreadState::Runnable;
  if (block.runnable == 0) {
    thread.next = thread.prev = &thread;
    block.runnable = 1;
    block.resume = &thread;
    return;
  }
  if (!after || after->state != ThreadState::Runnable)
    after = block.resume;
  ringInsertAfter(block, *after, thread);
}

/// Live lanes among the participants of `warp`'s current exchange.
int32_t getLiveParticipants(const Warp &warp) {
  uint32_t mask = warp.participants >= 32 ? ~0u : (1u << warp.participants) - 1;
  return __builtin_popcount(mask & ~warp.exitedMask);
}

/// Completes `warp`'s exchange: every participant gets its own copy of the
/// values (so that lanes leaving early for the next exchange, perhaps with
/// other participants, cannot overwrite what slower lanes still read), and
/// the waiters run again. `running` is the lane that completed it (in
/// warp.waiters, last; it keeps running), or null when the exchange
/// completed because a lane exited.
void releaseWarp(Block &block, Warp &warp, Thread *running) {
  size_t bytes = sizeof(int64_t) * warp.lanes;
  for (int32_t i = 0; i < warp.arrived; ++i)
    memcpy(warp.waiters[i]->exchanged, warp.slots, bytes);
  int32_t waiting = running ? warp.arrived - 1 : warp.arrived;
  // Re-enter the ring after the running lane (or where the block resumes),
  // in lane order.
  Thread *anchor = running;
  if (!anchor && block.runnable > 0)
    anchor = block.resume->prev;
  for (int32_t i = 0; i < waiting; ++i) {
    Thread &waiter = *warp.waiters[i];
    makeRunnable(block, waiter, anchor);
    anchor = &waiter;
  }
  warp.arrived = 0;
  warp.participants = 0;
  warp.site = nullptr;
}

[[noreturn]] void threadExit(Thread &thread) {
  Block &block = *thread.block;
  Warp &warp = block.warps[thread.index / kWarpSize];
  checkStack(thread);
  Thread *next = thread.next;
  ringRemove(block, thread);
  thread.state = ThreadState::Done;
  int32_t lane = thread.index % kWarpSize;
  --block.live;
  ++block.exited;
  warp.exitedMask |= 1u << lane;
  block.yieldStreak = 0;
  if (block.arrived > 0) {
    if (!block.reportedExitBeforeBarrier) {
      block.reportedExitBeforeBarrier = true;
      reportError(&thread, "divergent barrier: the thread exited while " +
                               std::to_string(block.arrived) +
                               " threads of its block wait at gpu.barrier at " +
                               block.barrierSite);
    }
    if (block.arrived == block.live)
      releaseBarrier(block);
  }
  if (warp.arrived > 0 && lane < warp.participants) {
    if (!warp.reportedDivergence) {
      warp.reportedDivergence = true;
      reportError(&thread, "divergent warp operation: the thread exited "
                           "while lanes of its warp wait at the warp "
                           "operation at " +
                               std::string(warp.site));
    }
    if (warp.arrived == getLiveParticipants(warp))
      releaseWarp(block, warp, nullptr);
  }
  if (block.live == 0)
    switchToScheduler(thread, BlockStatus::Finished);
  if (block.runnable == 0)
    deadlock(thread);
  if (next == &thread || next->state != ThreadState::Runnable)
    next = block.resume;
  switchToThread(thread, *next);
  __builtin_unreachable();
}

void threadMain(void *argument) {
  Thread &thread = *static_cast<Thread *>(argument);
  thread.launch->entry(thread.context, thread.launch->args);
  threadExit(thread);
}

//===----------------------------------------------------------------------===//
// Blocks
//===----------------------------------------------------------------------===//

Block *createBlock(Launch &launch, Worker &worker, int64_t linearId) {
  auto *block = new Block();
  block->launch = &launch;
  block->worker = &worker;
  block->linearId = linearId;
  int64_t count = launch.threadsPerBlock;
  size_t stackRegion = static_cast<size_t>(count) * kStackBytes;
  for (size_t i = 0; i < worker.freeStacks.size(); ++i) {
    if (worker.freeStacks[i].second == stackRegion) {
      block->stacks = worker.freeStacks[i].first;
      worker.freeStacks.erase(worker.freeStacks.begin() + i);
      break;
    }
  }
  if (!block->stacks) {
    void *region = mmap(nullptr, stackRegion, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (region == MAP_FAILED) {
      fprintf(stderr, "hm-emu: fatal: cannot map %zu bytes of fiber stacks\n",
              stackRegion);
      abort();
    }
    block->stacks = static_cast<char *>(region);
  }
  if (!worker.freeShared.empty()) {
    block->sharedStorage = std::move(worker.freeShared.back());
    worker.freeShared.pop_back();
  }
  // Workgroup memory starts uninitialised on a GPU: poison it. 64-byte
  // alignment, as the GPU's is at least 16.
  block->sharedStorage.assign(launch.sharedBytes + 64, static_cast<char>(0xFF));
  block->shared = reinterpret_cast<char *>(
      (reinterpret_cast<uintptr_t>(block->sharedStorage.data()) + 63) &
      ~uintptr_t(63));
  if (!worker.freeShadows.empty()) {
    block->shadow.entries = std::move(worker.freeShadows.back());
    worker.freeShadows.pop_back();
  }
  block->shadow.reset();
  block->threads.resize(count);
  int64_t warps = (count + kWarpSize - 1) / kWarpSize;
  block->warps.resize(warps);
  for (int64_t w = 0; w < warps; ++w) {
    Warp &warp = block->warps[w];
    warp.lanes = static_cast<int32_t>(
        std::min<int64_t>(kWarpSize, count - w * kWarpSize));
  }
  for (int64_t i = 0; i < count; ++i) {
    Thread &thread = block->threads[i];
    initThread(thread, launch, linearId, block->shared, i);
    thread.block = block;
    thread.shadow = &block->shadow;
    thread.stackLow = block->stacks + i * kStackBytes;
    memcpy(thread.stackLow, &kStackCanary, sizeof(kStackCanary));
    initFiber(thread.fiber, thread.stackLow, kStackBytes, threadMain, &thread);
  }
  block->live = static_cast<int32_t>(count);
  rebuildRing(*block);
  return block;
}

void releaseBlock(Worker &worker, Block *block) {
  worker.freeStacks.emplace_back(
      block->stacks,
      static_cast<size_t>(block->launch->threadsPerBlock) * kStackBytes);
  worker.freeShared.push_back(std::move(block->sharedStorage));
  if (!block->shadow.entries.empty())
    worker.freeShadows.push_back(std::move(block->shadow.entries));
  delete block;
}

/// Runs `block` until it finishes, aborts or all its threads spin.
void runSlice(Worker &worker, Block &block) {
  block.status = BlockStatus::Running;
  block.yieldStreak = 0;
  Thread &thread = *block.resume;
  setCurrentThread(&thread);
  switchFiber(worker.scheduler, thread.fiber);
}

} // namespace

void hm::emu::runFiberBlocks(Launch &launch, Worker &worker) {
  std::vector<Block *> resident;
  size_t turn = 0;
  bool admit = true;
  auto spinSince = std::chrono::steady_clock::now();
  int64_t finishedAtSpinStart = launch.finishedBlocks.load();
  uint64_t spinSlices = 0;
  while (true) {
    if ((resident.empty() || admit) && resident.size() < kMaxResidentBlocks) {
      int64_t next = launch.nextBlock.fetch_add(1);
      if (next < launch.numBlocks)
        resident.push_back(createBlock(launch, worker, next));
      admit = false;
    }
    if (resident.empty())
      break;
    turn %= resident.size();
    Block *block = resident[turn];
    runSlice(worker, *block);
    if (block->status == BlockStatus::Yielded) {
      // Every runnable thread of the block spins: let others run.
      admit = true;
      ++turn;
      if (++spinSlices % 1024 == 0) {
        int64_t finished = launch.finishedBlocks.load();
        auto now = std::chrono::steady_clock::now();
        if (finished != finishedAtSpinStart) {
          finishedAtSpinStart = finished;
          spinSince = now;
        } else if (now - spinSince > kSpinTimeout) {
          for (Block *spinning : resident) {
            reportError(spinning->resume,
                        "deadlock: the block has spun (yielded) for " +
                            std::to_string(kSpinTimeout.count()) +
                            " s while no block of the grid finished; it "
                            "waits for something no block will do");
            releaseBlock(worker, spinning);
          }
          resident.clear();
          spinSince = now;
        }
      }
      continue;
    }
    // Finished or aborted.
    launch.finishedBlocks.fetch_add(1);
    spinSince = std::chrono::steady_clock::now();
    resident.erase(resident.begin() + turn);
    releaseBlock(worker, block);
  }
  // Keep a few stack regions for the next launch; return the rest.
  while (worker.freeStacks.size() > 4) {
    munmap(worker.freeStacks.back().first, worker.freeStacks.back().second);
    worker.freeStacks.pop_back();
  }
}

//===----------------------------------------------------------------------===//
// ABI: barriers, warp operations, yields
//===----------------------------------------------------------------------===//

HM_EMU_EXPORT void hm_emu_barrier(int64_t *context, const char *site) {
  Thread &thread = *reinterpret_cast<Thread *>(context);
  Block *blockPtr = thread.block;
  if (!blockPtr)
    return; // one thread at a time: nothing to wait for
  Block &block = *blockPtr;
  block.yieldStreak = 0;
  if (block.exited > 0 && !block.reportedExitBeforeBarrier) {
    block.reportedExitBeforeBarrier = true;
    reportError(&thread, "divergent barrier: gpu.barrier at " +
                             std::string(site) + " is reached after " +
                             std::to_string(block.exited) +
                             " threads of the block exited without reaching "
                             "it");
  }
  if (block.arrived == 0) {
    block.barrierSite = site;
  } else if (site != block.barrierSite && !block.reportedBarrierMismatch) {
    block.reportedBarrierMismatch = true;
    reportError(&thread, "divergent barrier: the thread waits at gpu.barrier "
                         "at " +
                             std::string(site) +
                             " while other threads of its block wait at "
                             "gpu.barrier at " +
                             block.barrierSite);
  }
  ++block.arrived;
  if (block.arrived == block.live) {
    releaseBarrier(block);
    return;
  }
  waitInRing(thread, ThreadState::AtBarrier);
}

int64_t *hm::emu::exchangeInWarp(Thread &thread, int64_t bits,
                                 const char *site, int32_t participants) {
  int32_t lane = thread.index % kWarpSize;
  Block *blockPtr = thread.block;
  if (!blockPtr) {
    thread.exchanged[lane] = bits; // one thread at a time: no partners
    return thread.exchanged;
  }
  Block &block = *blockPtr;
  Warp &warp = block.warps[thread.index / kWarpSize];
  participants = std::min(participants, warp.lanes);
  block.yieldStreak = 0;
  uint32_t participantMask =
      participants >= 32 ? ~0u : (1u << participants) - 1;
  if ((warp.exitedMask & participantMask) && !warp.reportedDivergence) {
    warp.reportedDivergence = true;
    reportError(&thread,
                "divergent warp operation at " + std::string(site) + ": " +
                    std::to_string(
                        __builtin_popcount(warp.exitedMask & participantMask)) +
                    " of the lanes it synchronises have exited");
  }
  if (warp.arrived == 0) {
    warp.site = site;
    warp.participants = participants;
  } else if ((site != warp.site || participants != warp.participants) &&
             !warp.reportedDivergence) {
    warp.reportedDivergence = true;
    reportError(&thread, "divergent warp operation: the lane executes the "
                         "warp operation at " +
                             std::string(site) +
                             " while other lanes of its warp wait at the one "
                             "at " +
                             warp.site);
  }
  warp.slots[lane] = bits;
  warp.waiters[warp.arrived++] = &thread;
  if (warp.arrived >= getLiveParticipants(warp)) {
    releaseWarp(block, warp, &thread);
    return thread.exchanged;
  }
  waitInRing(thread, ThreadState::AtWarpOp);
  return thread.exchanged;
}

HM_EMU_EXPORT int64_t *hm_emu_warp_exchange(int64_t *context, int64_t bits,
                                            const char *site) {
  return exchangeInWarp(*reinterpret_cast<Thread *>(context), bits, site,
                        kWarpSize);
}

HM_EMU_EXPORT void hm_emu_yield(void) {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  Thread *thread = currentThread();
  if (!thread || !thread->block)
    return;
  Block &block = *thread->block;
  if (++block.yieldStreak >= block.runnable) {
    block.yieldStreak = 0;
    block.resume = thread->next;
    switchToScheduler(*thread, BlockStatus::Yielded);
    return;
  }
  switchToThread(*thread, *thread->next);
}

/// Source lane of a shuffle. A shuffle of width w involves lanes [0, w)
/// (NVVM's member mask); it is valid when both this lane and the source
/// lane are among them (GPU dialect semantics).
static bool getShuffleSource(int64_t lane, int32_t offset, int32_t width,
                             int32_t mode, int64_t &source) {
  switch (mode) {
  case kShuffleXor:
    source = lane ^ offset;
    break;
  case kShuffleDown:
    source = lane + offset;
    break;
  case kShuffleUp:
    source = lane - offset;
    break;
  default:
    source = offset;
    break;
  }
  return lane < width && source >= 0 && source < width;
}

HM_EMU_EXPORT int32_t hm_emu_shuffle_valid(int64_t *context, int32_t offset,
                                           int32_t width, int32_t mode) {
  int64_t source;
  return getShuffleSource(context[kLaneId], offset, width, mode, source);
}

HM_EMU_EXPORT int64_t hm_emu_shuffle(int64_t *context, int64_t bits,
                                     int32_t offset, int32_t width,
                                     int32_t mode, const char *site) {
  Thread &thread = *reinterpret_cast<Thread *>(context);
  if (width <= 0 || width > kWarpSize) {
    reportError(&thread, "gpu.shuffle at " + std::string(site) + " has width " +
                             std::to_string(width) + "; it must be in [1, 32]");
    return bits;
  }
  int64_t lane = context[kLaneId];
  // Lanes past the width take no part: their result is invalid.
  if (lane >= width)
    return bits;
  int64_t *values = exchangeInWarp(thread, bits, site, width);
  int64_t source;
  if (!getShuffleSource(lane, offset, width, mode, source))
    return bits;
  if (source >= context[kWarpLanes]) {
    reportError(&thread, "gpu.shuffle at " + std::string(site) +
                             " reads lane " + std::to_string(source) +
                             ", which does not exist: the warp has only " +
                             std::to_string(context[kWarpLanes]) + " threads");
    return bits;
  }
  return values[source];
}
