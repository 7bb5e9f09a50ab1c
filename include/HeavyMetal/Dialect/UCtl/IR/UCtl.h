//===- UCtl.h - uctl dialect -------------------------------------*- C++ -*-===//

#ifndef HEAVYMETAL_DIALECT_UCTL_IR_UCTL_H
#define HEAVYMETAL_DIALECT_UCTL_IR_UCTL_H

#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"

#include "HeavyMetal/Dialect/UCtl/IR/UCtlDialect.h.inc"

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/UCtl/IR/UCtlOps.h.inc"

#endif // HEAVYMETAL_DIALECT_UCTL_IR_UCTL_H
