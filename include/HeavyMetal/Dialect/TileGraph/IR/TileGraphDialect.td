//===- TileGraphDialect.td - tilegraph dialect definition ----------*- tablegen -*-===//

#ifndef HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHDIALECT_TD
#define HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHDIALECT_TD

include "mlir/IR/OpBase.td"

def TileGraph_Dialect : Dialect {
  let name = "tilegraph";
  let cppNamespace = "::mlir::hm::tilegraph";
  let summary = "TODO";
}

#endif // HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHDIALECT_TD
