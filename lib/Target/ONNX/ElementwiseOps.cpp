//===- ElementwiseOps.cpp - Element-wise ONNX operators -------------------===//
//
// Unary math, activations, arithmetic and comparisons with numpy
// broadcasting, Where, Clip and Cast: each one linalg.generic whose operands
// are read through broadcasting indexing maps.
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Importer.h"
#include "Tensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

using ElementFn = llvm::function_ref<Value(ScalarMath &, ValueRange)>;

/// Emits the node's output as `fn` of its present inputs, element-wise, the
/// arithmetic typed like input `typeInput`.
LogicalResult elementwise(NodeImporter &n, ElementFn fn,
                          unsigned typeInput = 0) {
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
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(typeInput));
  Value result = buildElementwise(
      n.b, n.loc, operands, *type,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        ScalarMath m(b, loc, args[typeInput].getType(), isUnsigned);
        return fn(m, args);
      });
  return n.setOutput(0, result);
}

/// Fails unless input 0 is floating-point.
LogicalResult requireFloat(NodeImporter &n) {
  int32_t t = n.inputDataType(0);
  if (!isFloatDataType(t))
    return n.unsupported("data type " + dataTypeName(t) +
                         " (only floating-point types are supported)");
  return success();
}

/// A float-only unary operator `fn(x)`.
template <typename Fn>
LogicalResult floatUnary(NodeImporter &n, Fn fn) {
  if (failed(requireFloat(n)))
    return failure();
  return elementwise(n, [&](ScalarMath &m, ValueRange a) { return fn(m, a[0]); });
}

/// A unary math-dialect operation.
template <typename OpTy>
LogicalResult mathUnary(NodeImporter &n) {
  return floatUnary(n, [](ScalarMath &m, Value x) -> Value {
    return OpTy::create(m.b, m.loc, x);
  });
}

LogicalResult convertRelu(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) {
    return m.max(a[0], m.constant(0));
  });
}

LogicalResult convertLeakyRelu(NodeImporter &n) {
  double alpha = n.getFloat("alpha", 0.01f);
  return floatUnary(n, [&](ScalarMath &m, Value x) {
    return m.select(m.lt(x, m.constant(0)), m.mul(x, m.constant(alpha)), x);
  });
}

LogicalResult convertPRelu(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) {
    return m.select(m.lt(a[0], m.constant(0)), m.mul(a[0], a[1]), a[0]);
  });
}

LogicalResult convertElu(NodeImporter &n) {
  double alpha = n.getFloat("alpha", 1.0f);
  return floatUnary(n, [&](ScalarMath &m, Value x) {
    Value negative =
        m.mul(m.constant(alpha), m.sub(m.exp(x), m.constant(1)));
    return m.select(m.lt(x, m.constant(0)), negative, x);
  });
}

LogicalResult convertSelu(NodeImporter &n) {
  double alpha = n.getFloat("alpha", 1.67326319217681884765625f);
  double gamma = n.getFloat("gamma", 1.05070102214813232421875f);
  return floatUnary(n, [&](ScalarMath &m, Value x) {
    Value negative = m.sub(m.mul(m.constant(alpha), m.exp(x)),
                           m.constant(alpha));
    Value y = m.select(m.le(x, m.constant(0)), negative, x);
    return m.mul(m.constant(gamma), y);
  });
}

LogicalResult convertCelu(NodeImporter &n) {
  double alpha = n.getFloat("alpha", 1.0f);
  return floatUnary(n, [&](ScalarMath &m, Value x) {
    Value zero = m.constant(0);
    Value e = m.mul(m.constant(alpha),
                    m.sub(m.exp(m.div(x, m.constant(alpha))), m.constant(1)));
    return m.add(m.max(zero, x), m.min(zero, e));
  });
}

LogicalResult convertThresholdedRelu(NodeImporter &n) {
  double alpha = n.getFloat("alpha", 1.0f);
  return floatUnary(n, [&](ScalarMath &m, Value x) {
    return m.select(m.gt(x, m.constant(alpha)), x, m.constant(0));
  });
}

LogicalResult convertSigmoid(NodeImporter &n) {
  return floatUnary(n, [](ScalarMath &m, Value x) { return m.sigmoid(x); });
}

LogicalResult convertHardSigmoid(NodeImporter &n) {
  double alpha = n.getFloat("alpha", 0.2f), beta = n.getFloat("beta", 0.5f);
  return floatUnary(n, [&](ScalarMath &m, Value x) {
    Value y = m.add(m.mul(m.constant(alpha), x), m.constant(beta));
    return m.max(m.constant(0), m.min(m.constant(1), y));
  });
}

