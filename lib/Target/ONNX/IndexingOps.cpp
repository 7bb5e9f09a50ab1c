//===- IndexingOps.cpp - Resize, Trilu, CumSum, OneHot, EyeLike -----------===//
//
// Operators whose outputs depend on element positions. Resize/Upsample are
// separable: for each resized dimension the taps (source indices) and their
// weights are computed at import time exactly as ONNX's reference does, and
// a linalg.generic sums the weighted taps, one dimension after another.
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Importer.h"
#include "Tensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

/// Taps of one resized dimension: for each output index, `taps` source
/// indices (already clamped, i.e. edge-padded) and weights; `valid` false
/// where tf_crop_and_resize extrapolates.
struct DimTaps {
  int64_t taps = 0;
  SmallVector<int64_t> index;
  SmallVector<double> weight;
  SmallVector<bool> valid;
};

struct ResizeMode {
  std::string mode, coordinates, nearest;
  double cubicA = -0.75;
  bool excludeOutside = false;
};

/// The reference's coefficients for the fractional position `ratio`.
SmallVector<double> coefficients(const ResizeMode &m, double ratio) {
  if (m.mode == "linear")
    return {1 - ratio, ratio};
  if (m.mode == "cubic") {
    double a = m.cubicA, r = ratio, s = 1 - ratio;
    return {((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
            ((a + 2) * r - (a + 3)) * r * r + 1,
            ((a + 2) * s - (a + 3)) * s * s + 1,
            ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a};
  }
  if (ratio == 1.0)
    return {0, 1};
  if (m.nearest == "round_prefer_ceil")
    return {double(ratio < 0.5), double(ratio >= 0.5)};
  if (m.nearest == "floor")
    return {1, 0};
  if (m.nearest == "ceil")
    return {0, 1};
  return {double(ratio <= 0.5), double(ratio > 0.5)};
}

/// The taps of a dimension of size `in` resized to `out` by `scale`.
DimTaps computeTaps(const ResizeMode &m, int64_t in, int64_t out, double scale,
                    double roiStart, double roiEnd) {
  DimTaps t;
  double outWidth = scale * in;
  for (int64_t x = 0; x < out; ++x) {
    double xo;
    bool valid = true;
    const std::string &c = m.coordinates;
    if (c == "align_corners") {
      xo = outWidth == 1 ? 0 : x * (in - 1) / (outWidth - 1);
    } else if (c == "asymmetric") {
      xo = x / scale;
    } else if (c == "tf_crop_and_resize") {
      xo = outWidth == 1 ? (roiEnd - roiStart) * (in - 1) / 2
                         : x * (roiEnd - roiStart) * (in - 1) / (outWidth - 1);
      xo += roiStart * (in - 1);
      valid = !(xo < 0 || xo > in - 1);
    } else if (c == "tf_half_pixel_for_nn") {
      xo = (x + 0.5) / scale;
    } else if (c == "pytorch_half_pixel") {
      xo = outWidth == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
    } else {
      xo = (x + 0.5) / scale - 0.5;
    }
    double floorXo = std::floor(xo);
    double ratio = xo == floorXo ? 1.0 : xo - floorXo;
    SmallVector<double> coeffs = coefficients(m, ratio);
    int64_t n = coeffs.size();
    // The n nearest indices to xo in the edge-padded input (ties prefer
    // the smaller index), in ascending order, as the reference picks them.
    int64_t pad = (n + 1) / 2;
    double xp = xo + pad;
    SmallVector<int64_t> candidates;
    for (int64_t i = static_cast<int64_t>(std::floor(xp)) - n - 1;
         i <= static_cast<int64_t>(std::floor(xp)) + n + 1; ++i)
      if (i >= 0 && i < in + 2 * pad)
        candidates.push_back(i);
    llvm::sort(candidates, [&](int64_t a, int64_t b) {
      double da = std::fabs(xp - a), db = std::fabs(xp - b);
      return da != db ? da < db : a < b;
    });
    candidates.resize(std::min<size_t>(candidates.size(), n));
    llvm::sort(candidates);
    if (m.excludeOutside) {
      double sum = 0;
      for (auto [i, idx] : llvm::enumerate(candidates)) {
        int64_t original = idx - pad;
        if (original < 0 || original >= in)
          coeffs[i] = 0;
        sum += coeffs[i];
      }
      for (double &w : coeffs)
        w = sum != 0 ? w / sum : w;
    }
    SmallVector<std::pair<int64_t, double>> taps;
    for (auto [i, idx] : llvm::enumerate(candidates))
      taps.push_back({std::clamp<int64_t>(idx - pad, 0, in - 1), coeffs[i]});
    if (m.mode == "nearest") {
      // Exactly one tap has weight 1.
      auto hit = llvm::find_if(taps, [](auto &p) { return p.second != 0; });
      taps = {hit != taps.end() ? *hit : taps.back()};
      taps.front().second = 1;
    }
    t.taps = taps.size();
    for (auto [idx, w] : taps) {
      t.index.push_back(idx);
      t.weight.push_back(w);
    }
    t.valid.push_back(valid);
  }
  return t;
}

/// Resizes dimension `dim` of `x` with `taps`.
FailureOr<Value> resizeDim(NodeImporter &n, Value x, int64_t dim,
                           const DimTaps &taps, int64_t out,
                           double extrapolation, int32_t dataType) {
  OpBuilder &b = n.b;
  Location loc = n.loc;
  SmallVector<int64_t> shape(shapeOf(x));
  int64_t rank = shape.size();
  shape[dim] = out;
  Type elementType = elementTypeOf(x);
  auto make = [&](onnx::TensorProto t, llvm::StringRef suffix) {
    t.set_name(n.node.output(0) + ".resize" + std::to_string(dim) +
               suffix.str());
    return n.importer.materializeConstant(*n.importer.ownTensor(std::move(t)),
                                          loc);
  };
  FailureOr<Value> index = make(
      makeIntTensor(onnx::TensorProto::INT64, {out, taps.taps}, taps.index),
      ".index");
  FailureOr<Value> weight =
      make(makeTensor(dataType, {out, taps.taps}, taps.weight), ".weight");
  SmallVector<int64_t> valid(taps.valid.begin(), taps.valid.end());
  FailureOr<Value> validity =
      make(makeIntTensor(onnx::TensorProto::BOOL, {out}, valid), ".valid");
  if (failed(index) || failed(weight) || failed(validity))
    return failure();

  MLIRContext *context = b.getContext();
  AffineExpr o = getAffineDimExpr(dim, context),
             j = getAffineDimExpr(rank, context);
  SmallVector<AffineExpr> outExprs;
  for (int64_t d = 0; d < rank; ++d)
    outExprs.push_back(getAffineDimExpr(d, context));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value init =
      filledTensor(b, loc, shape, scalarConstant(b, loc, elementType, 0));
  Value sum =
      linalg::GenericOp::create(
          b, loc, TypeRange{init.getType()}, ValueRange{*index, *weight},
          ValueRange{init},
          SmallVector<AffineMap>{
              AffineMap::get(rank + 1, 0, {o, j}, context),
              AffineMap::get(rank + 1, 0, {o, j}, context),
              AffineMap::get(rank + 1, 0, outExprs, context)},
          iterators,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            SmallVector<Value> at;
            for (int64_t d = 0; d < rank; ++d)
              at.push_back(
                  d == dim ? arith::IndexCastOp::create(
                                 nb, nl, nb.getIndexType(), args[0])
                                 .getResult()
                           : linalg::IndexOp::create(nb, nl, d).getResult());
            Value v = tensor::ExtractOp::create(nb, nl, x, at);
            ScalarMath m(nb, nl, elementType);
            Value r = taps.taps == 1 ? v : m.add(args[2], m.mul(v, args[1]));
            linalg::YieldOp::create(nb, nl, r);
          })
          .getResult(0);
  if (llvm::all_of(taps.valid, [](bool v) { return v; }))
    return sum;
  auto sumType = cast<RankedTensorType>(sum.getType());
  SmallVector<int64_t> validShape(rank, 1);
  validShape[dim] = out;
  Value validNd = reshapeTo(b, loc, *validity, validShape);
  return buildElementwise(b, loc, {sum, validNd}, sumType,
                          [&](OpBuilder &nb, Location nl, ValueRange a) {
                            ScalarMath m(nb, nl, elementType);
                            return m.select(a[1], a[0],
                                            m.constant(extrapolation));
                          });
}

LogicalResult convertResize(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  ArrayRef<int64_t> inShape = shapeOf(*x), outShape = type->getShape();
  int64_t rank = inShape.size();
  bool isUpsample = n.opType() == "Upsample";
  bool legacy = isUpsample || n.sinceVersion < 11;
  ResizeMode m;
  m.mode = n.getString("mode", "nearest");
  if (m.mode == "bilinear")
    m.mode = "linear";
  m.coordinates =
      legacy ? "asymmetric"
             : n.getString("coordinate_transformation_mode", "half_pixel");
  m.nearest =
      legacy ? "floor" : n.getString("nearest_mode", "round_prefer_floor");
  m.cubicA = n.getFloat("cubic_coeff_a", -0.75f);
  m.excludeOutside = n.getInt("exclude_outside", 0) != 0;
  if (m.mode != "nearest" && m.mode != "linear" && m.mode != "cubic")
    return n.unsupported("mode '" + m.mode + "'");
  if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners",
                           "asymmetric", "tf_crop_and_resize",
                           "tf_half_pixel_for_nn"},
                          llvm::StringRef(m.coordinates)))
    return n.unsupported("coordinate_transformation_mode '" + m.coordinates +
                         "'");
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          llvm::StringRef(m.nearest)))
    return n.unsupported("nearest_mode '" + m.nearest + "'");
  if (!isUpsample && n.sinceVersion >= 13 && n.hasAttribute("axes"))
    return n.unsupported("attribute 'axes'");

  // Scales: from `sizes` when given, else the scales input or attribute.
  SmallVector<double> scales(rank, 1.0), roi;
  unsigned scalesInput = legacy ? 1 : 2;
  bool haveSizes = !legacy && n.hasInput(3);
  if (haveSizes) {
    FailureOr<SmallVector<int64_t>> sizes = n.constantInts(3, "sizes");
    if (failed(sizes))
      return failure();
    for (int64_t d = 0; d < rank; ++d)
      scales[d] = static_cast<double>(outShape[d]) / inShape[d];
  } else if (isUpsample && n.sinceVersion < 9) {
    std::optional<SmallVector<float>> s = n.getFloats("scales");
    if (!s || static_cast<int64_t>(s->size()) != rank)
      return n.emitError() << "attribute 'scales' must have one entry per "
                              "dimension";
    scales.assign(s->begin(), s->end());
  } else {
    FailureOr<SmallVector<double>> s = n.constantDoubles(scalesInput, "scales");
    if (failed(s))
      return failure();
    if (static_cast<int64_t>(s->size()) != rank)
      return n.emitError() << "'scales' must have one entry per dimension";
    // The reference computes in float32 scales.
    for (int64_t d = 0; d < rank; ++d)
      scales[d] = static_cast<float>((*s)[d]);
  }
  if (m.coordinates == "tf_crop_and_resize") {
    FailureOr<SmallVector<double>> r = n.constantDoubles(1, "roi");
    if (failed(r))
      return failure();
    roi = *r;
    if (static_cast<int64_t>(roi.size()) != 2 * rank)
      return n.emitError() << "'roi' must have 2 entries per dimension";
  }
  int32_t dataType = n.inputDataType(0);
  if (!isFloatDataType(dataType) && m.mode != "nearest")
    return n.unsupported(m.mode + " interpolation of " +
                         dataTypeName(dataType));
  double extrapolation = n.getFloat("extrapolation_value", 0);
  Value v = *x;
  // Innermost dimension first, as the reference nests them.
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (scales[d] <= 0)
      return n.emitError() << "scales must be positive";
    DimTaps taps =
        computeTaps(m, inShape[d], outShape[d], scales[d],
                    roi.empty() ? 0 : roi[d], roi.empty() ? 1 : roi[rank + d]);
    bool identity = inShape[d] == outShape[d] && taps.taps == 1 &&
                    llvm::all_of(taps.valid, [](bool b) { return b; });
    for (int64_t o = 0; identity && o < outShape[d]; ++o)
      identity = taps.index[o] == o;
    if (identity)
      continue;
    if (!isFloatDataType(dataType))
      dataType = onnx::TensorProto::FLOAT; // weights unused for nearest
    FailureOr<Value> r = resizeDim(
        n, v, d, taps, outShape[d], extrapolation,
        isFloatDataType(n.inputDataType(0)) ? n.inputDataType(0) : dataType);
    if (failed(r))
      return failure();
    v = *r;
  }
  return n.setOutput(0, v);
}

