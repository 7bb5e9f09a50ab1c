//===- RTaskOps.td - rtask operations ---------------------*- tablegen -*-===//
//
// rtask.program (an rProgram), rtask.operator (an rOperator) and the schedule
// entries rtask.place, rtask.step_to and rtask.wait_for.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_RTASK_IR_RTASKOPS_TD
#define HEAVYMETAL_DIALECT_RTASK_IR_RTASKOPS_TD

include "HeavyMetal/Dialect/RTask/IR/RTaskAttrs.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class RTask_Op<string mnemonic, list<Trait> traits = []>
    : Op<RTask_Dialect, mnemonic, traits>;

/// A 64-bit integer attribute read as a signed value, so that verifiers see
/// negative numbers as negative (I64Attr returns uint64_t).
def RTask_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                                 "64-bit integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

/// Schedule entries live directly in an rtask.program.
class RTask_ScheduleOp<string mnemonic, list<Trait> traits = []>
    : RTask_Op<mnemonic, !listconcat(traits,
                                     [HasParent<"::mlir::hm::rtask::ProgramOp">])>;

//===----------------------------------------------------------------------===//
// ProgramOp
//===----------------------------------------------------------------------===//

def RTask_ProgramOp : RTask_Op<"program", [
    IsolatedFromAbove, NoTerminator, SingleBlock, Symbol, SymbolTable]> {
  let summary = "An rProgram: one persistent kernel scheduled on a vDevice";
  let description = [{
    Rammer's rProgram. It becomes one persistent GPU kernel launched with one
    thread block per vEU of its `#rtask.vdevice`, instead of one kernel launch
    per operator.

    The optional parameter list names the kernel's parameters (typically the
    buffers the program reads and writes); they are the arguments of the body
    block and are visible to the bodies of the program's operators.

    The body is a single block holding only:

    - `rtask.operator` definitions, named by symbols local to the program
      (the program is a symbol table, like `gpu.module`; module-level symbols
      are not visible inside it);
    - schedule entries (`rtask.place`, `rtask.step_to`, `rtask.wait_for`),
      in program order. vEU `v` executes, in this order, exactly the entries
      that concern `v`: the rTasks placed on it, its own `rtask.step_to` and
      its own `rtask.wait_for`.

    The verifier checks the schedule as a whole:

    - every rTask of every operator is placed exactly once;
    - placements appear in non-decreasing wave order;
    - the progress a vEU publishes never moves backwards;
    - each `rtask.wait_for` is satisfied by `rtask.step_to` entries that
      appear *before* it in program order. Then program order is itself a
      valid execution, so the program cannot deadlock.

    ```mlir
    rtask.program @p vdevice<veus = 2> (%x: memref<256xf32>) {
      rtask.operator @negate tasks 2 {
      ^bb0(%task: index):
        ...
      }
      rtask.place @negate tasks [0, 2) on veus [0, 2) wave 0
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       RTask_VDeviceAttr:$vdevice);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasRegionVerifier = 1;
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "VDeviceAttr":$vdevice,
                   "::mlir::TypeRange":$argumentTypes)>
  ];
  let extraClassDeclaration = [{
    /// The number of vEUs of the program's vDevice.
    int64_t getNumVeus() { return getVdevice().getVeus(); }
  }];
}

//===----------------------------------------------------------------------===//
// OperatorOp
//===----------------------------------------------------------------------===//

def RTask_OperatorOp : RTask_Op<"operator", [
    HasParent<"::mlir::hm::rtask::ProgramOp">, Symbol,
    SingleBlockImplicitTerminator<"::mlir::hm::rtask::YieldOp">,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "An rOperator: a kernel body computing one rTask";
  let description = [{
    Rammer's rOperator: an operator split into `tasks` rTasks, where one rTask
    is the work of one thread block. The body computes one rTask; its single
    block argument, of type `index`, is the task index in `[0, tasks)`. The
    body runs on the thread block of the vEU the rTask is placed on and may
    use the parameters of the enclosing program. It ends with `rtask.yield`,
    which may be omitted in the custom form.

    An operator runs only where `rtask.place` puts its rTasks; the program
    verifier requires every task in `[0, tasks)` to be placed exactly once.

    ```mlir
    rtask.operator @relu tasks 8 {
    ^bb0(%task: index):
      %c128 = arith.constant 128 : index
      %base = arith.muli %task, %c128 : index
      ...
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, RTask_I64Attr:$tasks);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name `tasks` $tasks attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "int64_t":$tasks)>
  ];
  let extraClassDeclaration = [{
    /// The task index, the body's only argument.
    ::mlir::BlockArgument getTaskIndex() { return getBody().getArgument(0); }
  }];
}

