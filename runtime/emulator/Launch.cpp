//===- Launch.cpp - Kernel launches and the worker pool of the emulator ---===//
//
// hm_emu_launch hands the blocks of a grid to worker OS threads: the caller
// is worker 0, the others wait in a pool. Blocks are taken from a shared
// counter in linear order; a worker runs a block's threads as a loop, or on
// fibers when the kernel synchronises (see Scheduler.cpp).
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <thread>

using namespace hm::emu;
using namespace mlir::hm::emu;

namespace {

/// Default number of workers: the hardware threads, at most this many.
constexpr int64_t kMaxDefaultWorkers = 16;
/// The GPU limit on threads per block.
constexpr int64_t kMaxThreadsPerBlock = 1024;

void runWorker(Launch &launch, Worker &worker) {
  worker.launch = &launch;
  if (launch.fibers)
    runFiberBlocks(launch, worker);
  else
    runLoopBlocks(launch, worker);
  worker.launch = nullptr;
}

/// Worker threads parked between launches.
class WorkerPool {
public:
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    for (std::thread &thread : threads)
      thread.join();
  }

  /// Runs `launch` on `count` workers, the calling thread being the first.
  void run(Launch &launch, int64_t count) {
    std::lock_guard<std::mutex> launchLock(launchMutex);
    while (static_cast<int64_t>(workers.size()) < count)
      workers.push_back(std::make_unique<Worker>());
    while (static_cast<int64_t>(threads.size()) < count - 1) {
      size_t index = threads.size() + 1;
      threads.emplace_back([this, index] { serve(index); });
    }
    if (count > 1) {
      std::lock_guard<std::mutex> lock(mutex);
      job = &launch;
      helpers = count - 1;
      pending = count - 1;
      ++generation;
    }
    wake.notify_all();
    runWorker(launch, *workers[0]);
    if (count > 1) {
      std::unique_lock<std::mutex> lock(mutex);
      done.wait(lock, [this] { return pending == 0; });
      job = nullptr;
    }
  }

private:
  void serve(size_t index) {
    uint64_t seen = 0;
    while (true) {
      Launch *launch;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return stopping || generation != seen; });
        if (stopping)
          return;
        seen = generation;
        if (static_cast<int64_t>(index) > helpers)
          continue;
        launch = job;
      }
      runWorker(*launch, *workers[index]);
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (--pending == 0)
          done.notify_one();
      }
    }
  }

  std::mutex launchMutex;
  std::mutex mutex;
  std::condition_variable wake, done;
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<Worker>> workers;
  Launch *job = nullptr;
  int64_t helpers = 0;
  int64_t pending = 0;
  uint64_t generation = 0;
  bool stopping = false;
};

WorkerPool &pool() {
  // Never destroyed: worker threads must not be joined during static
  // destruction while a JIT-compiled module may still be loaded.
  static WorkerPool *instance = new WorkerPool();
  return *instance;
}

std::atomic<int64_t> requestedWorkers{0};
std::atomic<int64_t> launchCount{0};

int64_t defaultWorkers() {
  int64_t hardware = std::thread::hardware_concurrency();
  return std::clamp<int64_t>(hardware, 1, kMaxDefaultWorkers);
}

} // namespace

/// Sets the ids of the thread with linear index `linear` in its context.
static void setThreadIds(Thread &thread, const Launch &launch, int64_t linear) {
  int64_t bx = launch.blockDim[0], by = launch.blockDim[1];
  thread.context[kThreadIdX] = linear % bx;
  thread.context[kThreadIdX + 1] = (linear / bx) % by;
  thread.context[kThreadIdX + 2] = linear / (bx * by);
  thread.context[kLaneId] = linear % kWarpSize;
  int64_t warpStart = linear - linear % kWarpSize;
  thread.context[kWarpLanes] =
      std::min<int64_t>(kWarpSize, launch.threadsPerBlock - warpStart);
}

/// Sets the launch-wide and block-wide slots of a context.
static void setBlockIds(Thread &thread, const Launch &launch,
                        int64_t linearBlock, char *shared) {
  for (int d = 0; d < 3; ++d) {
    thread.context[kBlockDimX + d] = launch.blockDim[d];
    thread.context[kGridDimX + d] = launch.grid[d];
  }
  thread.context[kBlockIdX] = linearBlock % launch.grid[0];
  thread.context[kBlockIdX + 1] =
      (linearBlock / launch.grid[0]) % launch.grid[1];
  thread.context[kBlockIdX + 2] =
      linearBlock / (launch.grid[0] * launch.grid[1]);
  thread.context[kSharedBase] = reinterpret_cast<int64_t>(shared);
  thread.context[kSharedBytes] = launch.sharedBytes;
  thread.launch = const_cast<Launch *>(&launch);
}

