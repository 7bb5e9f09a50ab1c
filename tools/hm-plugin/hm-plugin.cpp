//===- hm-plugin.cpp - HeavyMetal as a plugin for upstream mlir-opt -------===//
//
// Loaded by mlir-opt with --load-dialect-plugin (dialects, passes and
// pipelines) or --load-pass-plugin (passes and pipelines).
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

using namespace mlir;

namespace {
/// Registers passes and pipelines once, whichever entry point runs first (a
/// plugin loaded with both flags would otherwise register them twice).
void registerPassesAndPipelinesOnce() {
  static bool registered = [] {
    hm::registerAllPasses();
    hm::registerAllPipelines();
    return true;
  }();
  (void)registered;
}
} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "HeavyMetal", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            hm::registerAllDialects(*registry);
            registerPassesAndPipelinesOnce();
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "HeavyMetalPasses", LLVM_VERSION_STRING,
          []() { registerPassesAndPipelinesOnce(); }};
}
