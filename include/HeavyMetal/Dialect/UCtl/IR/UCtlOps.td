//===- UCtlOps.td - uctl operations ---------------------*- tablegen -*-===//

#ifndef HEAVYMETAL_DIALECT_UCTL_IR_UCTLOPS_TD
#define HEAVYMETAL_DIALECT_UCTL_IR_UCTLOPS_TD

include "HeavyMetal/Dialect/UCtl/IR/UCtlDialect.td"

#endif // HEAVYMETAL_DIALECT_UCTL_IR_UCTLOPS_TD