void hm::emu::initThread(Thread &thread, const Launch &launch,
                         int64_t linearBlock, char *shared,
                         int64_t linearThread) {
  setBlockIds(thread, launch, linearBlock, shared);
  setThreadIds(thread, launch, linearThread);
  thread.index = static_cast<int32_t>(linearThread);
}

void hm::emu::runLoopBlocks(Launch &launch, Worker &worker) {
  Thread &thread = worker.loopThread;
  thread = Thread();
  // Workgroup memory is 16-byte aligned like on the GPU; over-allocate.
  worker.loopShared.assign(launch.sharedBytes + 64, 0);
  char *shared = reinterpret_cast<char *>(
      (reinterpret_cast<uintptr_t>(worker.loopShared.data()) + 63) &
      ~uintptr_t(63));
  setCurrentThread(&thread);
  int64_t block;
  while ((block = launch.nextBlock.fetch_add(1)) < launch.numBlocks) {
    setBlockIds(thread, launch, block, shared);
    // Workgroup memory starts uninitialised on a GPU: poison it.
    if (launch.sharedBytes) {
      memset(shared, 0xFF, launch.sharedBytes);
      worker.loopShadow.reset();
    }
    thread.shadow = &worker.loopShadow;
    for (int64_t linear = 0; linear < launch.threadsPerBlock; ++linear) {
      setThreadIds(thread, launch, linear);
      thread.index = static_cast<int32_t>(linear);
      launch.entry(thread.context, launch.args);
    }
    launch.finishedBlocks.fetch_add(1);
  }
  setCurrentThread(nullptr);
}

HM_EMU_EXPORT void hm_emu_launch(HmEmuKernelEntry entry, const char *kernelName,
                                 int64_t flags, int64_t staticSharedBytes,
                                 int64_t dynamicSharedBytes, int64_t gridX,
                                 int64_t gridY, int64_t gridZ, int64_t blockX,
                                 int64_t blockY, int64_t blockZ, void **args) {
  launchCount.fetch_add(1, std::memory_order_relaxed);
  Launch launch;
  launch.entry = entry;
  launch.kernelName = kernelName;
  launch.args = args;
  launch.fibers = flags & kLaunchNeedsFibers;
  int64_t grid[3] = {gridX, gridY, gridZ};
  int64_t block[3] = {blockX, blockY, blockZ};
  for (int d = 0; d < 3; ++d) {
    launch.grid[d] = grid[d];
    launch.blockDim[d] = block[d];
    if (grid[d] <= 0 || block[d] <= 0) {
      reportError(nullptr,
                  "invalid launch of kernel @" + launch.kernelName +
                      ": grid (" + std::to_string(gridX) + "," +
                      std::to_string(gridY) + "," + std::to_string(gridZ) +
                      "), block (" + std::to_string(blockX) + "," +
                      std::to_string(blockY) + "," + std::to_string(blockZ) +
                      "); every dimension must be positive");
      return;
    }
  }
  launch.threadsPerBlock = blockX * blockY * blockZ;
  if (launch.threadsPerBlock > kMaxThreadsPerBlock) {
    reportError(nullptr, "invalid launch of kernel @" + launch.kernelName +
                             ": " + std::to_string(launch.threadsPerBlock) +
                             " threads per block; a GPU allows at most " +
                             std::to_string(kMaxThreadsPerBlock));
    return;
  }
  if (dynamicSharedBytes < 0) {
    reportError(nullptr, "invalid launch of kernel @" + launch.kernelName +
                             ": negative dynamic shared memory size");
    return;
  }
  // Dynamic shared memory follows the static part, 16-byte aligned.
  launch.sharedBytes =
      ((staticSharedBytes + 15) & ~int64_t(15)) + dynamicSharedBytes;
  launch.numBlocks = gridX * gridY * gridZ;

  int64_t workers = requestedWorkers.load();
  if (workers <= 0)
    workers = defaultWorkers();
  workers = std::min(workers, launch.numBlocks);
  pool().run(launch, workers);
  flushLaunchErrors(launch);
}

HM_EMU_EXPORT void hmEmuSetWorkerCount(int64_t workers) {
  requestedWorkers.store(std::min<int64_t>(std::max<int64_t>(workers, 0), 256));
}

HM_EMU_EXPORT int64_t hmEmuLaunchCount(void) { return launchCount.load(); }
