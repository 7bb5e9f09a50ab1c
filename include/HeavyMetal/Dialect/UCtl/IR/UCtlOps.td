//===- UCtlOps.td - uctl operations ------------------------*- tablegen -*-===//
//
// uctl.loop, uctl.if, uctl.grid_sync and uctl.yield: Grinder's device-side
// loops, branches and grid-wide barriers.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_UCTL_IR_UCTLOPS_TD
#define HEAVYMETAL_DIALECT_UCTL_IR_UCTLOPS_TD

include "HeavyMetal/Dialect/UCtl/IR/UCtlDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/LoopLikeInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class UCtl_Op<string mnemonic, list<Trait> traits = []>
    : Op<UCtl_Dialect, mnemonic, traits>;

/// A branch predicate that lives in device memory. An SSA i1 is a value the
/// host (or one thread) already holds: branching on it is scf.if's job.
def UCtl_DevicePredicate
    : AnyTypeOf<[TensorRankOf<[I1], [0]>, MemRefRankOf<[I1], [0]>],
                "a predicate in device memory (tensor<i1> or memref<i1>; "
                "branch on an SSA i1 with scf.if)">;

//===----------------------------------------------------------------------===//
// LoopOp
//===----------------------------------------------------------------------===//

def UCtl_LoopOp : UCtl_Op<"loop", [
    AutomaticAllocationScope,
    DeclareOpInterfaceMethods<LoopLikeOpInterface, [
        "getInitsMutable", "getLoopResults", "getRegionIterArgs",
        "getLoopInductionVars", "getLoopLowerBounds", "getLoopSteps",
        "getLoopUpperBounds", "getStaticTripCount",
        "getYieldedValuesMutable"]>,
    DeclareOpInterfaceMethods<RegionBranchOpInterface,
                              ["getEntrySuccessorOperands"]>,
    RecursiveMemoryEffects,
    SingleBlockImplicitTerminator<"YieldOp">]> {
  let summary = "A counted loop that runs on the device, inside one launch";
  let description = [{
    A loop Grinder moves from the host into the device schedule: all of its
    iterations run inside one persistent (cooperative) kernel launch instead
    of one round of launches per iteration. The bounds are `index` values
    computed on the device (typically read from device memory, so the trip
    count never travels to the host); the iteration space is the half-open
    range `[lower, upper)` walked with a positive `step`. Every block of the
    kernel runs the same iterations, so the bounds must have the same value
    in all blocks (they do when every block reads them from device memory
    that the loop does not write); otherwise the grid barriers of the body
    deadlock.

    Syntax:

    ```
    uctl.loop %iv = %lb to %ub step %step [max_trip_count(N)]
        [iter_args(%arg = %init, ...) -> (type, ...)] { body } [attr-dict]
    ```

    The body is a single block whose arguments are the induction variable
    (`index`) followed by one argument per loop-carried value. The
    `iter_args` give their initial values; `uctl.yield` passes the next
    values to the following iteration, and the values after the last
    iteration are the loop's results. Loop-carried state (e.g. the hidden
    state of an RNN) therefore stays on the device for the whole loop.
    Results, `iter_args` and yielded values have the same types, position
    by position.

    Inside the persistent kernel the operators of the body execute one after
    another as device functions; `uctl.grid_sync` marks the grid-wide
    barriers between them.

    `max_trip_count`, when present, is an upper bound on the number of
    iterations known at compile time (for instance the maximum sequence
    length). It is a hint for unrolling and for sizing the grid; it must be
    positive and, when the bounds are constants, at least the actual trip
    count.

    ```mlir
    %h, %t = uctl.loop %i = %c0 to %steps step %c1 max_trip_count(64)
        iter_args(%hi = %h0, %ti = %c0) -> (tensor<1x256xf32>, index) {
      %next = ... : tensor<1x256xf32>
      uctl.grid_sync
      %t1 = arith.addi %ti, %c1 : index
      uctl.yield %next, %t1 : tensor<1x256xf32>, index
    }
    ```

    Without `iter_args` the terminator may be left out:
    `uctl.loop %i = %lb to %ub step %s { ... }`.
  }];
  let arguments = (ins
    Index:$lowerBound,
    Index:$upperBound,
    Index:$step,
    Variadic<AnyType>:$initArgs,
    OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:$max_trip_count
  );
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$region);

  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$lowerBound, "::mlir::Value":$upperBound,
      "::mlir::Value":$step, CArg<"::mlir::ValueRange", "{}">:$initArgs,
      CArg<"::llvm::function_ref<void(::mlir::OpBuilder &, ::mlir::Location, "
           "::mlir::Value, ::mlir::ValueRange)>", "nullptr">:$bodyBuilder)>
  ];
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The loop body.
    ::mlir::Block *getBody() { return &getRegion().front(); }
    /// The induction variable: the body's first argument.
    ::mlir::BlockArgument getInductionVar() { return getBody()->getArgument(0); }
    /// The trip count when the bounds and the step are constants and the step
    /// is positive.
    std::optional<uint64_t> getConstantTripCount();
  }];
}

