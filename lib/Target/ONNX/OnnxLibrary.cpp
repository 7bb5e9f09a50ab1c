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

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <exception>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

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

/// Runs `fn` in a forked child first: ONNX 1.12's shape inference and
/// checker dereference out-of-range indices on some invalid models (e.g. an
/// out-of-range `axis`) and crash, which no exception handler catches. When
/// the child dies from a signal, that is reported as an error; otherwise
/// `fn` runs here. Only called while the process is single-threaded (before
/// any MLIR multithreading), so forking is safe; the child shares the
/// parent's memory copy-on-write and costs little.
template <typename Fn>
static std::optional<std::string> isolated(const char *what, Fn &&fn) {
#if defined(__unix__) || defined(__APPLE__)
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    // Die quietly: the parent reports. No LLVM crash handler, no output.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
      std::signal(sig, SIG_DFL);
    int devNull = open("/dev/null", O_WRONLY);
    if (devNull >= 0) {
      dup2(devNull, STDOUT_FILENO);
      dup2(devNull, STDERR_FILENO);
    }
    std::optional<std::string> error = catchAll(fn);
    _exit(error ? 1 : 0);
  }
  if (pid > 0) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status))
      return std::string(what) + " crashed on this model (signal " +
             std::to_string(WTERMSIG(status)) +
             "): ONNX 1.12 does that on some invalid models, e.g. with an "
             "out-of-range 'axis' attribute";
  }
#endif
  return catchAll(fn);
}

std::optional<std::string> checkModel(const onnx::ModelProto &model,
                                      const std::string &modelPath) {
  return isolated("ONNX's checker", [&] {
    if (modelPath.empty())
      onnx::checker::check_model(model);
    else
      onnx::checker::check_model(modelPath);
  });
}

std::optional<std::string> inferShapes(onnx::ModelProto &model) {
  return isolated("ONNX's shape inference", [&] {
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
  return isolated("ONNX's function builder", [&] {
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
