//===- TilePropagation.h - Welder's tile propagation ------------*- C++ -*-===//
//
// Propagates an output tile of a group of linalg operations backwards through
// their indexing maps: the iteration tile each member computes, the tile of
// every operand it reads (with the halo of convolution and pooling windows,
// broadcast dimensions dropped, reduction loops whole), and the recomputation
// the tiling implies. Welder (OSDI 2023) schedules fused groups with it.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_ANALYSIS_TILEPROPAGATION_H
#define HEAVYMETAL_ANALYSIS_TILEPROPAGATION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir::hm {

/// A rectangular box of an index space (the loops of an operation, or the
/// dimensions of a tensor): per dimension an offset and a size.
struct TileBox {
  SmallVector<int64_t> offsets;
  SmallVector<int64_t> sizes;

  /// The whole of a space of extents `shape`.
  static TileBox getWhole(ArrayRef<int64_t> shape);
  unsigned getRank() const { return sizes.size(); }
  /// Points of the box (1 for a 0-d box).
  int64_t getNumElements() const;
  /// Grows the box to the smallest one containing `other` as well.
  void unionWith(const TileBox &other);
  bool operator==(const TileBox &other) const {
    return offsets == other.offsets && sizes == other.sizes;
  }
};

/// The bounding box of the values `map` takes over the loop box `loops`,
/// clamped to `shape`. Each result's range is evaluated on its expression:
/// `2*d0 + d1` over 8 rows of d0 and 3 of d1 spans 17 rows (the halo of a
/// stride-2 3-row window); `d0 floordiv 4` and `d0 ceildiv 4` are monotone;
/// `mod` and symbols span the whole dimension. A constant result spans one
/// index; a dimension the map does not read is simply absent (broadcast).
TileBox getImageTile(AffineMap map, const TileBox &loops,
                     ArrayRef<int64_t> shape);

/// The iteration tile of `op` that computes `resultTile` of its result
/// `resultIndex`: the loops the result's indexing map names get the tile's
/// range, every other loop (reductions, windows) its whole extent. Fails,
/// with `whyNot`, for dynamic shapes or an output map that is not a projected
/// permutation.
FailureOr<TileBox> getIterationTileForResultTile(linalg::LinalgOp op,
                                                 unsigned resultIndex,
                                                 const TileBox &resultTile,
                                                 std::string &whyNot);

/// A value traced back through reshapes whose inverse is linear: those that
/// only add or drop unit dimensions (what ONNX importers write for
/// keepdims) and any static expand_shape (row-major within each group, e.g.
/// a batch folded into a matmul's rows and expanded back), with an indexing
/// map composed to index the value at the start of the chain.
struct TracedAccess {
  /// The value at the start of the chain (the operand itself without
  /// reshapes).
  Value source;
  /// The operation's loops to `source`'s dimensions.
  AffineMap map;
  /// The reshapes walked, from the operand's to the source's.
  SmallVector<Operation *> reshapes;
};

/// Traces `value`, read by the loops through `map`, back through
/// tensor.expand_shape (any static one) and tensor.collapse_shape that only
/// inserts or removes unit dimensions. (The name predates expand_shape.)
TracedAccess traceThroughUnitReshapes(Value value, AffineMap map);

/// The users of `value` after looking through unit-dimension reshapes: the
/// operations that read it (or a reshape of it) that are not such reshapes
/// themselves. Reshapes walked are appended to `reshapes` when given.
SmallVector<OpOperand *>
getUsesThroughUnitReshapes(Value value,
                           SmallVectorImpl<Operation *> *reshapes = nullptr);

/// Tile propagation over a group of linalg operations that is scheduled by
/// the tile of one result of one member (the root). Each other member's
/// required result tile is the union of what its consumers in the group
/// read, found through their (reshape-composed) indexing maps.
class GroupTilePropagation {
public:
  /// `members` in topological order (producers before consumers), `root`
  /// among them; `rootTile` tiles the root's result #0. Fails, with
  /// `whyNot`, when a member's tile cannot be derived (dynamic shapes, an
  /// output map that is not a projected permutation, a member none of whose
  /// results is read by the group).
  static FailureOr<GroupTilePropagation>
  propagate(ArrayRef<linalg::LinalgOp> members, linalg::LinalgOp root,
            const TileBox &rootTile, std::string &whyNot);

  /// The iteration tile of member `op`.
  const TileBox &getIterationTile(Operation *op) const {
    return iterationTiles.find(op)->second;
  }
  /// The tile of `op`'s operand #`operandIndex` that the member reads
  /// (clamped to the operand's shape; halo included).
  TileBox getOperandTile(linalg::LinalgOp op, unsigned operandIndex) const;

private:
  llvm::DenseMap<Operation *, TileBox> iterationTiles;
};

/// Recomputation per member when the root's result #0 is covered by tiles of
/// `rootTileSizes`: the iteration points all tiles compute for the member
/// (tiles at the edge clamped, halos overlapping) divided by the member's
/// iteration points. 1 means no redundant work; a producer feeding a 3x3
/// window, or a reduction whose rows the consumer splits, exceeds 1. Every
/// tile of the grid is propagated, so fails when the grid has more than
/// `maxTiles` tiles.
FailureOr<SmallVector<double>>
computeRecomputation(ArrayRef<linalg::LinalgOp> members, linalg::LinalgOp root,
                     ArrayRef<int64_t> rootTileSizes, int64_t maxTiles,
                     std::string &whyNot);

} // namespace mlir::hm

#endif // HEAVYMETAL_ANALYSIS_TILEPROPAGATION_H
