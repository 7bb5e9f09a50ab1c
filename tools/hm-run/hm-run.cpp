//===- hm-run.cpp - Run a module of linalg on tensors on cpu, emu or cuda -===//
//
//   hm-run FILE.mlir --entry=NAME (--input=A.npy ... | --random-inputs=SEED)
//          [--device=cpu|emu|cuda] [--compare=cpu] [--output-dir=DIR]
//
// Parses FILE, checks the inputs against @NAME's signature, lowers the module
// for the device, JIT-compiles and runs it, prints one line per output and
// writes the outputs as .npy files. docs/Running.md is the manual.
//
//===----------------------------------------------------------------------===//

#include "Compare.h"
#include "Devices.h"
#include "Npy.h"

#include "HeavyMetal/InitAll.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::hm::run;
namespace cl = llvm::cl;

namespace {
/// hm-run's command line; the options live in this file only.
struct Options {
  cl::OptionCategory category{"hm-run options"};
  cl::opt<std::string> inputFile{cl::Positional, cl::Required,
                                 cl::desc("<module.mlir>"), cl::cat(category)};
  cl::opt<std::string> entry{
      "entry",
      cl::desc("Function to run (default: the module's only function)"),
      cl::value_desc("name"), cl::cat(category)};
  cl::list<std::string> inputs{
      "input",
      cl::desc("A .npy file per argument of the entry, in argument order"),
      cl::value_desc("file.npy"), cl::cat(category)};
  cl::opt<uint64_t> randomSeed{
      "random-inputs",
      cl::desc("Generate every input from this seed instead (floats uniform "
               "in [-1, 1), integers in [-8, 8), i1 Bernoulli(0.5))"),
      cl::value_desc("seed"), cl::cat(category)};
  cl::opt<std::string> device{
      "device",
      cl::desc("Where to run: cpu (reference), emu (GPU emulator), "
               "cuda (GPU)"),
      cl::init("cpu"), cl::value_desc("cpu|emu|cuda"), cl::cat(category)};
  cl::opt<std::string> compare{
      "compare",
      cl::desc("Also run on this device (cpu) and compare the outputs"),
      cl::value_desc("cpu"), cl::cat(category)};
  cl::list<std::string> expectedFiles{
      "expected",
      cl::desc("A .npy file per output to compare it with, in result order"),
      cl::value_desc("file.npy"), cl::cat(category)};
  cl::opt<double> atol{
      "atol",
      cl::desc("Absolute tolerance of --compare and --expected (default "
               "per element type)"),
      cl::cat(category)};
  cl::opt<double> rtol{
      "rtol",
      cl::desc("Relative tolerance of --compare and --expected (default "
               "per element type)"),
      cl::cat(category)};
  cl::opt<std::string> outputDir{
      "output-dir",
      cl::desc("Write the outputs there as out0.npy, out1.npy, ..."),
      cl::value_desc("dir"), cl::cat(category)};
  cl::opt<bool> writeInputs{
      "write-inputs",
      cl::desc(
          "Also write the inputs to --output-dir as in0.npy, in1.npy, ..."),
      cl::cat(category)};
  cl::opt<unsigned> repeat{"repeat",
                           cl::desc("Timed runs; prints mean/min/median"),
                           cl::init(1), cl::cat(category)};
  cl::opt<unsigned> warmup{"warmup",
                           cl::desc("Untimed runs before the timed ones"),
                           cl::init(0), cl::cat(category)};
  cl::opt<std::string> gpuPipelineOptions{
      "gpu-pipeline-options",
      cl::desc("Options of the HeavyMetal GPU pipeline for emu and cuda, "
               "e.g. \"chip=sm_80 block-size=128\" (cuda defaults chip to "
               "the GPU's)"),
      cl::init(""), cl::cat(category)};
  cl::opt<unsigned> jitOptLevel{
      "jit-opt-level",
      cl::desc("LLVM optimisation level of the JIT-compiled host code"),
      cl::init(3), cl::cat(category)};
  cl::opt<unsigned> emulatorWorkers{
      "emu-workers",
      cl::desc("Threads the emulator runs blocks on (default: one per "
               "hardware thread, at most 16)"),
      cl::init(0), cl::cat(category)};
  cl::opt<bool> printLowered{
      "print-lowered",
      cl::desc("Print the module after lowering, before JIT compilation"),
      cl::cat(category)};
};

/// Reports `message` as "hm-run: error: message" and returns exit code 1.
int fail(const llvm::Twine &message) {
  // What was printed so far comes first, also when both streams go to one
  // file.
  llvm::outs().flush();
  llvm::WithColor::error(llvm::errs(), "hm-run") << message << "\n";
  return 1;
}

/// Reports `error` like fail(message).
int fail(llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  return fail(message);
}

/// The only function of `module` with a body, if there is exactly one.
std::optional<std::string> getOnlyFunction(ModuleOp module) {
  std::optional<std::string> name;
  for (auto function : module.getOps<func::FuncOp>()) {
    if (function.isDeclaration())
      continue;
    if (name)
      return std::nullopt;
    name = function.getSymName().str();
  }
  return name;
}

/// The inputs of `signature` from .npy files or the random distribution.
llvm::Expected<llvm::SmallVector<HostTensor>>
getInputs(const Options &options, const EntrySignature &signature) {
  llvm::SmallVector<HostTensor> tensors;
  size_t expected = signature.inputs.size();
  std::string takes = "@" + signature.name + " takes " +
                      std::to_string(expected) + " input" +
                      (expected == 1 ? "" : "s");
  if (options.randomSeed.getNumOccurrences()) {
    if (!options.inputs.empty())
      return makeStringError("give either --input or --random-inputs, not "
                             "both");
    for (auto [index, spec] : llvm::enumerate(signature.inputs)) {
      tensors.emplace_back(spec);
      fillRandom(tensors.back(), options.randomSeed, index);
    }
    return std::move(tensors);
  }
  if (options.inputs.empty() && expected != 0)
    return makeStringError(takes + "; give --input=FILE.npy for each, in "
                                   "argument order, or --random-inputs=SEED");
  if (options.inputs.size() != expected)
    return makeStringError(
        takes + ", but " + llvm::Twine(options.inputs.size()) +
        " --input file" + (options.inputs.size() == 1 ? " was" : "s were") +
        " given");
  for (auto [index, path] : llvm::enumerate(options.inputs)) {
    llvm::Expected<NpyArray> array = readNpy(path);
    if (!array)
      return array.takeError();
    llvm::Expected<HostTensor> tensor = convertToTensor(
        *array, signature.inputs[index],
        "argument #" + llvm::Twine(index) + " of @" + signature.name);
    if (!tensor)
      return tensor.takeError();
    tensors.push_back(std::move(*tensor));
  }
  return std::move(tensors);
}

/// Prints mean/min/median of `times`.
void printTiming(llvm::StringRef label, llvm::StringRef clock,
                 llvm::SmallVector<double> times, unsigned warmup) {
  llvm::sort(times);
  double sum = 0.0;
  for (double time : times)
    sum += time;
  size_t n = times.size();
  double median =
      n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
  llvm::outs() << label << " (" << clock << "): " << n << " run"
               << (n == 1 ? "" : "s") << " after " << warmup
               << " warm-up: mean " << formatDouble(sum / n) << " ms, min "
               << formatDouble(times.front()) << " ms, median "
               << formatDouble(median) << " ms\n";
}

/// How often to run, and whether to print the times.
struct RunCount {
  unsigned warmup = 0;
  unsigned repeat = 1;
  bool reportTiming = false;
};

/// Runs `device` warmup + repeat times; returns the last run's outputs.
llvm::Expected<llvm::SmallVector<HostTensor>>
runOnDevice(Device &device, llvm::ArrayRef<HostTensor> inputs, RunCount count) {
  llvm::SmallVector<double> callTimes, kernelTimes;
  llvm::SmallVector<HostTensor> outputs;
  for (unsigned i = 0; i < count.warmup + count.repeat; ++i) {
    llvm::Expected<RunResult> result = device.run(inputs);
    if (!result)
      return result.takeError();
    if (i >= count.warmup) {
      callTimes.push_back(result->callMilliseconds);
      if (result->kernelMilliseconds)
        kernelTimes.push_back(*result->kernelMilliseconds);
    }
    outputs = std::move(result->outputs);
  }
  if (count.reportTiming) {
    printTiming("time " + device.getName().str(), device.getClockName(),
                callTimes, count.warmup);
    if (!kernelTimes.empty())
      printTiming("kernels " + device.getName().str(), device.getClockName(),
                  kernelTimes, count.warmup);
  }
  return std::move(outputs);
}

/// Lowers a copy of `module` for `device` and runs it.
llvm::Expected<llvm::SmallVector<HostTensor>>
compileAndRun(Device &device, ModuleOp module, const EntrySignature &signature,
              llvm::ArrayRef<HostTensor> inputs, RunCount count) {
  OwningOpRef<ModuleOp> copy = module.clone();
  if (llvm::Error error = device.compile(*copy, signature))
    return std::move(error);
  return runOnDevice(device, inputs, count);
}

/// Writes tensors as DIR/<prefix><i>.npy.
llvm::Error writeTensors(llvm::StringRef directory, llvm::StringRef prefix,
                         llvm::ArrayRef<HostTensor> tensors) {
  for (auto [index, tensor] : llvm::enumerate(tensors)) {
    llvm::SmallString<256> path(directory);
    llvm::sys::path::append(path, prefix + llvm::Twine(index) + ".npy");
    if (llvm::Error error = writeNpy(path, tensor))
      return error;
  }
  return llvm::Error::success();
}

/// Compares every output with its reference; prints one line per output.
/// Returns how many outputs are outside the tolerance.
unsigned compareOutputs(llvm::ArrayRef<HostTensor> actual,
                        llvm::ArrayRef<HostTensor> expected,
                        const Options &options, llvm::StringRef deviceName,
                        llvm::ArrayRef<std::string> referenceNames) {
  unsigned failures = 0;
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip_equal(actual, expected))) {
    const auto &[got, want] = pair;
    llvm::outs() << "compare out" << index << " (" << deviceName << " vs "
                 << referenceNames[index] << "): ";
    if (!(got.getSpec() == want.getSpec())) {
      llvm::outs() << "FAIL: shape/type " << got.getSpec().str() << " vs "
                   << want.getSpec().str() << "\n";
      ++failures;
      continue;
    }
    Tolerance tolerance = getDefaultTolerance(want.getElementType());
    if (options.atol.getNumOccurrences())
      tolerance.atol = options.atol;
    if (options.rtol.getNumOccurrences())
      tolerance.rtol = options.rtol;
    ComparisonResult result = compareTensors(got, want, tolerance);
    llvm::outs() << "max_abs_err=" << formatDouble(result.maxAbsError)
                 << " max_rel_err=" << formatDouble(result.maxRelError)
                 << " atol=" << formatDouble(tolerance.atol)
                 << " rtol=" << formatDouble(tolerance.rtol);
    if (result.mismatches == 0) {
      llvm::outs() << " OK\n";
      continue;
    }
    ++failures;
    llvm::outs() << " FAIL: " << result.mismatches << " of "
                 << want.getNumElements()
                 << " elements outside the tolerance; first at flat index "
                 << result.firstMismatch << ": got "
                 << formatDouble(got.getAsDouble(result.firstMismatch))
                 << ", expected "
                 << formatDouble(want.getAsDouble(result.firstMismatch))
                 << "\n";
  }
  return failures;
}
/// The --expected files, as tensors of the outputs' types and shapes.
llvm::Expected<llvm::SmallVector<HostTensor>>
readExpectedOutputs(const Options &options, const EntrySignature &signature,
                    llvm::ArrayRef<HostTensor> outputs) {
  if (options.expectedFiles.size() != outputs.size())
    return makeStringError(
        "@" + signature.name + " has " + llvm::Twine(outputs.size()) +
        " result" + (outputs.size() == 1 ? "" : "s") + ", but " +
        llvm::Twine(options.expectedFiles.size()) + " --expected file" +
        (options.expectedFiles.size() == 1 ? " was" : "s were") + " given");
  llvm::SmallVector<HostTensor> tensors;
  for (auto [index, path] : llvm::enumerate(options.expectedFiles)) {
    llvm::Expected<NpyArray> array = readNpy(path);
    if (!array)
      return array.takeError();
    llvm::Expected<HostTensor> tensor = convertToTensor(
        *array, outputs[index].getSpec(),
        "result #" + llvm::Twine(index) + " of @" + signature.name);
    if (!tensor)
      return tensor.takeError();
    tensors.push_back(std::move(*tensor));
  }
  return std::move(tensors);
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  Options options;
  cl::HideUnrelatedOptions(options.category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "hm-run: run a module of linalg on tensors on the CPU reference, the "
      "GPU emulator or a CUDA GPU\n");

  if (options.device != "cpu" && options.device != "emu" &&
      options.device != "cuda")
    return fail("unknown device '" + options.device +
                "'; expected cpu, emu or cuda");
  if (options.compare.getNumOccurrences() && options.compare != "cpu")
    return fail("--compare supports only 'cpu' (the reference), got '" +
                options.compare + "'");
  if (options.writeInputs && options.outputDir.empty())
    return fail("--write-inputs needs --output-dir");
  if ((options.atol.getNumOccurrences() && !(options.atol >= 0.0)) ||
      (options.rtol.getNumOccurrences() && !(options.rtol >= 0.0)))
    return fail("--atol and --rtol must be non-negative numbers");
  if (options.jitOptLevel > 3)
    return fail("--jit-opt-level must be 0, 1, 2 or 3");
  if (options.repeat == 0)
    return fail("--repeat must be at least 1");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  hm::registerAllDialects(registry);
  hm::registerAllPipelines();
  MLIRContext context(registry);

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(options.inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return fail("cannot parse " + options.inputFile);

  std::string entry = options.entry;
  if (entry.empty()) {
    std::optional<std::string> only = getOnlyFunction(*module);
    if (!only)
      return fail(options.inputFile +
                  " does not have exactly one function; name the one to run "
                  "with --entry=NAME");
    entry = *only;
  }
  llvm::Expected<EntrySignature> signature =
      getEntrySignature(*module, entry, options.inputFile);
  if (!signature)
    return fail(signature.takeError());
  llvm::Expected<llvm::SmallVector<HostTensor>> inputs =
      getInputs(options, *signature);
  if (!inputs)
    return fail(inputs.takeError());

  if (!options.outputDir.empty()) {
    if (std::error_code error =
            llvm::sys::fs::create_directories(options.outputDir))
      return fail("cannot create --output-dir " + options.outputDir + ": " +
                  error.message());
    if (options.writeInputs)
      if (llvm::Error error = writeTensors(options.outputDir, "in", *inputs))
        return fail(std::move(error));
  }

  DeviceOptions deviceOptions;
  deviceOptions.gpuPipelineOptions = options.gpuPipelineOptions;
  deviceOptions.jitOptLevel = options.jitOptLevel;
  deviceOptions.printLoweredModule = options.printLowered;
  deviceOptions.emulatorWorkers = options.emulatorWorkers;
  std::string executable = llvm::sys::fs::getMainExecutable(
      argv[0], reinterpret_cast<void *>(&getOnlyFunction));
  llvm::SmallString<256> libraryDir(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(executable)));
  llvm::sys::path::append(libraryDir, "lib");
  deviceOptions.runtimeLibraryDir = std::string(libraryDir);

  llvm::Expected<std::unique_ptr<Device>> device =
      createDevice(options.device, deviceOptions);
  if (!device)
    return fail(device.takeError());
  RunCount count;
  count.warmup = options.warmup;
  count.repeat = options.repeat;
  count.reportTiming =
      options.repeat.getNumOccurrences() || options.warmup.getNumOccurrences();
  llvm::Expected<llvm::SmallVector<HostTensor>> outputs =
      compileAndRun(**device, *module, *signature, *inputs, count);
  if (!outputs)
    return fail(outputs.takeError());

  for (auto [index, output] : llvm::enumerate(*outputs))
    llvm::outs() << "out" << index << ": " << summarize(output) << "\n";
  if (!options.outputDir.empty())
    if (llvm::Error error = writeTensors(options.outputDir, "out", *outputs))
      return fail(std::move(error));

  unsigned failures = 0;
  llvm::StringRef deviceName = (*device)->getName();
  if (!options.expectedFiles.empty()) {
    llvm::Expected<llvm::SmallVector<HostTensor>> expected =
        readExpectedOutputs(options, *signature, *outputs);
    if (!expected)
      return fail(expected.takeError());
    failures += compareOutputs(*outputs, *expected, options, deviceName,
                               options.expectedFiles);
  }
  if (!options.compare.empty()) {
    std::unique_ptr<Device> reference = createCpuDevice(deviceOptions);
    llvm::Expected<llvm::SmallVector<HostTensor>> expected =
        compileAndRun(*reference, *module, *signature, *inputs, RunCount());
    if (!expected)
      return fail("the reference run failed: " +
                  llvm::toString(expected.takeError()));
    llvm::SmallVector<std::string> names(outputs->size(), options.compare);
    failures += compareOutputs(*outputs, *expected, options, deviceName, names);
  }
  if (failures)
    return fail(llvm::Twine(failures) + " comparison" +
                (failures == 1 ? "" : "s") + " of " + deviceName +
                "'s outputs failed beyond the tolerance");
  return 0;
}
