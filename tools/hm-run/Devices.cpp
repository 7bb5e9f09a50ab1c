//===- Devices.cpp - Device selection, shared helpers, the cpu device -----===//
//
// The cpu device is the oracle: the module's original linalg on tensors is
// lowered with upstream passes only (hm::buildReferenceCPUPipeline) and
// JIT-run on the host.
//
//===----------------------------------------------------------------------===//

#include "Devices.h"

#include "HeavyMetal/Pipelines/Pipelines.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstring>

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::run;

Device::~Device() = default;

llvm::Error run::makeStringError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

LogicalResult run::addTextualPipeline(OpPassManager &pm,
                                      llvm::StringRef pipeline) {
  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  if (succeeded(parsePassPipeline(pipeline, pm, errorStream)))
    return success();
  llvm::errs() << errors;
  if (!errors.empty() && errors.back() != '\n')
    llvm::errs() << "\n";
  return failure();
}

llvm::Error run::lowerModule(
    ModuleOp module, llvm::StringRef device,
    llvm::function_ref<LogicalResult(OpPassManager &pm)> buildPipeline,
    const DeviceOptions &options) {
  PassManager pm(module.getContext());
  if (failed(buildPipeline(pm)))
    return makeStringError("invalid --gpu-pipeline-options for the " + device +
                           " device (see above)");
  if (failed(pm.run(module)))
    return makeStringError("lowering the module for the " + device +
                           " device failed (see the diagnostics above)");
  if (options.printLoweredModule) {
    module.print(llvm::outs());
    llvm::outs() << "\n";
  }
  return llvm::Error::success();
}

llvm::Expected<std::string>
run::findRuntimeLibrary(const DeviceOptions &options, llvm::StringRef fileName,
                        llvm::StringRef what) {
  llvm::SmallString<256> path(options.runtimeLibraryDir);
  llvm::sys::path::append(path, fileName);
  if (!llvm::sys::fs::exists(path))
    return makeStringError(what + " is not built: " + path + " does not exist");
  return std::string(path);
}

namespace {
/// The reference: upstream lowering of the original linalg, run on the host.
class CpuDevice final : public Device {
public:
  explicit CpuDevice(const DeviceOptions &options) : options(options) {}

  llvm::StringRef getName() const override { return "cpu"; }

  llvm::Error compile(ModuleOp module, const EntrySignature &entry) override {
    signature = entry;
    requestCInterface(module, entry.name);
    if (llvm::Error error = lowerModule(
            module, getName(),
            [](OpPassManager &pm) {
              hm::buildReferenceCPUPipeline(pm);
              return success();
            },
            options))
      return error;
    llvm::Expected<std::unique_ptr<JitModule>> compiled = JitModule::create(
        module, getMLIRRunnerUtilsLibraries(), options.jitOptLevel);
    if (!compiled)
      return compiled.takeError();
    jit = std::move(*compiled);
    return llvm::Error::success();
  }

  llvm::Expected<RunResult> run(llvm::ArrayRef<HostTensor> inputs) override {
    // Copies: the compiled function may write into its arguments.
    llvm::SmallVector<HostTensor> arguments;
    llvm::SmallVector<void *> pointers;
    for (const HostTensor &input : inputs) {
      arguments.push_back(input.clone());
      pointers.push_back(arguments.back().getData());
    }
    auto start = std::chrono::steady_clock::now();
    llvm::Expected<llvm::SmallVector<MemRefDescriptor>> descriptors =
        jit->call(signature, pointers);
    auto stop = std::chrono::steady_clock::now();
    if (!descriptors)
      return descriptors.takeError();

    return collectHostResults(
        *descriptors, signature,
        std::chrono::duration<double, std::milli>(stop - start).count());
  }

private:
  DeviceOptions options;
  EntrySignature signature;
  std::unique_ptr<JitModule> jit;
};
} // namespace

std::unique_ptr<Device> run::createCpuDevice(const DeviceOptions &options) {
  return std::make_unique<CpuDevice>(options);
}

llvm::Expected<std::unique_ptr<Device>>
run::createDevice(llvm::StringRef name, const DeviceOptions &options) {
  if (name == "cpu")
    return createCpuDevice(options);
  if (name == "emu")
    return createEmuDevice(options);
  if (name == "cuda")
    return createCudaDevice(options);
  return makeStringError("unknown device '" + name +
                         "'; expected cpu, emu or cuda");
}

llvm::Expected<RunResult>
run::collectHostResults(llvm::ArrayRef<MemRefDescriptor> descriptors,
                        const EntrySignature &signature,
                        double callMilliseconds) {
  RunResult result;
  result.callMilliseconds = callMilliseconds;
  for (auto [descriptor, spec] :
       llvm::zip_equal(descriptors, signature.results)) {
    llvm::Expected<HostTensor> output =
        readResult(descriptor, spec.elementType,
                   [](void *destination, const void *source, int64_t bytes) {
                     std::memcpy(destination, source, bytes);
                     return llvm::Error::success();
                   });
    if (!output)
      return output.takeError();
    result.outputs.push_back(std::move(*output));
  }
  return std::move(result);
}
