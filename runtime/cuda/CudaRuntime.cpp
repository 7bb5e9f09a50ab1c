//===- CudaRuntime.cpp - mgpu* over the CUDA driver API -------------------===//
//
// The functions MLIR's gpu-to-llvm host lowering calls (LLVM 22 signatures,
// checked against what hm-lower-to-nvvm-pipeline emits), implemented over the
// CUDA driver API, plus the hmCuda* entry points hm-run uses
// (HeavyMetalCudaRuntime.h). Debian does not package MLIR's own CUDA runtime
// wrappers.
//
// Every CUresult is checked; a failure is printed with the CUDA error name
// and counted (hmCudaErrorCount), since the mgpu* functions cannot return
// errors to the compiled code. All work uses device 0's primary context,
// made current on whichever thread calls.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetalCudaRuntime.h"

#include <cuda.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#define HM_EXPORT extern "C" __attribute__((visibility("default")))

namespace {
std::atomic<int64_t> errorCount{0};

/// Device 0's primary context, set up once.
struct DeviceState {
  std::once_flag once;
  CUresult status = CUDA_ERROR_NOT_INITIALIZED;
  std::string failedCall;
  CUdevice device = 0;
  CUcontext context = nullptr;
  int computeCapability = -1;
};

DeviceState &getState() {
  static DeviceState state;
  return state;
}

std::string describe(CUresult result) {
  const char *name = nullptr, *description = nullptr;
  if (cuGetErrorName(result, &name) != CUDA_SUCCESS || !name)
    name = "unknown CUresult";
  if (cuGetErrorString(result, &description) != CUDA_SUCCESS || !description)
    description = "";
  return std::string(name) + ": " + description + " (" +
         std::to_string(static_cast<int>(result)) + ")";
}

/// Reports a failed call; returns whether `result` is CUDA_SUCCESS.
bool check(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return true;
  std::fprintf(stderr, "hm-cuda-runtime: error: %s failed: %s\n", call,
               describe(result).c_str());
  ++errorCount;
  return false;
}

#define HM_CUDA_CHECK(expression) check((expression), #expression)

void initializeOnce(DeviceState &state) {
  auto attempt = [&](CUresult result, const char *call) {
    if (result != CUDA_SUCCESS) {
      state.status = result;
      state.failedCall = call;
    }
    return result == CUDA_SUCCESS;
  };
  int major = 0, minor = 0;
  if (!attempt(cuInit(0), "cuInit") ||
      !attempt(cuDeviceGet(&state.device, 0), "cuDeviceGet") ||
      !attempt(cuDevicePrimaryCtxRetain(&state.context, state.device),
               "cuDevicePrimaryCtxRetain") ||
      !attempt(cuDeviceGetAttribute(
                   &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                   state.device),
               "cuDeviceGetAttribute") ||
      !attempt(cuDeviceGetAttribute(
                   &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                   state.device),
               "cuDeviceGetAttribute"))
    return;
  state.computeCapability = major * 10 + minor;
  state.status = CUDA_SUCCESS;
}

/// Makes the primary context current on this thread; false (reported) when
/// the GPU is unusable.
bool ensureContext() {
  DeviceState &state = getState();
  std::call_once(state.once, initializeOnce, state);
  if (state.status != CUDA_SUCCESS) {
    std::string call = state.failedCall + " (device set-up)";
    check(state.status, call.c_str());
    return false;
  }
  CUcontext current = nullptr;
  if (cuCtxGetCurrent(&current) == CUDA_SUCCESS && current == state.context)
    return true;
  return HM_CUDA_CHECK(cuCtxSetCurrent(state.context));
}

CUdeviceptr toDevicePointer(const void *pointer) {
  return reinterpret_cast<CUdeviceptr>(pointer);
}

/// Events around kernel launches while hmCudaSetKernelTiming is on.
std::mutex timingMutex;
bool kernelTiming = false;
std::vector<std::pair<CUevent, CUevent>> pendingKernelEvents;
CUevent timerStartEvent = nullptr, timerStopEvent = nullptr;
} // namespace