LogicalResult convertTrilu(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  // k: a constant, or a 0-d operand read in the body.
  SmallVector<Value> operands = {*x};
  if (n.hasInput(1)) {
    FailureOr<Value> k = n.input(1);
    if (failed(k))
      return failure();
    operands.push_back(reshapeTo(n.b, n.loc, *k, {}));
  } else {
    operands.push_back(tensor::FromElementsOp::create(
        n.b, n.loc, RankedTensorType::get({}, n.b.getI64Type()),
        scalarConstant(n.b, n.loc, n.b.getI64Type(), 0)));
  }
  bool upper = n.getInt("upper", 1) != 0;
  int64_t rank = type->getRank();
  if (rank < 2)
    return n.emitError() << "expected a tensor of rank >= 2";
  Value result = buildIndexedElementwise(
      n.b, n.loc, operands, *type,
      [&](OpBuilder &b, Location loc, ValueRange a, ValueRange iv) {
        // Keep j - i >= k (upper) or j - i <= k (lower).
        Value diff = arith::SubIOp::create(b, loc, iv[rank - 1], iv[rank - 2]);
        Value kk = arith::IndexCastOp::create(b, loc, b.getIndexType(), a[1]);
        Value keep = arith::CmpIOp::create(b, loc,
                                           upper ? arith::CmpIPredicate::sge
                                                 : arith::CmpIPredicate::sle,
                                           diff, kk);
        return arith::SelectOp::create(
                   b, loc, keep, a[0],
                   scalarConstant(b, loc, a[0].getType(), 0))
            .getResult();
      });
  return n.setOutput(0, result);
}

