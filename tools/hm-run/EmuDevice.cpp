//===- EmuDevice.cpp - The emu device: GPU kernels run by the emulator ----===//
//
// The module goes through HeavyMetal's GPU pipeline up to the gpu.func
// kernels (the IR that goes to NVVM), then the emulator's pipeline turns the
// host's GPU operations into calls to hm_emu_* functions and the kernels into
// host functions; the result is lowered like the cpu device's host code and
// JIT-run with the emulator's runtime library. Arguments and results live in
// host memory.
//
// HM_HAVE_EMULATOR is defined by tools/hm-run/CMakeLists.txt when the
// emulator (its header and its runtime target) is part of the build.
//
//===----------------------------------------------------------------------===//

#include "Devices.h"

#include "HeavyMetal/Pipelines/Pipelines.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/DynamicLibrary.h"

#ifdef HM_HAVE_EMULATOR
#include "HeavyMetal/Conversion/GPUToEmulator.h"
#endif

#include <chrono>
#include <cstring>

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::run;

#ifdef HM_HAVE_EMULATOR
namespace {
/// The emulator runtime's entry points hm-run calls directly
/// (runtime/emulator/HeavyMetalEmuRuntime.h). The first two are the
/// contract; the others are used when present.
using RegisterBufferFn = void (*)(void *pointer, int64_t bytes);
using ErrorCountFn = int64_t (*)();
using RegisterNamedBufferFn = void (*)(void *pointer, int64_t bytes,
                                       const char *name);
using UnregisterBufferFn = void (*)(void *pointer);
using SetWorkerCountFn = void (*)(int64_t workers);

constexpr llvm::StringLiteral kEmulatorRuntime =
    "libHeavyMetalEmuRuntime" HM_SHARED_LIBRARY_SUFFIX;

class EmuDevice final : public Device {
public:
  EmuDevice(const DeviceOptions &options, std::string runtimePath)
      : options(options), runtimePath(std::move(runtimePath)) {}

  llvm::StringRef getName() const override { return "emu"; }

  llvm::Error compile(ModuleOp module, const EntrySignature &entry) override {
    signature = entry;
    DeviceOptions quiet = options;
    quiet.printLoweredModule = false;
    std::string gpuPipeline =
        "hm-linalg-to-gpu-pipeline{" + options.gpuPipelineOptions + "}";
    if (llvm::Error error = lowerModule(
            module, getName(),
            [&](OpPassManager &pm) {
              if (failed(addTextualPipeline(pm, gpuPipeline)))
                return failure();
              hm::buildEmulatorPipeline(pm);
              return success();
            },
            quiet))
      return error;
    // Asked for after the emulator's pipeline, which rewrites the host
    // function's GPU operations, so that nothing there can drop it.
    requestCInterface(module, entry.name);
    if (llvm::Error error = lowerModule(
            module, getName(),
            [](OpPassManager &pm) {
              hm::buildHostToLLVMPipeline(pm);
              return success();
            },
            options))
      return error;

    llvm::SmallVector<std::string> libraries = {runtimePath};
    llvm::append_range(libraries, getMLIRRunnerUtilsLibraries());
    llvm::Expected<std::unique_ptr<JitModule>> compiled =
        JitModule::create(module, libraries, options.jitOptLevel);
    if (!compiled)
      return compiled.takeError();
    jit = std::move(*compiled);

    // The ExecutionEngine opened the runtime already; this finds the same
    // copy of it.
    std::string message;
    llvm::sys::DynamicLibrary library =
        llvm::sys::DynamicLibrary::getPermanentLibrary(runtimePath.c_str(),
                                                       &message);
    if (!library.isValid())
      return makeStringError("cannot load " + runtimePath + ": " + message);
    registerBuffer = reinterpret_cast<RegisterBufferFn>(
        library.getAddressOfSymbol("hmEmuRegisterBuffer"));
    errorCount = reinterpret_cast<ErrorCountFn>(
        library.getAddressOfSymbol("hmEmuErrorCount"));
    if (!registerBuffer || !errorCount)
      return makeStringError(runtimePath +
                             " lacks hmEmuRegisterBuffer or hmEmuErrorCount");
    registerNamedBuffer = reinterpret_cast<RegisterNamedBufferFn>(
        library.getAddressOfSymbol("hmEmuRegisterNamedBuffer"));
    unregisterBuffer = reinterpret_cast<UnregisterBufferFn>(
        library.getAddressOfSymbol("hmEmuUnregisterBuffer"));
    if (options.emulatorWorkers) {
      auto setWorkerCount = reinterpret_cast<SetWorkerCountFn>(
          library.getAddressOfSymbol("hmEmuSetWorkerCount"));
      if (!setWorkerCount)
        return makeStringError(runtimePath + " lacks hmEmuSetWorkerCount");
      setWorkerCount(options.emulatorWorkers);
    }
    return llvm::Error::success();
  }

  llvm::Expected<RunResult> run(llvm::ArrayRef<HostTensor> inputs) override {
    llvm::SmallVector<HostTensor> arguments;
    llvm::SmallVector<void *> pointers;
    for (auto [index, input] : llvm::enumerate(inputs)) {
      arguments.push_back(input.clone());
      pointers.push_back(arguments.back().getData());
      // The emulator checks every global access against the buffers it
      // knows: the ones it allocated and these.
      std::string name =
          "argument #" + std::to_string(index) + " of @" + signature.name;
      if (registerNamedBuffer)
        registerNamedBuffer(pointers.back(), input.getNumBytes(), name.c_str());
      else
        registerBuffer(pointers.back(), input.getNumBytes());
    }
    int64_t errorsBefore = errorCount();
    auto start = std::chrono::steady_clock::now();
    llvm::Expected<llvm::SmallVector<MemRefDescriptor>> descriptors =
        jit->call(signature, pointers);
    auto stop = std::chrono::steady_clock::now();
    // The copies die with this function; another allocation may reuse their
    // addresses.
    if (unregisterBuffer)
      for (void *pointer : pointers)
        unregisterBuffer(pointer);
    if (!descriptors)
      return descriptors.takeError();
    if (int64_t errors = errorCount() - errorsBefore)
      return makeStringError("the emulator reported " + llvm::Twine(errors) +
                             " error(s) running @" + signature.name +
                             " (see above)");

    return collectHostResults(
        *descriptors, signature,
        std::chrono::duration<double, std::milli>(stop - start).count());
  }

private:
  DeviceOptions options;
  std::string runtimePath;
  EntrySignature signature;
  std::unique_ptr<JitModule> jit;
  RegisterBufferFn registerBuffer = nullptr;
  ErrorCountFn errorCount = nullptr;
  RegisterNamedBufferFn registerNamedBuffer = nullptr;
  UnregisterBufferFn unregisterBuffer = nullptr;
};
} // namespace

llvm::Expected<std::unique_ptr<Device>>
run::createEmuDevice(const DeviceOptions &options) {
  llvm::Expected<std::string> runtime = findRuntimeLibrary(
      options, kEmulatorRuntime, "the GPU emulator's runtime library");
  if (!runtime)
    return makeStringError("--device=emu is not available: " +
                           llvm::toString(runtime.takeError()));
  return std::make_unique<EmuDevice>(options, std::move(*runtime));
}

#else // !HM_HAVE_EMULATOR

llvm::Expected<std::unique_ptr<Device>>
run::createEmuDevice(const DeviceOptions &) {
  return makeStringError(
      "--device=emu is not available: the GPU emulator is not built yet "
      "(this hm-run was compiled without it); use --device=cpu");
}

#endif // HM_HAVE_EMULATOR
