//===- PoolingOps.cpp - MaxPool, AveragePool, global and Lp pooling -------===//
//
// Explicit padding (-inf for max, 0 for sums), then linalg.pooling_nchw_max
// / pooling_nchw_sum (pooling_ncw_* in 1-D, a linalg.generic otherwise).
// AveragePool divides by a per-position count computed at import, which is
// what count_include_pad and ceil_mode decide. Global pooling is a
// linalg.reduce over the spatial dimensions.
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Tensors.h"
#include "Windows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

enum class PoolKind { Max, Sum };

/// The indexing maps (input, window, output) and iterator types of a window
/// reduction over the loops n, c, out[rank], k[rank]; the window operand
/// (only its shape matters) bounds the window loops.
struct PoolingLoops {
  AffineMap input, window, output;
  SmallVector<utils::IteratorType> iterators;
};

PoolingLoops getPoolingLoops(MLIRContext *context, const WindowParams &p) {
  int64_t rank = p.kernel.size();
  int64_t numLoops = 2 + 2 * rank;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
  SmallVector<AffineExpr> xExprs = {d(0), d(1)}, outExprs = {d(0), d(1)},
                          windowExprs;
  for (int64_t i = 0; i < rank; ++i) {
    xExprs.push_back(d(2 + i) * p.strides[i] +
                     d(2 + rank + i) * p.dilations[i]);
    outExprs.push_back(d(2 + i));
    windowExprs.push_back(d(2 + rank + i));
  }
  PoolingLoops loops;
  loops.input = AffineMap::get(numLoops, 0, xExprs, context);
  loops.window = AffineMap::get(numLoops, 0, windowExprs, context);
  loops.output = AffineMap::get(numLoops, 0, outExprs, context);
  loops.iterators.assign(2 + rank, utils::IteratorType::parallel);
  loops.iterators.append(rank, utils::IteratorType::reduction);
  return loops;
}

/// A window reduction of `x` [N, C, spatial...] (padded) into `init`.
Value buildPooling(OpBuilder &b, Location loc, Value x, Value init,
                   const WindowParams &p, PoolKind kind, bool isUnsigned) {
  int64_t rank = p.kernel.size();
  Type elementType = elementTypeOf(x);
  bool isFloat = isa<FloatType>(elementType);
  auto strides = b.getI64TensorAttr(p.strides);
  auto dilations = b.getI64TensorAttr(p.dilations);
  Value window = emptyTensor(b, loc, p.kernel, elementType);
  Type resultType = init.getType();
  if (isFloat && rank == 2) {
    if (kind == PoolKind::Max)
      return linalg::PoolingNchwMaxOp::create(
                 b, loc, TypeRange{resultType}, ValueRange{x, window},
                 ValueRange{init}, strides, dilations)
          .getResult(0);
    return linalg::PoolingNchwSumOp::create(
               b, loc, TypeRange{resultType}, ValueRange{x, window},
               ValueRange{init}, strides, dilations)
        .getResult(0);
  }
  if (isFloat && rank == 1) {
    if (kind == PoolKind::Max)
      return linalg::PoolingNcwMaxOp::create(
                 b, loc, TypeRange{resultType}, ValueRange{x, window},
                 ValueRange{init}, strides, dilations)
          .getResult(0);
    return linalg::PoolingNcwSumOp::create(b, loc, TypeRange{resultType},
                                           ValueRange{x, window},
                                           ValueRange{init}, strides, dilations)
        .getResult(0);
  }
  // Any rank: loops n, c, out[rank], k[rank].
  PoolingLoops loops = getPoolingLoops(b.getContext(), p);
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, ValueRange{x, window},
             ValueRange{init},
             SmallVector<AffineMap>{loops.input, loops.window, loops.output},
             loops.iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               ScalarMath m(nb, nl, elementType, isUnsigned);
               Value r = kind == PoolKind::Max ? m.max(args[0], args[2])
                                               : m.add(args[0], args[2]);
               linalg::YieldOp::create(nb, nl, r);
             })
      .getResult(0);
}

