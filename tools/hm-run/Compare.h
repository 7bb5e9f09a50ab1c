//===- Compare.h - Compare a device's outputs with a reference --*- C++ -*-===//
//
// --compare=cpu: element-wise comparison of two tensors of the same type and
// shape under per-dtype tolerances, in NumPy's allclose sense.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_TOOLS_HMRUN_COMPARE_H
#define HEAVYMETAL_TOOLS_HMRUN_COMPARE_H

#include "HostTensor.h"

namespace mlir::hm::run {

/// An element passes when |actual - expected| <= atol + rtol * |expected|.
struct Tolerance {
  double atol = 0.0;
  double rtol = 0.0;
};

/// The default tolerance of an element type: f64 1e-9/1e-7, f32 1e-5/1e-4,
/// f16 1e-2/1e-2, bf16 5e-2/5e-2 (atol/rtol); integers and i1 exact.
Tolerance getDefaultTolerance(ElementType type);

/// What comparing one output found.
struct ComparisonResult {
  /// Largest |actual - expected| over elements where both are finite.
  double maxAbsError = 0.0;
  /// Largest |actual - expected| / |expected| over elements where both are
  /// finite and expected is not zero.
  double maxRelError = 0.0;
  /// Elements outside the tolerance, NaN/Inf disagreements included.
  int64_t mismatches = 0;
  /// The first mismatching element (row-major index), if any.
  int64_t firstMismatch = -1;
};

/// Compares `actual` with `expected`; both have the same spec. NaN equals
/// NaN; an infinity equals only the same infinity; a NaN or infinity on one
/// side only is a mismatch.
ComparisonResult compareTensors(const HostTensor &actual,
                                const HostTensor &expected,
                                Tolerance tolerance);

} // namespace mlir::hm::run

#endif // HEAVYMETAL_TOOLS_HMRUN_COMPARE_H