LogicalResult convertCumSum(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  FailureOr<SmallVector<int64_t>> axisValue = n.constantInts(1, "axis");
  if (failed(axisValue) || axisValue->size() != 1)
    return failed(axisValue) ? failure()
                             : n.emitError() << "'axis' must be a scalar";
  int64_t rank = type->getRank();
  FailureOr<int64_t> axis = n.normalizeAxis((*axisValue)[0], rank);
  if (failed(axis))
    return failure();
  bool exclusive = n.getInt("exclusive", 0) != 0;
  bool reverse = n.getInt("reverse", 0) != 0;
  // out[.., i, ..] = sum over j of (j in range(i)) ? x[.., j, ..] : 0
  MLIRContext *context = n.getContext();
  SmallVector<AffineExpr> inExprs, outExprs;
  for (int64_t d = 0; d < rank; ++d) {
    outExprs.push_back(getAffineDimExpr(d, context));
    inExprs.push_back(getAffineDimExpr(d == *axis ? rank : d, context));
  }
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Type elementType = type->getElementType();
  Value init = filledTensor(n.b, n.loc, type->getShape(),
                            scalarConstant(n.b, n.loc, elementType, 0));
  auto generic = linalg::GenericOp::create(
      n.b, n.loc, TypeRange{*type}, ValueRange{*x}, ValueRange{init},
      SmallVector<AffineMap>{AffineMap::get(rank + 1, 0, inExprs, context),
                             AffineMap::get(rank + 1, 0, outExprs, context)},
      iterators, [&](OpBuilder &b, Location loc, ValueRange args) {
        Value i = linalg::IndexOp::create(b, loc, *axis);
        Value j = linalg::IndexOp::create(b, loc, rank);
        arith::CmpIPredicate p = reverse
                                     ? (exclusive ? arith::CmpIPredicate::sgt
                                                  : arith::CmpIPredicate::sge)
                                     : (exclusive ? arith::CmpIPredicate::slt
                                                  : arith::CmpIPredicate::sle);
        Value in = arith::CmpIOp::create(b, loc, p, j, i);
        ScalarMath m(b, loc, elementType);
        linalg::YieldOp::create(b, loc,
                                m.select(in, m.add(args[1], args[0]), args[1]));
      });
  return n.setOutput(0, generic.getResult(0));
}

