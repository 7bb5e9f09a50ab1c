//===- RTask.h - rtask dialect ----------------------------------*- C++ -*-===//
//
// The rtask dialect: Rammer's rProgram, rOperators and the schedule of their
// rTasks on the vEUs of a vDevice.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_RTASK_IR_RTASK_H
#define HEAVYMETAL_DIALECT_RTASK_IR_RTASK_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "HeavyMetal/Dialect/RTask/IR/RTaskDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "HeavyMetal/Dialect/RTask/IR/RTaskAttrs.h.inc"

// rtask.operator names ProgramOp and YieldOp in its traits before the
// generated declarations reach them.
namespace mlir::hm::rtask {
class ProgramOp;
class YieldOp;
} // namespace mlir::hm::rtask

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/RTask/IR/RTaskOps.h.inc"

#endif // HEAVYMETAL_DIALECT_RTASK_IR_RTASK_H