//===----------------------------------------------------------------------===//
// IfOp
//===----------------------------------------------------------------------===//

def UCtl_IfOp : UCtl_Op<"if", [
    DeclareOpInterfaceMethods<RegionBranchOpInterface>,
    RecursiveMemoryEffects,
    SingleBlockImplicitTerminator<"YieldOp">,
    NoRegionArguments]> {
  let summary = "A branch whose predicate is read from device memory";
  let description = [{
    A branch Grinder moves into the device schedule. The predicate is a 0-d
    `tensor<i1>` or `memref<i1>`: it is produced and read on the device, so
    taking the branch needs no copy of the predicate to the host and no
    synchronisation with it. A predicate already held in an SSA `i1` is
    ordinary structured control flow: use `scf.if`.

    The `then` region runs when the predicate is true, the `else` region
    otherwise. Each region is a single block terminated by `uctl.yield`; the
    values yielded by the region taken become the op's results, so an op with
    results needs an `else` region and both regions yield values of the
    result types.

    A branch may not hold a `uctl.grid_sync` (see there): a grid barrier is
    safe only where every block of the kernel reaches it, and nothing
    guarantees that all blocks take the same branch (another block may write
    the predicate while they read it).

    ```mlir
    %y = uctl.if %skip : tensor<i1> -> (tensor<1x256xf32>) {
      uctl.yield %x : tensor<1x256xf32>
    } else {
      %z = linalg.matmul ins(%x, %w : tensor<1x256xf32>, tensor<256x256xf32>)
                         outs(%acc : tensor<1x256xf32>) -> tensor<1x256xf32>
      uctl.yield %z : tensor<1x256xf32>
    }
    ```

    Without results the `else` region and the terminators may be left out:
    `uctl.if %p : memref<i1> { ... }`.
  }];
  let arguments = (ins UCtl_DevicePredicate:$condition);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$thenRegion,
                        MaxSizedRegion<1>:$elseRegion);

  let assemblyFormat = [{
    $condition `:` type($condition) (`->` `(` type($results)^ `)`)?
    $thenRegion (`else` $elseRegion^)? attr-dict
  }];

  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes, "::mlir::Value":$condition,
      CArg<"bool", "false">:$withElseRegion)>
  ];
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The block of the `then` region.
    ::mlir::Block *thenBlock() { return &getThenRegion().front(); }
    /// The block of the `else` region, or null when there is none.
    ::mlir::Block *elseBlock() {
      return getElseRegion().empty() ? nullptr : &getElseRegion().front();
    }
  }];
}

//===----------------------------------------------------------------------===//
// GridSyncOp
//===----------------------------------------------------------------------===//

def UCtl_GridSyncOp : UCtl_Op<"grid_sync"> {
  let summary = "A barrier across all blocks of the persistent kernel";
  let description = [{
    Waits until every thread of every block of the persistent kernel has
    reached this barrier, and makes the global-memory writes made before it
    visible to all of them after it (CUDA's cooperative-groups
    `grid.sync()`). Grinder places one between consecutive operators of a
    device-side loop body whose blocks exchange data through global memory.

    The op must be nested, at any depth, in a `uctl.loop` (before lowering:
    the loop that becomes the persistent kernel) or in a `gpu.func` (after
    lowering: the kernel itself). It must not be nested in a `uctl.if`: if
    only some blocks take the branch, the others never reach the barrier and
    the kernel deadlocks. Hoist the barrier out of the branch instead. The
    same hazard under other control flow whose predicate may differ between
    blocks (an `scf.if` on a thread's value) is not diagnosed: the IR does
    not say whether such a predicate is uniform.

    ```mlir
    uctl.loop %i = %c0 to %n step %c1 {
      ... // operator 1
      uctl.grid_sync
      ... // operator 2, reads what operator 1 wrote
    }
    ```
  }];
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

def UCtl_YieldOp : UCtl_Op<"yield", [
    Pure, ReturnLike, Terminator, HasParent<"LoopOp, IfOp">]> {
  let summary = "Terminator of uctl.loop and uctl.if regions";
  let description = [{
    Ends the body of a `uctl.loop` (its operands are the loop-carried values
    of the next iteration) or a region of a `uctl.if` (its operands are the
    op's results). The operands match the parent's result types, position by
    position. With no operands it may be left out of the custom form.

    ```mlir
    uctl.yield %h, %t : tensor<1x256xf32>, index
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$results);
  let builders = [OpBuilder<(ins), [{ /* No values to yield. */ }]>];
  let assemblyFormat = "attr-dict ($results^ `:` type($results))?";
  let hasVerifier = 1;
}

#endif // HEAVYMETAL_DIALECT_UCTL_IR_UCTLOPS_TD
