//===- ConstantFolding.h - Import-time folding of ONNX shape arithmetic ---===//
//
// PyTorch exports compute shapes at run time: Shape -> Gather -> Unsqueeze ->
// Concat -> Reshape. With static shapes all of it is known when importing;
// this folds such nodes into Constant nodes, on the ONNX graph, before the
// graph is converted to MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TARGET_ONNX_CONSTANTFOLDING_H
#define HEAVYMETAL_LIB_TARGET_ONNX_CONSTANTFOLDING_H

#include "onnx/onnx_pb.h"

#include <cstdint>

namespace mlir::hm::onnx_import {

/// Replaces by Constant nodes the nodes of `graph` (and of its subgraphs)
/// whose outputs are known at import time: Shape and Size of statically
/// shaped tensors, and small (at most 1024 elements) integer, bool and float
/// arithmetic and data movement on constants. Also rewrites Constant nodes'
/// value_int(s)/value_float(s) into `value`. Uses the types in the graph's
/// value_info (run shape inference first). Returns whether anything changed.
bool foldConstants(onnx::GraphProto &graph, int64_t opset, int64_t irVersion);

} // namespace mlir::hm::onnx_import

#endif // HEAVYMETAL_LIB_TARGET_ONNX_CONSTANTFOLDING_H
