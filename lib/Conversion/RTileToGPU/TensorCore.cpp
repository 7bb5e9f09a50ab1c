//===- TensorCore.cpp - Tensor-core kernels for configured ops ------------===//

#include "TensorCore.h"

using namespace mlir;
using namespace mlir::hm;

LogicalResult mlir::hm::lowerToTensorCores(RewriterBase &rewriter,
                                           linalg::LinalgOp op,
                                           const OpFootprint &footprint,
                                           const TileConfig &config,
                                           rtile::ArchAttr arch) {
  // Not built yet: every configuration takes the CUDA-core path.
  return failure();
}