LogicalResult convertHardSwish(NodeImporter &n) {
  return floatUnary(n, [](ScalarMath &m, Value x) {
    Value y = m.add(m.mul(m.constant(1.0 / 6.0), x), m.constant(0.5));
    return m.mul(x, m.max(m.constant(0), m.min(m.constant(1), y)));
  });
}

LogicalResult convertSoftplus(NodeImporter &n) {
  return floatUnary(n, [](ScalarMath &m, Value x) {
    return m.log(m.add(m.exp(x), m.constant(1)));
  });
}

LogicalResult convertSoftsign(NodeImporter &n) {
  return floatUnary(n, [](ScalarMath &m, Value x) {
    return m.div(x, m.add(m.constant(1), m.abs(x)));
  });
}

LogicalResult convertShrink(NodeImporter &n) {
  double lambd = n.getFloat("lambd", 0.5f), bias = n.getFloat("bias", 0.0f);
  return elementwise(n, [&](ScalarMath &m, ValueRange a) {
    Value x = a[0];
    Value low = m.lt(x, m.constant(-lambd)), high = m.gt(x, m.constant(lambd));
    return m.select(low, m.add(x, m.constant(bias)),
                    m.select(high, m.sub(x, m.constant(bias)),
                             m.constant(0)));
  });
}

LogicalResult convertReciprocal(NodeImporter &n) {
  return floatUnary(n, [](ScalarMath &m, Value x) {
    return m.div(m.constant(1), x);
  });
}

LogicalResult convertAbs(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) { return m.abs(a[0]); });
}

LogicalResult convertNeg(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) { return m.neg(a[0]); });
}

LogicalResult convertSign(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) {
    Value x = a[0], zero = m.constant(0);
    Value s = m.select(m.gt(x, zero), m.constant(1),
                       m.select(m.lt(x, zero), m.constant(-1), zero));
    if (!m.isFloat)
      return s;
    // NaN stays NaN.
    Value isNaN = arith::CmpFOp::create(m.b, m.loc, arith::CmpFPredicate::UNO,
                                        x, x);
    return m.select(isNaN, x, s);
  });
}

LogicalResult convertNot(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) -> Value {
    return arith::XOrIOp::create(m.b, m.loc, a[0], m.constant(1));
  });
}

LogicalResult convertIsNaN(NodeImporter &n) {
  return floatUnary(n, [](ScalarMath &m, Value x) -> Value {
    return arith::CmpFOp::create(m.b, m.loc, arith::CmpFPredicate::UNO, x, x);
  });
}

LogicalResult convertIsInf(NodeImporter &n) {
  bool negative = n.getInt("detect_negative", 1) != 0;
  bool positive = n.getInt("detect_positive", 1) != 0;
  return floatUnary(n, [&](ScalarMath &m, Value x) -> Value {
    Value inf = m.constant(INFINITY);
    Value isPos = arith::CmpFOp::create(m.b, m.loc, arith::CmpFPredicate::OEQ,
                                        x, inf);
    Value isNeg = arith::CmpFOp::create(m.b, m.loc, arith::CmpFPredicate::OEQ,
                                        x, m.neg(inf));
    Value none = scalarConstant(m.b, m.loc, m.b.getI1Type(), 0);
    Value r = positive ? isPos : none;
    if (negative)
      r = arith::OrIOp::create(m.b, m.loc, r, isNeg);
    return r;
  });
}

LogicalResult convertAdd(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) {
    return m.add(a[0], a[1]);
  });
}
LogicalResult convertSub(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) {
    return m.sub(a[0], a[1]);
  });
}
LogicalResult convertMul(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) {
    return m.mul(a[0], a[1]);
  });
}
LogicalResult convertDiv(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) {
    return m.div(a[0], a[1]);
  });
}

