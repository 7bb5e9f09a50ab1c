//===- HostBuffersToGPU.cpp - Move host-allocated buffers to the GPU ------===//
//
// After bufferization the host function allocates with memref.alloc and reads
// constants from memref.global; kernels need those buffers in device memory.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Conversion/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::hm {
#define GEN_PASS_DEF_CONVERTHOSTBUFFERSTOGPU
#include "HeavyMetal/Conversion/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;

#define DEBUG_TYPE "convert-host-buffers-to-gpu"

namespace {

/// Allocates a device buffer of `type` before the current insertion point.
Value createDeviceAlloc(RewriterBase &rewriter, Location loc, MemRefType type,
                        ValueRange dynamicSizes) {
  return gpu::AllocOp::create(rewriter, loc, type, /*asyncToken=*/Type(),
                              /*asyncDependencies=*/ValueRange(), dynamicSizes,
                              /*symbolOperands=*/ValueRange())
      .getMemref();
}

struct ConvertHostBuffersToGPU final
    : hm::impl::ConvertHostBuffersToGPUBase<ConvertHostBuffersToGPU> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> worklist;
    bool hostAccess = false;
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (isa<memref::AllocOp, memref::DeallocOp, memref::GetGlobalOp>(op))
        worklist.push_back(op);
      if (isa<memref::LoadOp, memref::StoreOp>(op)) {
        op->emitOpError("accesses a buffer from host code; buffers live in "
                        "GPU memory, so only kernels may load or store them");
        hostAccess = true;
      }
      return WalkResult::advance();
    });
    if (hostAccess)
      return signalPassFailure();

    for (Operation *op : worklist) {
      rewriter.setInsertionPoint(op);
      Location loc = op->getLoc();
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        rewriter.replaceOp(alloc,
                           createDeviceAlloc(rewriter, loc, alloc.getType(),
                                             alloc.getDynamicSizes()));
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        rewriter.replaceOpWithNewOp<gpu::DeallocOp>(
            dealloc, /*asyncToken=*/Type(), /*asyncDependencies=*/ValueRange(),
            dealloc.getMemref());
      } else if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
        // Copy the host constant into a fresh device buffer.
        Value device =
            createDeviceAlloc(rewriter, loc, global.getType(), ValueRange());
        rewriter.setInsertionPointAfter(global);
        auto copy = gpu::MemcpyOp::create(
            rewriter, loc, /*asyncToken=*/Type(),
            /*asyncDependencies=*/ValueRange(), device, global.getResult());
        rewriter.replaceAllUsesExcept(global.getResult(), device, copy);
      }
    }
  }
};

} // namespace
