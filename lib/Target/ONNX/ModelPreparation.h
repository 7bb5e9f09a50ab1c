//===- ModelPreparation.h - From ONNX file bytes to an importable graph ---===//
//
// Before any MLIR is built, an ONNX model is parsed and checked, its
// symbolic input dimensions pinned, its shapes inferred by ONNX, its shape
// arithmetic folded, operators that ONNX defines by a function body (and
// that the importer has no converter for) expanded, and its dead nodes
// dropped.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TARGET_ONNX_MODELPREPARATION_H
#define HEAVYMETAL_LIB_TARGET_ONNX_MODELPREPARATION_H

#include "HeavyMetal/Target/ONNX/ONNXImporter.h"

#include "mlir/IR/Location.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/MemoryBufferRef.h"

#include "onnx/onnx_pb.h"

#include <memory>

namespace mlir::hm::onnx_import {

/// The opsets of the default domain the importer accepts.
constexpr int64_t kMinOpset = 1;
constexpr int64_t kMaxOpset = 17;

/// A model ready for ModelImporter.
struct PreparedModel {
  std::unique_ptr<onnx::ModelProto> model;
  /// The opset of the default ("" / "ai.onnx") domain.
  int64_t opset = 0;
};

/// Parses `buffer` and prepares the model. `isConverted(opType)` says
/// whether the importer converts an operator itself (otherwise its ONNX
/// function body, if it has one, is expanded). Errors and warnings are
/// reported at `loc`.
FailureOr<PreparedModel>
prepareModel(llvm::MemoryBufferRef buffer, Location loc,
             const ONNXImportOptions &options,
             llvm::function_ref<bool(llvm::StringRef)> isConverted);

} // namespace mlir::hm::onnx_import

#endif // HEAVYMETAL_LIB_TARGET_ONNX_MODELPREPARATION_H
