//===- FakeCudaDriver.cpp - A libcuda.so.1 stand-in for tests -------------===//
//
// Test-only: the CUDA driver functions libHeavyMetalCudaRuntime.so uses, with
// "device" memory in host memory and kernels that only print their launch.
// With it, lit checks hm-run --device=cuda's host side (the mgpu* calls the
// JIT-compiled host code makes, copies, timing, error reporting) on machines
// without a GPU. Behaviour is steered through the environment:
//   HM_FAKE_CUDA_FAIL=<function>  that driver function fails
//                                 (cuInit with CUDA_ERROR_NO_DEVICE, others
//                                 with CUDA_ERROR_ILLEGAL_ADDRESS)
//   HM_FAKE_CUDA_CC=<NN>          compute capability (default 90)
//
//===----------------------------------------------------------------------===//

#include <cuda.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#define FAKE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {
/// Whether the test asked `function` to fail.
bool shouldFail(const char *function) {
  const char *fail = std::getenv("HM_FAKE_CUDA_FAIL");
  return fail && std::strcmp(fail, function) == 0;
}

CUresult result(const char *function) {
  if (!shouldFail(function))
    return CUDA_SUCCESS;
  return std::strcmp(function, "cuInit") == 0 ? CUDA_ERROR_NO_DEVICE
                                              : CUDA_ERROR_ILLEGAL_ADDRESS;
}

CUcontext currentContext = nullptr;
int fakeContext;

/// A fresh host allocation standing for device memory.
CUdeviceptr allocate(size_t bytes) {
  void *memory = std::malloc(bytes ? bytes : 1);
  std::memset(memory, 0xAB, bytes);
  return reinterpret_cast<CUdeviceptr>(memory);
}
} // namespace

FAKE_EXPORT CUresult cuInit(unsigned int) { return result("cuInit"); }

