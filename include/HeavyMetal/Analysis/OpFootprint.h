//===- OpFootprint.h - Iteration space and operand accesses -----*- C++ -*-===//
//
// What the cost model and the tile construction need to know about an
// operation (or a fused group of operations): its loops, and how each operand
// is read or written from them.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_ANALYSIS_OPFOOTPRINT_H
#define HEAVYMETAL_ANALYSIS_OPFOOTPRINT_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Types.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir::hm {

/// How one operand is accessed from the iteration space.
struct OperandAccess {
  /// Maps the loops to the operand's indices.
  AffineMap indexingMap;
  /// Static shape of the operand (row-major, identity layout assumed).
  SmallVector<int64_t> shape;
  Type elementType;
  int64_t elementBytes = 4;
  bool isOutput = false;
  /// The payload reads the operand's value. A pooling window operand or an
  /// init that is only overwritten is not read, so it costs no traffic.
  bool isRead = true;
  /// Staged through shared memory: its elements are reused by several threads
  /// of a block (broadcast along a parallel loop, a sliding window) or it is
  /// transposed relative to the output, so staging makes both sides coalesced.
  /// Other inputs go straight from global memory to registers.
  bool staged = false;
  /// Per result of `indexingMap`: the coefficient of each loop when the
  /// result is affine-linear in the loops (`2*d1 + d4`), or std::nullopt for a
  /// non-linear expression (mod, floordiv), whose footprint is then taken as
  /// the whole dimension.
  SmallVector<std::optional<SmallVector<int64_t>>> coefficients;
};

/// Which input side of a contraction-like operation a parallel loop belongs
/// to: it indexes the first data input only (`A`, e.g. M of a matmul, the
/// image's N/H/W of a convolution), the second only (`B`, e.g. N, a
/// convolution's F), both (`Batch`), or neither (`Other`).
enum class LoopRole { A, B, Batch, Other };

/// An operation's iteration space and its operands' accesses: the input of
/// the cost model and of the tile construction. Built from a linalg op, or
/// assembled directly for a fused group whose members share one iteration
/// space (`OpFootprint::get`).
struct OpFootprint {
  /// Static extent of every loop.
  SmallVector<int64_t> loopExtents;
  SmallVector<utils::IteratorType> iterators;
  /// Inputs first, then outputs.
  SmallVector<OperandAccess> operands;
  /// Floating-point operations per iteration point (e.g. 2 for a multiply-
  /// add), counted from the payload; at least 1.
  int64_t flopsPerPoint = 1;
  /// Element type of the inputs, which selects the peak rate.
  Type computeType;
  /// A contraction or convolution (multiply-accumulate over a reduction, two
  /// data inputs with their own parallel loops) whose inputs are f16/bf16:
  /// it may run on tensor cores.
  bool tensorCoreCandidate = false;
  /// Indices into `loopExtents` of the parallel / reduction loops, in order.
  SmallVector<unsigned> parallelLoops;
  SmallVector<unsigned> reductionLoops;
  /// Role of each loop (see LoopRole).
  SmallVector<LoopRole> loopRoles;

  /// Builds the footprint of `op` (on tensors or buffers); on failure
  /// `whyNot` says why (dynamic shapes, unsupported element types, an empty
  /// iteration space).
  static FailureOr<OpFootprint> fromLinalgOp(linalg::LinalgOp op,
                                             std::string &whyNot);

  /// Assembles a footprint from its parts (e.g. for a fused group) and
  /// derives coefficients, loop lists, roles and staging.
  static OpFootprint get(ArrayRef<int64_t> loopExtents,
                         ArrayRef<utils::IteratorType> iterators,
                         ArrayRef<OperandAccess> operands,
                         int64_t flopsPerPoint, Type computeType,
                         bool isMultiplyAccumulate);

  unsigned getNumLoops() const { return loopExtents.size(); }
  /// Iteration points of the whole space.
  int64_t getNumPoints() const;
  /// The loops of parallel extents `parallel` and reduction extents
  /// `reduction` as one tile over all loops (in loop order).
  SmallVector<int64_t> getLoopTile(ArrayRef<int64_t> parallel,
                                   ArrayRef<int64_t> reduction) const;
  /// Extents of operand `operand` touched by a tile of `tile[l]` iterations
  /// of each loop l: 1 + sum_l |c_l| * (tile[l] - 1) per linear result,
  /// clamped to the operand's shape.
  void getTileExtents(unsigned operand, ArrayRef<int64_t> tile,
                      SmallVectorImpl<int64_t> &extents) const;
  /// Elements of operand `operand` touched by `tile`.
  int64_t getTileElements(unsigned operand, ArrayRef<int64_t> tile) const;
  /// Global-memory bytes moved for operand `operand`'s part of `tile`: the
  /// innermost contiguous run (trailing dimensions the tile covers whole are
  /// merged into it) rounded up to `transactionBytes`, times the number of
  /// runs.
  int64_t getTransactionBytes(unsigned operand, ArrayRef<int64_t> tile,
                              int64_t transactionBytes) const;
  /// The parallel loop that walks operand `operand`'s innermost dimension
  /// (largest coefficient in its last result), if any.
  std::optional<unsigned> getInnermostLoop(unsigned operand) const;
  /// True if any staged input exists.
  bool hasStagedInputs() const;
};

} // namespace mlir::hm

#endif // HEAVYMETAL_ANALYSIS_OPFOOTPRINT_H
