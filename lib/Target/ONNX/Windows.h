//===- Windows.h - Sliding-window parameters of Conv and pooling -*- C++
//-*-===//
//
// kernel_shape, strides, dilations and pads (or auto_pad) of Conv,
// ConvTranspose and the pooling operators, validated and normalized, and
// the convolution builder both Conv and ConvTranspose use.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TARGET_ONNX_WINDOWS_H
#define HEAVYMETAL_LIB_TARGET_ONNX_WINDOWS_H

#include "Importer.h"

namespace mlir::hm::onnx_import {

/// The window of a convolution or pooling over the spatial dimensions.
struct WindowParams {
  SmallVector<int64_t> kernel, strides, dilations, padBegin, padEnd;
};

/// Reads strides, dilations (when `allowDilations`), kernel_shape (checked
/// against `kernel` when that is given, e.g. from Conv's weights) and
/// pads/auto_pad for input spatial sizes `inSpatial`. auto_pad SAME_* pads
/// for an output of ceil(in / stride).
FailureOr<WindowParams> readWindowParams(NodeImporter &n,
                                         ArrayRef<int64_t> inSpatial,
                                         ArrayRef<int64_t> kernel,
                                         bool allowDilations);

/// A grouped convolution: `x` [N, C, spatial...] (already padded), `w`
/// [M, C / groups, kernel...], optional `bias` [M], to `resultType`
/// [N, M, out...]. Uses the linalg named convolutions where one fits and a
/// linalg.generic otherwise.
Value buildConvolution(OpBuilder &b, Location loc, Value x, Value w, Value bias,
                       ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                       int64_t groups, RankedTensorType resultType);

} // namespace mlir::hm::onnx_import

#endif // HEAVYMETAL_LIB_TARGET_ONNX_WINDOWS_H
