//===- UCtlDialect.cpp - uctl dialect ------------------------------------===//

#include "HeavyMetal/Dialect/UCtl/IR/UCtl.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::hm::uctl;

#include "HeavyMetal/Dialect/UCtl/IR/UCtlDialect.cpp.inc"

void UCtlDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "HeavyMetal/Dialect/UCtl/IR/UCtlOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/UCtl/IR/UCtlOps.cpp.inc"
