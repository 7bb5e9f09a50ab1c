//===- ElementwiseOps.cpp - Binary and n-ary element-wise operators -------===//
//
// Arithmetic and comparisons with numpy broadcasting, Where, Clip and Cast:
// each one linalg.generic whose operands are read through broadcasting
// indexing maps.
//
//===----------------------------------------------------------------------===//

#include "Elementwise.h"
#include "EmitUtils.h"
#include "Tensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

/// Before opset 7, binary operators broadcast only with `broadcast = 1`,
/// the second operand's dims placed at `axis` of the first (suffix-aligned
/// without `axis`); PRelu's slope [C] goes along the channels. Reshapes the
/// second operand so that numpy broadcasting means the same.
LogicalResult alignLegacyBroadcast(NodeImporter &n,
                                   SmallVectorImpl<Value> &operands) {
  if (n.sinceVersion >= 7 || operands.size() != 2)
    return success();
  ArrayRef<int64_t> a = shapeOf(operands[0]), b = shapeOf(operands[1]);
  if (a == b)
    return success();
  int64_t axis = -1;
  if (n.opType() == "PRelu") {
    if (b.size() == 1 && a.size() >= 2 && b[0] == a[1])
      axis = 1;
  } else if (n.getInt("broadcast", 0) == 0) {
    return n.emitError() << "operands of different shapes without "
                            "'broadcast' = 1";
  } else if (n.hasAttribute("axis")) {
    axis = n.getInt("axis", 0);
  }
  if (axis < 0)
    return success();
  if (axis + b.size() > a.size())
    return n.emitError() << "'axis' places the second operand out of range";
  SmallVector<int64_t> shape(axis, 1);
  shape.append(b.begin(), b.end());
  shape.resize(a.size(), 1);
  operands[1] = reshapeTo(n.b, n.loc, operands[1], shape);
  return success();
}

} // namespace

LogicalResult mlir::hm::onnx_import::convertElementwise(NodeImporter &n,
                                                        ElementFn fn,
                                                        unsigned typeInput) {
  SmallVector<Value> operands;
  for (unsigned i = 0; i < n.numInputs(); ++i) {
    if (!n.hasInput(i))
      continue;
    FailureOr<Value> v = n.input(i);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(type))
    return failure();
  if (failed(alignLegacyBroadcast(n, operands)))
    return failure();
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : operands)
    shapes.push_back(shapeOf(v));
  std::optional<SmallVector<int64_t>> broadcast = broadcastShapes(shapes);
  if (!broadcast || ArrayRef<int64_t>(*broadcast) != type->getShape()) {
    InFlightDiagnostic diag = n.emitError();
    diag << "operand shapes";
    for (Value v : operands)
      diag << " " << v.getType();
    return diag << " do not broadcast to the result " << *type;
  }
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(typeInput));
  Value result = buildElementwise(
      n.b, n.loc, operands, *type,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        ScalarMath m(b, loc, args[typeInput].getType(), isUnsigned);
        return fn(m, args);
      });
  return n.setOutput(0, result);
}

LogicalResult mlir::hm::onnx_import::requireFloat(NodeImporter &n) {
  int32_t t = n.inputDataType(0);
  if (!isFloatDataType(t))
    return n.unsupported("data type " + dataTypeName(t) +
                         " (only floating-point types are supported)");
  return success();
}

