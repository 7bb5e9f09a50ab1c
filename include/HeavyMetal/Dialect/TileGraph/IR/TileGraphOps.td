//===- TileGraphOps.td - tilegraph operations -------------*- tablegen -*-===//
//
// tilegraph.kernel (a fused group, one GPU kernel), its terminator
// tilegraph.yield, and tilegraph.connect (an on-chip edge inside a group).
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHOPS_TD
#define HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHOPS_TD

include "HeavyMetal/Dialect/TileGraph/IR/TileGraphAttrs.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class TileGraph_Op<string mnemonic, list<Trait> traits = []>
    : Op<TileGraph_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

def TileGraph_KernelOp : TileGraph_Op<"kernel", [
    IsolatedFromAbove, RecursiveMemoryEffects]> {
  let summary = "A fused group of operations that becomes one GPU kernel";
  let description = [{
    A group of Welder's tile graph: the operations in the body are fused into
    one GPU kernel. The kernel's operands are the group's inputs, read from
    global memory; its results are the values that escape the group and are
    written to global memory, i.e. the group's global edges. Edges between
    operations inside the body are connected on chip; `tilegraph.connect`
    says at which level.

    The body is one block whose arguments stand for the operands, one for one
    and of the same types. The region is isolated from above: every value
    from outside enters through an operand, so the operands are exactly what
    the kernel reads from global memory. The body ends with
    `tilegraph.yield`, whose operands become the results and must have the
    result types.

    `output_tile` is the tile the group is scheduled by: the extent, per
    dimension of the first result, of the part of it one thread block
    computes. Welder propagates it backwards through the body to the tiles
    every member operation and every input needs. It has one positive extent
    per dimension of result #0 when that is a ranked shaped type. The
    optional `name` labels the group in diagnostics and in the name of the
    kernel it lowers to.

    ```mlir
    %r = tilegraph.kernel "matmul_relu" (%a, %b) tile [64, 64]
        : (tensor<128x256xf32>, tensor<256x64xf32>) -> tensor<128x64xf32> {
    ^bb0(%x: tensor<128x256xf32>, %y: tensor<256x64xf32>):
      %zero = arith.constant 0.0 : f32
      %empty = tensor.empty() : tensor<128x64xf32>
      %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<128x64xf32>) -> tensor<128x64xf32>
      %mm = linalg.matmul ins(%x, %y : tensor<128x256xf32>, tensor<256x64xf32>)
                          outs(%init : tensor<128x64xf32>) -> tensor<128x64xf32>
      %mm_reg = tilegraph.connect %mm at register : tensor<128x64xf32>
      %relu = linalg.generic ... ins(%mm_reg : tensor<128x64xf32>) ...
      tilegraph.yield %relu : tensor<128x64xf32>
    }
    ```

    Syntax:

    ```
    operation ::= `tilegraph.kernel` string-literal? `(` ssa-use-list? `)`
                  `tile` `[` integer-list? `]` `:` function-type
                  (`attributes` attr-dict)? region
    ```

    The string is the optional `name`; the function type lists the operand
    types and the result types (several results are written
    `-> (tensor<...>, tensor<...>)`); the region's entry block spells its
    arguments, `^bb0(%x: type, ...)`.
  }];
  let arguments = (ins Variadic<AnyType>:$inputs,
                       OptionalAttr<StrAttr>:$name,
                       DenseI64ArrayAttr:$output_tile);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes,
                   "::mlir::ValueRange":$inputs,
                   "::llvm::ArrayRef<int64_t>":$outputTile,
                   CArg<"::llvm::StringRef", "{}">:$name)>
  ];
  let extraClassDeclaration = [{
    /// The body's single block.
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// The body's arguments, which stand for the operands one for one.
    ::mlir::Block::BlockArgListType getInputArguments() {
      return getBodyBlock().getArguments();
    }
    /// The terminator of the body.
    YieldOp getYieldOp();
  }];
}

def TileGraph_YieldOp : TileGraph_Op<"yield", [
    HasParent<"::mlir::hm::tilegraph::KernelOp">, Pure, ReturnLike,
    Terminator]> {
  let summary = "Ends a tilegraph.kernel, naming the values it writes out";
  let description = [{
    Terminates the body of a `tilegraph.kernel`. Its operands become the
    kernel's results, written to global memory; their types must be the
    kernel's result types.

    ```mlir
    tilegraph.yield %relu, %sum : tensor<128x64xf32>, tensor<128xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// ConnectOp
//===----------------------------------------------------------------------===//

def TileGraph_ConnectOp : TileGraph_Op<"connect", [
    HasParent<"::mlir::hm::tilegraph::KernelOp">, Pure,
    SameOperandsAndResultType]> {
  let summary = "Connects an edge inside a tilegraph.kernel at an on-chip level";
  let description = [{
    Marks an edge of the tile graph: the value `input`, produced by an
    operation inside the enclosing `tilegraph.kernel`, reaches the users of
    the result through `level`, `register` or `shared`. The result is the
    same value; the op only records how it travels.

    Only values produced inside the kernel can be connected. Kernel inputs
    (the body's arguments) come from global memory, and a value that goes
    through global memory is a result of the kernel, so `global` is not a
    valid level here. An edge has one level: the input of a connect is not
    itself the result of a connect.

    ```mlir
    %mm_reg = tilegraph.connect %mm at register : tensor<128x64xf32>
    %max_smem = tilegraph.connect %max at shared : tensor<64xf32>
    ```
  }];
  let arguments = (ins AnyType:$input, TileGraph_LevelAttr:$level);
  let results = (outs AnyType:$result);
  let assemblyFormat = [{
    $input `at` custom<Level>($level) attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

#endif // HEAVYMETAL_DIALECT_TILEGRAPH_IR_TILEGRAPHOPS_TD