def RTask_YieldOp : RTask_Op<"yield", [
    HasParent<"::mlir::hm::rtask::OperatorOp">, Pure, ReturnLike, Terminator]> {
  let summary = "Ends the body of an rtask.operator";
  let description = [{
    Terminates the body of an `rtask.operator`: the rTask is complete. It is
    implicit in the custom form of `rtask.operator`.
  }];
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// PlaceOp
//===----------------------------------------------------------------------===//

def RTask_PlaceOp : RTask_ScheduleOp<"place", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Places a range of an rOperator's rTasks onto a range of vEUs";
  let description = [{
    Places the rTasks `[task_begin, task_end)` of the rOperator
    `@operator_name` onto the vEUs `[veu_begin, veu_end)` round-robin, as
    Rammer's wavefront scheduler does: rTask `task_begin + i` runs on vEU
    `veu_begin + (i mod (veu_end - veu_begin))`. A vEU that receives several
    rTasks runs them one after the other, in increasing task order, at this
    point of its program order.

    `wave` is the wavefront wave the placement belongs to (the breadth-first
    level of the operator in the data-flow graph, after Rammer merges waves);
    placements appear in non-decreasing wave order. The wave is a record of the
    schedule for cost models and later passes: it implies no synchronisation.
    Dependencies between vEUs are expressed only by `rtask.step_to` and
    `rtask.wait_for`.

    Both ranges are half-open, non-empty and within bounds: the tasks within
    the operator's `tasks`, the vEUs within the program's vDevice.

    ```mlir
    // rTasks 0..7 of @relu on vEUs 0..3: vEU 0 runs tasks 0 and 4, vEU 1
    // runs tasks 1 and 5, and so on.
    rtask.place @relu tasks [0, 8) on veus [0, 4) wave 0
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$operator_name,
                       RTask_I64Attr:$task_begin, RTask_I64Attr:$task_end,
                       RTask_I64Attr:$veu_begin, RTask_I64Attr:$veu_end,
                       RTask_I64Attr:$wave);
  let assemblyFormat = [{
    $operator_name `tasks` ` ` `[` $task_begin `,` $task_end `)`
    `on` `veus` ` ` `[` $veu_begin `,` $veu_end `)` `wave` $wave attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The number of rTasks this entry places.
    int64_t getNumTasks() { return getTaskEnd() - getTaskBegin(); }
    /// The number of vEUs the rTasks are spread over.
    int64_t getNumVeus() { return getVeuEnd() - getVeuBegin(); }
    /// The vEU rTask `task` (in [task_begin, task_end)) runs on.
    int64_t getVeuOfTask(int64_t task) {
      return getVeuBegin() + (task - getTaskBegin()) % getNumVeus();
    }
  }];
}

//===----------------------------------------------------------------------===//
// StepToOp / WaitForOp
//===----------------------------------------------------------------------===//

def RTask_StepToOp : RTask_ScheduleOp<"step_to"> {
  let summary = "A vEU publishes its progress (Rammer's StepTo)";
  let description = [{
    vEU `veu` publishes that it has reached `step`: once every entry before
    this one in its program order is complete, it stores `step` into its slot
    of a zero-initialised global-memory progress array. Steps start at 1
    (0 is the initial value, "nothing done") and a vEU's published step never
    decreases.

    ```mlir
    rtask.step_to veu 0 step 1
    ```
  }];
  let arguments = (ins RTask_I64Attr:$veu, RTask_I64Attr:$step);
  let assemblyFormat = "`veu` $veu `step` $step attr-dict";
  let hasVerifier = 1;
}

def RTask_WaitForOp : RTask_ScheduleOp<"wait_for"> {
  let summary = "A vEU waits until other vEUs reach a step (Rammer's WaitFor)";
  let description = [{
    vEU `veu` spins until every vEU in `awaited` has published a step of at least
    `step`, then synchronises its thread block so that all its threads see
    the producers' results. The awaited list is non-empty, free of duplicates,
    within the vDevice, and does not contain the waiting vEU (a vEU waiting on
    itself deadlocks: its own earlier entries are already ordered before this
    one).

    The program verifier requires, for each awaited vEU, an `rtask.step_to`
    reaching `step` or more *before* the wait in program order.

    ```mlir
    // vEU 2 proceeds once vEUs 0 and 1 have published step 1.
    rtask.wait_for veus [0, 1] step 1 on veu 2
    ```
  }];
  let arguments = (ins DenseI64ArrayAttr:$awaited, RTask_I64Attr:$step,
                       RTask_I64Attr:$veu);
  let assemblyFormat = "`veus` $awaited `step` $step `on` `veu` $veu attr-dict";
  let hasVerifier = 1;
}

#endif // HEAVYMETAL_DIALECT_RTASK_IR_RTASKOPS_TD
