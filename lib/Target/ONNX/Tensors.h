//===- Tensors.h - Reading ONNX TensorProto data ----------------*- C++ -*-===//
//
// Element data of ONNX tensors (initializers, Constant values, test data) in
// any of the encodings ONNX allows: raw_data, the typed repeated fields, or
// external files.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TARGET_ONNX_TENSORS_H
#define HEAVYMETAL_LIB_TARGET_ONNX_TENSORS_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include "onnx/onnx_pb.h"

#include <optional>
#include <string>

namespace mlir::hm::onnx_import {

/// Bytes per element of `dataType` (bool: 1), or 0 when it has no fixed size.
int64_t dataTypeByteSize(int32_t dataType);

/// The number of elements of `tensor` (the product of its dims).
int64_t numElements(const onnx::TensorProto &tensor);

/// The data of `tensor` as little-endian bytes, elements one after another
/// (bool one byte each, f16/bf16 two). Points into `tensor`'s raw_data when
/// it has one, otherwise into `storage`. External data is read relative to
/// `directory`. On failure sets `error`.
std::optional<llvm::ArrayRef<char>>
getTensorBytes(const onnx::TensorProto &tensor, llvm::StringRef directory,
               std::string &storage, std::string &error);

/// The elements of an integer or bool tensor.
std::optional<SmallVector<int64_t>>
tensorToInts(const onnx::TensorProto &tensor, std::string &error);

/// The elements of a numeric tensor as doubles.
std::optional<SmallVector<double>>
tensorToDoubles(const onnx::TensorProto &tensor, std::string &error);

/// A tensor of `dataType` (any numeric or bool type) with `shape` holding
/// `values` (converted to the element type with C++ semantics).
onnx::TensorProto makeTensor(int32_t dataType, ArrayRef<int64_t> shape,
                             ArrayRef<double> values);
/// Same, from integers (exact for 64-bit types).
onnx::TensorProto makeIntTensor(int32_t dataType, ArrayRef<int64_t> shape,
                                ArrayRef<int64_t> values);

} // namespace mlir::hm::onnx_import

#endif // HEAVYMETAL_LIB_TARGET_ONNX_TENSORS_H
