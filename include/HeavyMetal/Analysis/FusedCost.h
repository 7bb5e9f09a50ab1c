//===- FusedCost.h - The cost of a fused group of operations ----*- C++ -*-===//
//
// Welder's fused groups priced with Roller's micro-performance model: each
// member is estimated by CostModel under the tile that propagation gives it,
// and the group is one kernel whose global traffic counts only the group's
// inputs and outputs (intermediates stay in registers or shared memory), whose
// shared memory holds the intermediates connected there, and whose time is
// bound by the busiest of compute, DRAM and shared memory. docs/Welder.md
// states the formulas; every number is modelled, not measured.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_ANALYSIS_FUSEDCOST_H
#define HEAVYMETAL_ANALYSIS_FUSEDCOST_H

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/TilePropagation.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::hm {

/// A fused group: its members in topological order, the member whose result
/// #0 the group is tiled by (its output), and the member results connected
/// at shared-memory level (their tiles are held in shared memory).
struct FusedGroup {
  SmallVector<linalg::LinalgOp> members;
  /// Footprints of the members, in the same order.
  SmallVector<OpFootprint, 4> footprints;
  linalg::LinalgOp root;
  llvm::DenseSet<Value> sharedValues;
  /// Optional, per member: the configuration it has when compiled alone
  /// (Roller's). A member whose propagated block tile equals its block is
  /// estimated with it (thread and warp tiles, padding, vectors included).
  SmallVector<TileConfig, 4> separateConfigs;
};

/// The model's prediction for a group under one output tile.
struct FusedCostEstimate {
  /// False when the group cannot run with this tile (`whyNot` says why:
  /// shared memory, registers, a member's tile). Numbers are then partial.
  bool fits = true;
  std::string whyNot;

  int64_t gridBlocks = 0;
  int64_t threadsPerBlock = 0;
  /// Largest member's staging plus every shared-level intermediate's tile.
  int64_t smemBytesPerBlock = 0;
  /// Of which the shared-level intermediates.
  int64_t intermediateSmemBytes = 0;
  int64_t registersPerThread = 0;
  int64_t blocksPerSM = 0;
  int64_t waves = 0;
  /// Global bytes of the group's inputs and outputs over all blocks
  /// (transaction-rounded; halo re-reads included).
  double globalBytes = 0;
  double computeUs = 0;
  double dramUs = 0;
  double smemUs = 0;
  double timeUs = 0;
  Bound bound = Bound::Compute;
  /// Per member: the configuration it was estimated with, and the work it
  /// does in the fused kernel over the work of computing it once.
  SmallVector<TileConfig, 4> memberConfigs;
  SmallVector<double> recomputation;
};

/// Prices fused groups with one CostModel.
class FusedCostModel {
public:
  explicit FusedCostModel(const CostModel &model) : model(model) {}

  /// Predicts `group` scheduled by output tile `outputTile` (one size per
  /// dimension of the root's result #0).
  FusedCostEstimate estimate(const FusedGroup &group,
                             ArrayRef<int64_t> outputTile) const;

  /// The configuration a member with iteration tile `loops` is estimated
  /// with (unless its separate configuration has the same block): its block
  /// tile is the tile's parallel extents (rounded up to
  /// powers of two when no split into a multiple of 32 threads exists), its
  /// thread tile splits it into at most `targetThreads` threads, its
  /// reduction steps are Roller's alignment.
  /// Without `padToWarps`, the block tile is the tile's parallel extents
  /// even when no split into whole warps exists (a kernel embedded in a
  /// larger block, TileGraphToGPU, computes exactly its box).
  TileConfig getMemberConfig(const OpFootprint &footprint,
                             const TileBox &loops,
                             int64_t targetThreads = 256,
                             bool padToWarps = true) const;

  /// The configuration a member with iteration tile `loops` has in a fused
  /// kernel, given the one it has alone (`separate`, Roller's, may be null):
  /// `separate` when its block is the tile's; on tensor cores with
  /// `separate`'s warp and thread tiles and steps when `separate` runs there
  /// and its warp tile divides the tile (a fused kernel keeps the tensor
  /// cores); else getMemberConfig.
  TileConfig getFusedConfig(const OpFootprint &footprint, const TileBox &loops,
                            const TileConfig *separate,
                            int64_t targetThreads = 256,
                            bool padToWarps = true) const;

private:
  const CostModel &model;
};

} // namespace mlir::hm

#endif // HEAVYMETAL_ANALYSIS_FUSEDCOST_H
