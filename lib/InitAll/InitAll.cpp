//===- InitAll.cpp - Register all HeavyMetal dialects and passes ----------===//

#include "HeavyMetal/InitAll.h"

#include "HeavyMetal/Conversion/GPUToEmulator.h"
#include "HeavyMetal/Conversion/Passes.h"
#include "HeavyMetal/Dialect/RTask/IR/RTask.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraph.h"
#include "HeavyMetal/Dialect/UCtl/IR/UCtl.h"
#include "HeavyMetal/Pipelines/Pipelines.h"
#include "HeavyMetal/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"

void mlir::hm::registerAllDialects(DialectRegistry &registry) {
  registry.insert<rtask::RTaskDialect, rtile::RTileDialect,
                  tilegraph::TileGraphDialect, uctl::UCtlDialect>();
}

void mlir::hm::registerAllPasses() {
  registerHeavyMetalConversionPasses();
  registerHeavyMetalTransformsPasses();
}

void mlir::hm::registerAllPipelines() {
  registerHeavyMetalPipelines();
  registerEmulatorPipeline();
}
