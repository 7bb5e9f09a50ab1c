//===- OnnxLibrary.h - Exception-free calls into ONNX's C++ library -------===//
//
// ONNX's checker, shape inference and function-body builders report errors by
// throwing C++ exceptions, and LLVM/MLIR are built without them. These
// wrappers are the only code that calls into those parts of ONNX; they are
// compiled with -fexceptions and return every error as a message.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TARGET_ONNX_ONNXLIBRARY_H
#define HEAVYMETAL_LIB_TARGET_ONNX_ONNXLIBRARY_H

#include "onnx/onnx_pb.h"

#include <optional>
#include <string>
#include <vector>

namespace onnx {
class OpSchema;
} // namespace onnx

namespace mlir::hm::onnx_import {

/// Runs ONNX's model checker. With `modelPath` non-empty, the model is read
/// from that file instead (ONNX needs the path to check external data).
/// Returns the checker's message, or std::nullopt when the model is valid.
std::optional<std::string> checkModel(const onnx::ModelProto &model,
                                      const std::string &modelPath);

/// Runs ONNX's shape inference (strict errors, data propagation, no type
/// checks against the schemas) over `model`,
/// adding the inferred types to every graph's value_info.
std::optional<std::string> inferShapes(onnx::ModelProto &model);

/// The schema of `opType` in the default domain at `opset`, or null.
const onnx::OpSchema *lookupSchema(const std::string &opType, int opset);

/// The version of `schema` (the opset that introduced its semantics).
int schemaSinceVersion(const onnx::OpSchema &schema);

/// Whether `schema` is defined by a function body, plain or built from the
/// node's context.
bool schemaHasFunctionBody(const onnx::OpSchema &schema);

/// The default value of attribute `name` of `schema`, or null when it has
/// none.
const onnx::AttributeProto *schemaAttributeDefault(const onnx::OpSchema &schema,
                                                   const std::string &name);

/// Builds the function body that defines `node` (of `schema`) given its
/// input types. Returns an error message on failure.
std::optional<std::string>
buildFunctionBody(const onnx::OpSchema &schema, const onnx::NodeProto &node,
                  const std::vector<onnx::TypeProto> &inputTypes,
                  onnx::FunctionProto &body);

} // namespace mlir::hm::onnx_import

#endif // HEAVYMETAL_LIB_TARGET_ONNX_ONNXLIBRARY_H
