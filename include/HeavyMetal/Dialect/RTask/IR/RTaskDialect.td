//===- RTaskDialect.td - Rammer's schedule dialect ---------*- tablegen -*-===//
//
// The rtask dialect expresses Rammer's rProgram: rOperators split into rTasks,
// placed onto the vEUs of a vDevice and synchronised with StepTo / WaitFor,
// all inside one persistent kernel.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_RTASK_IR_RTASKDIALECT_TD
#define HEAVYMETAL_DIALECT_RTASK_IR_RTASKDIALECT_TD

include "mlir/IR/OpBase.td"

def RTask_Dialect : Dialect {
  let name = "rtask";
  let cppNamespace = "::mlir::hm::rtask";
  let summary = "Rammer's compile-time schedule of rTasks onto a vDevice";
  let description = [{
    The `rtask` dialect holds the schedule Rammer computes at compile time.
    An `rtask.program` is one persistent GPU kernel running on a virtual
    device (`#rtask.vdevice`) of N virtual execution units (vEUs, roughly
    thread-block slots). It defines rOperators (`rtask.operator`): kernels
    whose body computes one rTask, the work of one thread block, given the
    task index. The rest of the program body is an ordered list of schedule
    entries: `rtask.place` assigns a range of an operator's rTasks to a range
    of vEUs, and `rtask.step_to` / `rtask.wait_for` publish and await progress
    across vEUs. Each vEU executes, in program order, exactly the entries that
    concern it.

    The verifiers guarantee that every rTask is placed exactly once and that
    every wait is satisfied by progress published earlier in program order,
    so the program order itself is a valid execution and the program cannot
    deadlock.
  }];
  let useDefaultAttributePrinterParser = 1;
}

#endif // HEAVYMETAL_DIALECT_RTASK_IR_RTASKDIALECT_TD