LogicalResult convertOneHot(NodeImporter &n) {
  FailureOr<Value> indices = n.input(0), values = n.input(2);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(indices) || failed(values) || failed(type))
    return failure();
  FailureOr<SmallVector<double>> depthValue = n.constantDoubles(1, "depth");
  if (failed(depthValue))
    return failure();
  int64_t depth = static_cast<int64_t>((*depthValue)[0]);
  int64_t rank = type->getRank();
  FailureOr<int64_t> axis = n.normalizeAxis(n.getInt("axis", -1), rank);
  if (failed(axis))
    return failure();
  // Indices read at the output position without the one-hot axis.
  MLIRContext *context = n.getContext();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (d != *axis)
      exprs.push_back(getAffineDimExpr(d, context));
  // [off, on], read inside the body: kernels, not the host, touch data.
  Value offOn = *values;
  Type indexElement = elementTypeOf(*indices);
  bool floatIndices = isa<FloatType>(indexElement);
  auto generic = linalg::GenericOp::create(
      n.b, n.loc, TypeRange{*type}, ValueRange{*indices},
      ValueRange{
          emptyTensor(n.b, n.loc, type->getShape(), type->getElementType())},
      SmallVector<AffineMap>{AffineMap::get(rank, 0, exprs, context),
                             AffineMap::getMultiDimIdentityMap(rank, context)},
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value idx = args[0];
        Type i64 = b.getI64Type();
        idx = floatIndices
                  ? arith::FPToSIOp::create(b, loc, i64, idx).getResult()
                  : convertScalar(b, loc, idx, i64, false, false);
        Value d = scalarConstant(b, loc, i64, depth);
        Value negative =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx,
                                  scalarConstant(b, loc, i64, 0));
        idx = arith::SelectOp::create(
            b, loc, negative, arith::AddIOp::create(b, loc, idx, d), idx);
        Value pos = arith::IndexCastOp::create(
            b, loc, i64, linalg::IndexOp::create(b, loc, *axis));
        Value hit =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, idx, pos);
        Value which = arith::IndexCastOp::create(
            b, loc, b.getIndexType(),
            arith::ExtUIOp::create(b, loc, b.getI64Type(), hit));
        linalg::YieldOp::create(
            b, loc,
            tensor::ExtractOp::create(b, loc, offOn, ValueRange{which})
                .getResult());
      });
  return n.setOutput(0, generic.getResult(0));
}

LogicalResult convertEyeLike(NodeImporter &n) {
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(type))
    return failure();
  if (type->getRank() != 2)
    return n.emitError() << "expected a 2-D input";
  int64_t k = n.getInt("k", 0);
  Value result = buildIndexedElementwise(
      n.b, n.loc, {}, *type,
      [&](OpBuilder &b, Location loc, ValueRange, ValueRange iv) {
        Value j = arith::SubIOp::create(b, loc, iv[1], iv[0]);
        Value hit =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, j,
                                  arith::ConstantIndexOp::create(b, loc, k));
        Type t = type->getElementType();
        return arith::SelectOp::create(b, loc, hit,
                                       scalarConstant(b, loc, t, 1),
                                       scalarConstant(b, loc, t, 0))
            .getResult();
      });
  return n.setOutput(0, result);
}

} // namespace

void mlir::hm::onnx_import::populateIndexingConverters(
    ConverterMap &converters) {
  converters["Resize"] = convertResize;
  converters["Upsample"] = convertResize;
  converters["Trilu"] = convertTrilu;
  converters["CumSum"] = convertCumSum;
  converters["OneHot"] = convertOneHot;
  converters["EyeLike"] = convertEyeLike;
}
