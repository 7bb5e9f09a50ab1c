//===- MmaSync.h - bf16 tensor-core fragments, nvvm.mma.sync ----*- C++ -*-===//
//
// The bf16 half of the tensor-core kernels (TensorCore.cpp): upstream's
// !gpu.mma_matrix has no bf16 fragments, so a warp multiplies its staged
// tiles with nvvm.mma.sync m16n8k16 (bf16 A and B, f32 accumulators), each
// lane loading its own fragment registers from workgroup memory with index
// arithmetic on its lane id (PTX ISA, "Matrix Fragments for mma.m16n8k16").
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_MMASYNC_H
#define HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_MMASYNC_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::hm {

/// Rows (M), columns (N) and depth (K) of one nvvm.mma.sync.
constexpr int64_t kMmaSyncM = 16, kMmaSyncN = 8, kMmaSyncK = 16;
/// f32 accumulator registers per lane of one 16x8 result tile.
constexpr int64_t kMmaSyncAccumulators = 4;

/// One warp's share of a bf16 tensor-core kernel: its tiles in workgroup
/// memory, viewed as 32-bit words (two bf16 along K each), and the extent
/// of its warp tile in 16x8 result tiles.
struct MmaSyncWarpTile {
  /// The warp's lane (0..31), an index.
  Value lane;
  /// A as i32 words [batch][rows][K / 2 + pad]: row-major, K fastest.
  Value aWords;
  /// B transposed, as i32 words [batch][columns][K / 2 + pad].
  Value bWords;
  /// Per batch point of the warp, its index in the tiles' batch dimension.
  SmallVector<Value> batchIndices;
  /// The warp's first row of A and first column of B in the tiles.
  Value rowBase, columnBase;
  /// 16-row and 8-column tiles of the warp tile; 16-deep slices per step.
  int64_t rowTiles = 1, columnTiles = 1, kSlices = 1;

  /// Accumulator registers of a lane: 4 per 16x8 tile and batch point.
  int64_t getNumAccumulators() const {
    return static_cast<int64_t>(batchIndices.size()) * rowTiles * columnTiles *
           kMmaSyncAccumulators;
  }

  /// Multiplies the staged step into `accumulators` (f32, as many as
  /// getNumAccumulators()): per 16-deep slice and batch point, each lane
  /// loads 4 A words per 16-row tile and 2 B words per 8-column tile and
  /// issues one nvvm.mma.sync per (row tile, column tile). Up to
  /// kMaxUnrolledSlices slices are unrolled; deeper steps loop over them.
  void emitStep(OpBuilder &b, Location loc,
                MutableArrayRef<Value> accumulators) const;

  /// Largest number of 16-deep slices of a step emitted unrolled.
  static constexpr int64_t kMaxUnrolledSlices = 4;

  /// Calls `store(b, point, row, column, value)` for each of the lane's
  /// accumulators: batch point, row and column in the warp tile (indices),
  /// and the f32 value.
  void forEachResult(OpBuilder &b, Location loc, ArrayRef<Value> accumulators,
                     function_ref<void(OpBuilder &, int64_t point, Value row,
                                       Value column, Value value)>
                         store) const;

private:
  /// One 16-deep slice whose first K word (of the step) is `word`.
  void emitSlice(OpBuilder &b, Location loc, Value word,
                 MutableArrayRef<Value> accumulators) const;
};

} // namespace mlir::hm

#endif // HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_MMASYNC_H
