//===- TileGraph.h - tilegraph dialect --------------------------*- C++ -*-===//
//
// The tilegraph dialect: Welder's tile graph. Fused groups of operations
// (tilegraph.kernel), the memory level of the edges inside them
// (tilegraph.connect, #tilegraph.level) and the output tile of each group.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPH_H
#define HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPH_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphDialect.h.inc"

#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphAttrs.h.inc"

// tilegraph.kernel returns its YieldOp and tilegraph.yield / tilegraph.connect
// name KernelOp in their traits before the generated declarations reach them.
namespace mlir::hm::tilegraph {
class KernelOp;
class YieldOp;
} // namespace mlir::hm::tilegraph

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphOps.h.inc"

#endif // HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPH_H
