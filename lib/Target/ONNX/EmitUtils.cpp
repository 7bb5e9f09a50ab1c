//===- EmitUtils.cpp - Building blocks of the ONNX converters -------------===//

#include "EmitUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

#include <limits>

using namespace mlir;
using namespace mlir::hm::onnx_import;

ArrayRef<int64_t> mlir::hm::onnx_import::shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

Type mlir::hm::onnx_import::elementTypeOf(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

Value mlir::hm::onnx_import::scalarConstant(OpBuilder &b, Location loc,
                                            Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  if (type.isIndex())
    return arith::ConstantIndexOp::create(b, loc, static_cast<int64_t>(value));
  auto intType = cast<IntegerType>(type);
  APInt bits(intType.getWidth(),
             static_cast<uint64_t>(static_cast<int64_t>(value)),
             /*isSigned=*/true, /*implicitTrunc=*/true);
  if (intType.getWidth() == 1)
    bits = APInt(1, value != 0);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(intType, bits));
}

Value mlir::hm::onnx_import::lowestValue(OpBuilder &b, Location loc, Type type,
                                         bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                  /*Negative=*/true)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt bits = isUnsigned || width == 1 ? APInt::getMinValue(width)
                                        : APInt::getSignedMinValue(width);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, bits));
}

Value mlir::hm::onnx_import::highestValue(OpBuilder &b, Location loc, Type type,
                                          bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType,
                       APFloat::getInf(floatType.getFloatSemantics())));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt bits = isUnsigned || width == 1 ? APInt::getMaxValue(width)
                                        : APInt::getSignedMaxValue(width);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, bits));
}

Value mlir::hm::onnx_import::emptyTensor(OpBuilder &b, Location loc,
                                         ArrayRef<int64_t> shape,
                                         Type elementType) {
  return tensor::EmptyOp::create(b, loc, shape, elementType);
}

Value mlir::hm::onnx_import::filledTensor(OpBuilder &b, Location loc,
                                          ArrayRef<int64_t> shape,
                                          Value scalar) {
  Value empty = emptyTensor(b, loc, shape, scalar.getType());
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

std::optional<SmallVector<int64_t>>
mlir::hm::onnx_import::broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  size_t rank = 0;
  for (ArrayRef<int64_t> s : shapes)
    rank = std::max(rank, s.size());
  SmallVector<int64_t> result(rank, 1);
  for (ArrayRef<int64_t> s : shapes) {
    size_t offset = rank - s.size();
    for (auto [i, d] : llvm::enumerate(s)) {
      int64_t &r = result[offset + i];
      if (r == 1)
        r = d;
      else if (d != 1 && d != r)
        return std::nullopt;
    }
  }
  return result;
}

AffineMap
mlir::hm::onnx_import::broadcastIndexingMap(MLIRContext *context,
                                            ArrayRef<int64_t> shape,
                                            ArrayRef<int64_t> resultShape) {
  size_t offset = resultShape.size() - shape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (d == 1 && resultShape[offset + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(offset + i, context));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, context);
}

Value mlir::hm::onnx_import::buildElementwise(OpBuilder &b, Location loc,
                                              ValueRange operands,
                                              RankedTensorType resultType,
                                              ScalarFn fn) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> resultShape = resultType.getShape();
  SmallVector<AffineMap> maps;
  for (Value operand : operands)
    maps.push_back(
        broadcastIndexingMap(context, shapeOf(operand), resultShape));
  maps.push_back(
      AffineMap::getMultiDimIdentityMap(resultShape.size(), context));
  SmallVector<utils::IteratorType> iterators(resultShape.size(),
                                             utils::IteratorType::parallel);
  Value init = emptyTensor(b, loc, resultShape, resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, operands, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = fn(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value mlir::hm::onnx_import::buildIndexedElementwise(
    OpBuilder &b, Location loc, ValueRange operands,
    RankedTensorType resultType,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange, ValueRange)>
        fn) {
  int64_t rank = resultType.getRank();
  return buildElementwise(
      b, loc, operands, resultType,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d)
          indices.push_back(linalg::IndexOp::create(nested, nestedLoc, d));
        return fn(nested, nestedLoc, args, indices);
      });
}

