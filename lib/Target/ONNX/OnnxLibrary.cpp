//===- OnnxLibrary.cpp - Exception-free calls into ONNX's C++ library -----===//
//
// Built with -fexceptions (see CMakeLists.txt): ONNX throws, LLVM does not.
// Every exception is caught here and turned into a message.
//
//===----------------------------------------------------------------------===//

#include "OnnxLibrary.h"

#include "onnx/checker.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <exception>

namespace mlir::hm::onnx_import {

/// Runs `fn`, returning the message of whatever it throws.
template <typename Fn> static std::optional<std::string> catchAll(Fn &&fn) {
  try {
    fn();
  } catch (const std::exception &e) {
    std::string message = e.what();
    return message.empty() ? std::string("unknown error") : message;
  } catch (...) {
    return std::string("unknown non-standard exception");
  }
  return std::nullopt;
}

std::optional<std::string> checkModel(const onnx::ModelProto &model,
                                      const std::string &modelPath) {
  return catchAll([&] {
    if (modelPath.empty())
      onnx::checker::check_model(model);
    else
      onnx::checker::check_model(modelPath);
  });
}

std::optional<std::string> inferShapes(onnx::ModelProto &model) {
  return catchAll([&] {
    // Types are not checked against the schemas: exporters emit e.g. int64
    // Constants at opsets whose Constant allowed floats only, and ONNX's
    // own Python API accepts them.
    onnx::ShapeInferenceOptions options(/*check_type_val=*/false,
                                        /*strict_mode_val=*/1,
                                        /*data_prop_val=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), options);
  });
}

const onnx::OpSchema *lookupSchema(const std::string &opType, int opset) {
  return onnx::OpSchemaRegistry::Schema(opType, opset, onnx::ONNX_DOMAIN);
}

int schemaSinceVersion(const onnx::OpSchema &schema) {
  return schema.since_version();
}

bool schemaHasFunctionBody(const onnx::OpSchema &schema) {
  return schema.HasFunction() || schema.HasContextDependentFunction();
}

const onnx::AttributeProto *schemaAttributeDefault(const onnx::OpSchema &schema,
                                                   const std::string &name) {
  auto it = schema.attributes().find(name);
  if (it == schema.attributes().end() ||
      it->second.default_value.type() == onnx::AttributeProto::UNDEFINED)
    return nullptr;
  return &it->second.default_value;
}

std::optional<std::string>
buildFunctionBody(const onnx::OpSchema &schema, const onnx::NodeProto &node,
                  const std::vector<onnx::TypeProto> &inputTypes,
                  onnx::FunctionProto &body) {
  return catchAll([&] {
    if (schema.HasFunction()) {
      const onnx::FunctionProto *function = schema.GetFunction();
      if (!function)
        throw std::runtime_error("the schema has no function body");
      body = *function;
      return;
    }
    onnx::FunctionBodyBuildContextImpl context(node, inputTypes);
    if (!schema.BuildContextDependentFunction(context, body))
      throw std::runtime_error(
          "ONNX could not build the function body for these inputs");
  });
}

} // namespace mlir::hm::onnx_import
