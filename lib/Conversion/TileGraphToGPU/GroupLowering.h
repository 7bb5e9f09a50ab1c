//===- GroupLowering.h - Fused Welder groups on buffers ---------*- C++ -*-===//
//
// The groups --convert-tilegraph-to-gpu lowers (TileGraphToGPU.cpp) and the
// emitter of their members' values, shared with the lowering through Roller's
// tiled kernel of a group's contraction (TiledAnchor.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_CONVERSION_TILEGRAPHTOGPU_GROUPLOWERING_H
#define HEAVYMETAL_LIB_CONVERSION_TILEGRAPHTOGPU_GROUPLOWERING_H

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/OpFootprint.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace mlir::hm::welder_lowering {

/// Where an operand of a member comes from.
struct OperandSource {
  /// The producing member, or -1 for a global buffer or a scalar.
  int producer = -1;
  /// The member's loops to the producer's result coordinates (producer), or
  /// to the operand's coordinates (global).
  AffineMap map;
};

/// One operation of a group, in program order.
struct Member {
  linalg::LinalgOp op;
  bool isFill = false;
  bool shared = false;
  SmallVector<OperandSource> sources;
  /// The result's shape and, per result dimension, the loop that indexes it
  /// (-1: a unit dimension the operation does not have). A member that
  /// writes an intermediate through a unit reshape has the buffer's shape.
  SmallVector<int64_t> shape;
  SmallVector<int> resultLoops;
  /// The part of the result the block needs: origin as expressions of the
  /// block's output tile origin, static extents.
  bool hasBox = false;
  SmallVector<AffineExpr> lower;
  SmallVector<int64_t> sizes;
  /// Per result dimension, a number every origin of the box is a multiple
  /// of (0: the origin is always 0).
  SmallVector<int64_t> originAlignment;
  /// Set by planTiledMembers: the block computes this member with Roller's
  /// tiled kernel (staged inputs, register tiles) under `config`, whose
  /// block tile covers the box.
  std::shared_ptr<OpFootprint> footprint;
  TileConfig config;
  /// When the tiled kernel is that of a register-level contraction this
  /// member is the element-wise epilogue of: the contraction's index (the
  /// footprint and config are its).
  int tiledAnchor = -1;
  /// Threads per output point splitting the kernel's reduction, and where
  /// their partials go in the staging region (TiledKernelEmbedding).
  int64_t reductionLanes = 1;
  int64_t scratchOffset = 0;
  /// The kernel's inputs (footprint numbering) that are shared-level
  /// intermediates: read where they are, not staged again.
  SmallVector<unsigned> inputsReadInPlace;
  SmallVector<Type> accumulatorTypes;
  SmallVector<Value> accumulators;
  // Filled while emitting.
  SmallVector<Value> lowerValues;
  Value buffer;
  bool available = false;
};

struct Group {
  int64_t id = 0;
  std::string name;
  SmallVector<int64_t> tile;
  std::vector<Member> members;
  int root = -1;
};

/// `value` traced back through memref reshapes with a linear inverse (any
/// expand_shape; collapse_shapes that only drop unit dimensions): the buffer
/// at the start and `value`'s coordinates to it.
std::pair<Value, AffineMap> traceToRootBuffer(Value value);

/// Emits the gpu.launch of one analyzed group.
class GroupEmitter {
public:
  GroupEmitter(OpBuilder &b, Group &group) : b(b), group(group) {}

  /// Creates the launch before the group's output operation; the staged
  /// inputs of the members planned for the tiled kernel start at
  /// `stagingOffset` of its dynamic shared memory.
  void emit(int64_t blockSize, int64_t sharedBytes,
            ArrayRef<int64_t> sharedOffsets, int64_t stagingOffset);

  /// The value of member `index`'s result at `coords`; `anchorValue` (set
  /// by the tiled lowering, TiledAnchor.cpp) stands for member `anchor`'s.
  Value valueAt(int index, ArrayRef<Value> coords);
  /// Computes member `index` at result coordinates `coords`.
  Value computeAt(int index, ArrayRef<Value> coords);
  /// Applies `map` (one result per returned value) to the loop ivs.
  SmallVector<Value> applyMap(AffineMap map, ArrayRef<Value> ivs);
  /// Forgets the values computed so far (their IR is gone).
  void forgetComputed() { computed.clear(); }
  /// Moves the emitter's insertion point to `other`'s.
  void setInsertionPoint(OpBuilder &other) {
    b.setInsertionPoint(other.getInsertionBlock(), other.getInsertionPoint());
    zero = cst(0);
  }
  int anchor = -1;
  Value anchorValue;

private:
  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value operandValue(int index, unsigned operand, ArrayRef<Value> ivs);
  /// Computes member `index` (planned by planTiledMembers) with Roller's
  /// tiled kernel into its shared-memory buffer, or the group's output.
  void emitTiledMember(int index, Value sharedMemory, int64_t stagingOffset);
  /// A loop over the points of `sizes` strided over the block's threads,
  /// calling `body` with the local and global coordinates of in-bounds
  /// points.
  void emitTileLoop(ArrayRef<int64_t> sizes, ArrayRef<Value> origin,
                    ArrayRef<int64_t> shape,
                    function_ref<void(ArrayRef<Value>, ArrayRef<Value>)> body);

  OpBuilder &b;
  Group &group;
  Location loc = group.members[group.root].op.getLoc();
  Value threadId, numThreads, zero;
  SmallVector<Value> blockOrigin;
  /// Values computed per block of IR, so that a value several consumers
  /// read at the same point is computed once there.
  DenseMap<Block *, SmallVector<std::tuple<int, SmallVector<Value>, Value>>>
      computed;
};

/// Lowers analyzed `group` to the tiled kernel of its contraction (Roller's
/// TiledKernel, its rtile.config) with the other members as element-wise
/// prologue (while staging) and epilogue (before the store); fails, saying
/// why in `whyNot`, when the group does not have that form or the
/// configuration's block tile is not the group's tile. `summary` describes
/// the kernel for the remark.
LogicalResult lowerThroughTiledAnchor(Group &group, rtile::ArchAttr arch,
                                      std::string &whyNot,
                                      std::string &summary);

/// Plans Roller's tiled kernel, inside the group's launch of `threads`
/// threads (at most `maxThreads`: reductions with few outputs are split over
/// up to that many), for each member with reduction loops that the block computes
/// whole (a shared-level intermediate or the group's output): a
/// configuration whose block tile is the member's box (the one the fused
/// cost model priced it with, FusedCostModel::getMemberConfig). Their staged
/// inputs share one region after the `intermediateBytes` of intermediates;
/// returns its size. Raises `threads` to the largest configuration's;
/// `summary` describes the planned members, `whyNot` the ones left per
/// point.
int64_t planTiledMembers(Group &group, rtile::ArchAttr arch,
                         int64_t maxThreads, int64_t &threads,
                         int64_t intermediateBytes, std::string &summary,
                         std::string &whyNot);

} // namespace mlir::hm::welder_lowering

#endif // HEAVYMETAL_LIB_CONVERSION_TILEGRAPHTOGPU_GROUPLOWERING_H
