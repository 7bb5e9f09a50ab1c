//===- ONNXImporter.h - ONNX models as linalg on tensors --------*- C++ -*-===//
//
// The ONNX front door: an ONNX model (protobuf) becomes a module holding one
// func.func on statically shaped tensors built from linalg, tensor, arith,
// math and scf. docs/ONNX.md is the manual.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_TARGET_ONNX_ONNXIMPORTER_H
#define HEAVYMETAL_TARGET_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class MemoryBufferRef;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class MLIRContext;

namespace hm {

/// Options of the ONNX importer.
struct ONNXImportOptions {
  /// Sizes of symbolic input dimensions (`--dim NAME=SIZE`). NAME is the
  /// dimension's `dim_param`, or `INPUT:INDEX` for a dimension without one.
  std::vector<std::pair<std::string, int64_t>> dimSizes;
  /// Name of the func.func the main graph becomes.
  std::string functionName = "main";
  /// Initializers and constants at least this large (bytes) become
  /// `dense_resource` blobs; smaller ones are inline `dense` attributes.
  int64_t resourceThresholdBytes = 64;
};

/// Parses a `--dim` value of the form `NAME=SIZE` (SIZE a non-negative
/// integer).
/// On failure returns std::nullopt and sets `error`.
std::optional<std::pair<std::string, int64_t>>
parseDimSizeOption(llvm::StringRef spec, std::string &error);

/// Registers the dialects an imported module uses.
void registerONNXImportDialects(DialectRegistry &registry);

/// Imports the ONNX model held in `buffer` (its identifier is the model's
/// path; external tensor data is read relative to it). Every problem (an
/// unreadable file, an unsupported operator, attribute value or data type, a
/// symbolic dimension without a size) is reported as an error through
/// `context`'s diagnostic engine and yields a null module. A returned module
/// verifies.
OwningOpRef<ModuleOp> importONNXModel(llvm::MemoryBufferRef buffer,
                                      MLIRContext *context,
                                      const ONNXImportOptions &options);

} // namespace hm
} // namespace mlir

#endif // HEAVYMETAL_TARGET_ONNX_ONNXIMPORTER_H
