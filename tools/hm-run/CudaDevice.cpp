//===- CudaDevice.cpp - The cuda device: HeavyMetal's kernels on a GPU ----===//
//
// hm-lower-to-nvvm-pipeline produces host code in the LLVM dialect calling
// mgpu* functions and the kernels as gpu.binary (PTX by default, which the
// driver JIT-compiles for the GPU at hand). The host code runs in
// MLIR's ExecutionEngine against libHeavyMetalCudaRuntime.so
// (runtime/cuda/), which hm-run also calls directly to set the GPU up, copy
// tensors and time runs. Arguments and results are device buffers.
//
//===----------------------------------------------------------------------===//

#include "Devices.h"

#include "HeavyMetalCudaRuntime.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/DynamicLibrary.h"

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::run;

namespace {
constexpr llvm::StringLiteral kCudaRuntime =
    "libHeavyMetalCudaRuntime" HM_SHARED_LIBRARY_SUFFIX;

/// The runtime's hmCuda* functions, looked up by name.
struct CudaRuntimeApi {
  decltype(&hmCudaInitialize) initialize = nullptr;
  decltype(&hmCudaGetComputeCapability) getComputeCapability = nullptr;
  decltype(&hmCudaErrorCount) errorCount = nullptr;
  decltype(&hmCudaAllocate) allocate = nullptr;
  decltype(&hmCudaFree) free = nullptr;
  decltype(&hmCudaCopyToDevice) copyToDevice = nullptr;
  decltype(&hmCudaCopyToHost) copyToHost = nullptr;
  decltype(&hmCudaTimerStart) timerStart = nullptr;
  decltype(&hmCudaTimerStop) timerStop = nullptr;
  decltype(&hmCudaSetKernelTiming) setKernelTiming = nullptr;
  decltype(&hmCudaTakeKernelTime) takeKernelTime = nullptr;

  llvm::Error load(llvm::sys::DynamicLibrary library, llvm::StringRef path) {
    std::string missing;
    auto lookup = [&](auto &function, const char *name) {
      function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(
          library.getAddressOfSymbol(name));
      if (!function)
        missing += std::string(missing.empty() ? "" : ", ") + name;
    };
    lookup(initialize, "hmCudaInitialize");
    lookup(getComputeCapability, "hmCudaGetComputeCapability");
    lookup(errorCount, "hmCudaErrorCount");
    lookup(allocate, "hmCudaAllocate");
    lookup(free, "hmCudaFree");
    lookup(copyToDevice, "hmCudaCopyToDevice");
    lookup(copyToHost, "hmCudaCopyToHost");
    lookup(timerStart, "hmCudaTimerStart");
    lookup(timerStop, "hmCudaTimerStop");
    lookup(setKernelTiming, "hmCudaSetKernelTiming");
    lookup(takeKernelTime, "hmCudaTakeKernelTime");
    if (!missing.empty())
      return makeStringError(path + " lacks " + missing);
    return llvm::Error::success();
  }
};

class CudaDevice final : public Device {
public:
  CudaDevice(const DeviceOptions &options, std::string runtimePath,
             CudaRuntimeApi api)
      : options(options), runtimePath(std::move(runtimePath)), api(api) {}

  llvm::StringRef getName() const override { return "cuda"; }
  llvm::StringRef getClockName() const override { return "CUDA events"; }

  llvm::Error compile(ModuleOp module, const EntrySignature &entry) override {
    signature = entry;
    // Compile for the GPU at hand unless told otherwise: PTX for a newer
    // chip than the GPU does not load.
    std::string pipelineOptions = options.gpuPipelineOptions;
    if (llvm::StringRef(pipelineOptions).find("chip=") == llvm::StringRef::npos)
      pipelineOptions +=
          " chip=sm_" + std::to_string(api.getComputeCapability());
    std::string pipeline = "hm-lower-to-nvvm-pipeline{" + pipelineOptions + "}";
    requestCInterface(module, entry.name);
    if (llvm::Error error = lowerModule(
            module, getName(),
            [&](OpPassManager &pm) { return addTextualPipeline(pm, pipeline); },
            options))
      return error;

    int64_t errorsBefore = api.errorCount();
    llvm::SmallVector<std::string> libraries = {runtimePath};
    llvm::append_range(libraries, getMLIRRunnerUtilsLibraries());
    // Loads the kernels' modules (global constructors).
    llvm::Expected<std::unique_ptr<JitModule>> compiled =
        JitModule::create(module, libraries, options.jitOptLevel);
    if (!compiled)
      return compiled.takeError();
    jit = std::move(*compiled);
    if (api.errorCount() != errorsBefore)
      return makeStringError("loading the GPU kernels failed (see above)");
    return llvm::Error::success();
  }

