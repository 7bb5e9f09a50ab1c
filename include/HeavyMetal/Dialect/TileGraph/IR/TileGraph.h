//===- TileGraph.h - tilegraph dialect -------------------------------------*- C++ -*-===//

#ifndef HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPH_H
#define HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPH_H

#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"

#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphDialect.h.inc"

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphOps.h.inc"

#endif // HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPH_H
