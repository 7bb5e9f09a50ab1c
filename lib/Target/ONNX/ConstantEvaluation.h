//===- ConstantEvaluation.h - Evaluating ONNX nodes on constants -*- C++
//-*-===//
//
// The interpreter behind import-time folding: ONNX operators evaluated on
// small constant tensors, exactly as ONNX defines them, or not at all.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TARGET_ONNX_CONSTANTEVALUATION_H
#define HEAVYMETAL_LIB_TARGET_ONNX_CONSTANTEVALUATION_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include "onnx/onnx_pb.h"

#include <optional>

namespace mlir::hm::onnx_import {

/// The largest constant the folder creates or reads, in elements.
constexpr int64_t kMaxFoldElements = 1024;

/// A constant tensor: every element as a double (floats) or int64 (the rest).
struct ConstTensor {
  int32_t dataType = onnx::TensorProto::UNDEFINED;
  SmallVector<int64_t> shape;
  SmallVector<double> values;

  int64_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  bool isFloat() const;
};

/// `tensor` as a ConstTensor, when it is small and numeric.
std::optional<ConstTensor> constantFromTensor(const onnx::TensorProto &tensor);

/// The elements of `c` as integers.
SmallVector<int64_t> constantToInts(const ConstTensor &c);

/// Integer attribute `name` of `node`, or `defaultValue`.
int64_t nodeIntAttr(const onnx::NodeProto &node, llvm::StringRef name,
                    int64_t defaultValue);

/// Evaluates `node` (default domain, one output) given its inputs (null
/// for absent ones); nullopt when it cannot or should not be folded.
std::optional<ConstTensor> evaluateNode(const onnx::NodeProto &node,
                                        int64_t opset,
                                        ArrayRef<const ConstTensor *> inputs);

} // namespace mlir::hm::onnx_import

#endif // HEAVYMETAL_LIB_TARGET_ONNX_CONSTANTEVALUATION_H
