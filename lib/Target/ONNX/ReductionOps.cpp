//===- ReductionOps.cpp - The Reduce* family, ArgMax and ArgMin -----------===//
//
// Reductions become one linalg.reduce (whose body also applies |x|, x^2 or
// exp(x) for ReduceL1/L2/SumSquare/LogSumExp), then an element-wise
// epilogue (the mean's division, sqrt, log) and the keepdims reshape.
// ArgMax/ArgMin are a linalg.generic with a value and an index output.
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

/// The reduced dimensions of a Reduce* node (attribute or input `axes`);
/// nullopt means "leave the input as it is" (noop_with_empty_axes).
FailureOr<std::optional<SmallVector<int64_t>>> reducedDims(NodeImporter &n,
                                                           int64_t rank) {
  SmallVector<int64_t> axes;
  if (n.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> v = n.constantInts(1, "axes");
    if (failed(v))
      return failure();
    axes = *v;
  } else if (std::optional<SmallVector<int64_t>> attr = n.getInts("axes")) {
    axes = *attr;
  }
  if (axes.empty()) {
    if (n.getInt("noop_with_empty_axes", 0) != 0)
      return std::optional<SmallVector<int64_t>>();
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  SmallVector<int64_t> dims;
  for (int64_t a : axes) {
    FailureOr<int64_t> axis = n.normalizeAxis(a, rank, "axis");
    if (failed(axis))
      return failure();
    if (!llvm::is_contained(dims, *axis))
      dims.push_back(*axis);
  }
  llvm::sort(dims);
  return std::optional<SmallVector<int64_t>>(dims);
}

LogicalResult convertReduce(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  auto dims = reducedDims(n, shape.size());
  if (failed(dims))
    return failure();
  if (!*dims)
    return n.setOutput(0, *x);
  llvm::StringRef op = n.opType();
  Type elementType = type->getElementType();
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(0));
  int64_t count = 1;
  for (int64_t d : **dims)
    count *= shape[d];

  Value init;
  if (op == "ReduceMax")
    init = lowestValue(n.b, n.loc, elementType, isUnsigned);
  else if (op == "ReduceMin")
    init = highestValue(n.b, n.loc, elementType, isUnsigned);
  else
    init = scalarConstant(n.b, n.loc, elementType, op == "ReduceProd" ? 1 : 0);
  Value reduced = buildReduction(
      n.b, n.loc, *x, **dims, init,
      [&](OpBuilder &b, Location loc, Value v, Value acc) -> Value {
        ScalarMath m(b, loc, elementType, isUnsigned);
        if (op == "ReduceMax")
          return m.max(v, acc);
        if (op == "ReduceMin")
          return m.min(v, acc);
        if (op == "ReduceProd")
          return m.mul(v, acc);
        if (op == "ReduceL1")
          return m.add(m.abs(v), acc);
        if (op == "ReduceL2" || op == "ReduceSumSquare")
          return m.add(m.mul(v, v), acc);
        if (op == "ReduceLogSumExp")
          return m.add(m.exp(v), acc);
        return m.add(v, acc);
      });
  Value result = reshapeTo(n.b, n.loc, reduced, type->getShape());
  if (op == "ReduceMean" || op == "ReduceL2" || op == "ReduceLogSum" ||
      op == "ReduceLogSumExp") {
    if (!isa<FloatType>(elementType) && op != "ReduceMean")
      return n.unsupported("data type " + dataTypeName(n.inputDataType(0)));
    result = buildElementwise(
        n.b, n.loc, {result}, *type,
        [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
          ScalarMath m(b, loc, elementType, isUnsigned);
          if (op == "ReduceMean")
            return m.div(a[0], m.constant(count));
          if (op == "ReduceL2")
            return m.sqrt(a[0]);
          return m.log(a[0]);
        });
  }
  return n.setOutput(0, result);
}

LogicalResult convertArgMaxMin(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  int64_t rank = shape.size();
  FailureOr<int64_t> axis = n.normalizeAxis(n.getInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  bool isMax = n.opType() == "ArgMax";
  bool last = n.getInt("select_last_index", 0) != 0;
  Type elementType = elementTypeOf(*x);
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(0));
  OpBuilder &b = n.b;
  Location loc = n.loc;

  MLIRContext *context = n.getContext();
  SmallVector<int64_t> reducedShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    iterators.push_back(d == *axis ? utils::IteratorType::reduction
                                   : utils::IteratorType::parallel);
    if (d != *axis) {
      reducedShape.push_back(shape[d]);
      outExprs.push_back(getAffineDimExpr(d, context));
    }
  }
  Value bestInit =
      filledTensor(b, loc, reducedShape,
                   isMax ? lowestValue(b, loc, elementType, isUnsigned)
                         : highestValue(b, loc, elementType, isUnsigned));
  Value indexInit = filledTensor(b, loc, reducedShape,
                                 scalarConstant(b, loc, b.getI64Type(), 0));
  AffineMap outMap = AffineMap::get(rank, 0, outExprs, context);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{bestInit.getType(), indexInit.getType()},
      ValueRange{*x}, ValueRange{bestInit, indexInit},
      SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(rank, context),
                             outMap, outMap},
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        ScalarMath m(nb, nl, elementType, isUnsigned);
        Value v = args[0], best = args[1], bestIndex = args[2];
        Value better = isMax ? (last ? m.ge(v, best) : m.gt(v, best))
                             : (last ? m.le(v, best) : m.lt(v, best));
        if (m.isFloat) {
          // NaN wins (numpy), the first one unless select_last_index.
          Value vNaN =
              arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::UNO, v, v);
          Value bestNaN = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::UNO, best, best);
          Value takeNaN =
              last ? vNaN
                   : arith::AndIOp::create(
                         nb, nl, vNaN,
                         arith::XOrIOp::create(
                             nb, nl, bestNaN,
                             scalarConstant(nb, nl, nb.getI1Type(), 1)));
          Value notAfterNaN = arith::XOrIOp::create(
              nb, nl, bestNaN, scalarConstant(nb, nl, nb.getI1Type(), 1));
          better = arith::OrIOp::create(
              nb, nl, takeNaN,
              arith::AndIOp::create(nb, nl, better, notAfterNaN));
        }
        Value index = arith::IndexCastOp::create(
            nb, nl, nb.getI64Type(), linalg::IndexOp::create(nb, nl, *axis));
        linalg::YieldOp::create(nb, nl,
                                ValueRange{m.select(better, v, best),
                                           m.select(better, index, bestIndex)});
      });
  return n.setOutput(0,
                     reshapeTo(b, loc, generic.getResult(1), type->getShape()));
}

} // namespace

void mlir::hm::onnx_import::populateReductionConverters(
    ConverterMap &converters) {
  for (const char *op : {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin",
                         "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum",
                         "ReduceLogSumExp", "ReduceSumSquare"})
    converters[op] = convertReduce;
  converters["ArgMax"] = convertArgMaxMin;
  converters["ArgMin"] = convertArgMaxMin;
}
