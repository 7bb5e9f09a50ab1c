//===- TiledKernelImpl.h - The tiled CUDA-core kernel builder ---*- C++ -*-===//
//
// Shared by TiledKernel.cpp (the kernel: launch, register tiles, reduction
// steps, stores) and TiledKernelStaging.cpp (the staged shared-memory tiles).
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TILEDKERNELIMPL_H
#define HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TILEDKERNELIMPL_H

#include "TiledKernel.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::hm::tiled {

/// Register tiles up to this many points are unrolled (their accumulators
/// then live in registers), and with them the reduction iterations of a step
/// while the unrolled bodies stay under kMaxUnrolledBodies.
constexpr int64_t kMaxUnrolledThreadPoints = 256;
constexpr int64_t kMaxUnrolledBodies = 256;
/// A staged input whose copy takes at most this many loads per thread is
/// copied by straight-line code (its values can then be held in registers
/// across a step when double buffering); otherwise by a loop.
constexpr int64_t kMaxUnrolledCopies = 8;
/// The widest global access (ld.global.v4.f32).
constexpr int64_t kMaxVectorBytes = 16;
/// Offsets of buffers in dynamic shared memory are aligned to this.
constexpr int64_t kSharedAlignment = 16;

/// Whether operand `operand` is staged by this lowering: Roller stages it
/// and every index is linear with non-negative coefficients, so that the
/// tile's first element is at the tile's origin.
inline bool isStagedHere(const OpFootprint &fp, unsigned operand) {
  const OperandAccess &access = fp.operands[operand];
  if (!access.staged || access.isOutput)
    return false;
  return llvm::all_of(access.coefficients, [](const auto &c) {
    return c && llvm::all_of(*c, [](int64_t v) { return v >= 0; });
  });
}

/// The shape of each staged input's workgroup buffer (padded, without the
/// double buffer's leading 2), by footprint operand; empty if not staged.
inline SmallVector<SmallVector<int64_t>> getStagedShapes(const OpFootprint &fp,
                                                  const TileConfig &config) {
  SmallVector<int64_t> stepTile = fp.getLoopTile(config.block, config.reduction);
  SmallVector<SmallVector<int64_t>> shapes(fp.operands.size());
  for (unsigned i = 0; i < fp.operands.size(); ++i) {
    if (!isStagedHere(fp, i))
      continue;
    fp.getTileExtents(i, stepTile, shapes[i]);
    shapes[i].back() += config.padding;
  }
  return shapes;
}

inline bool isDoubleBuffered(const OpFootprint &fp, const TileConfig &config) {
  return config.doubleBuffer && !fp.reductionLoops.empty();
}

/// The constant term of result `result` of `map`.
inline int64_t getConstantTerm(AffineMap map, unsigned result) {
  MLIRContext *ctx = map.getContext();
  SmallVector<AffineExpr> zeros(map.getNumDims(),
                                getAffineConstantExpr(0, ctx));
  AffineExpr e = simplifyAffineExpr(
      map.getResult(result).replaceDims(zeros), map.getNumDims(), 0);
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return c.getValue();
  return 1; // Not aligned to anything.
}

inline bool hasIdentityLayout(Value buffer) {
  auto type = dyn_cast<MemRefType>(buffer.getType());
  return type && type.getLayout().isIdentity();
}

/// A staged input's copy plan.
struct StagedInput {
  unsigned operand = 0;
  /// Extents of the tile (unpadded) and of the buffer.
  SmallVector<int64_t> extents, bufferShape;
  /// Elements per global load.
  int64_t width = 1;
  /// Loads of `width` elements for the whole tile, and per thread.
  int64_t loads = 0, loadsPerThread = 0;
  Value buffer;
};

/// A staged load whose value is stored into workgroup memory later.
struct PendingStore {
  unsigned input;
  Value valid; // Null: always.
  SmallVector<Value> coords;
  Value value;
};