//===----------------------------------------------------------------------===//
// mgpu*: called by the host code gpu-to-llvm produces.
//===----------------------------------------------------------------------===//

/// Loads a cubin or fatbin (format=bin/fatbin).
HM_EXPORT CUmodule mgpuModuleLoad(void *data, size_t /*gpuBlobSize*/) {
  CUmodule module = nullptr;
  if (ensureContext())
    HM_CUDA_CHECK(cuModuleLoadData(&module, data));
  return module;
}

/// Loads PTX (format=isa), which the driver compiles at `optLevel`.
HM_EXPORT CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  CUmodule module = nullptr;
  if (!ensureContext())
    return module;
  char errorLog[8192] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {errorLog, reinterpret_cast<void *>(sizeof(errorLog)),
                    reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  if (!HM_CUDA_CHECK(cuModuleLoadDataEx(&module, data, 3, options, values)) &&
      errorLog[0])
    std::fprintf(stderr, "hm-cuda-runtime: PTX JIT log:\n%s\n", errorLog);
  return module;
}

HM_EXPORT void mgpuModuleUnload(CUmodule module) {
  if (module && ensureContext())
    HM_CUDA_CHECK(cuModuleUnload(module));
}

HM_EXPORT CUfunction mgpuModuleGetFunction(CUmodule module, const char *name) {
  CUfunction function = nullptr;
  if (!module) {
    std::fprintf(stderr,
                 "hm-cuda-runtime: error: kernel %s: its module did not "
                 "load\n",
                 name);
    ++errorCount;
    return function;
  }
  if (ensureContext())
    HM_CUDA_CHECK(cuModuleGetFunction(&function, module, name));
  return function;
}

HM_EXPORT void mgpuLaunchKernel(CUfunction function, intptr_t gridX,
                                intptr_t gridY, intptr_t gridZ, intptr_t blockX,
                                intptr_t blockY, intptr_t blockZ,
                                int32_t sharedMemoryBytes, CUstream stream,
                                void **params, void **extra,
                                size_t /*paramsCount*/) {
  if (!function || !ensureContext())
    return;
  // Dynamic shared memory beyond the default 48 KiB must be opted into.
  if (sharedMemoryBytes > 48 * 1024)
    HM_CUDA_CHECK(cuFuncSetAttribute(
        function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
        sharedMemoryBytes));
  std::lock_guard<std::mutex> lock(timingMutex);
  CUevent start = nullptr, stop = nullptr;
  if (kernelTiming && HM_CUDA_CHECK(cuEventCreate(&start, CU_EVENT_DEFAULT)) &&
      HM_CUDA_CHECK(cuEventCreate(&stop, CU_EVENT_DEFAULT)))
    HM_CUDA_CHECK(cuEventRecord(start, stream));
  HM_CUDA_CHECK(cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                               blockZ, sharedMemoryBytes, stream, params,
                               extra));
  if (start && stop) {
    HM_CUDA_CHECK(cuEventRecord(stop, stream));
    pendingKernelEvents.emplace_back(start, stop);
  }
}

/// A blocking stream, so that events on the legacy default stream (hm-run's
/// timer) order with its work.
HM_EXPORT CUstream mgpuStreamCreate() {
  CUstream stream = nullptr;
  if (ensureContext())
    HM_CUDA_CHECK(cuStreamCreate(&stream, CU_STREAM_DEFAULT));
  return stream;
}

HM_EXPORT void mgpuStreamDestroy(CUstream stream) {
  if (ensureContext())
    HM_CUDA_CHECK(cuStreamDestroy(stream));
}

HM_EXPORT void mgpuStreamSynchronize(CUstream stream) {
  if (ensureContext())
    HM_CUDA_CHECK(cuStreamSynchronize(stream));
}

HM_EXPORT void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  if (ensureContext())
    HM_CUDA_CHECK(cuStreamWaitEvent(stream, event, /*flags=*/0));
}

HM_EXPORT CUevent mgpuEventCreate() {
  CUevent event = nullptr;
  if (ensureContext())
    HM_CUDA_CHECK(cuEventCreate(&event, CU_EVENT_DISABLE_TIMING));
  return event;
}

