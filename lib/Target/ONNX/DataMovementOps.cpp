//===- DataMovementOps.cpp - Concat, Split, Slice, Gather, Pad, Tile, ... -===//
//
// Operators that move data without arithmetic: tensor.concat,
// tensor.extract_slice (Split, Slice), tensor.pad, linalg.broadcast (Expand,
// Tile), and linalg.generic bodies that tensor.extract computed positions
// (Gather*, reflect/edge Pad, negative-step Slice).
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Importer.h"
#include "Tensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

/// An index value from an integer element, made non-negative by adding
/// `size` when negative and clamped to [0, size) (out-of-range indices are
/// undefined in ONNX; clamping keeps memory accesses in bounds).
Value normalizedIndex(OpBuilder &b, Location loc, Value v, int64_t size) {
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value n = arith::ConstantIndexOp::create(b, loc, size);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
  i = arith::SelectOp::create(b, loc, negative,
                              arith::AddIOp::create(b, loc, i, n), i);
  i = arith::MaxSIOp::create(b, loc, i, zero);
  Value last = arith::ConstantIndexOp::create(b, loc, size - 1);
  return arith::MinSIOp::create(b, loc, i, last);
}

LogicalResult convertConcat(NodeImporter &n) {
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(type))
    return failure();
  FailureOr<int64_t> axis =
      n.normalizeAxis(n.getInt("axis", 0), type->getRank());
  if (failed(axis))
    return failure();
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < n.numInputs(); ++i) {
    FailureOr<Value> v = n.input(i);
    if (failed(v))
      return failure();
    if (shapeOf(*v)[*axis] != 0)
      inputs.push_back(*v);
  }
  if (inputs.empty())
    return n.setOutput(
        0, emptyTensor(n.b, n.loc, type->getShape(), type->getElementType()));
  if (inputs.size() == 1)
    return n.setOutput(0, inputs[0]);
  return n.setOutput(0, tensor::ConcatOp::create(n.b, n.loc, *axis, inputs));
}

/// A strided slice [offsets, offsets + sizes * strides) of `v`.
Value slice(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> offsets,
            ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides) {
  if (llvm::all_of(offsets, [](int64_t o) { return o == 0; }) &&
      sizes == shapeOf(v))
    return v;
  // An empty slice may start at the end, which extract_slice rejects.
  if (llvm::is_contained(sizes, 0))
    return emptyTensor(b, loc, sizes, elementTypeOf(v));
  MLIRContext *context = b.getContext();
  return tensor::ExtractSliceOp::create(
      b, loc, v, getAsIndexOpFoldResult(context, offsets),
      getAsIndexOpFoldResult(context, sizes),
      getAsIndexOpFoldResult(context, strides));
}

LogicalResult convertSplit(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  FailureOr<int64_t> axis = n.normalizeAxis(n.getInt("axis", 0), shape.size());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> offsets(shape.size(), 0), strides(shape.size(), 1);
  for (unsigned i = 0; i < n.numOutputs(); ++i) {
    FailureOr<RankedTensorType> type = n.outputType(i);
    if (failed(type))
      return failure();
    if (failed(n.setOutput(
            i, slice(n.b, n.loc, *x, offsets, type->getShape(), strides))))
      return failure();
    offsets[*axis] += type->getShape()[*axis];
  }
  if (offsets[*axis] != shape[*axis])
    return n.emitError() << "the outputs do not cover the input";
  return success();
}

