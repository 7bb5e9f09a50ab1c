//===- RTask.h - rtask dialect -------------------------------------*- C++ -*-===//

#ifndef HEAVYMETAL_DIALECT_RTASK_IR_RTASK_H
#define HEAVYMETAL_DIALECT_RTASK_IR_RTASK_H

#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"

#include "HeavyMetal/Dialect/RTask/IR/RTaskDialect.h.inc"

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/RTask/IR/RTaskOps.h.inc"

#endif // HEAVYMETAL_DIALECT_RTASK_IR_RTASK_H
