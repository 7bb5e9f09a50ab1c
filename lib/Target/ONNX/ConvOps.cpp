//===- ConvOps.cpp - Conv and ConvTranspose -------------------------------===//
//
// Conv: explicit padding (tensor.pad), then linalg.conv_2d_nchw_fchw,
// depthwise_conv_2d_nchw_chw, conv_2d_ngchw_gfchw, conv_1d_ncw_fcw or
// conv_3d_ncdhw_fcdhw, accumulating into the broadcast bias; other ranks
// and groupings as a linalg.generic. ConvTranspose: the input spread out by
// the stride (tensor.insert_slice with strides), padded, and convolved with
// the flipped kernel.
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Windows.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::hm::onnx_import;

FailureOr<WindowParams> mlir::hm::onnx_import::readWindowParams(
    NodeImporter &n, ArrayRef<int64_t> inSpatial, ArrayRef<int64_t> kernel,
    bool allowDilations) {
  size_t rank = inSpatial.size();
  WindowParams p;
  auto readList = [&](llvm::StringRef name, int64_t defaultValue,
                      SmallVector<int64_t> &out) -> LogicalResult {
    std::optional<SmallVector<int64_t>> v = n.getInts(name);
    if (!v || v->empty()) {
      out.assign(rank, defaultValue);
      return success();
    }
    if (v->size() != rank)
      return n.emitError() << "attribute '" << name << "' has " << v->size()
                           << " entries for " << rank << " spatial dims";
    out = *v;
    return success();
  };
  if (failed(readList("strides", 1, p.strides)))
    return failure();
  if (allowDilations && failed(readList("dilations", 1, p.dilations)))
    return failure();
  if (!allowDilations)
    p.dilations.assign(rank, 1);
  std::optional<SmallVector<int64_t>> kernelAttr = n.getInts("kernel_shape");
  if (kernelAttr) {
    if (!kernel.empty() && ArrayRef<int64_t>(*kernelAttr) != kernel)
      return n.emitError() << "kernel_shape does not match the weights";
    p.kernel = *kernelAttr;
  } else if (!kernel.empty()) {
    p.kernel.assign(kernel.begin(), kernel.end());
  } else {
    return n.emitError() << "attribute 'kernel_shape' is required";
  }
  if (p.kernel.size() != rank)
    return n.emitError() << "the kernel has " << p.kernel.size() << " dims for "
                         << rank << " spatial dims";
  for (size_t i = 0; i < rank; ++i)
    if (p.strides[i] <= 0 || p.dilations[i] <= 0 || p.kernel[i] <= 0)
      return n.emitError() << "strides, dilations and kernel sizes must be "
                              "positive";

  std::string autoPad = n.getString("auto_pad", "NOTSET");
  p.padBegin.assign(rank, 0);
  p.padEnd.assign(rank, 0);
  if (autoPad == "NOTSET") {
    if (std::optional<SmallVector<int64_t>> pads = n.getInts("pads")) {
      if (pads->size() != 2 * rank)
        return n.emitError() << "attribute 'pads' has " << pads->size()
                             << " entries for " << rank << " spatial dims";
      for (size_t i = 0; i < rank; ++i) {
        p.padBegin[i] = (*pads)[i];
        p.padEnd[i] = (*pads)[rank + i];
      }
    }
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (size_t i = 0; i < rank; ++i) {
      int64_t out = (inSpatial[i] + p.strides[i] - 1) / p.strides[i];
      int64_t total = std::max<int64_t>(
          0, (out - 1) * p.strides[i] + (p.kernel[i] - 1) * p.dilations[i] + 1 -
                 inSpatial[i]);
      int64_t small = total / 2, large = total - small;
      p.padBegin[i] = autoPad == "SAME_UPPER" ? small : large;
      p.padEnd[i] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "VALID") {
    return n.unsupported("auto_pad value '" + autoPad + "'");
  }
  for (size_t i = 0; i < rank; ++i)
    if (p.padBegin[i] < 0 || p.padEnd[i] < 0)
      return n.unsupported("negative pads");
  return p;
}

/// `strides`/`dilations` attributes of the named convolutions and poolings.
static DenseIntElementsAttr i64Vector(OpBuilder &b, ArrayRef<int64_t> v) {
  return b.getI64TensorAttr(v);
}

/// A generic grouped convolution of any spatial rank.
static Value genericConvolution(OpBuilder &b, Location loc, Value x5, Value w5,
                                Value init5, ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> dilations) {
  MLIRContext *context = b.getContext();
  int64_t rank = strides.size();
  // Loops: n, g, m, out[rank], c, k[rank].
  int64_t numLoops = 4 + 2 * rank;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, context); };
  SmallVector<AffineExpr> xExprs = {d(0), d(1), d(3 + rank)};
  SmallVector<AffineExpr> wExprs = {d(1), d(2), d(3 + rank)};
  SmallVector<AffineExpr> outExprs = {d(0), d(1), d(2)};
  for (int64_t i = 0; i < rank; ++i) {
    xExprs.push_back(d(3 + i) * strides[i] + d(4 + rank + i) * dilations[i]);
    wExprs.push_back(d(4 + rank + i));
    outExprs.push_back(d(3 + i));
  }
  SmallVector<AffineMap> maps = {
      AffineMap::get(numLoops, 0, xExprs, context),
      AffineMap::get(numLoops, 0, wExprs, context),
      AffineMap::get(numLoops, 0, outExprs, context)};
  SmallVector<utils::IteratorType> iterators(3 + rank,
                                             utils::IteratorType::parallel);
  iterators.append(1 + rank, utils::IteratorType::reduction);
  Type elementType = elementTypeOf(init5);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init5.getType()}, ValueRange{x5, w5},
             ValueRange{init5}, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               ScalarMath m(nb, nl, elementType);
               linalg::YieldOp::create(nb, nl,
                                       m.add(args[2], m.mul(args[0], args[1])));
             })
      .getResult(0);
}