/// Reads the window, checks the inferred output size and returns the extra
/// high padding that ceil_mode needs so that every window fits.
FailureOr<WindowParams> poolWindow(NodeImporter &n, Value x,
                                   RankedTensorType type, bool dilations,
                                   SmallVector<int64_t> &extra) {
  ArrayRef<int64_t> inSpatial = shapeOf(x).drop_front(2);
  FailureOr<WindowParams> p =
      readWindowParams(n, inSpatial, /*kernel=*/{}, dilations);
  if (failed(p))
    return failure();
  bool ceilMode = n.getInt("ceil_mode", 0) != 0;
  ArrayRef<int64_t> outSpatial = type.getShape().drop_front(2);
  extra.clear();
  for (size_t i = 0; i < inSpatial.size(); ++i) {
    int64_t span = inSpatial[i] + p->padBegin[i] + p->padEnd[i];
    int64_t extent = (p->kernel[i] - 1) * p->dilations[i] + 1;
    int64_t floorOut = (span - extent) / p->strides[i] + 1;
    int64_t needed = (outSpatial[i] - 1) * p->strides[i] + extent;
    if (outSpatial[i] != floorOut && !ceilMode)
      return n.emitError() << "inferred output size " << outSpatial[i]
                           << " does not match the window";
    extra.push_back(std::max<int64_t>(0, needed - span));
  }
  return p;
}

/// MaxPool's values and Indices: a generic with two outputs over the
/// window; the index is the flat position of the (first) maximum in the
/// unpadded input, row-major (storage_order 0) or with the two spatial dims
/// swapped (storage_order 1).
LogicalResult maxPoolWithIndices(NodeImporter &n, Value x, Value padded,
                                 const WindowParams &p, RankedTensorType type,
                                 bool isUnsigned) {
  OpBuilder &b = n.b;
  Location loc = n.loc;
  ArrayRef<int64_t> inShape = shapeOf(x);
  int64_t rank = p.kernel.size();
  bool columnMajor = n.getInt("storage_order", 0) != 0;
  if (columnMajor && rank != 2)
    return n.unsupported("storage_order = 1 with " + std::to_string(rank) +
                         " spatial dims");
  FailureOr<RankedTensorType> indexType = n.outputType(1);
  if (failed(indexType))
    return failure();
  Type elementType = type.getElementType();
  PoolingLoops loops = getPoolingLoops(b.getContext(), p);
  Value window = emptyTensor(b, loc, p.kernel, elementType);
  Value values = filledTensor(b, loc, type.getShape(),
                              lowestValue(b, loc, elementType, isUnsigned));
  Value indices = filledTensor(b, loc, indexType->getShape(),
                               scalarConstant(b, loc, b.getI64Type(), 0));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{values.getType(), indices.getType()},
      ValueRange{padded, window}, ValueRange{values, indices},
      SmallVector<AffineMap>{loops.input, loops.window, loops.output,
                             loops.output},
      loops.iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        ScalarMath m(nb, nl, elementType, isUnsigned);
        Type i64 = nb.getI64Type();
        auto index = [&](int64_t dim) -> Value {
          return arith::IndexCastOp::create(
              nb, nl, i64, linalg::IndexOp::create(nb, nl, dim));
        };
        auto cst = [&](int64_t v) { return scalarConstant(nb, nl, i64, v); };
        // Position in the unpadded input, per spatial dim.
        SmallVector<Value> pos;
        for (int64_t i = 0; i < rank; ++i) {
          Value o =
              arith::MulIOp::create(nb, nl, index(2 + i), cst(p.strides[i]));
          Value k = arith::MulIOp::create(nb, nl, index(2 + rank + i),
                                          cst(p.dilations[i]));
          pos.push_back(arith::SubIOp::create(
              nb, nl, arith::AddIOp::create(nb, nl, o, k), cst(p.padBegin[i])));
        }
        SmallVector<int64_t> sizes(inShape.drop_front(2));
        if (columnMajor) {
          std::swap(pos[0], pos[1]);
          std::swap(sizes[0], sizes[1]);
        }
        Value flat = arith::AddIOp::create(
            nb, nl, arith::MulIOp::create(nb, nl, index(0), cst(inShape[1])),
            index(1));
        for (int64_t i = 0; i < rank; ++i)
          flat = arith::AddIOp::create(
              nb, nl, arith::MulIOp::create(nb, nl, flat, cst(sizes[i])),
              pos[i]);
        Value better = m.gt(args[0], args[2]);
        linalg::YieldOp::create(nb, nl,
                                ValueRange{m.select(better, args[0], args[2]),
                                           m.select(better, flat, args[3])});
      });
  if (failed(n.setOutput(0, generic.getResult(0))))
    return failure();
  return n.setOutput(1, generic.getResult(1));
}

