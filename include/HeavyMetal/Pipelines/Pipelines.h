//===- Pipelines.h - HeavyMetal named pipelines -----------------*- C++ -*-===//
//
// hm-linalg-to-gpu-pipeline: linalg on tensors -> outlined gpu.func kernels
//   (the IR the emulator runs).
// hm-lower-to-nvvm-pipeline: the above, then NVVM, gpu.binary (PTX or cubin)
//   and host code in the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_PIPELINES_PIPELINES_H
#define HEAVYMETAL_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::hm {

/// What gpu-module-to-binary produces.
enum class BinaryFormat { Isa, Bin, Fatbin };

/// Options shared by the HeavyMetal GPU pipelines.
struct GPUPipelineOptions : public PassPipelineOptions<GPUPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("NVIDIA GPU to compile for, as sm_XY (sm_70, sm_80, "
                     "sm_90, ...)"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX target features such as +ptx80; empty picks the "
                     "minimum PTX ISA version the chip needs"),
      llvm::cl::init("")};
  PassOptions::Option<BinaryFormat> format{
      *this, "format", llvm::cl::desc("What gpu.binary holds"),
      llvm::cl::init(BinaryFormat::Isa),
      llvm::cl::values(
          clEnumValN(BinaryFormat::Isa, "isa", "PTX text (no CUDA toolkit "
                                               "needed)"),
          clEnumValN(BinaryFormat::Bin, "bin",
                     "cubin (runs ptxas from CUDA_HOME or PATH)"),
          clEnumValN(BinaryFormat::Fatbin, "fatbin",
                     "fatbinary with PTX and cubin (runs ptxas and "
                     "fatbinary)"))};
  PassOptions::Option<int> optLevel{
      *this, "opt-level",
      llvm::cl::desc("LLVM optimisation level for the kernels (0-3)"),
      llvm::cl::init(3)};
  PassOptions::Option<std::string> ptxasOptions{
      *this, "ptxas-options",
      llvm::cl::desc("Extra command-line options for ptxas"),
      llvm::cl::init("")};
  PassOptions::Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads per block of the baseline one-kernel-per-op "
                     "mapping"),
      llvm::cl::init(256)};
  PassOptions::Option<bool> roller{
      *this, "roller",
      llvm::cl::desc("Configure every linalg operation with --hm-roller (arch "
                     "from 'chip') and lower the configured ones to tiled "
                     "kernels with --convert-rtile-to-gpu; false gives the "
                     "naive baseline, one kernel per operation and one point "
                     "per thread"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> welder{
      *this, "welder",
      llvm::cl::desc("Fuse operations with --hm-welder (arch from 'chip') on "
                     "tensors and lower each fused group to one kernel with "
                     "--convert-tilegraph-to-gpu after bufferization"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> welderPolicy{
      *this, "welder-policy",
      llvm::cl::desc("--hm-welder's policy: 'welder' (cost-driven) or "
                     "'elementwise' (element-wise operators only)"),
      llvm::cl::init("welder")};
};

/// The builtin `#rtile.arch` Roller configures for `chip` (sm_XY): sm_70 for
/// chips before sm_80, sm_80 for sm_80 to sm_89, sm_90 from sm_90 on.
llvm::StringRef getRollerArchForChip(llvm::StringRef chip);

/// Bufferizes a module of linalg on tensors, maps each operation to GPU
/// kernels and outlines the kernels into gpu.module / gpu.func. With
/// `roller`, --hm-roller configures the operations on tensors and
/// --convert-rtile-to-gpu lowers the configured ones to tiled kernels; the
/// rest (and everything without `roller`) get one kernel per operation from
/// convert-linalg-to-gpu.
void buildLinalgToGPUPipeline(OpPassManager &pm,
                              const GPUPipelineOptions &options);

/// buildLinalgToGPUPipeline, then the kernels to NVVM and gpu.binary, and the
/// host code to the LLVM dialect with GPU runtime calls.
void buildLowerToNVVMPipeline(OpPassManager &pm,
                              const GPUPipelineOptions &options);

/// Lowers host code on memrefs (func, memref, arith, math, scf, cf, affine,
/// llvm) to the LLVM dialect with upstream passes only. Functions marked
/// `llvm.emit_c_interface` get a `_mlir_ciface_` wrapper. Used by hm-run for
/// the CPU reference and for the emulator's host code.
void buildHostToLLVMPipeline(OpPassManager &pm);

/// The CPU reference lowering of hm-run: linalg on tensors bufferized like
/// buildLinalgToGPUPipeline (function boundaries, identity layouts), linalg
/// to sequential loops, then buildHostToLLVMPipeline. Upstream passes only,
/// so that it can serve as the oracle for HeavyMetal's own passes. Buffers
/// are not freed.
void buildReferenceCPUPipeline(OpPassManager &pm);

/// Registers hm-linalg-to-gpu-pipeline and hm-lower-to-nvvm-pipeline.
void registerHeavyMetalPipelines();

} // namespace mlir::hm

#endif // HEAVYMETAL_PIPELINES_PIPELINES_H
