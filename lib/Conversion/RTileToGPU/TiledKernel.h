//===- TiledKernel.h - CUDA-core kernels for configured ops -----*- C++ -*-===//
//
// The CUDA-core half of --convert-rtile-to-gpu: a configured linalg operation
// on buffers becomes one gpu.launch that follows its rtile.config (block and
// register tiles, staged inputs in padded shared memory, double buffering,
// vectorised global accesses, dynamic shared memory beyond 48 KiB).
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TILEDKERNEL_H
#define HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TILEDKERNEL_H

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/OpFootprint.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

#include <functional>

namespace mlir::hm {

/// Shared memory a block may use without opting into dynamic shared memory.
constexpr int64_t kStaticSharedMemoryLimit = 48 * 1024;

/// Why `config` cannot drive the tiled lowering of `op` (it does not match
/// the operation's loops, or needs more shared memory than `arch` — null for
/// no limit — gives a block), or an empty string.
std::string verifyTiledKernelConfig(const OpFootprint &footprint,
                                    const TileConfig &config,
                                    rtile::ArchAttr arch);

/// Bytes of shared memory the tiled kernel of `op` under `config` uses
/// (without staging the footprint operands `inputsReadInPlace`).
int64_t getTiledKernelSharedMemory(const OpFootprint &footprint,
                                   const TileConfig &config,
                                   ArrayRef<unsigned> inputsReadInPlace = {});

/// Replaces `op` (on buffers, checked by verifyTiledKernelConfig) by its
/// tiled CUDA-core kernel.
void buildTiledKernel(RewriterBase &rewriter, linalg::LinalgOp op,
                      const OpFootprint &footprint, const TileConfig &config);

/// Where a caller fuses work into the tiled kernel of an operation with one
/// output (Welder's groups, TileGraphToGPU.cpp): operand values computed
/// instead of loaded, and what happens to the results. Indices are the
/// operand's (footprint numbering, as in OpFootprint::operands).
struct TiledKernelHooks {
  /// Inputs whose values come from `loadInput` (staged element by element).
  SmallVector<unsigned> computedInputs;
  /// Of those, the ones read through `loadInput` at each use instead of
  /// being staged (already on chip: a shared-memory intermediate).
  SmallVector<unsigned> inputsReadInPlace;
  std::function<Value(OpBuilder &, unsigned operand, ArrayRef<Value> indices)>
      loadInput;
  /// The output's initial value at `indices` (null: loaded from its buffer).
  std::function<Value(OpBuilder &, ArrayRef<Value> indices)> initialOutput;
  /// Stores the output's final value at `indices` (null: into its buffer).
  std::function<void(OpBuilder &, ArrayRef<Value> indices, Value value)>
      storeOutput;
};

/// Builds the tiled kernel of `op` before it, with `hooks`; `op` is left in
/// place for the caller to erase.
void buildTiledKernel(RewriterBase &rewriter, linalg::LinalgOp op,
                      const OpFootprint &footprint, const TileConfig &config,
                      const TiledKernelHooks &hooks);

/// Where the tiled kernel of an operation runs inside an enclosing launch
/// (Welder's group kernels compute their contractions and reductions into
/// shared memory with it, TileGraphToGPU): the block tile's origin is given,
/// not derived from the block id, and may be any value (points past the
/// operation's extents are skipped; the store hook decides what else to
/// drop).
struct TiledKernelEmbedding {
  /// The launch's thread id and block size (at least the config's threads;
  /// all of them copy the staged tiles and reach the barriers).
  Value threadId;
  int64_t threads = 0;
  /// Per parallel loop (footprint order), the block tile's origin and a
  /// number every origin is a multiple of (vector loads need it).
  SmallVector<Value> origin;
  SmallVector<int64_t> originAlignment;
  /// The launch's dynamic shared memory (i8) and where the staged inputs
  /// start in it (getTiledKernelSharedMemory bytes from there).
  Value sharedMemory;
  int64_t sharedOffset = 0;
  /// Private buffers of getTiledKernelAccumulatorTypes.
  SmallVector<Value> accumulators;
  /// Threads per register tile that split the reduction (Welder's
  /// block-level reductions; 1: none). Only for a configuration of one
  /// point per thread, one reduction loop and a combiner
  /// (getSplitReductionCombiner): lane j accumulates iterations j, j +
  /// lanes, ... from the combiner's neutral element (lane 0 from the initial
  /// value); the partials go through config threads x lanes elements of
  /// workgroup memory at `scratchOffset` past `sharedOffset`, combined by a
  /// tree (a barrier per level); lane 0 stores.
  int64_t reductionLanes = 1;
  int64_t scratchOffset = 0;
};

/// The payload operation combining `op`'s output with each iteration's
/// value (arith.addf, arith.maximumf, ...: commutative, with a neutral
/// element; upstream's matchReduction), when `op` has one output and one
/// reduction loop; else null.
Operation *getSplitReductionCombiner(linalg::LinalgOp op);

/// The private accumulator buffers the tiled kernel of `op` needs (one per
/// output with the config's thread tile; none without reduction loops).
SmallVector<Type> getTiledKernelAccumulatorTypes(linalg::LinalgOp op,
                                                 const OpFootprint &footprint,
                                                 const TileConfig &config);

/// Emits the tiled kernel of `op` at `b`'s insertion point inside a
/// gpu.launch, with `hooks` (storeOutput must be set: the operation's own
/// buffers are not written); `op` is left in place.
void buildTiledKernelInLaunch(OpBuilder &b, linalg::LinalgOp op,
                              const OpFootprint &footprint,
                              const TileConfig &config,
                              const TiledKernelHooks &hooks,
                              const TiledKernelEmbedding &embedding);

} // namespace mlir::hm

#endif // HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TILEDKERNEL_H