Value mlir::hm::onnx_import::buildConvolution(OpBuilder &b, Location loc,
                                              Value x, Value w, Value bias,
                                              ArrayRef<int64_t> strides,
                                              ArrayRef<int64_t> dilations,
                                              int64_t groups,
                                              RankedTensorType resultType) {
  ArrayRef<int64_t> xShape = shapeOf(x), wShape = shapeOf(w),
                    outShape = resultType.getShape();
  int64_t rank = strides.size();
  int64_t batch = xShape[0], channels = xShape[1], filters = wShape[0];
  int64_t perGroupIn = channels / groups, perGroupOut = filters / groups;
  Type elementType = resultType.getElementType();

  // The accumulator starts as the bias broadcast over batch and space.
  Value init;
  if (bias) {
    SmallVector<int64_t> dims = {0};
    for (int64_t i = 0; i < rank; ++i)
      dims.push_back(2 + i);
    Value empty = emptyTensor(b, loc, outShape, elementType);
    init =
        linalg::BroadcastOp::create(b, loc, bias, empty, dims).getResult()[0];
  } else {
    init =
        filledTensor(b, loc, outShape, scalarConstant(b, loc, elementType, 0));
  }
  auto stridesAttr = i64Vector(b, strides);
  auto dilationsAttr = i64Vector(b, dilations);
  if (groups == 1 && rank == 2)
    return linalg::Conv2DNchwFchwOp::create(b, loc, TypeRange{resultType},
                                            ValueRange{x, w}, ValueRange{init},
                                            stridesAttr, dilationsAttr)
        .getResult(0);
  if (groups == 1 && rank == 1)
    return linalg::Conv1DNcwFcwOp::create(b, loc, TypeRange{resultType},
                                          ValueRange{x, w}, ValueRange{init},
                                          stridesAttr, dilationsAttr)
        .getResult(0);
  if (groups == 1 && rank == 3)
    return linalg::Conv3DNcdhwFcdhwOp::create(
               b, loc, TypeRange{resultType}, ValueRange{x, w},
               ValueRange{init}, stridesAttr, dilationsAttr)
        .getResult(0);
  if (rank == 2 && groups == channels && filters == channels) {
    // Depthwise: one filter per channel.
    Value filter = reshapeTo(b, loc, w, {channels, wShape[2], wShape[3]});
    return linalg::DepthwiseConv2DNchwChwOp::create(
               b, loc, TypeRange{resultType}, ValueRange{x, filter},
               ValueRange{init}, stridesAttr, dilationsAttr)
        .getResult(0);
  }

  // Grouped: split the channel dimensions into (group, per-group).
  SmallVector<int64_t> x5Shape = {batch, groups, perGroupIn};
  x5Shape.append(xShape.begin() + 2, xShape.end());
  SmallVector<int64_t> w5Shape = {groups, perGroupOut, perGroupIn};
  w5Shape.append(wShape.begin() + 2, wShape.end());
  SmallVector<int64_t> out5Shape = {batch, groups, perGroupOut};
  out5Shape.append(outShape.begin() + 2, outShape.end());
  Value x5 = reshapeTo(b, loc, x, x5Shape);
  Value w5 = reshapeTo(b, loc, w, w5Shape);
  Value init5 = reshapeTo(b, loc, init, out5Shape);
  Value out5;
  if (rank == 2)
    out5 = linalg::Conv2DNgchwGfchwOp::create(
               b, loc, TypeRange{init5.getType()}, ValueRange{x5, w5},
               ValueRange{init5}, stridesAttr, dilationsAttr)
               .getResult(0);
  else
    out5 = genericConvolution(b, loc, x5, w5, init5, strides, dilations);
  return reshapeTo(b, loc, out5, outShape);
}

