//===- Elementwise.h - Shared helpers of the element-wise converters -*- C++
//-*-===//

#ifndef HEAVYMETAL_LIB_TARGET_ONNX_ELEMENTWISE_H
#define HEAVYMETAL_LIB_TARGET_ONNX_ELEMENTWISE_H

#include "EmitUtils.h"
#include "Importer.h"

namespace mlir::hm::onnx_import {

/// Computes an output element from the elements of the present inputs.
using ElementFn = llvm::function_ref<Value(ScalarMath &, ValueRange)>;

/// Emits output 0 as `fn` of the node's present inputs, element-wise with
/// numpy broadcasting (and the legacy broadcast of opsets before 7), the
/// arithmetic typed like input `typeInput`.
LogicalResult convertElementwise(NodeImporter &n, ElementFn fn,
                                 unsigned typeInput = 0);

/// Fails unless input 0 is floating-point.
LogicalResult requireFloat(NodeImporter &n);

} // namespace mlir::hm::onnx_import

#endif // HEAVYMETAL_LIB_TARGET_ONNX_ELEMENTWISE_H
