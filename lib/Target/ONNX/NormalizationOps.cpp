//===- NormalizationOps.cpp - Softmax and the normalizations --------------===//
//
// Softmax, LogSoftmax and Hardmax (max / sum reductions and element-wise
// epilogues), BatchNormalization (inference), LayerNormalization,
// InstanceNormalization and LRN.
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

/// The dimensions Softmax-like operators normalize over: `axis` alone since
/// opset 13, everything from `axis` on before (the 2-D coercion).
FailureOr<SmallVector<int64_t>> softmaxDims(NodeImporter &n, int64_t rank) {
  int64_t defaultAxis = n.sinceVersion >= 13 ? -1 : 1;
  FailureOr<int64_t> axis =
      n.normalizeAxis(n.getInt("axis", defaultAxis), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> dims = {*axis};
  if (n.sinceVersion < 13)
    for (int64_t d = *axis + 1; d < rank; ++d)
      dims.push_back(d);
  return dims;
}

LogicalResult convertSoftmax(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  OpBuilder &b = n.b;
  Location loc = n.loc;
  ArrayRef<int64_t> shape = type->getShape();
  FailureOr<SmallVector<int64_t>> dims = softmaxDims(n, shape.size());
  if (failed(dims))
    return failure();
  Type elementType = type->getElementType();
  SmallVector<int64_t> kept = keepDimsShape(shape, *dims);
  bool isLog = n.opType() == "LogSoftmax";

  Value max = reshapeTo(
      b, loc,
      buildReduction(b, loc, *x, *dims, lowestValue(b, loc, elementType, false),
                     [&](OpBuilder &nb, Location nl, Value v, Value acc) {
                       return ScalarMath(nb, nl, elementType).max(v, acc);
                     }),
      kept);
  // sum(exp(x - max)) in one reduction reading max broadcast.
  Value sum = reshapeTo(
      b, loc,
      buildReductionWithOperands(
          b, loc, *x, {max}, *dims, scalarConstant(b, loc, elementType, 0),
          [&](OpBuilder &nb, Location nl, ValueRange in, Value acc) {
            ScalarMath m(nb, nl, elementType);
            return m.add(acc, m.exp(m.sub(in[0], in[1])));
          }),
      kept);
  Value result =
      buildElementwise(b, loc, {*x, max, sum}, *type,
                       [&](OpBuilder &nb, Location nl, ValueRange a) {
                         ScalarMath m(nb, nl, elementType);
                         Value shifted = m.sub(a[0], a[1]);
                         if (isLog)
                           return m.sub(shifted, m.log(a[2]));
                         return m.div(m.exp(shifted), a[2]);
                       });
  return n.setOutput(0, result);
}

LogicalResult convertHardmax(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  OpBuilder &b = n.b;
  Location loc = n.loc;
  ArrayRef<int64_t> shape = type->getShape();
  FailureOr<SmallVector<int64_t>> dims = softmaxDims(n, shape.size());
  if (failed(dims))
    return failure();
  // View as [outer, reduced, inner]; find the first maximum along the middle.
  int64_t outer = 1, reduced = 1, inner = 1;
  for (int64_t d = 0, e = shape.size(); d < e; ++d) {
    if (d < dims->front())
      outer *= shape[d];
    else if (llvm::is_contained(*dims, d))
      reduced *= shape[d];
    else
      inner *= shape[d];
  }
  Type elementType = type->getElementType();
  Value x3 = reshapeTo(b, loc, *x, {outer, reduced, inner});
  Value max = reshapeTo(
      b, loc,
      buildReduction(b, loc, x3, {1}, lowestValue(b, loc, elementType, false),
                     [&](OpBuilder &nb, Location nl, Value v, Value acc) {
                       return ScalarMath(nb, nl, elementType).max(v, acc);
                     }),
      {outer, 1, inner});
  // The first index holding the maximum: min over j of (x == max ? j : n).
  Type i64 = b.getI64Type();
  Value first = reshapeTo(
      b, loc,
      buildReductionWithOperands(
          b, loc, x3, {max}, {1}, scalarConstant(b, loc, i64, reduced),
          [&](OpBuilder &nb, Location nl, ValueRange in, Value acc) {
            ScalarMath m(nb, nl, elementType);
            Value j = arith::IndexCastOp::create(
                nb, nl, i64, linalg::IndexOp::create(nb, nl, 1));
            Value candidate = m.select(m.eq(in[0], in[1]), j,
                                       scalarConstant(nb, nl, i64, reduced));
            return arith::MinSIOp::create(nb, nl, candidate, acc).getResult();
          }),
      {outer, 1, inner});
  auto type3 = RankedTensorType::get({outer, reduced, inner}, elementType);
  Value onehot = buildIndexedElementwise(
      b, loc, {first}, type3,
      [&](OpBuilder &nb, Location nl, ValueRange a, ValueRange indices) {
        ScalarMath m(nb, nl, elementType);
        Value j = arith::IndexCastOp::create(nb, nl, i64, indices[1]);
        Value hit =
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, j, a[0]);
        return m.select(hit, m.constant(1), m.constant(0));
      });
  return n.setOutput(0, reshapeTo(b, loc, onehot, shape));
}