LogicalResult convertMod(NodeImporter &n) {
  bool fmod = n.getInt("fmod", 0) != 0;
  bool isFloat = isFloatDataType(n.inputDataType(0));
  if (isFloat && !fmod)
    return n.unsupported("fmod = 0 with floating-point inputs (ONNX "
                         "requires fmod = 1 for them)");
  return elementwise(n, [&](ScalarMath &m, ValueRange a) -> Value {
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
    Value signsDiffer = arith::XOrIOp::create(m.b, m.loc, m.lt(r, zero),
                                              m.lt(y, zero));
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
  return elementwise(n, [&](ScalarMath &m, ValueRange a) -> Value {
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
      Value fx = convertScalar(m.b, m.loc, x, y.getType(), m.isUnsigned,
                               false);
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
template <char Kind>
LogicalResult convertVariadic(NodeImporter &n) {
  unsigned count = 0;
  for (unsigned i = 0; i < n.numInputs(); ++i)
    count += n.hasInput(i);
  return elementwise(n, [&](ScalarMath &m, ValueRange a) {
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

template <typename Cmp>
LogicalResult comparison(NodeImporter &n, Cmp cmp) {
  return elementwise(n, [&](ScalarMath &m, ValueRange a) {
    return cmp(m, a[0], a[1]);
  });
}

LogicalResult convertEqual(NodeImporter &n) {
  return comparison(n, [](ScalarMath &m, Value x, Value y) {
    return m.eq(x, y);
  });
}
LogicalResult convertLess(NodeImporter &n) {
  return comparison(n, [](ScalarMath &m, Value x, Value y) {
    return m.lt(x, y);
  });
}
LogicalResult convertLessOrEqual(NodeImporter &n) {
  return comparison(n, [](ScalarMath &m, Value x, Value y) {
    return m.le(x, y);
  });
}
LogicalResult convertGreater(NodeImporter &n) {
  return comparison(n, [](ScalarMath &m, Value x, Value y) {
    return m.gt(x, y);
  });
}
LogicalResult convertGreaterOrEqual(NodeImporter &n) {
  return comparison(n, [](ScalarMath &m, Value x, Value y) {
    return m.ge(x, y);
  });
}

template <typename OpTy>
LogicalResult logical(NodeImporter &n) {
  return elementwise(n, [](ScalarMath &m, ValueRange a) -> Value {
    return OpTy::create(m.b, m.loc, a[0], a[1]);
  });
}

LogicalResult convertBitShift(NodeImporter &n) {
  std::string direction = n.getString("direction", "");
  if (direction != "LEFT" && direction != "RIGHT")
    return n.unsupported("direction '" + direction + "'");
  return elementwise(n, [&](ScalarMath &m, ValueRange a) -> Value {
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
  return elementwise(
      n,
      [](ScalarMath &m, ValueRange a) { return m.select(a[0], a[1], a[2]); },
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
  Value result = buildElementwise(
      n.b, n.loc, operands, *type,
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
  return elementwise(n, [&](ScalarMath &m, ValueRange a) {
    Type target = convertDataType(m.b.getContext(), to);
    return convertScalar(m.b, m.loc, a[0], target,
                         isUnsignedIntDataType(from),
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
  converters["Relu"] = convertRelu;
  converters["LeakyRelu"] = convertLeakyRelu;
  converters["PRelu"] = convertPRelu;
  converters["Elu"] = convertElu;
  converters["Selu"] = convertSelu;
  converters["Celu"] = convertCelu;
  converters["ThresholdedRelu"] = convertThresholdedRelu;
  converters["Sigmoid"] = convertSigmoid;
  converters["HardSigmoid"] = convertHardSigmoid;
  converters["HardSwish"] = convertHardSwish;
  converters["Softplus"] = convertSoftplus;
  converters["Softsign"] = convertSoftsign;
  converters["Tanh"] = mathUnary<math::TanhOp>;
  converters["Exp"] = mathUnary<math::ExpOp>;
  converters["Log"] = mathUnary<math::LogOp>;
  converters["Sqrt"] = mathUnary<math::SqrtOp>;
  converters["Erf"] = mathUnary<math::ErfOp>;
  converters["Sin"] = mathUnary<math::SinOp>;
  converters["Cos"] = mathUnary<math::CosOp>;
  converters["Tan"] = mathUnary<math::TanOp>;
  converters["Asin"] = mathUnary<math::AsinOp>;
  converters["Acos"] = mathUnary<math::AcosOp>;
  converters["Atan"] = mathUnary<math::AtanOp>;
  converters["Sinh"] = mathUnary<math::SinhOp>;
  converters["Cosh"] = mathUnary<math::CoshOp>;
  converters["Asinh"] = mathUnary<math::AsinhOp>;
  converters["Acosh"] = mathUnary<math::AcoshOp>;
  converters["Atanh"] = mathUnary<math::AtanhOp>;
  converters["Floor"] = mathUnary<math::FloorOp>;
  converters["Ceil"] = mathUnary<math::CeilOp>;
  converters["Round"] = mathUnary<math::RoundEvenOp>;
  converters["Reciprocal"] = convertReciprocal;
  converters["Shrink"] = convertShrink;
  converters["Abs"] = convertAbs;
  converters["Neg"] = convertNeg;
  converters["Sign"] = convertSign;
  converters["Not"] = convertNot;
  converters["IsNaN"] = convertIsNaN;
  converters["IsInf"] = convertIsInf;
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