namespace {

LogicalResult convertAdd(NodeImporter &n) {
  return convertElementwise(
      n, [](ScalarMath &m, ValueRange a) { return m.add(a[0], a[1]); });
}
LogicalResult convertSub(NodeImporter &n) {
  return convertElementwise(
      n, [](ScalarMath &m, ValueRange a) { return m.sub(a[0], a[1]); });
}
LogicalResult convertMul(NodeImporter &n) {
  return convertElementwise(
      n, [](ScalarMath &m, ValueRange a) { return m.mul(a[0], a[1]); });
}
LogicalResult convertDiv(NodeImporter &n) {
  return convertElementwise(
      n, [](ScalarMath &m, ValueRange a) { return m.div(a[0], a[1]); });
}

LogicalResult convertMod(NodeImporter &n) {
  bool fmod = n.getInt("fmod", 0) != 0;
  bool isFloat = isFloatDataType(n.inputDataType(0));
  if (isFloat && !fmod)
    return n.unsupported("fmod = 0 with floating-point inputs (ONNX "
                         "requires fmod = 1 for them)");
  return convertElementwise(n, [&](ScalarMath &m, ValueRange a) -> Value {
    Value x = a[0], y = a[1];
    if (m.isFloat)
      return arith::RemFOp::create(m.b, m.loc, x, y);
    if (m.isUnsigned)
      return arith::RemUIOp::create(m.b, m.loc, x, y);
    Value r = arith::RemSIOp::create(m.b, m.loc, x, y);
    if (fmod)
      return r;
    // Python's %: the result takes the divisor's sign.
    Value zero = m.constant(0);
    Value nonzero =
        arith::CmpIOp::create(m.b, m.loc, arith::CmpIPredicate::ne, r, zero);
    Value signsDiffer =
        arith::XOrIOp::create(m.b, m.loc, m.lt(r, zero), m.lt(y, zero));
    Value fix = arith::AndIOp::create(m.b, m.loc, nonzero, signsDiffer);
    return m.select(fix, m.add(r, y), r);
  });
}

LogicalResult convertPow(NodeImporter &n) {
  int32_t expType = n.inputDataType(1);
  bool expUnsigned = isUnsignedIntDataType(expType);
  // x^2 and x^0.5 are common (LayerNorm's decomposed form); keep them exact
  // and cheap.
  std::optional<double> constantExponent;
  if (const onnx::TensorProto *e = n.constantInput(1))
    if (numElements(*e) == 1) {
      std::string error;
      if (auto v = tensorToDoubles(*e, error))
        constantExponent = (*v)[0];
    }
  return convertElementwise(n, [&](ScalarMath &m, ValueRange a) -> Value {
    Value x = a[0], y = a[1];
    if (constantExponent && *constantExponent == 2.0)
      return m.mul(x, x);
    if (constantExponent && *constantExponent == 1.0)
      return x;
    if (constantExponent && *constantExponent == 0.5 && m.isFloat)
      return m.sqrt(x);
    if (m.isFloat) {
      y = convertScalar(m.b, m.loc, y, m.type, expUnsigned, false);
      return math::PowFOp::create(m.b, m.loc, x, y);
    }
    if (isFloatDataType(expType)) {
      // Integer base, float exponent: compute in the exponent's type.
      Value fx = convertScalar(m.b, m.loc, x, y.getType(), m.isUnsigned, false);
      Value p = math::PowFOp::create(m.b, m.loc, fx, y);
      return convertScalar(m.b, m.loc, p, m.type, false, m.isUnsigned);
    }
    // Integer powers through f64 (exact while the result fits 53 bits):
    // math.ipowi has no lowering in the CPU and GPU pipelines.
    Type f64 = m.b.getF64Type();
    Value fx = convertScalar(m.b, m.loc, x, f64, m.isUnsigned, false);
    Value fy = convertScalar(m.b, m.loc, y, f64, expUnsigned, false);
    Value p = math::PowFOp::create(m.b, m.loc, fx, fy);
    return convertScalar(m.b, m.loc, p, m.type, false, m.isUnsigned);
  });
}

/// Max, Min, Sum, Mean over any number of inputs.
template <char Kind> LogicalResult convertVariadic(NodeImporter &n) {
  unsigned count = 0;
  for (unsigned i = 0; i < n.numInputs(); ++i)
    count += n.hasInput(i);
  return convertElementwise(n, [&](ScalarMath &m, ValueRange a) {
    Value r = a[0];
    for (Value v : a.drop_front()) {
      if (Kind == 'M')
        r = m.max(r, v);
      else if (Kind == 'm')
        r = m.min(r, v);
      else
        r = m.add(r, v);
    }
    if (Kind == 'a')
      r = m.div(r, m.constant(count));
    return r;
  });
}

template <typename Cmp> LogicalResult comparison(NodeImporter &n, Cmp cmp) {
  return convertElementwise(
      n, [&](ScalarMath &m, ValueRange a) { return cmp(m, a[0], a[1]); });
}

LogicalResult convertEqual(NodeImporter &n) {
  return comparison(n,
                    [](ScalarMath &m, Value x, Value y) { return m.eq(x, y); });
}
LogicalResult convertLess(NodeImporter &n) {
  return comparison(n,
                    [](ScalarMath &m, Value x, Value y) { return m.lt(x, y); });
}
LogicalResult convertLessOrEqual(NodeImporter &n) {
  return comparison(n,
                    [](ScalarMath &m, Value x, Value y) { return m.le(x, y); });
}
LogicalResult convertGreater(NodeImporter &n) {
  return comparison(n,
                    [](ScalarMath &m, Value x, Value y) { return m.gt(x, y); });
}
LogicalResult convertGreaterOrEqual(NodeImporter &n) {
  return comparison(n,
                    [](ScalarMath &m, Value x, Value y) { return m.ge(x, y); });
}

template <typename OpTy> LogicalResult logical(NodeImporter &n) {
  return convertElementwise(n, [](ScalarMath &m, ValueRange a) -> Value {
    return OpTy::create(m.b, m.loc, a[0], a[1]);
  });
}

LogicalResult convertBitShift(NodeImporter &n) {
  std::string direction = n.getString("direction", "");
  if (direction != "LEFT" && direction != "RIGHT")
    return n.unsupported("direction '" + direction + "'");
  return convertElementwise(n, [&](ScalarMath &m, ValueRange a) -> Value {
    // Shifting by the bit width or more gives 0 in ONNX (numpy).
    unsigned width = m.type.getIntOrFloatBitWidth();
    Value inRange = arith::CmpIOp::create(m.b, m.loc, arith::CmpIPredicate::ult,
                                          a[1], m.constant(width));
    Value shifted =
        direction == "LEFT"
            ? arith::ShLIOp::create(m.b, m.loc, a[0], a[1]).getResult()
            : arith::ShRUIOp::create(m.b, m.loc, a[0], a[1]).getResult();
    return m.select(inRange, shifted, m.constant(0));
  });
}

LogicalResult convertWhere(NodeImporter &n) {
  return convertElementwise(
      n, [](ScalarMath &m, ValueRange a) { return m.select(a[0], a[1], a[2]); },
      /*typeInput=*/1);
}

LogicalResult convertClip(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(0));
  SmallVector<Value> operands = {*x};
  std::optional<double> minAttr, maxAttr;
  int minIndex = -1, maxIndex = -1;
  if (n.sinceVersion < 11) {
    if (n.hasAttribute("min"))
      minAttr = n.getFloat("min", 0);
    if (n.hasAttribute("max"))
      maxAttr = n.getFloat("max", 0);
  } else {
    for (unsigned i : {1u, 2u}) {
      if (!n.hasInput(i))
        continue;
      FailureOr<Value> bound = n.input(i);
      if (failed(bound))
        return failure();
      if (!shapeOf(*bound).empty() &&
          !llvm::all_of(shapeOf(*bound), [](int64_t d) { return d == 1; }))
        return n.unsupported("non-scalar 'min'/'max' bounds");
      (i == 1 ? minIndex : maxIndex) = operands.size();
      operands.push_back(reshapeTo(n.b, n.loc, *bound, {}));
    }
  }
  Value result =
      buildElementwise(n.b, n.loc, operands, *type,
                       [&](OpBuilder &b, Location loc, ValueRange a) {
                         ScalarMath m(b, loc, a[0].getType(), isUnsigned);
                         Value v = a[0];
                         // np.clip: max(v, lo) then min(., hi); NaN stays NaN.
                         if (minIndex >= 0)
                           v = m.max(v, a[minIndex]);
                         else if (minAttr)
                           v = m.max(v, m.constant(*minAttr));
                         if (maxIndex >= 0)
                           v = m.min(v, a[maxIndex]);
                         else if (maxAttr)
                           v = m.min(v, m.constant(*maxAttr));
                         return v;
                       });
  return n.setOutput(0, result);
}

