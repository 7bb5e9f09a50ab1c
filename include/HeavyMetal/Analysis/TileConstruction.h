//===- TileConstruction.h - Roller's rTile construction ---------*- C++ -*-===//
//
// Constructs hardware-aligned tile configurations for an operation the way
// Roller does: aligned steps per loop, growth by data-reuse score, pruning by
// the arch's limits, descent to the next memory level once a level is
// saturated, ranking by the cost model. Used by --hm-roller; Welder builds its
// groups' tiles with it.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_ANALYSIS_TILECONSTRUCTION_H
#define HEAVYMETAL_ANALYSIS_TILECONSTRUCTION_H

#include "HeavyMetal/Analysis/CostModel.h"

namespace mlir::hm {

/// Knobs of the construction (Roller's defaults).
struct ConstructionOptions {
  /// Configurations returned, best first.
  int64_t topK = 1;
  /// Threads per block, at most (Roller: 512).
  int64_t maxThreadsPerBlock = 512;
  /// Iteration points of a block tile, at most (512 threads x 64 points).
  int64_t maxBlockPoints = 32768;
  /// A block step that pads a loop by more than this fraction of its extent
  /// is skipped (unless nothing else fits).
  double maxPaddingWaste = 0.2;
};

/// One constructed configuration and the model's estimate for it.
struct RankedConfig {
  TileConfig config;
  CostEstimate estimate;
};

/// Ranked configurations, best first.
using RankedConfigs = SmallVector<RankedConfig, 1>;

/// The per-loop alignment the construction starts from.
struct TileAlignment {
  /// Smallest block step per parallel loop: the transaction width in elements
  /// for a loop that walks an operand's innermost dimension, else 1; at most
  /// the loop's extent.
  SmallVector<int64_t> parallelBase;
  /// Reduction step per reduction loop: 8 (64 with tensor cores), raised to
  /// the transaction width when the loop walks an input's innermost
  /// dimension, for the main reduction loop; small window loops (<= 16) whole;
  /// others 1. At most the loop's extent.
  SmallVector<int64_t> reduction;
};

/// Roller's construction policy over one cost model.
class TileConstructor {
public:
  TileConstructor(const CostModel &model, ConstructionOptions options = {});

  /// Constructs, ranks and returns up to `topK` configurations of `op`, best
  /// first. Fails, with `whyNot` set, when no aligned configuration fits.
  FailureOr<RankedConfigs> construct(const OpFootprint &op,
                                     std::string &whyNot) const;

  /// The alignment `construct` starts from.
  TileAlignment getAlignment(const OpFootprint &op) const;

private:
  /// Aligned block steps of a loop of `extent` with base step `base`: the
  /// base times powers of two and the whole loop, skipping steps that pad the
  /// loop by more than maxPaddingWaste. With `allowWaste` (when nothing else
  /// fits), also powers of two beyond the loop, up to a warp for the
  /// innermost loop.
  SmallVector<int64_t> getBlockSteps(int64_t extent, int64_t base,
                                     bool allowWaste, bool isInnermost) const;
  /// True when some register tile (steps 1..32 per loop) splits `block`
  /// into a thread count that is a multiple of the warp size, up to
  /// maxThreadsPerBlock.
  bool hasAlignedThreadCount(ArrayRef<int64_t> block) const;
  /// Level 1: block tiles along the greedy growth path.
  SmallVector<SmallVector<int64_t>>
  growBlockTiles(const OpFootprint &op, ArrayRef<SmallVector<int64_t>> steps,
                 ArrayRef<int64_t> reduction) const;
  /// Level 2: thread tiles of `block` along the greedy growth path.
  SmallVector<SmallVector<int64_t>>
  growThreadTiles(const OpFootprint &op, ArrayRef<int64_t> block,
                  ArrayRef<int64_t> reduction) const;
  /// Bytes one warp with tile `warp` moves into registers per reduction
  /// iteration: global transactions of the operands it accesses directly and,
  /// on tensor cores, the fragments of the staged ones.
  double getWarpTraffic(const OpFootprint &op, ArrayRef<int64_t> warp,
                        bool tensorCores) const;
  /// The warp tile of a (block, thread) pair: the split of a warp's lanes
  /// over the loops (powers of two dividing each loop's thread count) with
  /// the least warp traffic (getWarpTraffic), aligned for tensor cores when
  /// the operation can use them; ties put lanes on inner loops. Empty when
  /// the lanes cannot be split.
  SmallVector<int64_t> chooseWarpTile(const OpFootprint &op,
                                      ArrayRef<int64_t> block,
                                      ArrayRef<int64_t> thread,
                                      ArrayRef<int64_t> reduction) const;
  /// Completes a (block, thread) pair: warp tile, padding, vector width,
  /// double buffering.
  TileConfig finalize(const OpFootprint &op, ArrayRef<int64_t> block,
                      ArrayRef<int64_t> thread,
                      ArrayRef<int64_t> reduction) const;

  const CostModel &model;
  ConstructionOptions options;
};

} // namespace mlir::hm

#endif // HEAVYMETAL_ANALYSIS_TILECONSTRUCTION_H
