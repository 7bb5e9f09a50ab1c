//===- TileGraphAttrs.td - tilegraph attribute definitions -*- tablegen -*-===//
//
// #tilegraph.level: the memory level an edge of the tile graph is connected at.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHATTRS_TD
#define HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHATTRS_TD

include "HeavyMetal/Dialect/TileGraph/IR/TileGraphDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def TileGraph_Level : I32EnumAttr<"Level",
    "memory level an edge of the tile graph is connected at", [
      I32EnumAttrCase<"Register", 0, "register">,
      I32EnumAttrCase<"Shared", 1, "shared">,
      I32EnumAttrCase<"Global", 2, "global">
    ]> {
  let cppNamespace = "::mlir::hm::tilegraph";
  let genSpecializedAttr = 0;
}

def TileGraph_LevelAttr : EnumAttr<TileGraph_Dialect, TileGraph_Level, "level"> {
  let summary = "Memory level an edge of the tile graph is connected at";
  let description = [{
    Welder's connection levels, from the closest to the compute units to the
    farthest:

    - `register` (Welder's L0): the consumer reads the producer's values from
      the registers of the thread that computed them; the producer is inlined
      into the consumer's loop nest. Welder tries this for a reduction
      followed by an element-wise operator.
    - `shared` (L1): the producer writes its tile to shared memory, the thread
      block synchronises, and the consumer reads the tile from there, in
      whatever thread mapping suits it.
    - `global`: the value goes through global memory. Inside the IR this is
      not written on a `tilegraph.connect`: a value that leaves a
      `tilegraph.kernel` as a result is a global edge.

    ```mlir
    #tilegraph.level<register>
    #tilegraph.level<shared>
    #tilegraph.level<global>
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

#endif // HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHATTRS_TD