LogicalResult convertSlice(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  int64_t rank = shape.size();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (n.sinceVersion < 10) {
    starts = n.getInts("starts").value_or(SmallVector<int64_t>());
    ends = n.getInts("ends").value_or(SmallVector<int64_t>());
    axes = n.getInts("axes").value_or(SmallVector<int64_t>());
  } else {
    FailureOr<SmallVector<int64_t>> s = n.constantInts(1, "starts"),
                                    e = n.constantInts(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (n.hasInput(3)) {
      FailureOr<SmallVector<int64_t>> a = n.constantInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (n.hasInput(4)) {
      FailureOr<SmallVector<int64_t>> st = n.constantInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return n.emitError() << "starts, ends, axes and steps differ in length";

  SmallVector<int64_t> begin(rank, 0), step(rank, 1), count(shape);
  for (auto [i, a] : llvm::enumerate(axes)) {
    FailureOr<int64_t> axis = n.normalizeAxis(a, rank);
    if (failed(axis))
      return failure();
    int64_t dim = shape[*axis], s = starts[i], e = ends[i], st = steps[i];
    if (st == 0)
      return n.emitError() << "slice step 0";
    if (s < 0)
      s += dim;
    if (e < 0)
      e += dim;
    if (st > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      count[*axis] = e > s ? (e - s + st - 1) / st : 0;
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
      count[*axis] = s > e ? (s - e - st - 1) / -st : 0;
    }
    begin[*axis] = s;
    step[*axis] = st;
  }
  if (ArrayRef<int64_t>(count) != type->getShape())
    return n.emitError() << "computed slice shape disagrees with ONNX's";
  if (llvm::all_of(step, [](int64_t s) { return s > 0; }) ||
      type->getNumElements() == 0) {
    for (int64_t &s : step)
      s = std::max<int64_t>(s, 1);
    return n.setOutput(0, slice(n.b, n.loc, *x, begin, count, step));
  }
  // Negative steps: a copy reading input[begin + step * i].
  MLIRContext *context = n.getContext();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    exprs.push_back(getAffineDimExpr(d, context) * step[d] + begin[d]);
  auto generic = linalg::GenericOp::create(
      n.b, n.loc, TypeRange{*type}, ValueRange{*x},
      ValueRange{emptyTensor(n.b, n.loc, count, type->getElementType())},
      SmallVector<AffineMap>{AffineMap::get(rank, 0, exprs, context),
                             AffineMap::getMultiDimIdentityMap(rank, context)},
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [](OpBuilder &b, Location loc, ValueRange args) {
        linalg::YieldOp::create(b, loc, args[0]);
      });
  return n.setOutput(0, generic.getResult(0));
}

LogicalResult convertGather(NodeImporter &n) {
  FailureOr<Value> data = n.input(0), indices = n.input(1);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(data) || failed(indices) || failed(type))
    return failure();
  ArrayRef<int64_t> dataShape = shapeOf(*data);
  int64_t rank = dataShape.size();
  FailureOr<int64_t> axis = n.normalizeAxis(n.getInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  int64_t q = shapeOf(*indices).size();
  int64_t dim = dataShape[*axis];

  // A constant scalar index is a slice (x[:, 0] in PyTorch).
  if (const onnx::TensorProto *c = n.constantInput(1)) {
    std::string error;
    std::optional<SmallVector<int64_t>> v = tensorToInts(*c, error);
    if (v && v->size() == 1 && q == 0 && (*v)[0] >= -dim && (*v)[0] < dim) {
      int64_t i = (*v)[0] < 0 ? (*v)[0] + dim : (*v)[0];
      SmallVector<int64_t> offsets(rank, 0), sizes(dataShape), strides(rank, 1);
      offsets[*axis] = i;
      sizes[*axis] = 1;
      Value s = slice(n.b, n.loc, *data, offsets, sizes, strides);
      return n.setOutput(0, reshapeTo(n.b, n.loc, s, type->getShape()));
    }
  }
  // out[a..., i..., b...] = data[a..., indices[i...], b...]
  MLIRContext *context = n.getContext();
  int64_t outRank = type->getRank();
  SmallVector<AffineExpr> indexExprs;
  for (int64_t d = 0; d < q; ++d)
    indexExprs.push_back(getAffineDimExpr(*axis + d, context));
  Value source = *data;
  auto generic = linalg::GenericOp::create(
      n.b, n.loc, TypeRange{*type}, ValueRange{*indices},
      ValueRange{
          emptyTensor(n.b, n.loc, type->getShape(), type->getElementType())},
      SmallVector<AffineMap>{
          AffineMap::get(outRank, 0, indexExprs, context),
          AffineMap::getMultiDimIdentityMap(outRank, context)},
      SmallVector<utils::IteratorType>(outRank, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location loc, ValueRange args) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < *axis; ++d)
          at.push_back(linalg::IndexOp::create(b, loc, d));
        at.push_back(normalizedIndex(b, loc, args[0], dim));
        for (int64_t d = *axis + q; d < outRank; ++d)
          at.push_back(linalg::IndexOp::create(b, loc, d));
        linalg::YieldOp::create(
            b, loc, tensor::ExtractOp::create(b, loc, source, at).getResult());
      });
  return n.setOutput(0, generic.getResult(0));
}

LogicalResult convertGatherElements(NodeImporter &n) {
  FailureOr<Value> data = n.input(0), indices = n.input(1);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(data) || failed(indices) || failed(type))
    return failure();
  int64_t rank = shapeOf(*data).size();
  FailureOr<int64_t> axis = n.normalizeAxis(n.getInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  int64_t dim = shapeOf(*data)[*axis];
  Value source = *data;
  Value result = buildIndexedElementwise(
      n.b, n.loc, {*indices}, *type,
      [&](OpBuilder &b, Location loc, ValueRange args, ValueRange iv) {
        SmallVector<Value> at(iv.begin(), iv.end());
        at[*axis] = normalizedIndex(b, loc, args[0], dim);
        return tensor::ExtractOp::create(b, loc, source, at).getResult();
      });
  return n.setOutput(0, result);
}

LogicalResult convertGatherND(NodeImporter &n) {
  FailureOr<Value> data = n.input(0), indices = n.input(1);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(data) || failed(indices) || failed(type))
    return failure();
  ArrayRef<int64_t> dataShape = shapeOf(*data);
  ArrayRef<int64_t> indexShape = shapeOf(*indices);
  int64_t batchDims = n.getInt("batch_dims", 0);
  int64_t q = indexShape.size();
  if (q < 1 || batchDims < 0 || batchDims >= q)
    return n.emitError() << "invalid indices rank or batch_dims";
  int64_t k = indexShape.back();
  if (batchDims + k > static_cast<int64_t>(dataShape.size()))
    return n.emitError() << "indices address more dims than data has";
  Value source = *data, idx = *indices;
  Value result = buildIndexedElementwise(
      n.b, n.loc, {}, *type,
      [&](OpBuilder &b, Location loc, ValueRange, ValueRange iv) {
        // iv = [batch..., indices' leading dims..., trailing data dims...]
        SmallVector<Value> at;
        for (int64_t d = 0; d < batchDims; ++d)
          at.push_back(iv[d]);
        SmallVector<Value> idxAt(iv.begin(), iv.begin() + (q - 1));
        for (int64_t j = 0; j < k; ++j) {
          SmallVector<Value> where(idxAt);
          where.push_back(arith::ConstantIndexOp::create(b, loc, j));
          Value v = tensor::ExtractOp::create(b, loc, idx, where);
          at.push_back(normalizedIndex(b, loc, v, dataShape[batchDims + j]));
        }
        for (size_t d = q - 1; d < iv.size(); ++d)
          at.push_back(iv[d]);
        return tensor::ExtractOp::create(b, loc, source, at).getResult();
      });
  return n.setOutput(0, result);
}

LogicalResult convertExpand(NodeImporter &n) {
  if (failed(n.constantInts(1, "shape")))
    return failure();
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  return n.setOutput(0, broadcastTo(n.b, n.loc, *x, type->getShape()));
}

LogicalResult convertTile(NodeImporter &n) {
  if (failed(n.constantInts(1, "repeats")))
    return failure();
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  int64_t rank = shape.size();
  if (rank == 0)
    return n.setOutput(0, *x);
  // [d0, d1] -> broadcast to [r0, d0, r1, d1] -> collapse to [r0*d0, r1*d1].
  SmallVector<int64_t> wide, added;
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t repeat = type->getShape()[d] / std::max<int64_t>(shape[d], 1);
    added.push_back(wide.size());
    groups.push_back({static_cast<int64_t>(wide.size()),
                      static_cast<int64_t>(wide.size()) + 1});
    wide.push_back(repeat);
    wide.push_back(shape[d]);
  }
  Value init = emptyTensor(n.b, n.loc, wide, type->getElementType());
  Value broadcast =
      linalg::BroadcastOp::create(n.b, n.loc, *x, init, added).getResult()[0];
  return n.setOutput(
      0, tensor::CollapseShapeOp::create(n.b, n.loc, *type, broadcast, groups));
}