/// Reshapes a per-channel vector [C] to [C, 1, ..., 1] so that it
/// broadcasts against [N, C, spatial...].
Value perChannel(OpBuilder &b, Location loc, Value v, int64_t rank) {
  SmallVector<int64_t> shape = {shapeOf(v)[0]};
  shape.append(rank - 2, 1);
  return reshapeTo(b, loc, v, shape);
}

LogicalResult batchNormTraining(NodeImporter &n);

LogicalResult convertBatchNormalization(NodeImporter &n) {
  if (n.getInt("training_mode", 0) != 0)
    return batchNormTraining(n);
  if (n.sinceVersion < 9 && n.getInt("spatial", 1) == 0)
    return n.unsupported("spatial = 0");
  if (n.sinceVersion < 7 && n.getInt("is_test", 0) == 0)
    return n.unsupported("is_test = 0 (only inference is supported)");
  for (unsigned i = 1; i < n.numOutputs(); ++i)
    if (n.hasOutput(i))
      return n.unsupported("training outputs (running mean and variance)");
  FailureOr<RankedTensorType> type = n.outputType(0);
  SmallVector<Value> operands;
  for (unsigned i = 0; i < 5; ++i) {
    FailureOr<Value> v = n.input(i);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  if (rank < 2)
    return n.emitError() << "expected input [N, C, ...]";
  for (unsigned i = 1; i < 5; ++i) {
    if (shapeOf(operands[i]).size() != 1)
      return n.emitError() << "expected per-channel parameters [C]";
    operands[i] = perChannel(n.b, n.loc, operands[i], rank);
  }
  double epsilon = n.getFloat("epsilon", 1e-5f);
  Type elementType = type->getElementType();
  // y = (x - mean) * scale / sqrt(var + epsilon) + bias
  Value result = buildElementwise(
      n.b, n.loc, operands, *type,
      [&](OpBuilder &b, Location loc, ValueRange a) {
        ScalarMath m(b, loc, elementType);
        Value norm =
            m.div(m.sub(a[0], a[3]), m.sqrt(m.add(a[4], m.constant(epsilon))));
        return m.add(m.mul(norm, a[1]), a[2]);
      });
  return n.setOutput(0, result);
}

/// mean and (population) variance of `x` over `dims`, keepdims-shaped.
std::pair<Value, Value> meanAndVariance(OpBuilder &b, Location loc, Value x,
                                        ArrayRef<int64_t> dims) {
  Type elementType = elementTypeOf(x);
  ArrayRef<int64_t> shape = shapeOf(x);
  SmallVector<int64_t> kept = keepDimsShape(shape, dims);
  int64_t count = 1;
  for (int64_t d : dims)
    count *= shape[d];
  auto keptType = RankedTensorType::get(kept, elementType);
  Value zero = scalarConstant(b, loc, elementType, 0);
  Value sum = reshapeTo(
      b, loc,
      buildReduction(b, loc, x, dims, zero,
                     [&](OpBuilder &nb, Location nl, Value v, Value acc) {
                       return ScalarMath(nb, nl, elementType).add(v, acc);
                     }),
      kept);
  Value mean = buildElementwise(b, loc, {sum}, keptType,
                                [&](OpBuilder &nb, Location nl, ValueRange a) {
                                  ScalarMath m(nb, nl, elementType);
                                  return m.div(a[0], m.constant(count));
                                });
  Value squares =
      reshapeTo(b, loc,
                buildReductionWithOperands(
                    b, loc, x, {mean}, dims, zero,
                    [&](OpBuilder &nb, Location nl, ValueRange in, Value acc) {
                      ScalarMath m(nb, nl, elementType);
                      Value c = m.sub(in[0], in[1]);
                      return m.add(acc, m.mul(c, c));
                    }),
                kept);
  Value variance =
      buildElementwise(b, loc, {squares}, keptType,
                       [&](OpBuilder &nb, Location nl, ValueRange a) {
                         ScalarMath m(nb, nl, elementType);
                         return m.div(a[0], m.constant(count));
                       });
  return {mean, variance};
}

/// mean and 1/sqrt(var + epsilon) of `x` over `dims`, both keepdims-shaped.
std::pair<Value, Value> meanAndInvStdDev(OpBuilder &b, Location loc, Value x,
                                         ArrayRef<int64_t> dims,
                                         double epsilon) {
  auto [mean, variance] = meanAndVariance(b, loc, x, dims);
  Type elementType = elementTypeOf(x);
  Value invStdDev = buildElementwise(
      b, loc, {variance}, cast<RankedTensorType>(variance.getType()),
      [&](OpBuilder &nb, Location nl, ValueRange a) {
        ScalarMath m(nb, nl, elementType);
        return m.div(m.constant(1), m.sqrt(m.add(a[0], m.constant(epsilon))));
      });
  return {mean, invStdDev};
}

/// BatchNormalization with training_mode = 1 (opset 14+): normalizes with
/// the batch statistics and updates the running ones with `momentum`.
LogicalResult batchNormTraining(NodeImporter &n) {
  FailureOr<RankedTensorType> type = n.outputType(0);
  SmallVector<Value> in;
  for (unsigned i = 0; i < 5; ++i) {
    FailureOr<Value> v = n.input(i);
    if (failed(v))
      return failure();
    in.push_back(*v);
  }
  if (failed(type))
    return failure();
  OpBuilder &b = n.b;
  Location loc = n.loc;
  int64_t rank = type->getRank();
  int64_t channels = type->getShape()[1];
  SmallVector<int64_t> dims = {0};
  for (int64_t d = 2; d < rank; ++d)
    dims.push_back(d);
  auto [mean, variance] = meanAndVariance(b, loc, in[0], dims);
  double epsilon = n.getFloat("epsilon", 1e-5f);
  double momentum = n.getFloat("momentum", 0.9f);
  Type elementType = type->getElementType();
  Value y = buildElementwise(
      b, loc,
      {in[0], mean, variance, perChannel(b, loc, in[1], rank),
       perChannel(b, loc, in[2], rank)},
      *type, [&](OpBuilder &nb, Location nl, ValueRange a) {
        ScalarMath m(nb, nl, elementType);
        Value norm =
            m.div(m.sub(a[0], a[1]), m.sqrt(m.add(a[2], m.constant(epsilon))));
        return m.add(m.mul(norm, a[3]), a[4]);
      });
  if (failed(n.setOutput(0, y)))
    return failure();
  // running = input * momentum + batch * (1 - momentum)
  auto channelType = RankedTensorType::get({channels}, elementType);
  for (auto [i, batch, input] : llvm::enumerate(
           ArrayRef<Value>{mean, variance}, ArrayRef<Value>{in[3], in[4]})) {
    if (!n.hasOutput(1 + i))
      continue;
    Value flat = reshapeTo(b, loc, batch, {channels});
    Value running =
        buildElementwise(b, loc, {input, flat}, channelType,
                         [&](OpBuilder &nb, Location nl, ValueRange a) {
                           ScalarMath m(nb, nl, elementType);
                           return m.add(m.mul(a[0], m.constant(momentum)),
                                        m.mul(a[1], m.constant(1 - momentum)));
                         });
    if (failed(n.setOutput(1 + i, running)))
      return failure();
  }
  return success();
}

LogicalResult convertLayerNormalization(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), scale = n.input(1);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(scale) || failed(type))
    return failure();
  OpBuilder &b = n.b;
  Location loc = n.loc;
  int64_t rank = type->getRank();
  FailureOr<int64_t> axis = n.normalizeAxis(n.getInt("axis", -1), rank);
  if (failed(axis))
    return failure();
  Type elementType = type->getElementType();
  int64_t stashType = n.getInt("stash_type", 1);
  if (stashType != 1 && stashType != n.inputDataType(0))
    return n.unsupported("stash_type " + dataTypeName(stashType));
  // Statistics in f32 (stash_type) when the input is narrower.
  Type computeType = stashType == 1 ? Type(b.getF32Type()) : Type(elementType);
  if (elementType.getIntOrFloatBitWidth() > 32)
    computeType = elementType;
  Value xc = *x;
  if (computeType != elementType)
    xc = buildElementwise(
        b, loc, {*x}, RankedTensorType::get(type->getShape(), computeType),
        [&](OpBuilder &nb, Location nl, ValueRange a) {
          return convertScalar(nb, nl, a[0], computeType, false, false);
        });
  SmallVector<int64_t> dims;
  for (int64_t d = *axis; d < rank; ++d)
    dims.push_back(d);
  auto [mean, invStdDev] =
      meanAndInvStdDev(b, loc, xc, dims, n.getFloat("epsilon", 1e-5f));
  SmallVector<Value> operands = {xc, mean, invStdDev, *scale};
  if (n.hasInput(2)) {
    FailureOr<Value> bias = n.input(2);
    if (failed(bias))
      return failure();
    operands.push_back(*bias);
  }
  Value result = buildElementwise(
      b, loc, operands, *type, [&](OpBuilder &nb, Location nl, ValueRange a) {
        ScalarMath m(nb, nl, computeType);
        Value norm = m.mul(m.sub(a[0], a[1]), a[2]);
        Value y = convertScalar(nb, nl, norm, elementType, false, false);
        ScalarMath out(nb, nl, elementType);
        y = out.mul(y, a[3]);
        if (a.size() > 4)
          y = out.add(y, a[4]);
        return y;
      });
  if (failed(n.setOutput(0, result)))
    return failure();
  if (n.hasOutput(1) && failed(n.setOutput(1, mean)))
    return failure();
  if (n.hasOutput(2) && failed(n.setOutput(2, invStdDev)))
    return failure();
  return success();
}

