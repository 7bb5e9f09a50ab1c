//===- Compare.cpp - Compare a device's outputs with a reference ----------===//

#include "Compare.h"

#include "llvm/Support/ErrorHandling.h"

#include <cmath>

using namespace mlir::hm;
using namespace mlir::hm::run;

Tolerance run::getDefaultTolerance(ElementType type) {
  // Devices may contract a*b+c into an FMA, sum in another order or use
  // approximate transcendental instructions; a few ulps per operation over a
  // reduction of a few hundred terms stays well inside these.
  switch (type) {
  case ElementType::F64:
    return {1e-9, 1e-7};
  case ElementType::F32:
    return {1e-5, 1e-4};
  case ElementType::F16:
    return {1e-2, 1e-2};
  case ElementType::BF16:
    return {5e-2, 5e-2};
  case ElementType::I1:
  case ElementType::I8:
  case ElementType::I16:
  case ElementType::I32:
  case ElementType::I64:
    return {0.0, 0.0};
  }
  llvm_unreachable("unknown element type");
}

ComparisonResult run::compareTensors(const HostTensor &actual,
                                     const HostTensor &expected,
                                     Tolerance tolerance) {
  ComparisonResult result;
  auto mismatch = [&](int64_t index) {
    if (result.mismatches++ == 0)
      result.firstMismatch = index;
  };
  bool isFloat = isFloatingPoint(expected.getElementType());
  for (int64_t i = 0, e = expected.getNumElements(); i < e; ++i) {
    if (!isFloat) {
      // Integers compare exactly unless a tolerance was asked for.
      int64_t a = actual.getAsInt(i), b = expected.getAsInt(i);
      double error = std::fabs(static_cast<double>(a) - static_cast<double>(b));
      result.maxAbsError = std::max(result.maxAbsError, error);
      if (b != 0)
        result.maxRelError =
            std::max(result.maxRelError, error / std::fabs(double(b)));
      if (a != b && error > tolerance.atol + tolerance.rtol * std::fabs(b))
        mismatch(i);
      continue;
    }
    double a = actual.getAsDouble(i), b = expected.getAsDouble(i);
    if (std::isnan(a) || std::isnan(b)) {
      if (std::isnan(a) != std::isnan(b))
        mismatch(i);
      continue;
    }
    if (std::isinf(a) || std::isinf(b)) {
      if (a != b)
        mismatch(i);
      continue;
    }
    double error = std::fabs(a - b);
    result.maxAbsError = std::max(result.maxAbsError, error);
    if (b != 0.0)
      result.maxRelError = std::max(result.maxRelError, error / std::fabs(b));
    if (error > tolerance.atol + tolerance.rtol * std::fabs(b))
      mismatch(i);
  }
  return result;
}