Value mlir::hm::onnx_import::broadcastTo(OpBuilder &b, Location loc,
                                         Value value, ArrayRef<int64_t> shape) {
  ArrayRef<int64_t> inShape = shapeOf(value);
  if (inShape == shape)
    return value;
  size_t offset = shape.size() - inShape.size();
  // Input dimensions kept as they are, and the unit ones being broadcast.
  SmallVector<bool> keep;
  SmallVector<int64_t> keptResultDims;
  for (auto [i, d] : llvm::enumerate(inShape)) {
    bool kept = d == shape[offset + i];
    keep.push_back(kept);
    if (kept)
      keptResultDims.push_back(offset + i);
  }
  Value source = value;
  if (keptResultDims.size() != inShape.size()) {
    SmallVector<ReassociationIndices> groups;
    ReassociationIndices pending;
    for (auto [i, kept] : llvm::enumerate(keep)) {
      pending.push_back(i);
      if (kept) {
        groups.push_back(pending);
        pending.clear();
      }
    }
    if (!pending.empty() && !groups.empty())
      groups.back().append(pending.begin(), pending.end());
    source = tensor::CollapseShapeOp::create(b, loc, value, groups);
  }
  SmallVector<int64_t> added;
  for (int64_t d = 0, e = shape.size(); d < e; ++d)
    if (!llvm::is_contained(keptResultDims, d))
      added.push_back(d);
  Value init = emptyTensor(b, loc, shape, elementTypeOf(value));
  return linalg::BroadcastOp::create(b, loc, source, init, added)
      .getResult()[0];
}

Value mlir::hm::onnx_import::reshapeTo(OpBuilder &b, Location loc, Value value,
                                       ArrayRef<int64_t> shape) {
  ArrayRef<int64_t> inShape = shapeOf(value);
  if (inShape == shape)
    return value;
  Type elementType = elementTypeOf(value);
  auto resultType = RankedTensorType::get(shape, elementType);
  if (inShape.size() > shape.size())
    if (auto groups = getReassociationIndicesForCollapse(inShape, shape))
      return tensor::CollapseShapeOp::create(b, loc, resultType, value,
                                             *groups);
  if (inShape.size() < shape.size())
    if (auto groups = getReassociationIndicesForCollapse(shape, inShape))
      return tensor::ExpandShapeOp::create(b, loc, resultType, value, *groups);
  // Otherwise through the flat vector of elements.
  int64_t count = 1;
  for (int64_t d : inShape)
    count *= d;
  Value flat = value;
  if (inShape.size() != 1) {
    ReassociationIndices all;
    for (int64_t i = 0, e = inShape.size(); i < e; ++i)
      all.push_back(i);
    auto flatType = RankedTensorType::get({count}, elementType);
    if (inShape.empty())
      flat = tensor::ExpandShapeOp::create(b, loc, flatType, value,
                                           ArrayRef<ReassociationIndices>{});
    else
      flat = tensor::CollapseShapeOp::create(
          b, loc, flatType, value, ArrayRef<ReassociationIndices>{all});
  }
  if (shape.size() == 1)
    return flat;
  if (shape.empty())
    return tensor::CollapseShapeOp::create(b, loc, resultType, flat,
                                           ArrayRef<ReassociationIndices>{});
  ReassociationIndices all;
  for (int64_t i = 0, e = shape.size(); i < e; ++i)
    all.push_back(i);
  return tensor::ExpandShapeOp::create(b, loc, resultType, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

Value mlir::hm::onnx_import::transposeTensor(OpBuilder &b, Location loc,
                                             Value value,
                                             ArrayRef<int64_t> perm) {
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return value;
  ArrayRef<int64_t> inShape = shapeOf(value);
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inShape[p]);
  Value init = emptyTensor(b, loc, shape, elementTypeOf(value));
  return linalg::TransposeOp::create(b, loc, value, init, perm).getResult()[0];
}

Value mlir::hm::onnx_import::buildReduction(
    OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> dims, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  ArrayRef<int64_t> inShape = shapeOf(value);
  SmallVector<int64_t> sortedDims(dims.begin(), dims.end());
  llvm::sort(sortedDims);
  SmallVector<int64_t> shape;
  for (int64_t d = 0, e = inShape.size(); d < e; ++d)
    if (!llvm::is_contained(sortedDims, d))
      shape.push_back(inShape[d]);
  Value acc = filledTensor(b, loc, shape, init);
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{value}, ValueRange{acc}, sortedDims,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value r = combine(nested, nestedLoc, args[0], args[1]);
        linalg::YieldOp::create(nested, nestedLoc, r);
      });
  return reduce.getResult(0);
}

