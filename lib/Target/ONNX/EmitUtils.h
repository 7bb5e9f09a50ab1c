//===- EmitUtils.h - Building blocks of the ONNX converters -----*- C++ -*-===//
//
// The linalg/tensor/arith idioms every converter family uses: numpy
// broadcasting element-wise generics, broadcasts, reshapes, transposes,
// fills, reductions and scalar casts.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TARGET_ONNX_EMITUTILS_H
#define HEAVYMETAL_LIB_TARGET_ONNX_EMITUTILS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace mlir::hm::onnx_import {

/// Computes a scalar from the scalars of the operands (inside a generic).
using ScalarFn =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange operands)>;

/// An arith.constant scalar of `type` (float, integer or index).
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// The identity of max (the lowest value: -inf or the minimum integer).
Value lowestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned);
/// The identity of min (+inf or the maximum integer).
Value highestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned);

/// tensor.empty of `shape` x `elementType`.
Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type elementType);

/// A tensor of `shape` filled with `scalar` (linalg.fill).
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Value scalar);

/// The numpy broadcast of `shapes`; nullopt when they are incompatible.
std::optional<SmallVector<int64_t>>
broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes);

/// The indexing map reading an operand of `shape` inside a loop nest over
/// `resultShape` under numpy broadcasting (unit dimensions read index 0).
AffineMap broadcastIndexingMap(MLIRContext *context, ArrayRef<int64_t> shape,
                               ArrayRef<int64_t> resultShape);

/// A linalg.generic over `resultType` computing `fn` of the operands read
/// with numpy broadcasting.
Value buildElementwise(OpBuilder &b, Location loc, ValueRange operands,
                       RankedTensorType resultType, ScalarFn fn);

/// Like buildElementwise, with the loop indices (linalg.index, as index
/// values) passed to `fn` too, for element-wise ops that depend on position
/// (gathers, ranges, masks).
Value buildIndexedElementwise(
    OpBuilder &b, Location loc, ValueRange operands,
    RankedTensorType resultType,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange operands,
                             ValueRange indices)>
        fn);

/// Broadcasts `value` to `shape` (numpy rules): unit dimensions are
/// collapsed away and linalg.broadcast adds the broadcast dimensions.
Value broadcastTo(OpBuilder &b, Location loc, Value value,
                  ArrayRef<int64_t> shape);

/// Reshapes `value` (same number of elements) with tensor.collapse_shape
/// and/or tensor.expand_shape.
Value reshapeTo(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> shape);

/// linalg.transpose of `value`: result dim i is input dim perm[i].
Value transposeTensor(OpBuilder &b, Location loc, Value value,
                      ArrayRef<int64_t> perm);

/// A linalg.reduce of `value` over `dims` starting from `init` (a scalar)
/// combining with `combine(element, accumulator)`. The result drops `dims`.
Value buildReduction(
    OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> dims, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// A linalg.generic reducing `value` over `dims` (result: `value`'s shape
/// without them) from `init`, reading `extras` (each shaped like `value`
/// with `dims` of size 1) broadcast along `dims`. `combine` gets the
/// elements of `value` and of `extras`, then the accumulator.
Value buildReductionWithOperands(
    OpBuilder &b, Location loc, Value value, ValueRange extras,
    ArrayRef<int64_t> dims, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange, Value)>
        combine);

/// `shape` with `dims` set to 1 (the keepdims shape of a reduction).
SmallVector<int64_t> keepDimsShape(ArrayRef<int64_t> shape,
                                   ArrayRef<int64_t> dims);

/// Converts scalar `value` to `type` with C semantics: integer <-> float,
/// widening and narrowing; to i1 as `value != 0`; from i1 as 0/1.
Value convertScalar(OpBuilder &b, Location loc, Value value, Type type,
                    bool sourceUnsigned, bool targetUnsigned);

/// The shape of a ranked tensor value.
ArrayRef<int64_t> shapeOf(Value value);
/// The element type of a tensor value.
Type elementTypeOf(Value value);

/// Extracts the scalar of a 1-element tensor (any rank) with tensor.extract.
Value extractScalar(OpBuilder &b, Location loc, Value tensor);

/// Pads `value` with `padValue` (a scalar): `low`/`high` per dimension.
Value padTensor(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value padValue);

/// Scalar arithmetic in one element type, choosing the float, signed or
/// unsigned arith operation; for the bodies of linalg ops.
class ScalarMath {
public:
  ScalarMath(OpBuilder &b, Location loc, Type type, bool isUnsigned = false)
      : b(b), loc(loc), type(type), isFloat(isa<FloatType>(type)),
        isUnsigned(isUnsigned) {}

  Value constant(double value) const;
  Value add(Value x, Value y) const;
  Value sub(Value x, Value y) const;
  Value mul(Value x, Value y) const;
  /// Float division, or integer division truncating toward zero.
  Value div(Value x, Value y) const;
  /// NaN-propagating max/min for floats.
  Value max(Value x, Value y) const;
  Value min(Value x, Value y) const;
  Value neg(Value x) const;
  Value abs(Value x) const;
  Value lt(Value x, Value y) const;
  Value le(Value x, Value y) const;
  Value gt(Value x, Value y) const;
  Value ge(Value x, Value y) const;
  Value eq(Value x, Value y) const;
  Value select(Value cond, Value x, Value y) const;
  // Float only.
  Value exp(Value x) const;
  Value log(Value x) const;
  Value sqrt(Value x) const;
  Value tanh(Value x) const;
  Value sigmoid(Value x) const;

  OpBuilder &b;
  Location loc;
  Type type;
  bool isFloat;
  bool isUnsigned;
};

} // namespace mlir::hm::onnx_import

#endif // HEAVYMETAL_LIB_TARGET_ONNX_EMITUTILS_H
