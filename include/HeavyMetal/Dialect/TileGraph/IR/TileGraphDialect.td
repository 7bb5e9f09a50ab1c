//===- TileGraphDialect.td - Welder's tile-graph dialect ---*- tablegen -*-===//
//
// The tilegraph dialect expresses Welder's tile graph: groups of operations
// fused into one GPU kernel, the memory level each edge inside a group is
// connected at, and the output tile each group is scheduled by.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHDIALECT_TD
#define HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHDIALECT_TD

include "mlir/IR/OpBase.td"

def TileGraph_Dialect : Dialect {
  let name = "tilegraph";
  let cppNamespace = "::mlir::hm::tilegraph";
  let summary = "Welder's tile graph: fused kernels and on-chip connections";
  let description = [{
    Welder (OSDI 2023) schedules the memory traffic of a whole operator graph
    instead of one operator at a time. Its **tile graph** has the operators
    as nodes and the tensors they exchange as edges; each edge is
    *connected* at a level of the memory hierarchy: registers, shared memory
    or global memory. Operators joined by register or shared-memory edges
    form a group that runs as one GPU kernel, so the intermediate tensors
    between them never travel to global memory. Each group is scheduled by
    an output tile: the tile of its output one thread block computes,
    propagated backwards through the group to the input tiles it needs.

    The dialect records the result of that scheduling on tensor IR:

    - `tilegraph.kernel` is a group: a region of ordinary operations (`linalg`,
      `tensor`, `arith`, ...) that becomes one kernel. Its operands are read
      from global memory, its results are written to global memory, and its
      `output_tile` is the tile it is scheduled by.
    - `tilegraph.connect` marks an edge inside a group as connected at
      `register` or `shared` level (`#tilegraph.level`).
  }];
  let useDefaultAttributePrinterParser = 1;
}

#endif // HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHDIALECT_TD
