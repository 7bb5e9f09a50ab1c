//===- InlineKernels.cpp - tilegraph.kernel bodies inlined and tagged -----===//
//
// Before bufferization: every tilegraph.kernel is replaced by its body, the
// group remembered in discardable attributes (TileGraphTags.h) that
// bufferization keeps, for --convert-tilegraph-to-gpu.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Conversion/Passes.h"
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraph.h"
#include "TileGraphTags.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::hm {
#define GEN_PASS_DEF_INLINETILEGRAPHKERNELS
#include "HeavyMetal/Conversion/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm;

#define DEBUG_TYPE "hm-inline-tilegraph-kernels"

namespace {

/// Why `kernel` cannot be tagged as a group, or an empty string.
std::string whyNotTaggable(tilegraph::KernelOp kernel) {
  if (kernel->getNumResults() != 1)
    return "it has " + std::to_string(kernel->getNumResults()) +
           " results; one output per group is lowered";
  auto yield = cast<tilegraph::YieldOp>(kernel.getBody().front().back());
  auto root = yield.getValues()[0].getDefiningOp<linalg::LinalgOp>();
  if (!root || root->getNumResults() != 1)
    return "its output is not the single result of a linalg operation";
  int64_t rank = cast<ShapedType>(root->getResult(0).getType()).getRank();
  if (static_cast<int64_t>(kernel.getOutputTile().size()) != rank)
    return "its tile does not have the rank of its output";
  int64_t members = 0;
  for (Operation &op : kernel.getBody().front())
    if (isa<linalg::LinalgOp>(op) && !isa<linalg::FillOp>(op))
      ++members;
  if (members < 2)
    return "it holds a single operation, left to the ordinary lowerings";
  return "";
}

struct InlineTileGraphKernels final
    : hm::impl::InlineTileGraphKernelsBase<InlineTileGraphKernels> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<tilegraph::KernelOp> kernels;
    getOperation().walk(
        [&](tilegraph::KernelOp kernel) { kernels.push_back(kernel); });
    IRRewriter rewriter(&getContext());
    int64_t nextGroup = 0;
    for (tilegraph::KernelOp kernel : kernels) {
      std::string whyNot = whyNotTaggable(kernel);
      bool tag = whyNot.empty();
      if (!tag && remarks)
        kernel.emitRemark() << "kernel '" << kernel.getName().value_or("")
                            << "' inlined without fusion tags: " << whyNot;
      Block &body = kernel.getBody().front();
      auto yield = cast<tilegraph::YieldOp>(body.getTerminator());
      Operation *root = yield.getValues().empty()
                            ? nullptr
                            : yield.getValues()[0].getDefiningOp();

      // Levels: the highest level any connect of a result names.
      DenseMap<Operation *, tilegraph::Level> levels;
      SmallVector<tilegraph::ConnectOp> connects;
      for (auto connect : body.getOps<tilegraph::ConnectOp>()) {
        connects.push_back(connect);
        Operation *producer = connect.getInput().getDefiningOp();
        if (!producer)
          continue;
        auto it = levels.try_emplace(producer, connect.getLevel()).first;
        if (connect.getLevel() == tilegraph::Level::Shared)
          it->second = tilegraph::Level::Shared;
      }
      if (tag) {
        int64_t index = 0;
        int64_t group = nextGroup++;
        for (Operation &op : body) {
          if (!isa<linalg::LinalgOp>(op))
            continue;
          StringRef level = "none";
          auto it = levels.find(&op);
          if (it != levels.end())
            level = it->second == tilegraph::Level::Shared ? "shared"
                                                           : "register";
          setMemberTag(&op, group, index++, level);
        }
        setRootTag(root, kernel.getName().value_or("").str(),
                   kernel.getOutputTile());
      }
      for (tilegraph::ConnectOp connect : connects)
        rewriter.replaceOp(connect, connect.getInput());
      SmallVector<Value> results(yield.getValues());
      rewriter.eraseOp(yield);
      rewriter.inlineBlockBefore(&body, kernel, kernel.getInputs());
      rewriter.replaceOp(kernel, results);
    }
  }
};

} // namespace
