//===- Pipelines.cpp - HeavyMetal named pipelines -------------------------===//

#include "HeavyMetal/Pipelines/Pipelines.h"

#include "HeavyMetal/Conversion/Passes.h"
#include "HeavyMetal/Transforms/Passes.h"
#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

namespace {
constexpr llvm::StringLiteral kNVPTXTriple = "nvptx64-nvidia-cuda";

/// The lowest PTX ISA version (x10) LLVM accepts for `chip`, for the chips
/// HeavyMetal targets; 0 when unknown (LLVM then decides).
unsigned getMinimumPTXVersion(StringRef chip) {
  return llvm::StringSwitch<unsigned>(chip)
      .Cases({"sm_70"}, 60)
      .Case("sm_72", 61)
      .Case("sm_75", 63)
      .Case("sm_80", 70)
      .Case("sm_86", 71)
      .Case("sm_87", 74)
      .Cases({"sm_89", "sm_90"}, 78)
      .Case("sm_90a", 80)
      .Cases({"sm_100", "sm_100a", "sm_101", "sm_101a"}, 86)
      .Cases({"sm_120", "sm_120a"}, 87)
      .Default(0);
}

/// Checks the options before any pass runs, so that a typo in a chip name or
/// a PTX version too old for the chip is an error instead of an LLVM crash or
/// silently generic code.
LogicalResult
validateOptions(const hm::GPUPipelineOptions &options,
                function_ref<LogicalResult(const Twine &)> errorHandler) {
  StringRef chip = options.chip;
  LLVMInitializeNVPTXTargetInfo();
  LLVMInitializeNVPTXTargetMC();
  std::string error;
  llvm::Triple triple(kNVPTXTriple);
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return errorHandler("the NVPTX target is not available in this LLVM: " +
                        error);
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!subtarget || !subtarget->isCPUStringValid(chip))
    return errorHandler("unknown chip '" + chip +
                        "'; expected an NVIDIA GPU as sm_XY, e.g. sm_80 or "
                        "sm_90");

  for (StringRef feature : llvm::split(StringRef(options.features), ',')) {
    feature = feature.trim();
    if (feature.empty())
      continue;
    unsigned version = 0;
    StringRef digits = feature;
    if (!digits.consume_front("+ptx") || digits.getAsInteger(10, version))
      return errorHandler("unsupported feature '" + feature +
                          "'; expected +ptxNN (e.g. +ptx80 for PTX ISA 8.0) "
                          "or nothing");
    unsigned minimum = getMinimumPTXVersion(chip);
    if (version < minimum)
      return errorHandler("PTX ISA " + Twine(version / 10) + "." +
                          Twine(version % 10) + " cannot target " + chip +
                          "; use +ptx" + Twine(minimum) +
                          " or later, or leave 'features' empty");
  }
  if (options.welderPolicy != "welder" && options.welderPolicy != "elementwise")
    return errorHandler("unknown 'welder-policy' '" + options.welderPolicy +
                        "'; expected 'welder' or 'elementwise'");
  if (options.optLevel < 0 || options.optLevel > 3)
    return errorHandler("'opt-level' must be 0, 1, 2 or 3, got " +
                        Twine(options.optLevel));
  int64_t blockSize = options.blockSize;
  if (blockSize <= 0 || blockSize > 1024 || blockSize % 32 != 0)
    return errorHandler("'block-size' must be a positive multiple of 32 and "
                        "at most 1024, got " +
                        Twine(blockSize));
  return success();
}

/// Like PassPipelineRegistration<GPUPipelineOptions>, with the options
/// validated before the pipeline is built.
void registerGPUPipeline(
    StringRef arg, StringRef description,
    void (*builder)(OpPassManager &, const hm::GPUPipelineOptions &)) {
  registerPassPipeline(
      arg, description,
      [builder, name = arg.str()](
          OpPassManager &pm, StringRef optionsStr,
          function_ref<LogicalResult(const Twine &)> errorHandler) {
        hm::GPUPipelineOptions options;
        auto namedError = [&](const Twine &message) {
          return errorHandler(name + ": " + message);
        };
        if (failed(options.parseFromString(optionsStr)) ||
            failed(validateOptions(options, namedError)))
          return failure();
        builder(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(hm::GPUPipelineOptions());
      });
}
} // namespace

static StringRef getFormatName(hm::BinaryFormat format) {
  switch (format) {
  case hm::BinaryFormat::Isa:
    return "isa";
  case hm::BinaryFormat::Bin:
    return "bin";
  case hm::BinaryFormat::Fatbin:
    return "fatbin";
  }
  llvm_unreachable("unknown binary format");
}

/// Tensors to buffers, the same way for the GPU pipelines and the CPU
/// reference: function boundaries bufferized with identity layouts, and
/// loops over tensors allowed to yield fresh buffers.
static void addBufferization(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
}

