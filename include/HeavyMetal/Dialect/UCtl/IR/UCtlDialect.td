//===- UCtlDialect.td - uctl dialect definition ----------*- tablegen -*-===//

#ifndef HEAVYMETAL_DIALECT_UCTL_IR_UCTLDIALECT_TD
#define HEAVYMETAL_DIALECT_UCTL_IR_UCTLDIALECT_TD

include "mlir/IR/OpBase.td"

def UCtl_Dialect : Dialect {
  let name = "uctl";
  let cppNamespace = "::mlir::hm::uctl";
  let summary = "TODO";
}

#endif // HEAVYMETAL_DIALECT_UCTL_IR_UCTLDIALECT_TD
