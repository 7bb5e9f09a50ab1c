//===- UCtlDialect.td - Grinder's device-side control flow -*- tablegen -*-===//
//
// The uctl dialect expresses loops and branches that run on the device, inside
// one persistent kernel, as Grinder (Cocktailer, OSDI'23) schedules them.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_UCTL_IR_UCTLDIALECT_TD
#define HEAVYMETAL_DIALECT_UCTL_IR_UCTLDIALECT_TD

include "mlir/IR/OpBase.td"

def UCtl_Dialect : Dialect {
  let name = "uctl";
  let cppNamespace = "::mlir::hm::uctl";
  let summary = "Grinder's device-side control flow: loops, branches and grid "
                "barriers inside a persistent kernel";
  let description = [{
    The `uctl` dialect moves control flow from the host into the device
    schedule, as Grinder (published as Cocktailer, OSDI'23) does. A
    `uctl.loop` runs all of its iterations inside one persistent
    (cooperative) kernel launch: its bounds are computed on the device, its
    loop-carried state stays in device memory, and the operators of its body
    are separated by grid-wide barriers (`uctl.grid_sync`). A `uctl.if` reads
    its predicate from device memory, so choosing a branch needs no copy back
    to the host. `uctl.yield` terminates the regions of both.

    Before Grinder's lowering the ops sit in host functions around `linalg`
    operations on tensors; after it they live inside the `gpu.func` of the
    persistent kernel. The ops' semantics are the same in both places.
  }];
}

#endif // HEAVYMETAL_DIALECT_UCTL_IR_UCTLDIALECT_TD
