//===- RTaskOps.td - rtask operations ---------------------*- tablegen -*-===//

#ifndef HEAVYMETAL_DIALECT_RTASK_IR_RTASKOPS_TD
#define HEAVYMETAL_DIALECT_RTASK_IR_RTASKOPS_TD

include "HeavyMetal/Dialect/RTask/IR/RTaskDialect.td"

#endif // HEAVYMETAL_DIALECT_RTASK_IR_RTASKOPS_TD
