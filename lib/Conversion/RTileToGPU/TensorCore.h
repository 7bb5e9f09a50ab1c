//===- TensorCore.h - Tensor-core kernels for configured ops ----*- C++ -*-===//
//
// The tensor-core half of --convert-rtile-to-gpu: a configured f16/bf16
// matmul-like operation whose configuration the cost model runs on tensor
// cores (CostModel::usesTensorCores) becomes a gpu.launch over
// gpu.subgroup_mma_* operations (f16) or nvvm.mma.sync (bf16).
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TENSORCORE_H
#define HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TENSORCORE_H

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/OpFootprint.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "TiledKernel.h"

// Dialects the kernels use beyond the pass's inputs: the WMMA accumulator
// loops are cf branches (see TensorCore.cpp); the bf16 kernels call
// nvvm.mma.sync, whose result is an LLVM struct.
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::hm {

/// Replaces `op` (on buffers) by a tensor-core kernel following `config` on
/// `arch` and returns success; returns failure, changing nothing, when the
/// operation or configuration does not run on tensor cores, so that the
/// caller emits the CUDA-core kernel instead. With `hooks` (Welder's fused
/// groups, as for buildTiledKernel), the kernel is built before `op`, which
/// is left in place for the caller to erase.
LogicalResult lowerToTensorCores(RewriterBase &rewriter, linalg::LinalgOp op,
                                 const OpFootprint &footprint,
                                 const TileConfig &config,
                                 rtile::ArchAttr arch,
                                 const TiledKernelHooks *hooks = nullptr);

} // namespace mlir::hm

#endif // HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TENSORCORE_H
