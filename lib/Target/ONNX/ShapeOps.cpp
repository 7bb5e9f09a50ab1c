//===- ShapeOps.cpp - Constants, identities and reshapes ------------------===//
//
// Constant, Identity, Dropout (inference), the reshapes (Reshape, Flatten,
// Squeeze, Unsqueeze: tensor.collapse_shape / tensor.expand_shape),
// Transpose (linalg.transpose), and what is left of shape arithmetic after
// import-time folding (Shape, Size, ConstantOfShape, Range).
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Importer.h"
#include "Tensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

LogicalResult convertConstant(NodeImporter &n) {
  if (n.node.attribute_size() != 1)
    return n.emitError() << "expected exactly one value attribute";
  const onnx::AttributeProto &attr = n.node.attribute(0);
  const std::string &out = n.node.output(0);
  if (attr.name() == "value") {
    if (!convertDataType(n.getContext(), attr.t().data_type()))
      return n.unsupported("data type " + dataTypeName(attr.t().data_type()));
    n.scope.constants[out] = &attr.t();
    return success();
  }
  if (attr.name() == "sparse_value")
    return n.unsupported("attribute 'sparse_value' (sparse tensors)");
  if (attr.name() == "value_string" || attr.name() == "value_strings")
    return n.unsupported("data type string (attribute '" + attr.name() + "')");
  onnx::TensorProto tensor;
  if (attr.name() == "value_float") {
    tensor = makeTensor(onnx::TensorProto::FLOAT, {}, {attr.f()});
  } else if (attr.name() == "value_floats") {
    SmallVector<double> v(attr.floats().begin(), attr.floats().end());
    tensor = makeTensor(onnx::TensorProto::FLOAT,
                        {static_cast<int64_t>(v.size())}, v);
  } else if (attr.name() == "value_int") {
    tensor = makeIntTensor(onnx::TensorProto::INT64, {}, {attr.i()});
  } else if (attr.name() == "value_ints") {
    SmallVector<int64_t> v(attr.ints().begin(), attr.ints().end());
    tensor = makeIntTensor(onnx::TensorProto::INT64,
                           {static_cast<int64_t>(v.size())}, v);
  } else {
    return n.unsupported("attribute '" + attr.name() + "'");
  }
  tensor.set_name(out);
  n.scope.constants[out] = n.importer.ownTensor(std::move(tensor));
  return success();
}

LogicalResult convertIdentity(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  return n.setOutput(0, *x);
}

LogicalResult convertDropout(NodeImporter &n) {
  // Inference: the identity. training_mode (opset 12+) must be false.
  if (n.hasInput(2)) {
    FailureOr<SmallVector<int64_t>> training =
        n.constantInts(2, "training_mode");
    if (failed(training))
      return failure();
    if (!training->empty() && (*training)[0] != 0) {
      // Training drops at random, unless the ratio is 0.
      const onnx::TensorProto *ratio = n.constantInput(1);
      std::string error;
      std::optional<SmallVector<double>> r =
          ratio ? tensorToDoubles(*ratio, error) : std::nullopt;
      if (!r || r->size() != 1 || (*r)[0] != 0)
        return n.unsupported("training_mode = true with a non-zero ratio "
                             "(random dropout; only inference is supported)");
    }
  }
  if (n.sinceVersion < 7 && n.getInt("is_test", 0) == 0)
    return n.unsupported("is_test = 0 (only inference is supported)");
  FailureOr<Value> x = n.input(0);
  if (failed(x) || failed(n.setOutput(0, *x)))
    return failure();
  if (n.hasOutput(1)) {
    FailureOr<RankedTensorType> maskType = n.outputType(1);
    if (failed(maskType))
      return failure();
    Value trueValue = scalarConstant(n.b, n.loc, maskType->getElementType(), 1);
    return n.setOutput(
        1, filledTensor(n.b, n.loc, maskType->getShape(), trueValue));
  }
  return success();
}

/// Reshape, Flatten, Squeeze, Unsqueeze: the inferred shape says it all,
/// once the inputs that decide it are known (a declared output shape alone
/// is a promise the run-time shape input could break).
LogicalResult convertReshapeLike(NodeImporter &n) {
  if (n.hasInput(1) && !n.constantInput(1))
    return n.emitError() << "input '"
                         << (n.opType() == "Reshape" ? "shape" : "axes")
                         << "' must be known at import time (a constant, or "
                            "computed from shapes); data-dependent shapes "
                            "are not supported";
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  if (type->getNumElements() !=
      cast<RankedTensorType>(x->getType()).getNumElements())
    return n.emitError() << "cannot reshape " << x->getType() << " to "
                         << *type;
  return n.setOutput(0, reshapeTo(n.b, n.loc, *x, type->getShape()));
}

