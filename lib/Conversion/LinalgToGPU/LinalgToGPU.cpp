//===- LinalgToGPU.cpp - Baseline mapping of linalg ops to gpu.launch -----===//
//
// One kernel per linalg operation: the parallel loops become a flat 1-D grid
// of threads, the reduction loops stay sequential inside each thread.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::hm {
#define GEN_PASS_DEF_CONVERTLINALGTOGPU
#include "HeavyMetal/Conversion/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;

#define DEBUG_TYPE "convert-linalg-to-gpu"

namespace {

/// Replaces every scf.parallel in the loop nest rooted at `root` (generated
/// by linalg for one point of the parallel iteration space) by its body, with
/// its induction variables taken from `parallelIvs`. Loops are generated in
/// loop-dimension order, so the k-th induction variable of the nest (in
/// pre-order) belongs to loop dimension k.
LogicalResult inlineParallelLoops(RewriterBase &rewriter,
                                  ArrayRef<Operation *> loops,
                                  ArrayRef<utils::IteratorType> iterators,
                                  const DenseMap<unsigned, Value> &parallelIvs) {
  unsigned dim = 0;
  SmallVector<scf::ParallelOp> parallelLoops;
  SmallVector<SmallVector<Value>> replacements;
  for (Operation *loop : loops) {
    if (auto forOp = dyn_cast<scf::ForOp>(loop)) {
      if (iterators[dim] != utils::IteratorType::reduction)
        return forOp.emitError("expected a reduction loop for dimension ")
               << dim;
      ++dim;
      continue;
    }
    auto parallelOp = dyn_cast<scf::ParallelOp>(loop);
    if (!parallelOp || !parallelOp.getInitVals().empty())
      return loop->emitError("unexpected loop in the lowered linalg nest");
    SmallVector<Value> ivs;
    for (unsigned i = 0, e = parallelOp.getNumLoops(); i < e; ++i, ++dim)
      ivs.push_back(parallelIvs.lookup(dim));
    parallelLoops.push_back(parallelOp);
    replacements.push_back(std::move(ivs));
  }
  // Inline innermost first so that outer bodies still hold inner loops.
  for (auto [parallelOp, ivs] :
       llvm::reverse(llvm::zip_equal(parallelLoops, replacements))) {
    Block *body = parallelOp.getBody();
    rewriter.eraseOp(body->getTerminator());
    rewriter.inlineBlockBefore(body, parallelOp, ivs);
    rewriter.eraseOp(parallelOp);
  }
  return success();
}

/// Wraps `op` into a gpu.launch computing one point of its parallel
/// iteration space per thread.
LogicalResult mapToLaunch(RewriterBase &rewriter, linalg::LinalgOp op,
                          int64_t blockSize) {
  Location loc = op.getLoc();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return op.emitOpError("has dynamic loop extents, which the baseline GPU "
                          "mapping does not support; pin the shapes first");

  SmallVector<int64_t> parallelExtents;
  SmallVector<unsigned> parallelDims;
  for (auto [dim, iterator] : llvm::enumerate(iterators)) {
    if (iterator == utils::IteratorType::parallel) {
      parallelExtents.push_back(ranges[dim]);
      parallelDims.push_back(dim);
    }
  }
  int64_t points = 1;
  for (int64_t extent : parallelExtents)
    points *= extent;
  if (points == 0 || llvm::is_contained(ranges, 0)) {
    // Nothing to compute (an empty parallel space) or nothing to reduce over:
    // an empty reduction leaves the output unchanged.
    rewriter.eraseOp(op);
    return success();
  }

  int64_t threads = std::min(points, blockSize);
  int64_t blocks = llvm::divideCeil(points, threads);
  rewriter.setInsertionPoint(op);
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Value one = cst(1);
  auto launch = gpu::LaunchOp::create(rewriter, loc, cst(blocks), one, one,
                                      cst(threads), one, one);
  Block &body = launch.getBody().front();
  rewriter.setInsertionPointToStart(&body);
  gpu::TerminatorOp::create(rewriter, loc);
  rewriter.setInsertionPointToStart(&body);

  // linear = blockIdx.x * blockDim.x + threadIdx.x; guarded by linear < P.
  Value linear = arith::AddIOp::create(
      rewriter, loc,
      arith::MulIOp::create(rewriter, loc, launch.getBlockIds().x,
                            launch.getBlockSize().x),
      launch.getThreadIds().x);
  Value inBounds = arith::CmpIOp::create(
      rewriter, loc, arith::CmpIPredicate::ult, linear, cst(points));
  auto guard = scf::IfOp::create(rewriter, loc, inBounds,
                                 /*withElseRegion=*/false);
  rewriter.setInsertionPointToStart(guard.thenBlock());

  DenseMap<unsigned, Value> parallelIvs;
  if (!parallelExtents.empty()) {
    SmallVector<OpFoldResult> basis = llvm::map_to_vector(
        parallelExtents,
        [&](int64_t e) -> OpFoldResult { return rewriter.getIndexAttr(e); });
    auto delinearized = affine::AffineDelinearizeIndexOp::create(
        rewriter, loc, linear, basis, /*hasOuterBound=*/true);
    for (auto [dim, iv] :
         llvm::zip_equal(parallelDims, delinearized.getResults()))
      parallelIvs[dim] = iv;
  }

  // Move the op into the guard, lower it to loops there and replace the
  // parallel loops by this thread's point.
  rewriter.moveOpBefore(op, guard.thenBlock()->getTerminator());
  FailureOr<linalg::LinalgLoops> loops =
      linalg::linalgOpToParallelLoops(rewriter, op);
  if (failed(loops))
    return op.emitOpError("could not be lowered to loops for the GPU");
  if (failed(inlineParallelLoops(rewriter, *loops, iterators, parallelIvs)))
    return failure();
  rewriter.eraseOp(op);
  return success();
}

struct ConvertLinalgToGPU final
    : hm::impl::ConvertLinalgToGPUBase<ConvertLinalgToGPU> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (blockSize <= 0 || blockSize > 1024 || blockSize % 32 != 0) {
      func.emitError() << "convert-linalg-to-gpu: 'block-size' must be a "
                          "positive multiple of 32 and at most 1024, got "
                       << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());

    // memref.copy is a linalg.copy for our purposes: it runs as a kernel.
    SmallVector<memref::CopyOp> copies;
    func.walk([&](memref::CopyOp copy) {
      if (!copy->getParentOfType<gpu::LaunchOp>())
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      linalg::CopyOp::create(rewriter, copy.getLoc(),
                             ValueRange{copy.getSource()},
                             ValueRange{copy.getTarget()});
      rewriter.eraseOp(copy);
    }

    SmallVector<linalg::LinalgOp> ops;
    bool hasTensorOps = false;
    func.walk([&](linalg::LinalgOp op) {
      if (op->getParentOfType<gpu::LaunchOp>())
        return WalkResult::skip();
      if (!op.hasPureBufferSemantics()) {
        op.emitOpError("still operates on tensors; bufferize before "
                       "convert-linalg-to-gpu");
        hasTensorOps = true;
        return WalkResult::skip();
      }
      ops.push_back(op);
      return WalkResult::skip();
    });
    if (hasTensorOps)
      return signalPassFailure();
    for (linalg::LinalgOp op : ops)
      if (failed(mapToLaunch(rewriter, op, blockSize)))
        return signalPassFailure();

    // linalg's loop lowering indexes through identity affine.apply ops and
    // leaves unused loop bounds behind; fold them so the kernels read well.
    RewritePatternSet patterns(&getContext());
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