LogicalResult convertMaxPool(NodeImporter &n) {
  if (!n.hasOutput(1) && n.getInt("storage_order", 0) != 0)
    return n.unsupported("storage_order = 1");
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  if (shapeOf(*x).size() < 3)
    return n.emitError() << "expected input [N, C, spatial...]";
  SmallVector<int64_t> extra;
  FailureOr<WindowParams> p =
      poolWindow(n, *x, *type, n.sinceVersion >= 10, extra);
  if (failed(p))
    return failure();
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(0));
  Type elementType = type->getElementType();
  Value lowest = lowestValue(n.b, n.loc, elementType, isUnsigned);
  SmallVector<int64_t> low = {0, 0}, high = {0, 0};
  low.append(p->padBegin);
  for (auto [e, pad] : llvm::zip_equal(extra, p->padEnd))
    high.push_back(pad + e);
  Value padded = padTensor(n.b, n.loc, *x, low, high, lowest);
  if (n.hasOutput(1))
    return maxPoolWithIndices(n, *x, padded, *p, *type, isUnsigned);
  Value init = filledTensor(n.b, n.loc, type->getShape(), lowest);
  return n.setOutput(
      0, buildPooling(n.b, n.loc, padded, init, *p, PoolKind::Max, isUnsigned));
}

LogicalResult convertAveragePool(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  if (shapeOf(*x).size() < 3)
    return n.emitError() << "expected input [N, C, spatial...]";
  SmallVector<int64_t> extra;
  FailureOr<WindowParams> p = poolWindow(n, *x, *type, false, extra);
  if (failed(p))
    return failure();
  bool includePad = n.getInt("count_include_pad", 0) != 0;
  ArrayRef<int64_t> inSpatial = shapeOf(*x).drop_front(2);
  ArrayRef<int64_t> outSpatial = type->getShape().drop_front(2);
  int64_t rank = inSpatial.size();

  // How many elements each window averages, per dimension: positions inside
  // the input (or inside input + pads with count_include_pad).
  SmallVector<SmallVector<int64_t>> counts(rank);
  bool uniform = true;
  int64_t full = 1;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t lo = includePad ? -p->padBegin[i] : 0;
    int64_t hi = includePad ? inSpatial[i] + p->padEnd[i] : inSpatial[i];
    for (int64_t o = 0; o < outSpatial[i]; ++o) {
      int64_t count = 0;
      for (int64_t k = 0; k < p->kernel[i]; ++k) {
        int64_t pos = o * p->strides[i] + k * p->dilations[i] - p->padBegin[i];
        count += pos >= lo && pos < hi;
      }
      counts[i].push_back(count);
      uniform &= count == p->kernel[i];
    }
    full *= p->kernel[i];
  }

  Type elementType = type->getElementType();
  Value zero = scalarConstant(n.b, n.loc, elementType, 0);
  SmallVector<int64_t> low = {0, 0}, high = {0, 0};
  low.append(p->padBegin);
  for (auto [e, pad] : llvm::zip_equal(extra, p->padEnd))
    high.push_back(pad + e);
  Value padded = padTensor(n.b, n.loc, *x, low, high, zero);
  Value init = filledTensor(n.b, n.loc, type->getShape(), zero);
  Value sum = buildPooling(n.b, n.loc, padded, init, *p, PoolKind::Sum, false);

  SmallVector<Value> operands = {sum};
  if (!uniform) {
    // A [out...] constant of counts, broadcast over N and C.
    SmallVector<double> divisor;
    int64_t total = 1;
    for (int64_t o : outSpatial)
      total *= o;
    for (int64_t linear = 0; linear < total; ++linear) {
      int64_t rest = linear, count = 1;
      for (int64_t i = rank - 1; i >= 0; --i) {
        count *= counts[i][rest % outSpatial[i]];
        rest /= outSpatial[i];
      }
      divisor.push_back(static_cast<double>(std::max<int64_t>(count, 1)));
    }
    onnx::TensorProto tensor =
        makeTensor(n.inputDataType(0), outSpatial, divisor);
    tensor.set_name(n.node.output(0) + ".divisor");
    FailureOr<Value> c =
        n.importer.materializeConstant(*n.importer.ownTensor(tensor), n.loc);
    if (failed(c))
      return failure();
    operands.push_back(*c);
  }
  Value result = buildElementwise(
      n.b, n.loc, operands, *type,
      [&](OpBuilder &b, Location loc, ValueRange a) {
        ScalarMath m(b, loc, elementType);
        return m.div(a[0], a.size() > 1 ? a[1] : m.constant(full));
      });
  return n.setOutput(0, result);
}

