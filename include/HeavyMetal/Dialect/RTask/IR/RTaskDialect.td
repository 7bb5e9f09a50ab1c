//===- RTaskDialect.td - rtask dialect definition ----------*- tablegen -*-===//

#ifndef HEAVYMETAL_DIALECT_RTASK_IR_RTASKDIALECT_TD
#define HEAVYMETAL_DIALECT_RTASK_IR_RTASKDIALECT_TD

include "mlir/IR/OpBase.td"

def RTask_Dialect : Dialect {
  let name = "rtask";
  let cppNamespace = "::mlir::hm::rtask";
  let summary = "TODO";
}

#endif // HEAVYMETAL_DIALECT_RTASK_IR_RTASKDIALECT_TD