StringRef hm::getRollerArchForChip(StringRef chip) {
  unsigned version = 0;
  StringRef digits = chip;
  // sm_90a and the like: the letter does not change the arch description.
  if (digits.consume_front("sm_"))
    digits = digits.take_while(llvm::isDigit);
  if (digits.getAsInteger(10, version) || version >= 90)
    return "sm_90";
  if (version >= 80)
    return "sm_80";
  return "sm_70";
}

void hm::buildLinalgToGPUPipeline(OpPassManager &pm,
                                  const GPUPipelineOptions &options) {
  if (options.roller) {
    // On tensors, before bufferization: Roller reads the operations'
    // value semantics, and bufferization keeps the rtile.config attributes.
    pm.addPass(createCanonicalizerPass());
    RollerOptions roller;
    roller.arch = getRollerArchForChip(options.chip).str();
    pm.addPass(createRoller(roller));
  }
  if (options.welder) {
    // Fusion groups on tensors (after Roller, whose configurations are the
    // separate baseline), inlined with tags that survive bufferization.
    WelderOptions welder;
    welder.arch = getRollerArchForChip(options.chip).str();
    welder.policy = options.welderPolicy;
    pm.addPass(createWelder(welder));
    pm.addNestedPass<func::FuncOp>(createInlineTileGraphKernels());
  }
  addBufferization(pm);
  pm.addPass(createCSEPass());
  if (options.welder) {
    ConvertTileGraphToGPUOptions fused;
    fused.arch = getRollerArchForChip(options.chip).str();
    fused.blockSize = options.blockSize;
    pm.addNestedPass<func::FuncOp>(createConvertTileGraphToGPU(fused));
  }
  if (options.roller)
    pm.addNestedPass<func::FuncOp>(createConvertRTileToGPU());

  ConvertLinalgToGPUOptions mapping;
  mapping.blockSize = options.blockSize;
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToGPU(mapping));
  pm.addNestedPass<func::FuncOp>(createConvertHostBuffersToGPU());
  // Constants and index arithmetic go into the kernels instead of becoming
  // kernel arguments.
  pm.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  // Without it ptxas spills Roller's register tiles to fit more blocks per SM
  // than the configuration was chosen for.
  pm.addPass(createSetKernelOccupancy());
  // gpu-to-llvm only lowers asynchronous allocations and copies: thread the
  // host's GPU operations on one stream.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void hm::buildLowerToNVVMPipeline(OpPassManager &pm,
                                  const GPUPipelineOptions &options) {
  buildLinalgToGPUPipeline(pm, options);
  // The rest is upstream's GPU-to-NVVM pipeline with defaults that work with
  // CUDA 12/13 (upstream's sm_50/+ptx60 do not).
  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  nvvm.cubinFeatures = options.features;
  nvvm.cubinFormat = getFormatName(options.format).str();
  nvvm.optLevel = options.optLevel;
  nvvm.cmdOptions = options.ptxasOptions;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
}

void hm::buildHostToLLVMPipeline(OpPassManager &pm) {
  // Subviews become reinterpret_casts with affine.apply offsets, which
  // lower-affine then turns into arith with the rest of the affine ops.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // LLVM intrinsics where they exist (the JIT resolves them to libm), libm
  // calls for the rest (erf, tan, ...).
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  // Vector loads and stores of the tiled kernels, run on the host by the
  // emulator.
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void hm::buildReferenceCPUPipeline(OpPassManager &pm) {
  addBufferization(pm);
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  buildHostToLLVMPipeline(pm);
}

void hm::registerHeavyMetalPipelines() {
  registerGPUPipeline(
      "hm-linalg-to-gpu-pipeline",
      "Bufferize linalg on tensors, map each operation to one GPU kernel and "
      "outline the kernels (gpu.module/gpu.func, the emulator's input)",
      buildLinalgToGPUPipeline);
  registerGPUPipeline(
      "hm-lower-to-nvvm-pipeline",
      "hm-linalg-to-gpu-pipeline, then NVVM, gpu.binary (PTX, cubin or "
      "fatbin) and host code in the LLVM dialect with GPU runtime calls",
      buildLowerToNVVMPipeline);
  PassPipelineRegistration<>(
      "hm-host-to-llvm-pipeline",
      "Lower host code on memrefs (scf, arith, math, memref, func) to the "
      "LLVM dialect for the CPU JIT; what hm-run applies after the cpu and "
      "emu lowerings",
      buildHostToLLVMPipeline);
  PassPipelineRegistration<>(
      "hm-reference-cpu-pipeline",
      "The cpu reference of hm-run: linalg on tensors bufferized and lowered "
      "to loops and the LLVM dialect with upstream passes only",
      buildReferenceCPUPipeline);
}
