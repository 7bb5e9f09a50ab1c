//===- Devices.h - Where hm-run executes a module ---------------*- C++ -*-===//
//
// The three devices: cpu (the reference: upstream lowering of the original
// linalg, JIT-run on the host), emu (HeavyMetal's GPU kernels run by the GPU
// emulator on the host) and cuda (HeavyMetal's kernels on a real GPU).
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_TOOLS_HMRUN_DEVICES_H
#define HEAVYMETAL_TOOLS_HMRUN_DEVICES_H

#include "JitRunner.h"

#include <optional>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::hm::run {

/// What the devices need to know beyond the module.
struct DeviceOptions {
  /// Options of the HeavyMetal GPU pipelines (emu, cuda), as in
  /// `hm-opt --hm-lower-to-nvvm-pipeline="..."`.
  std::string gpuPipelineOptions;
  /// LLVM optimisation level of the JIT-compiled host code (0-3).
  unsigned jitOptLevel = 3;
  /// Directory holding HeavyMetal's runtime libraries (build/lib).
  std::string runtimeLibraryDir;
  /// OS threads the emulator runs blocks on; 0 keeps its default.
  int64_t emulatorWorkers = 0;
  /// Print the module after lowering, before JIT compilation.
  bool printLoweredModule = false;
};

/// What one run produced.
struct RunResult {
  llvm::SmallVector<HostTensor> outputs;
  /// Time of the entry call alone (no input or output copies).
  double callMilliseconds = 0.0;
  /// The kernels' own time, where the device can tell (cuda).
  std::optional<double> kernelMilliseconds;
};

/// A place to lower, compile and run the entry function.
class Device {
public:
  virtual ~Device();
  /// "cpu", "emu" or "cuda".
  virtual llvm::StringRef getName() const = 0;
  /// What measures callMilliseconds ("host clock", "CUDA events").
  virtual llvm::StringRef getClockName() const { return "host clock"; }
  /// Lowers `module` (the device's own copy, changed in place) and
  /// JIT-compiles it. Pass failures have already been reported as
  /// diagnostics when this returns an error.
  virtual llvm::Error compile(ModuleOp module, const EntrySignature &entry) = 0;
  /// Runs the compiled entry on copies of `inputs`.
  virtual llvm::Expected<RunResult> run(llvm::ArrayRef<HostTensor> inputs) = 0;
};

/// The device called `name`, or an error saying why it is not available.
llvm::Expected<std::unique_ptr<Device>>
createDevice(llvm::StringRef name, const DeviceOptions &options);

//===----------------------------------------------------------------------===//
// Shared by the device implementations.
//===----------------------------------------------------------------------===//

std::unique_ptr<Device> createCpuDevice(const DeviceOptions &options);
llvm::Expected<std::unique_ptr<Device>>
createEmuDevice(const DeviceOptions &options);
llvm::Expected<std::unique_ptr<Device>>
createCudaDevice(const DeviceOptions &options);

/// Runs `buildPipeline` on `module`; on failure, an error naming `device`.
llvm::Error lowerModule(
    ModuleOp module, llvm::StringRef device,
    llvm::function_ref<llvm::LogicalResult(OpPassManager &pm)> buildPipeline,
    const DeviceOptions &options);

/// Adds `pipeline` (textual, e.g. "hm-linalg-to-gpu-pipeline{chip=sm_80}") to
/// `pm`; parse and option errors go to stderr.
llvm::LogicalResult addTextualPipeline(OpPassManager &pm,
                                       llvm::StringRef pipeline);

/// `runtimeLibraryDir/fileName`, or an error when it does not exist.
llvm::Expected<std::string> findRuntimeLibrary(const DeviceOptions &options,
                                               llvm::StringRef fileName,
                                               llvm::StringRef what);

/// An llvm::Error with `message`.
llvm::Error makeStringError(const llvm::Twine &message);

/// The run's result when the entry's results live in host memory (cpu, emu):
/// each result view copied into a dense tensor. Results are not freed: one
/// may alias an argument or a constant global.
llvm::Expected<RunResult>
collectHostResults(llvm::ArrayRef<MemRefDescriptor> descriptors,
                   const EntrySignature &signature, double callMilliseconds);

} // namespace mlir::hm::run

#endif // HEAVYMETAL_TOOLS_HMRUN_DEVICES_H
