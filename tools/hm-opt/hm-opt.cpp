//===- hm-opt.cpp - HeavyMetal optimizer driver ---------------------------===//
//
// mlir-opt with every upstream dialect, pass, extension and GPU-to-LLVM-IR
// translation, plus HeavyMetal's dialects, passes and pipelines.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates gpu.module to LLVM IR; without these
  // translations it fails.
  mlir::registerAllGPUToLLVMIRTranslations(registry);
  mlir::registerAllPasses();

  mlir::hm::registerAllDialects(registry);
  mlir::hm::registerAllPasses();
  mlir::hm::registerAllPipelines();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "HeavyMetal optimizer driver\n", registry));
}
