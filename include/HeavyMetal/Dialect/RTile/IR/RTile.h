//===- RTile.h - rtile dialect ----------------------------------*- C++ -*-===//
//
// The rtile dialect: GPU descriptions and Roller's tile configurations.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_RTILE_IR_RTILE_H
#define HEAVYMETAL_DIALECT_RTILE_IR_RTILE_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"

#include "HeavyMetal/Dialect/RTile/IR/RTileDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "HeavyMetal/Dialect/RTile/IR/RTileAttrs.h.inc"

namespace mlir::hm::rtile {

/// Returns the built-in description named `name` ("sm_70"/"v100",
/// "sm_80"/"a100", "sm_90"/"h100"; case-insensitive), or null.
ArchAttr getBuiltinArch(MLIRContext *context, llvm::StringRef name);

/// The names accepted by getBuiltinArch, for diagnostics and --help.
llvm::ArrayRef<llvm::StringRef> getBuiltinArchNames();

} // namespace mlir::hm::rtile

#endif // HEAVYMETAL_DIALECT_RTILE_IR_RTILE_H