HM_EXPORT void mgpuEventDestroy(CUevent event) {
  if (ensureContext())
    HM_CUDA_CHECK(cuEventDestroy(event));
}

HM_EXPORT void mgpuEventSynchronize(CUevent event) {
  if (ensureContext())
    HM_CUDA_CHECK(cuEventSynchronize(event));
}

HM_EXPORT void mgpuEventRecord(CUevent event, CUstream stream) {
  if (ensureContext())
    HM_CUDA_CHECK(cuEventRecord(event, stream));
}

/// Device memory; managed memory when `isHostShared`.
HM_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, CUstream /*stream*/,
                             bool isHostShared) {
  CUdeviceptr pointer = 0;
  if (sizeBytes == 0 || !ensureContext())
    return nullptr;
  if (isHostShared)
    HM_CUDA_CHECK(cuMemAllocManaged(&pointer, sizeBytes, CU_MEM_ATTACH_GLOBAL));
  else
    HM_CUDA_CHECK(cuMemAlloc(&pointer, sizeBytes));
  return reinterpret_cast<void *>(pointer);
}

HM_EXPORT void mgpuMemFree(void *pointer, CUstream /*stream*/) {
  if (pointer && ensureContext())
    HM_CUDA_CHECK(cuMemFree(toDevicePointer(pointer)));
}

HM_EXPORT void mgpuMemcpy(void *destination, void *source, size_t sizeBytes,
                          CUstream stream) {
  if (sizeBytes && ensureContext())
    HM_CUDA_CHECK(cuMemcpyAsync(toDevicePointer(destination),
                                toDevicePointer(source), sizeBytes, stream));
}

HM_EXPORT void mgpuMemset32(void *destination, unsigned int value, size_t count,
                            CUstream stream) {
  if (count && ensureContext())
    HM_CUDA_CHECK(
        cuMemsetD32Async(toDevicePointer(destination), value, count, stream));
}

HM_EXPORT void mgpuMemset16(void *destination, unsigned short value,
                            size_t count, CUstream stream) {
  if (count && ensureContext())
    HM_CUDA_CHECK(
        cuMemsetD16Async(toDevicePointer(destination), value, count, stream));
}

HM_EXPORT void mgpuMemHostRegister(void *pointer, uint64_t sizeBytes) {
  if (sizeBytes && ensureContext())
    HM_CUDA_CHECK(cuMemHostRegister(pointer, sizeBytes, /*Flags=*/0));
}

HM_EXPORT void mgpuMemHostUnregister(void *pointer) {
  if (ensureContext())
    HM_CUDA_CHECK(cuMemHostUnregister(pointer));
}

/// gpu.host_register on a ranked memref: `descriptor` points at
/// {allocated, aligned, offset, sizes[rank], strides[rank]}.
HM_EXPORT void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                                         int64_t elementSizeBytes) {
  const int64_t *words = static_cast<const int64_t *>(descriptor);
  char *aligned = nullptr;
  std::memcpy(&aligned, &words[1], sizeof(aligned));
  int64_t count = 1;
  for (int64_t dim = 0; dim < rank; ++dim)
    count *= words[3 + dim];
  mgpuMemHostRegister(aligned + words[2] * elementSizeBytes,
                      count * elementSizeBytes);
}

HM_EXPORT void mgpuMemHostUnregisterMemRef(int64_t /*rank*/, void *descriptor,
                                           int64_t elementSizeBytes) {
  const int64_t *words = static_cast<const int64_t *>(descriptor);
  char *aligned = nullptr;
  std::memcpy(&aligned, &words[1], sizeof(aligned));
  mgpuMemHostUnregister(aligned + words[2] * elementSizeBytes);
}

/// HeavyMetal always uses device 0; any other is an error.
HM_EXPORT void mgpuSetDefaultDevice(int32_t device) {
  if (device != 0) {
    std::fprintf(stderr,
                 "hm-cuda-runtime: error: mgpuSetDefaultDevice(%d): only "
                 "device 0 is supported\n",
                 device);
    ++errorCount;
  }
}