FAKE_EXPORT CUresult cuGetErrorName(CUresult error, const char **name) {
  *name = error == CUDA_ERROR_NO_DEVICE ? "CUDA_ERROR_NO_DEVICE"
                                        : "CUDA_ERROR_ILLEGAL_ADDRESS";
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuGetErrorString(CUresult error, const char **text) {
  *text = error == CUDA_ERROR_NO_DEVICE
              ? "no CUDA-capable device is detected"
              : "an illegal memory access was encountered";
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuDeviceGet(CUdevice *device, int) {
  *device = 0;
  return result("cuDeviceGet");
}

FAKE_EXPORT CUresult cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice) {
  *context = reinterpret_cast<CUcontext>(&fakeContext);
  return result("cuDevicePrimaryCtxRetain");
}

FAKE_EXPORT CUresult cuDeviceGetAttribute(int *value,
                                          CUdevice_attribute attribute,
                                          CUdevice) {
  const char *cc = std::getenv("HM_FAKE_CUDA_CC");
  int capability = cc ? std::atoi(cc) : 90;
  *value = attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
               ? capability / 10
               : capability % 10;
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuCtxGetCurrent(CUcontext *context) {
  *context = currentContext;
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuCtxSetCurrent(CUcontext context) {
  currentContext = context;
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuModuleLoadData(CUmodule *module, const void *) {
  std::fprintf(stderr, "fake-cuda: cuModuleLoadData\n");
  *module = reinterpret_cast<CUmodule>(&fakeContext);
  return result("cuModuleLoadData");
}

/// Prints the PTX's .target line and the JIT optimisation level.
FAKE_EXPORT CUresult cuModuleLoadDataEx(CUmodule *module, const void *image,
                                        unsigned int count,
                                        CUjit_option *options, void **values) {
  const char *ptx = static_cast<const char *>(image);
  const char *target = std::strstr(ptx, ".target ");
  long level = -1;
  for (unsigned int i = 0; i < count; ++i)
    if (options[i] == CU_JIT_OPTIMIZATION_LEVEL)
      level = reinterpret_cast<long>(values[i]);
  int length = target ? static_cast<int>(std::strcspn(target, "\n")) : 0;
  std::fprintf(stderr, "fake-cuda: cuModuleLoadDataEx %.*s O%ld\n", length,
               target ? target : "", level);
  *module = reinterpret_cast<CUmodule>(&fakeContext);
  return result("cuModuleLoadDataEx");
}

FAKE_EXPORT CUresult cuModuleUnload(CUmodule) { return CUDA_SUCCESS; }

/// The "function" is its name, for the launch message.
FAKE_EXPORT CUresult cuModuleGetFunction(CUfunction *function, CUmodule,
                                         const char *name) {
  *function = reinterpret_cast<CUfunction>(strdup(name));
  return result("cuModuleGetFunction");
}

FAKE_EXPORT CUresult cuFuncSetAttribute(CUfunction, CUfunction_attribute,
                                        int) {
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuLaunchKernel(CUfunction function, unsigned int gridX,
                                    unsigned int gridY, unsigned int gridZ,
                                    unsigned int blockX, unsigned int blockY,
                                    unsigned int blockZ, unsigned int shared,
                                    CUstream, void **, void **) {
  std::fprintf(stderr,
               "fake-cuda: launch %s grid (%u, %u, %u) block (%u, %u, %u) "
               "shared %u\n",
               reinterpret_cast<const char *>(function), gridX, gridY, gridZ,
               blockX, blockY, blockZ, shared);
  return result("cuLaunchKernel");
}

FAKE_EXPORT CUresult cuEventCreate(CUevent *event, unsigned int) {
  *event = reinterpret_cast<CUevent>(std::malloc(1));
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuEventDestroy(CUevent event) {
  std::free(event);
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuEventRecord(CUevent, CUstream) { return CUDA_SUCCESS; }

FAKE_EXPORT CUresult cuEventSynchronize(CUevent) { return CUDA_SUCCESS; }

/// Every timed interval lasts 0.25 ms.
FAKE_EXPORT CUresult cuEventElapsedTime(float *milliseconds, CUevent,
                                        CUevent) {
  *milliseconds = 0.25f;
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuStreamCreate(CUstream *stream, unsigned int) {
  *stream = reinterpret_cast<CUstream>(std::malloc(1));
  return result("cuStreamCreate");
}

FAKE_EXPORT CUresult cuStreamDestroy(CUstream stream) {
  std::free(stream);
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuStreamSynchronize(CUstream) {
  return result("cuStreamSynchronize");
}

FAKE_EXPORT CUresult cuStreamWaitEvent(CUstream, CUevent, unsigned int) {
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuMemAlloc(CUdeviceptr *pointer, size_t bytes) {
  *pointer = allocate(bytes);
  return result("cuMemAlloc");
}

FAKE_EXPORT CUresult cuMemAllocManaged(CUdeviceptr *pointer, size_t bytes,
                                       unsigned int) {
  *pointer = allocate(bytes);
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuMemFree(CUdeviceptr pointer) {
  std::free(reinterpret_cast<void *>(pointer));
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuMemcpyAsync(CUdeviceptr destination, CUdeviceptr source,
                                   size_t bytes, CUstream) {
  std::memcpy(reinterpret_cast<void *>(destination),
              reinterpret_cast<void *>(source), bytes);
  return result("cuMemcpyAsync");
}

FAKE_EXPORT CUresult cuMemcpyHtoD(CUdeviceptr destination, const void *source,
                                  size_t bytes) {
  std::memcpy(reinterpret_cast<void *>(destination), source, bytes);
  return result("cuMemcpyHtoD");
}

FAKE_EXPORT CUresult cuMemcpyDtoH(void *destination, CUdeviceptr source,
                                  size_t bytes) {
  std::memcpy(destination, reinterpret_cast<void *>(source), bytes);
  return result("cuMemcpyDtoH");
}

FAKE_EXPORT CUresult cuMemsetD32Async(CUdeviceptr destination,
                                      unsigned int value, size_t count,
                                      CUstream) {
  auto *words = reinterpret_cast<unsigned int *>(destination);
  for (size_t i = 0; i < count; ++i)
    words[i] = value;
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuMemsetD16Async(CUdeviceptr destination,
                                      unsigned short value, size_t count,
                                      CUstream) {
  auto *halves = reinterpret_cast<unsigned short *>(destination);
  for (size_t i = 0; i < count; ++i)
    halves[i] = value;
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuMemHostRegister(void *, size_t, unsigned int) {
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuMemHostUnregister(void *) { return CUDA_SUCCESS; }
