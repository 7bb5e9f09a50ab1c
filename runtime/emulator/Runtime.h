//===- Runtime.h - Internal state of the GPU emulator -----------*- C++ -*-===//
//
// A launch runs its blocks on worker OS threads. A block of a kernel that
// synchronises holds one fiber per GPU thread; the fibers of a block run
// round-robin on one worker and switch at barriers, warp operations, yields
// and exits. Kernels without synchronisation run their threads as a loop.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_RUNTIME_EMULATOR_RUNTIME_H
#define HEAVYMETAL_RUNTIME_EMULATOR_RUNTIME_H

#include "Fiber.h"
#include "HeavyMetalEmuRuntime.h"

#include "HeavyMetal/Conversion/GPUToEmulator.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace hm::emu {

using mlir::hm::emu::kNumContextSlots;
using mlir::hm::emu::kWarpSize;

struct Block;
struct Launch;
struct Worker;

/// Who accessed each byte of a block's workgroup memory since its last
/// barrier, for race detection: one 64-bit entry per byte holding the epoch
/// of the accesses, the writer and the reader (thread index + 1; 0 none;
/// kManyReaders when several). Epochs are unique across blocks and workers,
/// so entries left by an earlier block never match; the entries are
/// allocated on the first checked access.
struct SharedShadow {
  static constexpr uint16_t kManyReaders = 0xFFFF;
  std::vector<uint64_t> entries;
  uint32_t epoch = 0;
  bool reported = false;
  /// Starts a new epoch (at block start and at each barrier): earlier
  /// accesses no longer race with later ones.
  void advance() {
    static std::atomic<uint32_t> nextEpoch{1};
    epoch = nextEpoch.fetch_add(1, std::memory_order_relaxed);
  }
  void reset() {
    advance();
    reported = false;
  }
};

enum class ThreadState : uint8_t { Runnable, AtBarrier, AtWarpOp, Done };

/// One emulated GPU thread. `context` must stay the first member: kernels
/// receive a pointer to it and the runtime casts it back to the Thread.
struct Thread {
  int64_t context[kNumContextSlots];
  Fiber fiber;
  /// Neighbours in the block's ring of runnable threads.
  Thread *next = nullptr;
  Thread *prev = nullptr;
  /// The block of a fiber thread; null when threads run as a loop.
  Block *block = nullptr;
  /// Race-detection state of the thread's workgroup memory.
  SharedShadow *shadow = nullptr;
  Launch *launch = nullptr;
  /// Linear thread index in the block (x fastest).
  int32_t index = 0;
  ThreadState state = ThreadState::Runnable;
  /// This thread's copy of the values of its last warp exchange.
  int64_t exchanged[kWarpSize];
  /// Errors this thread reported; orders its messages.
  uint32_t errorSequence = 0;
  /// Lowest address of the fiber's stack (holds a canary).
  char *stackLow = nullptr;
};

/// The threads of a block with the same warp index.
struct Warp {
  int32_t lanes = 0;       // threads present in this warp
  uint32_t exitedMask = 0; // lanes that exited
  int32_t arrived = 0;     // lanes waiting in the current exchange
  /// Lanes [0, participants) take part in the current exchange (a shuffle
  /// of width w synchronises the first w lanes, like NVVM's member mask).
  int32_t participants = 0;
  const char *site = nullptr;
  bool reportedDivergence = false;
  Thread *waiters[kWarpSize];
  int64_t slots[kWarpSize];
};

/// Why control came back from a block to its worker's scheduler.
enum class BlockStatus : uint8_t { Running, Yielded, Finished, Aborted };

/// A block whose threads run on fibers.
struct Block {
  Launch *launch = nullptr;
  Worker *worker = nullptr;
  int64_t linearId = 0;
  std::vector<Thread> threads;
  std::vector<Warp> warps;
  std::vector<char> sharedStorage;
  char *shared = nullptr;
  SharedShadow shadow;
  char *stacks = nullptr;
  int32_t live = 0;        // threads not exited
  int32_t exited = 0;      // threads exited
  int32_t runnable = 0;    // threads in the ring
  int32_t arrived = 0;     // threads waiting at the current barrier
  int32_t yieldStreak = 0; // consecutive yields without other progress
  const char *barrierSite = nullptr;
  bool reportedExitBeforeBarrier = false;
  bool reportedBarrierMismatch = false;
  /// A runnable thread: where the block resumes.
  Thread *resume = nullptr;
  BlockStatus status = BlockStatus::Running;
};

/// One kernel launch.
struct Launch {
  HmEmuKernelEntry entry;
  std::string kernelName;
  void **args;
  bool fibers;
  int64_t grid[3];
  int64_t blockDim[3];
  int64_t threadsPerBlock;
  int64_t numBlocks;
  int64_t sharedBytes;
  std::atomic<int64_t> nextBlock{0};
  std::atomic<int64_t> finishedBlocks{0};
};

/// An OS thread executing blocks; the caller of hm_emu_launch is worker 0.
struct Worker {
  Fiber scheduler;
  Launch *launch = nullptr;
  /// Thread state reused by loop-mode blocks.
  Thread loopThread;
  std::vector<char> loopShared;
  SharedShadow loopShadow;
  /// Stack regions, workgroup memory and race shadows of finished blocks,
  /// for reuse.
  std::vector<std::pair<char *, size_t>> freeStacks;
  std::vector<std::vector<char>> freeShared;
  std::vector<std::vector<uint64_t>> freeShadows;
};

/// The thread running on this OS thread, or null outside kernels.
Thread *currentThread();
void setCurrentThread(Thread *thread);

/// Records an error of `thread` (may be null for host-side errors):
/// counted at once, printed when its launch ends in (block, thread) order.
void reportError(Thread *thread, const std::string &message);
/// Prints the errors recorded for the launch that just ended.
void flushLaunchErrors(Launch &launch);
/// "kernel @m::@f, block (x,y,z), thread (x,y,z)".
std::string describeThread(const Thread &thread);
/// Describes where `address` lies relative to the registered allocations.
std::string describeAddress(uintptr_t address);

/// Sets the context of thread `linearThread` of block `linearBlock` of
/// `launch`, whose workgroup memory is `shared` (Launch.cpp).
void initThread(Thread &thread, const Launch &launch, int64_t linearBlock,
                char *shared, int64_t linearThread);

/// Exchanges `bits` among lanes [0, participants) of the thread's warp (the
/// thread must be one of them) and returns the thread's copy of the values,
/// indexed by lane; reports divergent lanes (Scheduler.cpp).
int64_t *exchangeInWarp(Thread &thread, int64_t bits, const char *site,
                        int32_t participants);

/// Run the blocks of `launch` that `worker` takes from the grid: threads on
/// fibers (Scheduler.cpp) or as a loop (Launch.cpp).
void runFiberBlocks(Launch &launch, Worker &worker);
void runLoopBlocks(Launch &launch, Worker &worker);

} // namespace hm::emu

#endif // HEAVYMETAL_RUNTIME_EMULATOR_RUNTIME_H