/// GlobalAveragePool, GlobalMaxPool, GlobalLpPool: reduce the spatial dims.
LogicalResult convertGlobalPool(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  if (shape.size() < 3)
    return n.emitError() << "expected input [N, C, spatial...]";
  SmallVector<int64_t> dims;
  int64_t count = 1;
  for (size_t d = 2; d < shape.size(); ++d) {
    dims.push_back(d);
    count *= shape[d];
  }
  Type elementType = type->getElementType();
  bool isMax = n.opType() == "GlobalMaxPool";
  bool isLp = n.opType() == "GlobalLpPool";
  double pNorm = n.getInt("p", 2);
  Value source = *x;
  if (isLp)
    source = buildElementwise(
        n.b, n.loc, {*x}, cast<RankedTensorType>(x->getType()),
        [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
          ScalarMath m(b, loc, elementType);
          return math::PowFOp::create(b, loc, m.abs(a[0]), m.constant(pNorm));
        });
  Value init = isMax ? lowestValue(n.b, n.loc, elementType, false)
                     : scalarConstant(n.b, n.loc, elementType, 0);
  Value reduced =
      buildReduction(n.b, n.loc, source, dims, init,
                     [&](OpBuilder &b, Location loc, Value v, Value acc) {
                       ScalarMath m(b, loc, elementType);
                       return isMax ? m.max(v, acc) : m.add(v, acc);
                     });
  Value result = reshapeTo(n.b, n.loc, reduced, type->getShape());
  if (!isMax)
    result = buildElementwise(
        n.b, n.loc, {result}, *type,
        [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
          ScalarMath m(b, loc, elementType);
          if (isLp)
            return math::PowFOp::create(b, loc, a[0], m.constant(1.0 / pNorm));
          return m.div(a[0], m.constant(count));
        });
  return n.setOutput(0, result);
}

/// LpPool: (sum over the window of |x|^p)^(1/p), padding with zeros.
LogicalResult convertLpPool(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  if (shapeOf(*x).size() < 3)
    return n.emitError() << "expected input [N, C, spatial...]";
  SmallVector<int64_t> extra;
  FailureOr<WindowParams> p =
      poolWindow(n, *x, *type, n.sinceVersion >= 18, extra);
  if (failed(p))
    return failure();
  double pNorm = n.getInt("p", 2);
  Type elementType = type->getElementType();
  auto xType = cast<RankedTensorType>(x->getType());
  Value powered = buildElementwise(
      n.b, n.loc, {*x}, xType, [&](OpBuilder &b, Location loc, ValueRange a) {
        ScalarMath m(b, loc, elementType);
        return math::PowFOp::create(b, loc, m.abs(a[0]), m.constant(pNorm))
            .getResult();
      });
  Value zero = scalarConstant(n.b, n.loc, elementType, 0);
  SmallVector<int64_t> low = {0, 0}, high = {0, 0};
  low.append(p->padBegin);
  for (auto [e, pad] : llvm::zip_equal(extra, p->padEnd))
    high.push_back(pad + e);
  Value padded = padTensor(n.b, n.loc, powered, low, high, zero);
  Value init = filledTensor(n.b, n.loc, type->getShape(), zero);
  Value sum = buildPooling(n.b, n.loc, padded, init, *p, PoolKind::Sum, false);
  Value result = buildElementwise(
      n.b, n.loc, {sum}, *type, [&](OpBuilder &b, Location loc, ValueRange a) {
        ScalarMath m(b, loc, elementType);
        return math::PowFOp::create(b, loc, a[0], m.constant(1.0 / pNorm))
            .getResult();
      });
  return n.setOutput(0, result);
}

} // namespace

void mlir::hm::onnx_import::populatePoolingConverters(
    ConverterMap &converters) {
  converters["MaxPool"] = convertMaxPool;
  converters["AveragePool"] = convertAveragePool;
  converters["GlobalAveragePool"] = convertGlobalPool;
  converters["GlobalMaxPool"] = convertGlobalPool;
  converters["GlobalLpPool"] = convertGlobalPool;
  converters["LpPool"] = convertLpPool;
}