LogicalResult convertPad(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  int64_t rank = shape.size();
  std::string mode = n.getString("mode", "constant");
  SmallVector<int64_t> pads;
  double constant = 0;
  Value constantValue;
  if (n.sinceVersion < 11) {
    pads = n.getInts(n.sinceVersion < 2 ? "paddings" : "pads")
               .value_or(SmallVector<int64_t>());
    constant = n.getFloat("value", 0);
  } else {
    FailureOr<SmallVector<int64_t>> p = n.constantInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (n.hasInput(2)) {
      if (const onnx::TensorProto *c = n.constantInput(2)) {
        std::string error;
        std::optional<SmallVector<double>> v = tensorToDoubles(*c, error);
        if (!v || v->size() != 1)
          return n.emitError() << "constant_value must be a scalar";
        constant = (*v)[0];
      } else {
        FailureOr<Value> v = n.input(2);
        if (failed(v))
          return failure();
        constantValue = extractScalar(n.b, n.loc, *v);
      }
    }
    if (n.hasInput(3))
      return n.unsupported("input 'axes'");
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return n.emitError() << "pads has " << pads.size() << " entries for rank "
                         << rank;
  // Negative pads crop first.
  SmallVector<int64_t> low(rank), high(rank), cropOffset(rank), cropSize(rank);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t l = pads[d], h = pads[rank + d];
    low[d] = std::max<int64_t>(l, 0);
    high[d] = std::max<int64_t>(h, 0);
    cropOffset[d] = std::max<int64_t>(-l, 0);
    cropSize[d] = shape[d] - cropOffset[d] - std::max<int64_t>(-h, 0);
  }
  Value source = slice(n.b, n.loc, *x, cropOffset, cropSize,
                       SmallVector<int64_t>(rank, 1));
  Type elementType = type->getElementType();
  if (mode == "constant") {
    if (!constantValue)
      constantValue = scalarConstant(n.b, n.loc, elementType, constant);
    return n.setOutput(0,
                       padTensor(n.b, n.loc, source, low, high, constantValue));
  }
  if (mode != "reflect" && mode != "edge")
    return n.unsupported("mode '" + mode + "'");
  ArrayRef<int64_t> sourceShape = shapeOf(source);
  for (int64_t d = 0; d < rank; ++d)
    if (sourceShape[d] == 0 ||
        (mode == "reflect" &&
         (low[d] >= sourceShape[d] || high[d] >= sourceShape[d])))
      return n.unsupported("pads larger than the input in mode '" + mode + "'");
  bool reflect = mode == "reflect";
  Value result = buildIndexedElementwise(
      n.b, n.loc, {}, *type,
      [&](OpBuilder &b, Location loc, ValueRange, ValueRange iv) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d) {
          auto cst = [&](int64_t v) {
            return arith::ConstantIndexOp::create(b, loc, v);
          };
          int64_t size = sourceShape[d];
          Value i = arith::SubIOp::create(b, loc, iv[d], cst(low[d]));
          if (reflect) {
            // -i before the start, 2(size-1) - i past the end.
            Value negative = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::slt, i, cst(0));
            i = arith::SelectOp::create(
                b, loc, negative, arith::SubIOp::create(b, loc, cst(0), i), i);
            Value past = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::sge, i, cst(size));
            i = arith::SelectOp::create(
                b, loc, past,
                arith::SubIOp::create(b, loc, cst(2 * (size - 1)), i), i);
          } else {
            i = arith::MaxSIOp::create(b, loc, i, cst(0));
            i = arith::MinSIOp::create(b, loc, i, cst(size - 1));
          }
          at.push_back(i);
        }
        return tensor::ExtractOp::create(b, loc, source, at).getResult();
      });
  return n.setOutput(0, result);
}