LogicalResult convertCast(NodeImporter &n) {
  int32_t from = n.inputDataType(0);
  int32_t to = n.outputDataType(0);
  if (!convertDataType(n.getContext(), to))
    return n.unsupported("cast to " + dataTypeName(to));
  return convertElementwise(n, [&](ScalarMath &m, ValueRange a) {
    Type target = convertDataType(m.b.getContext(), to);
    return convertScalar(m.b, m.loc, a[0], target, isUnsignedIntDataType(from),
                         isUnsignedIntDataType(to));
  });
}

LogicalResult convertCastLike(NodeImporter &n) {
  int32_t from = n.inputDataType(0);
  int32_t to = n.inputDataType(1);
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  Value result = buildElementwise(
      n.b, n.loc, {*x}, *type, [&](OpBuilder &b, Location loc, ValueRange a) {
        return convertScalar(b, loc, a[0], type->getElementType(),
                             isUnsignedIntDataType(from),
                             isUnsignedIntDataType(to));
      });
  return n.setOutput(0, result);
}

} // namespace

void mlir::hm::onnx_import::populateElementwiseConverters(
    ConverterMap &converters) {
  converters["Add"] = convertAdd;
  converters["Sub"] = convertSub;
  converters["Mul"] = convertMul;
  converters["Div"] = convertDiv;
  converters["Mod"] = convertMod;
  converters["Pow"] = convertPow;
  converters["Max"] = convertVariadic<'M'>;
  converters["Min"] = convertVariadic<'m'>;
  converters["Sum"] = convertVariadic<'s'>;
  converters["Mean"] = convertVariadic<'a'>;
  converters["Equal"] = convertEqual;
  converters["Less"] = convertLess;
  converters["LessOrEqual"] = convertLessOrEqual;
  converters["Greater"] = convertGreater;
  converters["GreaterOrEqual"] = convertGreaterOrEqual;
  converters["And"] = logical<arith::AndIOp>;
  converters["Or"] = logical<arith::OrIOp>;
  converters["Xor"] = logical<arith::XOrIOp>;
  converters["BitShift"] = convertBitShift;
  converters["Where"] = convertWhere;
  converters["Clip"] = convertClip;
  converters["Cast"] = convertCast;
  converters["CastLike"] = convertCastLike;
}