namespace {

/// Checks that the weights' and input's channels agree with `group`.
LogicalResult checkGroups(NodeImporter &n, int64_t channels,
                          int64_t weightChannels, int64_t filters,
                          int64_t group) {
  if (group <= 0 || channels % group != 0 || filters % group != 0 ||
      weightChannels != channels / group)
    return n.emitError() << "group = " << group << " does not fit " << channels
                         << " input channels and weights with "
                         << weightChannels << " channels";
  return success();
}

LogicalResult convertConv(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), w = n.input(1);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(w) || failed(type))
    return failure();
  ArrayRef<int64_t> xShape = shapeOf(*x), wShape = shapeOf(*w);
  if (xShape.size() < 3 || wShape.size() != xShape.size())
    return n.emitError() << "expected input [N, C, spatial...] and weights "
                            "[M, C/group, kernel...]";
  int64_t group = n.getInt("group", 1);
  if (failed(checkGroups(n, xShape[1], wShape[1], wShape[0], group)))
    return failure();
  FailureOr<WindowParams> p =
      readWindowParams(n, xShape.drop_front(2), wShape.drop_front(2),
                       /*allowDilations=*/true);
  if (failed(p))
    return failure();
  Value bias;
  if (n.hasInput(2)) {
    FailureOr<Value> bv = n.input(2);
    if (failed(bv))
      return failure();
    bias = *bv;
  }
  SmallVector<int64_t> low = {0, 0}, high = {0, 0};
  low.append(p->padBegin);
  high.append(p->padEnd);
  Value zero = scalarConstant(n.b, n.loc, type->getElementType(), 0);
  Value padded = padTensor(n.b, n.loc, *x, low, high, zero);
  return n.setOutput(0,
                     buildConvolution(n.b, n.loc, padded, *w, bias, p->strides,
                                      p->dilations, group, *type));
}