/// DepthToSpace / SpaceToDepth: reshape, transpose, reshape.
LogicalResult convertDepthSpace(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  ArrayRef<int64_t> s = shapeOf(*x);
  if (s.size() != 4)
    return n.emitError() << "expected a 4-D input";
  int64_t bs = n.getInt("blocksize", 0);
  if (bs <= 0)
    return n.emitError() << "blocksize must be positive";
  int64_t N = s[0], C = s[1], H = s[2], W = s[3];
  Value v;
  if (n.opType() == "DepthToSpace") {
    bool crd = n.getString("mode", "DCR") == "CRD";
    int64_t c = C / (bs * bs);
    if (crd) {
      v = reshapeTo(n.b, n.loc, *x, {N, c, bs, bs, H, W});
      v = transposeTensor(n.b, n.loc, v, {0, 1, 4, 2, 5, 3});
    } else {
      v = reshapeTo(n.b, n.loc, *x, {N, bs, bs, c, H, W});
      v = transposeTensor(n.b, n.loc, v, {0, 3, 4, 1, 5, 2});
    }
  } else {
    v = reshapeTo(n.b, n.loc, *x, {N, C, H / bs, bs, W / bs, bs});
    v = transposeTensor(n.b, n.loc, v, {0, 3, 5, 1, 2, 4});
  }
  return n.setOutput(0, reshapeTo(n.b, n.loc, v, type->getShape()));
}

} // namespace

void mlir::hm::onnx_import::populateDataMovementConverters(
    ConverterMap &converters) {
  converters["Concat"] = convertConcat;
  converters["Split"] = convertSplit;
  converters["Slice"] = convertSlice;
  converters["Gather"] = convertGather;
  converters["GatherElements"] = convertGatherElements;
  converters["GatherND"] = convertGatherND;
  converters["Expand"] = convertExpand;
  converters["Tile"] = convertTile;
  converters["Pad"] = convertPad;
  converters["DepthToSpace"] = convertDepthSpace;
  converters["SpaceToDepth"] = convertDepthSpace;
}