Value mlir::hm::onnx_import::buildReductionWithOperands(
    OpBuilder &b, Location loc, Value value, ValueRange extras,
    ArrayRef<int64_t> dims, Value init,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange, Value)>
        combine) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> inShape = shapeOf(value);
  int64_t rank = inShape.size();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> outExprs, extraExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(dims, d);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    extraExprs.push_back(reduced ? getAffineConstantExpr(0, context)
                                 : getAffineDimExpr(d, context));
    if (!reduced) {
      shape.push_back(inShape[d]);
      outExprs.push_back(getAffineDimExpr(d, context));
    }
  }
  SmallVector<AffineMap> maps = {
      AffineMap::getMultiDimIdentityMap(rank, context)};
  for (size_t i = 0; i < extras.size(); ++i)
    maps.push_back(AffineMap::get(rank, 0, extraExprs, context));
  maps.push_back(AffineMap::get(rank, 0, outExprs, context));
  SmallVector<Value> inputs = {value};
  inputs.append(extras.begin(), extras.end());
  Value acc = filledTensor(b, loc, shape, init);
  return linalg::GenericOp::create(
             b, loc, TypeRange{acc.getType()}, inputs, ValueRange{acc}, maps,
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nl, combine(nb, nl, args.drop_back(), args.back()));
             })
      .getResult(0);
}

SmallVector<int64_t>
mlir::hm::onnx_import::keepDimsShape(ArrayRef<int64_t> shape,
                                     ArrayRef<int64_t> dims) {
  SmallVector<int64_t> result(shape.begin(), shape.end());
  for (int64_t d : dims)
    result[d] = 1;
  return result;
}

Value mlir::hm::onnx_import::convertScalar(OpBuilder &b, Location loc,
                                           Value value, Type type,
                                           bool sourceUnsigned,
                                           bool targetUnsigned) {
  Type from = value.getType();
  if (from == type)
    return value;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(type);
  if (type.isInteger(1)) {
    // To bool: nonzero is true.
    Value zero = scalarConstant(b, loc, from, 0);
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value, zero);
  }
  if (from.isInteger(1))
    sourceUnsigned = true;
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, type, value);
    if (fromFloat.getWidth() > toFloat.getWidth())
      return arith::TruncFOp::create(b, loc, type, value);
    // f16 <-> bf16: through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
    return arith::TruncFOp::create(b, loc, type, wide);
  }
  if (fromFloat)
    return targetUnsigned
               ? arith::FPToUIOp::create(b, loc, type, value).getResult()
               : arith::FPToSIOp::create(b, loc, type, value).getResult();
  if (toFloat)
    return sourceUnsigned
               ? arith::UIToFPOp::create(b, loc, type, value).getResult()
               : arith::SIToFPOp::create(b, loc, type, value).getResult();
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = type.getIntOrFloatBitWidth();
  if (fromWidth < toWidth)
    return sourceUnsigned
               ? arith::ExtUIOp::create(b, loc, type, value).getResult()
               : arith::ExtSIOp::create(b, loc, type, value).getResult();
  if (fromWidth > toWidth)
    return arith::TruncIOp::create(b, loc, type, value);
  return value;
}

Value mlir::hm::onnx_import::extractScalar(OpBuilder &b, Location loc,
                                           Value tensor) {
  int64_t rank = shapeOf(tensor).size();
  SmallVector<Value> indices(rank, arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, indices);
}

