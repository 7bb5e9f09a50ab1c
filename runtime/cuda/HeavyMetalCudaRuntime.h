//===- HeavyMetalCudaRuntime.h - hm-run's CUDA runtime API --------*- C -*-===//
//
// libHeavyMetalCudaRuntime.so implements the mgpu* functions that MLIR's
// gpu-to-llvm host code calls, over the CUDA driver API. These are the extra
// entry points hm-run looks up with dlsym to set the runtime up, move tensors
// and time runs; hm-run does not need the CUDA headers for them.
//
// Every function reports a failing CUDA call on stderr as
//   hm-cuda-runtime: error: <call> failed: <CUDA error name>: <description>
// and counts it in hmCudaErrorCount(); the mgpu* functions have no way to
// return an error to the compiled code.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_RUNTIME_CUDA_HEAVYMETALCUDARUNTIME_H
#define HEAVYMETAL_RUNTIME_CUDA_HEAVYMETALCUDARUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Initialises the driver (cuInit), picks device 0 and makes its primary
/// context current. Returns 0 on success; otherwise writes why into
/// `message` (at most `capacity` bytes, NUL-terminated) and returns nonzero.
/// Safe to call more than once.
int hmCudaInitialize(char *message, size_t capacity);

/// The device's compute capability as major * 10 + minor (90 for sm_90), or
/// -1 before a successful hmCudaInitialize.
int hmCudaGetComputeCapability(void);

/// How many CUDA calls have failed so far.
int64_t hmCudaErrorCount(void);

/// Device memory (cuMemAlloc); null on failure.
void *hmCudaAllocate(int64_t bytes);
/// Frees what hmCudaAllocate or mgpuMemAlloc returned.
void hmCudaFree(void *devicePointer);
/// Synchronous copies; return 0 on success.
int hmCudaCopyToDevice(void *devicePointer, const void *hostPointer,
                       int64_t bytes);
int hmCudaCopyToHost(void *hostPointer, const void *devicePointer,
                     int64_t bytes);

/// Records a start event on the legacy default stream, which orders with
/// every stream the runtime creates (they are blocking streams).
void hmCudaTimerStart(void);
/// Records the stop event, waits for it and returns the milliseconds since
/// hmCudaTimerStart, or a negative number on failure.
double hmCudaTimerStop(void);

/// When `enabled`, mgpuLaunchKernel brackets every launch with events so
/// that hmCudaTakeKernelTime can sum the kernels' own time.
void hmCudaSetKernelTiming(int enabled);
/// Waits for the launches timed since the last call and returns the sum of
/// their times in milliseconds (0 when none).
double hmCudaTakeKernelTime(void);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // HEAVYMETAL_RUNTIME_CUDA_HEAVYMETALCUDARUNTIME_H
