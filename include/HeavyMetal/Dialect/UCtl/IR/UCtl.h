//===- UCtl.h - uctl dialect -------------------------------------*- C++
//-*-===//
//
// The uctl dialect: Grinder's device-side loops, branches and grid barriers.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_UCTL_IR_UCTL_H
#define HEAVYMETAL_DIALECT_UCTL_IR_UCTL_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "HeavyMetal/Dialect/UCtl/IR/UCtlDialect.h.inc"

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/UCtl/IR/UCtlOps.h.inc"

#endif // HEAVYMETAL_DIALECT_UCTL_IR_UCTL_H
