//===- RTileToGPU.cpp - Tiled GPU kernels from Roller's configurations ----===//
//
// --convert-rtile-to-gpu: a linalg operation on buffers with an rtile.config
// becomes one gpu.launch following the configuration: tensor-core kernels
// (TensorCore.cpp) where the configuration runs on tensor cores, else the
// CUDA-core kernel of TiledKernel.cpp. Run by the named GPU pipelines.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Transforms/Passes.h"

#include "../../Transforms/RollerReport.h"
#include "TensorCore.h"
#include "TiledKernel.h"

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/OpFootprint.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::hm {
#define GEN_PASS_DEF_CONVERTRTILETOGPU
#include "HeavyMetal/Transforms/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm;

#define DEBUG_TYPE "convert-rtile-to-gpu"

namespace {

/// Why `op` cannot be lowered here, or an empty string.
std::string getUnsupportedReason(const OpFootprint &footprint) {
  for (const OperandAccess &access : footprint.operands) {
    if (!access.isOutput)
      continue;
    // Each thread point owns one element of every output.
    if (!access.indexingMap.isProjectedPermutation() ||
        access.indexingMap.getNumResults() != footprint.parallelLoops.size())
      return "an output does not use every parallel loop exactly once";
  }
  return "";
}

struct ConvertRTileToGPU final
    : hm::impl::ConvertRTileToGPUBase<ConvertRTileToGPU> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(rtile::RTileDialect::kConfigAttrName) &&
          !op->getParentOfType<gpu::LaunchOp>())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    bool anyFailed = false;
    for (linalg::LinalgOp op : ops) {
      auto config = op->getAttrOfType<rtile::ConfigAttr>(
          rtile::RTileDialect::kConfigAttrName);
      std::string whyNot;
      if (!op.hasPureBufferSemantics())
        whyNot = "it still operates on tensors; bufferize first";
      FailureOr<OpFootprint> footprint = failure();
      if (whyNot.empty())
        footprint = OpFootprint::fromLinalgOp(op, whyNot);
      if (succeeded(footprint))
        whyNot = getUnsupportedReason(*footprint);
      if (!whyNot.empty()) {
        if (remarks)
          op->emitRemark() << "convert-rtile-to-gpu: left alone: " << whyNot;
        continue;
      }
      TileConfig tileConfig = TileConfig::fromAttr(config);
      rtile::ArchAttr arch = roller::getNearestArch(op);
      if (arch && succeeded(lowerToTensorCores(rewriter, op, *footprint,
                                               tileConfig, arch)))
        continue;
      // A configuration that does not fit the operation or the arch is the
      // user's error (Roller never attaches one).
      std::string invalid = verifyTiledKernelConfig(*footprint, tileConfig, arch);
      if (!invalid.empty()) {
        op->emitError() << "convert-rtile-to-gpu: cannot lower: " << invalid;
        anyFailed = true;
        continue;
      }
      buildTiledKernel(rewriter, op, *footprint, tileConfig);
    }
    if (anyFailed)
      signalPassFailure();
  }
};

} // namespace
