//===- WelderPrintTilePropagation.cpp - Print tile propagation ------------===//
//
// --hm-print-tile-propagation: a test pass over Analysis/TilePropagation.
// From each linalg operation carrying `hm.tile`, propagates the tile through
// the operation and its linalg producers and prints the tiles and the
// recomputation factors.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Transforms/Passes.h"

#include "HeavyMetal/Analysis/TilePropagation.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::hm {
#define GEN_PASS_DEF_PRINTTILEPROPAGATION
#include "HeavyMetal/Transforms/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm;

namespace {

constexpr StringLiteral kTileAttrName = "hm.tile";
constexpr StringLiteral kOffsetsAttrName = "hm.tile_offsets";
/// Tiles of a grid the recomputation factors enumerate, at most.
constexpr int64_t kMaxRecomputationTiles = 1 << 16;

void printBox(llvm::raw_ostream &os, const TileBox &box) {
  os << "[";
  llvm::interleaveComma(llvm::zip_equal(box.offsets, box.sizes), os,
                        [&](auto pair) {
                          auto [offset, size] = pair;
                          os << offset << ":" << offset + size;
                        });
  os << "]";
}

/// `root` and the linalg operations it transitively reads, in block order.
SmallVector<linalg::LinalgOp> collectGroup(linalg::LinalgOp root) {
  llvm::SetVector<Operation *> found;
  SmallVector<linalg::LinalgOp> worklist{root};
  found.insert(root);
  while (!worklist.empty()) {
    linalg::LinalgOp op = worklist.pop_back_val();
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<ShapedType>(operand.get().getType()))
        continue;
      TracedAccess traced = traceThroughUnitReshapes(
          operand.get(), op.getMatchingIndexingMap(&operand));
      auto producer = traced.source.getDefiningOp<linalg::LinalgOp>();
      if (!producer || isa<linalg::FillOp>(producer) ||
          producer->getBlock() != root->getBlock())
        continue;
      if (found.insert(producer))
        worklist.push_back(producer);
    }
  }
  SmallVector<linalg::LinalgOp> group;
  for (Operation *op : found)
    group.push_back(cast<linalg::LinalgOp>(op));
  llvm::sort(group, [](linalg::LinalgOp a, linalg::LinalgOp b) {
    return a->isBeforeInBlock(b);
  });
  return group;
}

struct PrintTilePropagation final
    : hm::impl::PrintTilePropagationBase<PrintTilePropagation> {
  void runOnOperation() override;
};

void PrintTilePropagation::runOnOperation() {
  bool failedAny = false;
  llvm::raw_ostream &os = llvm::outs();
  getOperation().walk([&](linalg::LinalgOp root) {
    auto sizes = root->getAttrOfType<DenseI64ArrayAttr>(kTileAttrName);
    if (!sizes)
      return;
    auto resultType = dyn_cast<ShapedType>(root->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape() ||
        resultType.getRank() != static_cast<int64_t>(sizes.size())) {
      root->emitError() << "hm-print-tile-propagation: '" << kTileAttrName
                        << "' needs one size per dimension of a static "
                           "result #0";
      failedAny = true;
      return;
    }
    TileBox tile;
    tile.sizes.assign(sizes.asArrayRef().begin(), sizes.asArrayRef().end());
    tile.offsets.assign(tile.sizes.size(), 0);
    if (auto offsets =
            root->getAttrOfType<DenseI64ArrayAttr>(kOffsetsAttrName)) {
      if (offsets.size() != sizes.size()) {
        root->emitError() << "hm-print-tile-propagation: '"
                          << kOffsetsAttrName << "' and '" << kTileAttrName
                          << "' have different ranks";
        failedAny = true;
        return;
      }
      tile.offsets.assign(offsets.asArrayRef().begin(),
                          offsets.asArrayRef().end());
    }
    SmallVector<linalg::LinalgOp> group = collectGroup(root);
    std::string whyNot;
    FailureOr<GroupTilePropagation> propagation =
        GroupTilePropagation::propagate(group, root, tile, whyNot);
    if (failed(propagation)) {
      root->emitError() << "hm-print-tile-propagation: " << whyNot;
      failedAny = true;
      return;
    }
    FailureOr<SmallVector<double>> recomputation = computeRecomputation(
        group, root, tile.sizes, kMaxRecomputationTiles, whyNot);

    os << "tile propagation from " << root->getName() << " at "
       << root->getLoc() << ": result tile ";
    printBox(os, tile);
    os << ", " << group.size() << " operation(s)\n";
    for (auto [index, op] : llvm::enumerate(group)) {
      os << "  " << op->getName() << " at " << op->getLoc() << "\n";
      os << "    loops ";
      printBox(os, propagation->getIterationTile(op));
      os << " (" << propagation->getIterationTile(op).getNumElements()
         << " points)\n";
      for (OpOperand &operand : op->getOpOperands()) {
        if (!isa<ShapedType>(operand.get().getType()) ||
            (op.isDpsInit(&operand) &&
             !op.payloadUsesValueFromOperand(&operand)))
          continue;
        os << "    operand #" << operand.getOperandNumber() << " ";
        TileBox box =
            propagation->getOperandTile(op, operand.getOperandNumber());
        printBox(os, box);
        os << " (" << box.getNumElements() << " elements)\n";
      }
      if (succeeded(recomputation))
        os << llvm::formatv("    recomputation {0:F3}\n",
                            (*recomputation)[index]);
      else
        os << "    recomputation unknown: " << whyNot << "\n";
    }
  });
  os.flush();
  if (failedAny)
    signalPassFailure();
}

} // namespace