LogicalResult convertConvTranspose(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), w = n.input(1);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(w) || failed(type))
    return failure();
  OpBuilder &b = n.b;
  Location loc = n.loc;
  ArrayRef<int64_t> xShape = shapeOf(*x), wShape = shapeOf(*w);
  if (xShape.size() < 3 || wShape.size() != xShape.size())
    return n.emitError() << "expected input [N, C, spatial...] and weights "
                            "[C, M/group, kernel...]";
  int64_t rank = xShape.size() - 2;
  int64_t group = n.getInt("group", 1);
  int64_t channels = xShape[1], perGroupOut = wShape[1];
  if (group <= 0 || channels % group != 0 || wShape[0] != channels)
    return n.emitError() << "group = " << group << " does not fit the "
                         << "input and weight channels";
  int64_t perGroupIn = channels / group, filters = perGroupOut * group;
  ArrayRef<int64_t> kernel = wShape.drop_front(2);
  ArrayRef<int64_t> inSpatial = xShape.drop_front(2);
  ArrayRef<int64_t> outSpatial = type->getShape().drop_front(2);

  // Pads: given, or derived from output_shape / auto_pad SAME_*.
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  SmallVector<int64_t> strides(rank, 1), dilations(rank, 1),
      outputPadding(rank, 0), padBegin(rank, 0), padEnd(rank, 0);
  auto readList = [&](llvm::StringRef name,
                      SmallVector<int64_t> &out) -> LogicalResult {
    if (std::optional<SmallVector<int64_t>> v = n.getInts(name)) {
      if (static_cast<int64_t>(v->size()) != rank)
        return n.emitError() << "attribute '" << name << "' has " << v->size()
                             << " entries for " << rank << " spatial dims";
      out = *v;
    }
    return success();
  };
  if (failed(readList("strides", strides)) ||
      failed(readList("dilations", dilations)) ||
      failed(readList("output_padding", outputPadding)))
    return failure();
  if (auto k = n.getInts("kernel_shape"))
    if (ArrayRef<int64_t>(*k) != kernel)
      return n.emitError() << "kernel_shape does not match the weights";
  std::optional<SmallVector<int64_t>> outputShape = n.getInts("output_shape");
  if (outputShape && outputShape->size() == static_cast<size_t>(rank + 2))
    outputShape =
        SmallVector<int64_t>(outputShape->begin() + 2, outputShape->end());
  if (outputShape || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int64_t i = 0; i < rank; ++i) {
      int64_t target =
          outputShape ? (*outputShape)[i] : inSpatial[i] * strides[i];
      int64_t total = strides[i] * (inSpatial[i] - 1) + outputPadding[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - target;
      // Floor division, as ONNX's reference does: a negative total (an
      // output_shape past the natural size) extends the end.
      int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
      if (autoPad == "SAME_UPPER") {
        padBegin[i] = half;
        padEnd[i] = total - half;
      } else {
        padBegin[i] = total - half;
        padEnd[i] = half;
      }
    }
  } else if (autoPad == "NOTSET") {
    if (std::optional<SmallVector<int64_t>> pads = n.getInts("pads")) {
      if (static_cast<int64_t>(pads->size()) != 2 * rank)
        return n.emitError() << "attribute 'pads' has the wrong length";
      for (int64_t i = 0; i < rank; ++i) {
        padBegin[i] = (*pads)[i];
        padEnd[i] = (*pads)[rank + i];
      }
    }
  } else if (autoPad != "VALID") {
    return n.unsupported("auto_pad value '" + autoPad + "'");
  }
  for (int64_t i = 0; i < rank; ++i) {
    int64_t expected = strides[i] * (inSpatial[i] - 1) + outputPadding[i] +
                       (kernel[i] - 1) * dilations[i] + 1 - padBegin[i] -
                       padEnd[i];
    if (expected != outSpatial[i])
      return n.emitError() << "output size " << outSpatial[i]
                           << " of spatial dim " << i
                           << " does not follow from the attributes ("
                           << expected << ")";
  }

  Type elementType = type->getElementType();
  Value zero = scalarConstant(b, loc, elementType, 0);
  // 1. Spread the input out by the stride.
  SmallVector<int64_t> spreadShape = {xShape[0], channels};
  SmallVector<OpFoldResult> offsets(rank + 2, b.getIndexAttr(0)), sizes,
      steps(2, b.getIndexAttr(1));
  for (int64_t d : xShape)
    sizes.push_back(b.getIndexAttr(d));
  for (int64_t i = 0; i < rank; ++i) {
    spreadShape.push_back((inSpatial[i] - 1) * strides[i] + 1);
    steps.push_back(b.getIndexAttr(strides[i]));
  }
  Value spread = *x;
  if (llvm::any_of(strides, [](int64_t s) { return s != 1; }))
    spread = tensor::InsertSliceOp::create(
        b, loc, *x, filledTensor(b, loc, spreadShape, zero), offsets, sizes,
        steps);
  // 2. Pad by (kernel extent - 1 - pad); crop where that is negative.
  SmallVector<int64_t> low(2, 0), high(2, 0), cropOffset(2, 0),
      cropSize(spreadShape.begin(), spreadShape.begin() + 2);
  bool crop = false;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t extent = (kernel[i] - 1) * dilations[i];
    int64_t l = extent - padBegin[i];
    int64_t h = extent - padEnd[i] + outputPadding[i];
    low.push_back(std::max<int64_t>(l, 0));
    high.push_back(std::max<int64_t>(h, 0));
    int64_t begin = std::max<int64_t>(-l, 0), end = std::max<int64_t>(-h, 0);
    crop |= begin || end;
    cropOffset.push_back(begin);
    cropSize.push_back(spreadShape[2 + i] - begin - end);
  }
  if (crop)
    spread = tensor::ExtractSliceOp::create(
        b, loc, spread, getAsIndexOpFoldResult(b.getContext(), cropOffset),
        getAsIndexOpFoldResult(b.getContext(), cropSize),
        SmallVector<OpFoldResult>(rank + 2, b.getIndexAttr(1)));
  Value padded = padTensor(b, loc, spread, low, high, zero);

  // 3. Flip the kernel and swap its channel dims: W' [M, C/group, k...]
  //    with W'[g*Mg + m][c][k] = W[g*Cg + c][m][K-1-k].
  MLIRContext *context = b.getContext();
  SmallVector<int64_t> w5Shape = {group, perGroupIn, perGroupOut};
  w5Shape.append(kernel.begin(), kernel.end());
  SmallVector<int64_t> flippedShape = {group, perGroupOut, perGroupIn};
  flippedShape.append(kernel.begin(), kernel.end());
  int64_t numLoops = 3 + rank;
  SmallVector<AffineExpr> readExprs = {getAffineDimExpr(0, context),
                                       getAffineDimExpr(2, context),
                                       getAffineDimExpr(1, context)};
  for (int64_t i = 0; i < rank; ++i)
    readExprs.push_back(kernel[i] - 1 - getAffineDimExpr(3 + i, context));
  Value w5 = reshapeTo(b, loc, *w, w5Shape);
  auto flip = linalg::GenericOp::create(
      b, loc, TypeRange{RankedTensorType::get(flippedShape, elementType)},
      ValueRange{w5},
      ValueRange{emptyTensor(b, loc, flippedShape, elementType)},
      SmallVector<AffineMap>{
          AffineMap::get(numLoops, 0, readExprs, context),
          AffineMap::getMultiDimIdentityMap(numLoops, context)},
      SmallVector<utils::IteratorType>(numLoops, utils::IteratorType::parallel),
      [](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, args[0]);
      });
  SmallVector<int64_t> filterShape = {filters, perGroupIn};
  filterShape.append(kernel.begin(), kernel.end());
  Value filter = reshapeTo(b, loc, flip.getResult(0), filterShape);

  Value bias;
  if (n.hasInput(2)) {
    FailureOr<Value> bv = n.input(2);
    if (failed(bv))
      return failure();
    bias = *bv;
  }
  SmallVector<int64_t> unit(rank, 1);
  return n.setOutput(0, buildConvolution(b, loc, padded, filter, bias, unit,
                                         dilations, group, *type));
}

} // namespace

void mlir::hm::onnx_import::populateConvConverters(ConverterMap &converters) {
  converters["Conv"] = convertConv;
  converters["ConvTranspose"] = convertConvTranspose;
}
