//===- Passes.h - HeavyMetal transform passes -------------------*- C++ -*-===//

#ifndef HEAVYMETAL_TRANSFORMS_PASSES_H
#define HEAVYMETAL_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::hm {

#define GEN_PASS_DECL
#include "HeavyMetal/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "HeavyMetal/Transforms/Passes.h.inc"

} // namespace mlir::hm

#endif // HEAVYMETAL_TRANSFORMS_PASSES_H