LogicalResult convertTranspose(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  int64_t rank = shapeOf(*x).size();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> attr = n.getInts("perm")) {
    perm = *attr;
  } else {
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  }
  if (static_cast<int64_t>(perm.size()) != rank)
    return n.emitError() << "perm has " << perm.size() << " entries for a rank-"
                         << rank << " input";
  SmallVector<bool> seen(rank, false);
  for (int64_t &p : perm) {
    FailureOr<int64_t> axis = n.normalizeAxis(p, rank, "perm entry");
    if (failed(axis) || seen[*axis])
      return n.emitError() << "perm is not a permutation";
    p = *axis;
    seen[p] = true;
  }
  return n.setOutput(0, transposeTensor(n.b, n.loc, *x, perm));
}

/// Shape and Size of a statically shaped tensor: constants.
LogicalResult convertShapeOrSize(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  SmallVector<int64_t> values;
  if (n.opType() == "Size") {
    int64_t count = 1;
    for (int64_t d : shape)
      count *= d;
    values.push_back(count);
  } else {
    int64_t rank = shape.size();
    int64_t start = n.getInt("start", 0), end = n.getInt("end", rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    for (int64_t i = start; i < end; ++i)
      values.push_back(shape[i]);
  }
  onnx::TensorProto tensor =
      makeIntTensor(onnx::TensorProto::INT64, type->getShape(), values);
  tensor.set_name(n.node.output(0));
  n.scope.constants[n.node.output(0)] = n.importer.ownTensor(std::move(tensor));
  return success();
}

LogicalResult convertConstantOfShape(NodeImporter &n) {
  if (failed(n.constantInts(0, "input")))
    return failure();
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(type))
    return failure();
  double value = 0;
  if (const onnx::AttributeProto *attr = n.attribute("value")) {
    std::string error;
    std::optional<SmallVector<double>> values =
        tensorToDoubles(attr->t(), error);
    if (!values || values->size() != 1)
      return n.emitError() << "attribute 'value' must hold one element";
    value = (*values)[0];
  }
  Value scalar = scalarConstant(n.b, n.loc, type->getElementType(), value);
  return n.setOutput(0, filledTensor(n.b, n.loc, type->getShape(), scalar));
}

LogicalResult convertRange(NodeImporter &n) {
  FailureOr<Value> start = n.input(0), delta = n.input(2);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(start) || failed(delta) || failed(type))
    return failure();
  // The length depends on all three inputs: they must be known.
  FailureOr<SmallVector<double>> s = n.constantDoubles(0, "start"),
                                 l = n.constantDoubles(1, "limit"),
                                 d = n.constantDoubles(2, "delta");
  if (failed(s) || failed(l) || failed(d))
    return failure();
  if ((*d)[0] == 0 ||
      std::max<int64_t>(
          0, static_cast<int64_t>(std::ceil(((*l)[0] - (*s)[0]) / (*d)[0]))) !=
          type->getShape()[0])
    return n.emitError() << "the range's length disagrees with its type";
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(0));
  Value result = buildIndexedElementwise(
      n.b, n.loc, {*start, *delta}, *type,
      [&](OpBuilder &b, Location loc, ValueRange args, ValueRange indices) {
        Type elementType = type->getElementType();
        ScalarMath m(b, loc, elementType, isUnsigned);
        Value i =
            arith::IndexCastOp::create(b, loc, b.getI64Type(), indices[0]);
        i = convertScalar(b, loc, i, elementType, false, isUnsigned);
        return m.add(args[0], m.mul(i, args[1]));
      });
  return n.setOutput(0, result);
}

} // namespace

void mlir::hm::onnx_import::populateShapeConverters(ConverterMap &converters) {
  converters["Constant"] = convertConstant;
  converters["Identity"] = convertIdentity;
  converters["Dropout"] = convertDropout;
  converters["Reshape"] = convertReshapeLike;
  converters["Flatten"] = convertReshapeLike;
  converters["Squeeze"] = convertReshapeLike;
  converters["Unsqueeze"] = convertReshapeLike;
  converters["Transpose"] = convertTranspose;
  converters["Shape"] = convertShapeOrSize;
  converters["Size"] = convertShapeOrSize;
  converters["ConstantOfShape"] = convertConstantOfShape;
  converters["Range"] = convertRange;
}
