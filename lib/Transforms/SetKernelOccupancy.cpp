//===- SetKernelOccupancy.cpp - Blocks-per-SM hints for ptxas -------------===//
//
// --hm-set-kernel-occupancy: nvvm.minctasm on every gpu.func kernel, so that
// ptxas does not spill to fit more resident blocks than the kernel's
// configuration needs.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::hm {
#define GEN_PASS_DEF_SETKERNELOCCUPANCY
#include "HeavyMetal/Transforms/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;

namespace {

struct SetKernelOccupancy final
    : hm::impl::SetKernelOccupancyBase<SetKernelOccupancy> {
  using Base::Base;

  void runOnOperation() override {
    if (minBlocksPerSM == 0) {
      getOperation().emitError()
          << "hm-set-kernel-occupancy: 'min-blocks-per-sm' must be at least "
             "1";
      return signalPassFailure();
    }
    StringRef name = NVVM::NVVMDialect::getMinctasmAttrName();
    auto value = IntegerAttr::get(IntegerType::get(&getContext(), 32),
                                  static_cast<int64_t>(minBlocksPerSM));
    getOperation().walk([&](gpu::GPUFuncOp func) {
      if (func.isKernel() && !func->hasAttr(name))
        func->setAttr(name, value);
    });
  }
};

} // namespace
