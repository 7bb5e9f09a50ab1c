//===- Passes.h - HeavyMetal conversion passes ------------------*- C++ -*-===//

#ifndef HEAVYMETAL_CONVERSION_PASSES_H
#define HEAVYMETAL_CONVERSION_PASSES_H

#include "HeavyMetal/Dialect/RTile/IR/RTile.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::hm {

#define GEN_PASS_DECL
#include "HeavyMetal/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "HeavyMetal/Conversion/Passes.h.inc"

} // namespace mlir::hm

#endif // HEAVYMETAL_CONVERSION_PASSES_H