LogicalResult convertInstanceNormalization(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), scale = n.input(1), bias = n.input(2);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(scale) || failed(bias) || failed(type))
    return failure();
  int64_t rank = type->getRank();
  if (rank < 3)
    return n.emitError() << "expected input [N, C, spatial...]";
  SmallVector<int64_t> dims;
  for (int64_t d = 2; d < rank; ++d)
    dims.push_back(d);
  auto [mean, invStdDev] =
      meanAndInvStdDev(n.b, n.loc, *x, dims, n.getFloat("epsilon", 1e-5f));
  Type elementType = type->getElementType();
  Value result = buildElementwise(
      n.b, n.loc,
      {*x, mean, invStdDev, perChannel(n.b, n.loc, *scale, rank),
       perChannel(n.b, n.loc, *bias, rank)},
      *type, [&](OpBuilder &b, Location loc, ValueRange a) {
        ScalarMath m(b, loc, elementType);
        return m.add(m.mul(m.mul(m.sub(a[0], a[1]), a[2]), a[3]), a[4]);
      });
  return n.setOutput(0, result);
}

LogicalResult convertLRN(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  OpBuilder &b = n.b;
  Location loc = n.loc;
  int64_t size = n.getInt("size", 0);
  if (size <= 0)
    return n.emitError() << "attribute 'size' must be positive";
  double alpha = n.getFloat("alpha", 1e-4f), beta = n.getFloat("beta", 0.75f),
         bias = n.getFloat("bias", 1.0f);
  ArrayRef<int64_t> shape = type->getShape();
  int64_t rank = shape.size();
  Type elementType = type->getElementType();
  // Sum of squares over the channel window [c - (size-1)/2, c + size/2].
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  low[1] = (size - 1) / 2;
  high[1] = size / 2;
  Value zero = scalarConstant(b, loc, elementType, 0);
  Value padded = padTensor(b, loc, *x, low, high, zero);
  MLIRContext *context = n.getContext();
  SmallVector<AffineExpr> inExprs, outExprs;
  for (int64_t d = 0; d < rank; ++d) {
    AffineExpr e = getAffineDimExpr(d, context);
    inExprs.push_back(d == 1 ? e + getAffineDimExpr(rank, context) : e);
    outExprs.push_back(e);
  }
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value init = filledTensor(b, loc, shape, zero);
  Value squares =
      linalg::GenericOp::create(
          b, loc, TypeRange{init.getType()},
          ValueRange{padded, emptyTensor(b, loc, {size}, elementType)},
          ValueRange{init},
          SmallVector<AffineMap>{
              AffineMap::get(rank + 1, 0, inExprs, context),
              AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, context)),
              AffineMap::get(rank + 1, 0, outExprs, context)},
          iterators,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            ScalarMath m(nb, nl, elementType);
            linalg::YieldOp::create(nb, nl,
                                    m.add(args[2], m.mul(args[0], args[0])));
          })
          .getResult(0);
  Value result = buildElementwise(
      b, loc, {*x, squares}, *type,
      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        ScalarMath m(nb, nl, elementType);
        Value base =
            m.add(m.constant(bias), m.mul(m.constant(alpha / size), a[1]));
        return m.div(a[0],
                     math::PowFOp::create(nb, nl, base, m.constant(beta)));
      });
  return n.setOutput(0, result);
}

} // namespace

void mlir::hm::onnx_import::populateNormalizationConverters(
    ConverterMap &converters) {
  converters["Softmax"] = convertSoftmax;
  converters["LogSoftmax"] = convertSoftmax;
  converters["Hardmax"] = convertHardmax;
  converters["BatchNormalization"] = convertBatchNormalization;
  converters["LayerNormalization"] = convertLayerNormalization;
  converters["InstanceNormalization"] = convertInstanceNormalization;
  converters["LRN"] = convertLRN;
}