Value mlir::hm::onnx_import::padTensor(OpBuilder &b, Location loc, Value value,
                                       ArrayRef<int64_t> low,
                                       ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return value;
  ArrayRef<int64_t> inShape = shapeOf(value);
  SmallVector<int64_t> shape;
  for (auto [d, l, h] : llvm::zip_equal(inShape, low, high))
    shape.push_back(d + l + h);
  auto type = RankedTensorType::get(shape, elementTypeOf(value));
  SmallVector<OpFoldResult> lowOfr, highOfr;
  for (auto [l, h] : llvm::zip_equal(low, high)) {
    lowOfr.push_back(b.getIndexAttr(l));
    highOfr.push_back(b.getIndexAttr(h));
  }
  return tensor::PadOp::create(b, loc, type, value, lowOfr, highOfr, padValue);
}

//===----------------------------------------------------------------------===//
// ScalarMath
//===----------------------------------------------------------------------===//

Value ScalarMath::constant(double value) const {
  return scalarConstant(b, loc, type, value);
}

Value ScalarMath::add(Value x, Value y) const {
  if (isFloat)
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value ScalarMath::sub(Value x, Value y) const {
  if (isFloat)
    return arith::SubFOp::create(b, loc, x, y);
  return arith::SubIOp::create(b, loc, x, y);
}

Value ScalarMath::mul(Value x, Value y) const {
  if (isFloat)
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

Value ScalarMath::div(Value x, Value y) const {
  if (isFloat)
    return arith::DivFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::DivUIOp::create(b, loc, x, y);
  return arith::DivSIOp::create(b, loc, x, y);
}

Value ScalarMath::max(Value x, Value y) const {
  if (isFloat)
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsigned || type.isInteger(1))
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value ScalarMath::min(Value x, Value y) const {
  if (isFloat)
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isUnsigned || type.isInteger(1))
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value ScalarMath::neg(Value x) const {
  if (isFloat)
    return arith::NegFOp::create(b, loc, x);
  return arith::SubIOp::create(b, loc, constant(0), x);
}

Value ScalarMath::abs(Value x) const {
  if (isFloat)
    return math::AbsFOp::create(b, loc, x);
  if (isUnsigned)
    return x;
  return math::AbsIOp::create(b, loc, x);
}

/// A comparison with the float, signed or unsigned predicate.
static Value compare(const ScalarMath &m, arith::CmpFPredicate fp,
                     arith::CmpIPredicate sp, arith::CmpIPredicate up, Value x,
                     Value y) {
  if (m.isFloat)
    return arith::CmpFOp::create(m.b, m.loc, fp, x, y);
  return arith::CmpIOp::create(
      m.b, m.loc, m.isUnsigned || m.type.isInteger(1) ? up : sp, x, y);
}

Value ScalarMath::lt(Value x, Value y) const {
  return compare(*this, arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
                 arith::CmpIPredicate::ult, x, y);
}
Value ScalarMath::le(Value x, Value y) const {
  return compare(*this, arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle,
                 arith::CmpIPredicate::ule, x, y);
}
Value ScalarMath::gt(Value x, Value y) const {
  return compare(*this, arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
                 arith::CmpIPredicate::ugt, x, y);
}
Value ScalarMath::ge(Value x, Value y) const {
  return compare(*this, arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge,
                 arith::CmpIPredicate::uge, x, y);
}
Value ScalarMath::eq(Value x, Value y) const {
  return compare(*this, arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq,
                 arith::CmpIPredicate::eq, x, y);
}

Value ScalarMath::select(Value cond, Value x, Value y) const {
  return arith::SelectOp::create(b, loc, cond, x, y);
}

Value ScalarMath::exp(Value x) const { return math::ExpOp::create(b, loc, x); }
Value ScalarMath::log(Value x) const { return math::LogOp::create(b, loc, x); }
Value ScalarMath::sqrt(Value x) const {
  return math::SqrtOp::create(b, loc, x);
}
Value ScalarMath::tanh(Value x) const {
  return math::TanhOp::create(b, loc, x);
}

Value ScalarMath::sigmoid(Value x) const {
  // 1 / (1 + exp(-x))
  Value one = constant(1);
  return div(one, add(one, exp(neg(x))));
}