  llvm::Expected<RunResult> run(llvm::ArrayRef<HostTensor> inputs) override {
    int64_t errorsBefore = api.errorCount();
    llvm::SmallVector<void *> deviceInputs;
    llvm::scope_exit freeInputs([&] {
      for (void *pointer : deviceInputs)
        api.free(pointer);
    });
    for (auto [index, input] : llvm::enumerate(inputs)) {
      void *pointer = api.allocate(input.getNumBytes());
      if (!pointer)
        return makeStringError("cannot allocate device memory for input #" +
                               llvm::Twine(index));
      deviceInputs.push_back(pointer);
      if (api.copyToDevice(pointer, input.getData(), input.getNumBytes()))
        return makeStringError("cannot copy input #" + llvm::Twine(index) +
                               " to the device");
    }

    api.setKernelTiming(1);
    api.timerStart();
    llvm::Expected<llvm::SmallVector<MemRefDescriptor>> descriptors =
        jit->call(signature, deviceInputs);
    double milliseconds = api.timerStop();
    double kernelMilliseconds = api.takeKernelTime();
    api.setKernelTiming(0);
    if (!descriptors)
      return descriptors.takeError();
    if (int64_t errors = api.errorCount() - errorsBefore)
      return makeStringError(llvm::Twine(errors) +
                             " CUDA call(s) failed running @" + signature.name +
                             " (see above)");

    RunResult result;
    result.callMilliseconds = milliseconds;
    result.kernelMilliseconds = kernelMilliseconds;
    llvm::SmallPtrSet<void *, 8> toFree;
    for (auto [descriptor, spec] :
         llvm::zip_equal(*descriptors, signature.results)) {
      llvm::Expected<HostTensor> output = readResult(
          descriptor, spec.elementType,
          [&](void *destination, const void *source,
              int64_t bytes) -> llvm::Error {
            if (api.copyToHost(destination, source, bytes))
              return makeStringError("cannot copy a result to the host");
            return llvm::Error::success();
          });
      if (!output)
        return output.takeError();
      result.outputs.push_back(std::move(*output));
      // The function allocated its results with gpu.alloc; a result may also
      // be one of the arguments, which are freed above.
      if (!llvm::is_contained(deviceInputs, descriptor.allocated))
        toFree.insert(descriptor.allocated);
    }
    for (void *pointer : toFree)
      api.free(pointer);
    return std::move(result);
  }

private:
  DeviceOptions options;
  std::string runtimePath;
  CudaRuntimeApi api;
  EntrySignature signature;
  std::unique_ptr<JitModule> jit;
};
} // namespace

llvm::Expected<std::unique_ptr<Device>>
run::createCudaDevice(const DeviceOptions &options) {
#ifndef HM_HAVE_CUDA_RUNTIME
  (void)kCudaRuntime;
  return makeStringError(
      "--device=cuda is not available: the CUDA runtime library was not "
      "built (no CUDA toolkit was found when HeavyMetal was configured)");
#else
  llvm::Expected<std::string> runtime =
      findRuntimeLibrary(options, kCudaRuntime, "the CUDA runtime library");
  if (!runtime)
    return makeStringError("--device=cuda is not available: " +
                           llvm::toString(runtime.takeError()));
  std::string message;
  llvm::sys::DynamicLibrary library =
      llvm::sys::DynamicLibrary::getPermanentLibrary(runtime->c_str(),
                                                     &message);
  if (!library.isValid())
    return makeStringError("--device=cuda is not available: cannot load " +
                           *runtime + ": " + message +
                           " (is the NVIDIA driver installed?)");
  CudaRuntimeApi api;
  if (llvm::Error error = api.load(library, *runtime))
    return std::move(error);
  char reason[512] = {0};
  if (api.initialize(reason, sizeof(reason)) != 0)
    return makeStringError("--device=cuda is not available: " +
                           llvm::Twine(reason));
  return std::make_unique<CudaDevice>(options, std::move(*runtime), api);
#endif
}
