//===- TileGraphOps.td - tilegraph operations ---------------------*- tablegen -*-===//

#ifndef HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHOPS_TD
#define HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHOPS_TD

include "HeavyMetal/Dialect/TileGraph/IR/TileGraphDialect.td"

#endif // HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHOPS_TD