class TiledKernel {
public:
  TiledKernel(linalg::LinalgOp op, const OpFootprint &footprint,
              const TileConfig &config, const TiledKernelHooks &hooks);
  /// A launch of its own, before the operation.
  void build(RewriterBase &rewriter);
  /// Inside an enclosing launch, at `b`'s insertion point.
  void buildInLaunch(OpBuilder &b, const TiledKernelEmbedding &embedding);

private:
  /// The staged inputs, their workgroup buffer types and byte offsets.
  void prepareStaging(MLIRContext *ctx);
  /// Block (unless given) and thread origins.
  void setOrigins(OpBuilder &b, ArrayRef<Value> blockCoords);
  /// Staging, reduction steps, register tiles and stores.
  void emitBody(OpBuilder &b, ValueRange accumulators);
  Value cst(OpBuilder &b, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  /// The buffer of footprint operand `operand`.
  Value getBuffer(unsigned operand) const {
    return operation->getOperand(operandNumbers[operand]);
  }
  /// Whether input `operand`'s values come from hooks.loadInput.
  bool isComputedInput(unsigned operand) const {
    return hooks.loadInput &&
           llvm::is_contained(hooks.computedInputs, operand);
  }
  Value applyResult(OpBuilder &b, unsigned operand, unsigned result,
                    ValueRange loops) {
    AffineMap map = fp.operands[operand].indexingMap.getSubMap({result});
    return affine::AffineApplyOp::create(b, loc, map, loops);
  }
  SmallVector<Value> operandIndices(OpBuilder &b, unsigned operand,
                                    ArrayRef<Value> loops) {
    SmallVector<Value> indices;
    for (unsigned d = 0; d < fp.operands[operand].indexingMap.getNumResults();
         ++d)
      indices.push_back(applyResult(b, operand, d, loops));
    return indices;
  }
  Value andOf(OpBuilder &b, Value x, Value y) {
    if (!x)
      return y;
    if (!y)
      return x;
    return arith::AndIOp::create(b, loc, x, y);
  }
  /// `value < bound` for each pair that may overhang, and-ed (null if none).
  Value inBounds(OpBuilder &b, ArrayRef<Value> values, ArrayRef<int64_t> bounds,
                 ArrayRef<bool> mayOverhang);
  void guarded(OpBuilder &b, Value condition,
               function_ref<void(OpBuilder &)> body);
  SmallVector<Value> loopValues(ArrayRef<Value> parallel,
                                ArrayRef<Value> reduction) const;
  /// Elements per global load for staged operand `operand`'s tile.
  int64_t getLoadWidth(unsigned operand, ArrayRef<int64_t> extents) const;
  /// Whether operand `operand` is accessed `vectorWidth` points at a time
  /// along the last parallel loop with vector loads/stores.
  bool isVectorAccess(unsigned operand) const;

  /// Issues the global loads of the staged tiles of the step at `origin`
  /// (all loops' origins). Straight-line copies come back as pending stores;
  /// loop copies are stored directly into buffer `bufferIndex` (null: single
  /// buffer). `enabled` (null: always) guards everything.
  SmallVector<PendingStore> loadStagedTiles(OpBuilder &b,
                                            ArrayRef<Value> origin,
                                            Value bufferIndex, Value enabled);
  void storeStagedTiles(OpBuilder &b, ArrayRef<PendingStore> pending,
                        Value bufferIndex);
  /// Sets the tile origins (and buffer) that the payload reads staged
  /// inputs from.
  void setComputeTiles(OpBuilder &b, ArrayRef<Value> origin, Value buffer);

  /// The payload at one point: inputs from `inputValues` where given, else
  /// loaded (from workgroup memory when staged); outputs' current values
  /// from `outputValues` (null: not read).
  SmallVector<Value> computePoint(OpBuilder &b, ArrayRef<Value> loops,
                                  ArrayRef<Value> outputValues,
                                  ArrayRef<Value> inputValues = {});
  /// Runs `body` for every group of `groupWidth` points (consecutive along
  /// the last parallel loop) of this thread's register tile whose first point
  /// is in the iteration space, with the group's tile coordinates and first
  /// point. The loops built are recorded for unrolling.
  void forEachThreadPoint(
      OpBuilder &b, int64_t groupWidth,
      function_ref<void(OpBuilder &, ArrayRef<Value>, ArrayRef<Value>)> body);
  void unroll(ArrayRef<scf::ForOp> threadLoops, ArrayRef<scf::ForOp> stepLoops);

  linalg::LinalgOp op;
  Operation *operation;
  const OpFootprint &fp;
  const TileConfig &config;
  const TiledKernelHooks &hooks;
  Location loc;
  SmallVector<unsigned> operandNumbers;
  SmallVector<int64_t> parallelExtents, reductionExtents, gridDims, threadDims;
  SmallVector<bool> parallelOverhang, reductionOverhang;
  /// Points per chunk along the last parallel loop (see the file comment).
  int64_t vectorWidth = 1;
  bool doubleBuffer = false;
  SmallVector<StagedInput> staged;
  /// Footprint operand -> index into `staged`, or -1.
  SmallVector<int> stagedIndex;
  Value threadId, numThreads;
  /// Threads that copy the staged tiles (the launch's block size).
  int64_t stagingThreads = 0;
  /// Per loop, a multiple of every tile origin along it (vector loads).
  SmallVector<int64_t> originSteps;
  /// Embedded in a larger block: whether this thread has a register tile.
  Value active;
  /// Split reductions (TiledKernelEmbedding::reductionLanes): threads per
  /// register tile, this thread's lane, its register tile's thread index,
  /// the partials' workgroup buffer and the payload's combiner.
  int64_t lanes = 1;
  Value lane, pointThreadId, scratch;
  Operation *combiner = nullptr;
  SmallVector<Type> workgroupTypes;
  SmallVector<int64_t> byteOffsets;
  SmallVector<Value> blockOrigin, threadOrigin;
  /// Per staged input, the origin of the tile the payload reads, and the
  /// buffer (double buffering).
  SmallVector<SmallVector<Value>> computeBase;
  Value computeBuffer;
  SmallVector<scf::ForOp> threadLoops, stepLoops;
};

} // namespace mlir::hm::tiled

#endif // HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TILEDKERNELIMPL_H
