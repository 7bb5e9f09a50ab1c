//===- TileGraphDialect.cpp - tilegraph dialect ------------------------------------===//

#include "HeavyMetal/Dialect/TileGraph/IR/TileGraph.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::hm::tilegraph;

#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphDialect.cpp.inc"

void TileGraphDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphOps.cpp.inc"