//===----------------------------------------------------------------------===//
// hmCuda*: called by hm-run.
//===----------------------------------------------------------------------===//

HM_EXPORT int hmCudaInitialize(char *message, size_t capacity) {
  DeviceState &state = getState();
  std::call_once(state.once, initializeOnce, state);
  if (state.status == CUDA_SUCCESS &&
      cuCtxSetCurrent(state.context) == CUDA_SUCCESS)
    return 0;
  if (message && capacity)
    std::snprintf(message, capacity, "%s failed: %s", state.failedCall.c_str(),
                  describe(state.status).c_str());
  return 1;
}

HM_EXPORT int hmCudaGetComputeCapability(void) {
  return getState().computeCapability;
}

HM_EXPORT int64_t hmCudaErrorCount(void) { return errorCount.load(); }

HM_EXPORT void *hmCudaAllocate(int64_t bytes) {
  CUdeviceptr pointer = 0;
  // Never null, even for an empty tensor: a null pointer means failure.
  if (ensureContext() &&
      HM_CUDA_CHECK(cuMemAlloc(&pointer, bytes > 0 ? bytes : 1)))
    return reinterpret_cast<void *>(pointer);
  return nullptr;
}

HM_EXPORT void hmCudaFree(void *devicePointer) {
  mgpuMemFree(devicePointer, nullptr);
}

HM_EXPORT int hmCudaCopyToDevice(void *devicePointer, const void *hostPointer,
                                 int64_t bytes) {
  if (bytes == 0)
    return 0;
  return ensureContext() &&
                 HM_CUDA_CHECK(cuMemcpyHtoD(toDevicePointer(devicePointer),
                                            hostPointer, bytes))
             ? 0
             : 1;
}

HM_EXPORT int hmCudaCopyToHost(void *hostPointer, const void *devicePointer,
                               int64_t bytes) {
  if (bytes == 0)
    return 0;
  return ensureContext() &&
                 HM_CUDA_CHECK(cuMemcpyDtoH(
                     hostPointer, toDevicePointer(devicePointer), bytes))
             ? 0
             : 1;
}

HM_EXPORT void hmCudaTimerStart(void) {
  if (!ensureContext())
    return;
  if (!timerStartEvent &&
      !(HM_CUDA_CHECK(cuEventCreate(&timerStartEvent, CU_EVENT_DEFAULT)) &&
        HM_CUDA_CHECK(cuEventCreate(&timerStopEvent, CU_EVENT_DEFAULT))))
    return;
  HM_CUDA_CHECK(cuEventRecord(timerStartEvent, CU_STREAM_LEGACY));
}

HM_EXPORT double hmCudaTimerStop(void) {
  float milliseconds = -1.0f;
  if (!ensureContext() || !timerStopEvent)
    return milliseconds;
  if (HM_CUDA_CHECK(cuEventRecord(timerStopEvent, CU_STREAM_LEGACY)) &&
      HM_CUDA_CHECK(cuEventSynchronize(timerStopEvent)) &&
      HM_CUDA_CHECK(
          cuEventElapsedTime(&milliseconds, timerStartEvent, timerStopEvent)))
    return milliseconds;
  return -1.0;
}

HM_EXPORT void hmCudaSetKernelTiming(int enabled) {
  std::lock_guard<std::mutex> lock(timingMutex);
  kernelTiming = enabled != 0;
}

HM_EXPORT double hmCudaTakeKernelTime(void) {
  std::lock_guard<std::mutex> lock(timingMutex);
  double total = 0.0;
  if (!ensureContext())
    return total;
  for (auto [start, stop] : pendingKernelEvents) {
    float milliseconds = 0.0f;
    if (HM_CUDA_CHECK(cuEventSynchronize(stop)) &&
        HM_CUDA_CHECK(cuEventElapsedTime(&milliseconds, start, stop)))
      total += milliseconds;
    HM_CUDA_CHECK(cuEventDestroy(start));
    HM_CUDA_CHECK(cuEventDestroy(stop));
  }
  pendingKernelEvents.clear();
  return total;
}
