//===- Pipelines.cpp - HeavyMetal named pipelines -------------------------===//

#include "HeavyMetal/Pipelines/Pipelines.h"

#include "HeavyMetal/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

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

void hm::buildLinalgToGPUPipeline(OpPassManager &pm,
                                  const GPUPipelineOptions &options) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  ConvertLinalgToGPUOptions mapping;
  mapping.blockSize = options.blockSize;
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToGPU(mapping));
  pm.addNestedPass<func::FuncOp>(createConvertHostBuffersToGPU());
  pm.addPass(createGpuKernelOutliningPass());
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

void hm::registerHeavyMetalPipelines() {
  PassPipelineRegistration<GPUPipelineOptions>(
      "hm-linalg-to-gpu-pipeline",
      "Bufferize linalg on tensors, map each operation to one GPU kernel and "
      "outline the kernels (gpu.module/gpu.func, the emulator's input)",
      buildLinalgToGPUPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "hm-lower-to-nvvm-pipeline",
      "hm-linalg-to-gpu-pipeline, then NVVM, gpu.binary (PTX, cubin or "
      "fatbin) and host code in the LLVM dialect with GPU runtime calls",
      buildLowerToNVVMPipeline);
}
