//===- RTaskDialect.cpp - rtask dialect ------------------------------------===//

#include "HeavyMetal/Dialect/RTask/IR/RTask.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::hm::rtask;

#include "HeavyMetal/Dialect/RTask/IR/RTaskDialect.cpp.inc"

void RTaskDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "HeavyMetal/Dialect/RTask/IR/RTaskOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/RTask/IR/RTaskOps.cpp.inc"
