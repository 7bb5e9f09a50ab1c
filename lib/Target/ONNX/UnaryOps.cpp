//===- UnaryOps.cpp - Unary math, activations and quantization ------------===//
//
// Relu, Sigmoid, Tanh, Erf (PyTorch's GELU), HardSwish, ..., the math
// functions, and (De)QuantizeLinear: one linalg.generic each.
//
//===----------------------------------------------------------------------===//

#include "Elementwise.h"
#include "EmitUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

/// A float-only unary operator `fn(x)`.
template <typename Fn> LogicalResult floatUnary(NodeImporter &n, Fn fn) {
  if (failed(requireFloat(n)))
    return failure();
  return convertElementwise(
      n, [&](ScalarMath &m, ValueRange a) { return fn(m, a[0]); });
}

/// A unary math-dialect operation.
template <typename OpTy> LogicalResult mathUnary(NodeImporter &n) {
  return floatUnary(n, [](ScalarMath &m, Value x) -> Value {
    return OpTy::create(m.b, m.loc, x);
  });
}

LogicalResult convertRelu(NodeImporter &n) {
  return convertElementwise(n, [](ScalarMath &m, ValueRange a) {
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
  return convertElementwise(n, [](ScalarMath &m, ValueRange a) {
    return m.select(m.lt(a[0], m.constant(0)), m.mul(a[0], a[1]), a[0]);
  });
}

LogicalResult convertElu(NodeImporter &n) {
  double alpha = n.getFloat("alpha", 1.0f);
  return floatUnary(n, [&](ScalarMath &m, Value x) {
    Value negative = m.mul(m.constant(alpha), m.sub(m.exp(x), m.constant(1)));
    return m.select(m.lt(x, m.constant(0)), negative, x);
  });
}

LogicalResult convertSelu(NodeImporter &n) {
  double alpha = n.getFloat("alpha", 1.67326319217681884765625f);
  double gamma = n.getFloat("gamma", 1.05070102214813232421875f);
  return floatUnary(n, [&](ScalarMath &m, Value x) {
    Value negative =
        m.sub(m.mul(m.constant(alpha), m.exp(x)), m.constant(alpha));
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
  return convertElementwise(n, [&](ScalarMath &m, ValueRange a) {
    Value x = a[0];
    Value low = m.lt(x, m.constant(-lambd)), high = m.gt(x, m.constant(lambd));
    return m.select(low, m.add(x, m.constant(bias)),
                    m.select(high, m.sub(x, m.constant(bias)), m.constant(0)));
  });
}

/// The scale / zero point of (De)QuantizeLinear as operands broadcasting
/// along `axis` (per-axis quantization) or as scalars.
FailureOr<Value> quantizationParam(NodeImporter &n, unsigned i, int64_t rank) {
  FailureOr<Value> v = n.input(i);
  if (failed(v))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*v);
  if (shape.empty() || (shape.size() == 1 && shape[0] == 1))
    return reshapeTo(n.b, n.loc, *v, {});
  if (shape.size() != 1)
    return n.unsupported("blocked quantization (non 1-D scale)");
  FailureOr<int64_t> axis = n.normalizeAxis(n.getInt("axis", 1), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> aligned(rank - *axis, 1);
  aligned[0] = shape[0];
  return reshapeTo(n.b, n.loc, *v, aligned);
}

LogicalResult convertQuantizeLinear(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  int64_t rank = type->getRank();
  FailureOr<Value> scale = quantizationParam(n, 1, rank);
  if (failed(scale))
    return failure();
  SmallVector<Value> operands = {*x, *scale};
  if (n.hasInput(2)) {
    FailureOr<Value> zp = quantizationParam(n, 2, rank);
    if (failed(zp))
      return failure();
    operands.push_back(*zp);
  }
  int32_t outType = n.outputDataType(0);
  bool isUnsigned = isUnsignedIntDataType(outType);
  if (outType != onnx::TensorProto::UINT8 && outType != onnx::TensorProto::INT8)
    return n.unsupported("quantization to " + dataTypeName(outType));
  Value result = buildElementwise(
      n.b, n.loc, operands, *type,
      [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
        // saturate(round_half_even(x / scale) + zero_point)
        ScalarMath m(b, loc, a[0].getType());
        Value q = math::RoundEvenOp::create(b, loc, m.div(a[0], a[1]));
        if (a.size() > 2)
          q = m.add(
              q, convertScalar(b, loc, a[2], q.getType(), isUnsigned, false));
        q = m.max(q, m.constant(isUnsigned ? 0 : -128));
        q = m.min(q, m.constant(isUnsigned ? 255 : 127));
        return convertScalar(b, loc, q, type->getElementType(), false,
                             isUnsigned);
      });
  return n.setOutput(0, result);
}

LogicalResult convertDequantizeLinear(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  int64_t rank = shapeOf(*x).size();
  FailureOr<Value> scale = quantizationParam(n, 1, rank);
  if (failed(scale))
    return failure();
  SmallVector<Value> operands = {*x, *scale};
  if (n.hasInput(2)) {
    FailureOr<Value> zp = quantizationParam(n, 2, rank);
    if (failed(zp))
      return failure();
    operands.push_back(*zp);
  }
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(0));
  Value result = buildElementwise(
      n.b, n.loc, operands, *type,
      [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
        // (x - zero_point) * scale, in the integer's width first.
        Type f = type->getElementType();
        ScalarMath m(b, loc, f);
        Value v = convertScalar(b, loc, a[0], f, isUnsigned, false);
        if (a.size() > 2)
          v = m.sub(v, convertScalar(b, loc, a[2], f, isUnsigned, false));
        return m.mul(v, a[1]);
      });
  return n.setOutput(0, result);
}

LogicalResult convertReciprocal(NodeImporter &n) {
  return floatUnary(
      n, [](ScalarMath &m, Value x) { return m.div(m.constant(1), x); });
}

LogicalResult convertAbs(NodeImporter &n) {
  return convertElementwise(
      n, [](ScalarMath &m, ValueRange a) { return m.abs(a[0]); });
}

LogicalResult convertNeg(NodeImporter &n) {
  return convertElementwise(
      n, [](ScalarMath &m, ValueRange a) { return m.neg(a[0]); });
}

LogicalResult convertSign(NodeImporter &n) {
  return convertElementwise(n, [](ScalarMath &m, ValueRange a) {
    Value x = a[0], zero = m.constant(0);
    Value s = m.select(m.gt(x, zero), m.constant(1),
                       m.select(m.lt(x, zero), m.constant(-1), zero));
    if (!m.isFloat)
      return s;
    // NaN stays NaN.
    Value isNaN =
        arith::CmpFOp::create(m.b, m.loc, arith::CmpFPredicate::UNO, x, x);
    return m.select(isNaN, x, s);
  });
}

LogicalResult convertNot(NodeImporter &n) {
  return convertElementwise(n, [](ScalarMath &m, ValueRange a) -> Value {
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
    Value isPos =
        arith::CmpFOp::create(m.b, m.loc, arith::CmpFPredicate::OEQ, x, inf);
    Value isNeg = arith::CmpFOp::create(m.b, m.loc, arith::CmpFPredicate::OEQ,
                                        x, m.neg(inf));
    Value none = scalarConstant(m.b, m.loc, m.b.getI1Type(), 0);
    Value r = positive ? isPos : none;
    if (negative)
      r = arith::OrIOp::create(m.b, m.loc, r, isNeg);
    return r;
  });
}

} // namespace

void mlir::hm::onnx_import::populateUnaryConverters(ConverterMap &converters) {
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
  converters["QuantizeLinear"] = convertQuantizeLinear;
  converters["DequantizeLinear"] = convertDequantizeLinear;
  converters["Abs"] = convertAbs;
  converters["Neg"] = convertNeg;
  converters["Sign"] = convertSign;
  converters["Not"] = convertNot;
  converters["IsNaN"] = convertIsNaN;
  converters["IsInf"] = convertIsInf;
}
