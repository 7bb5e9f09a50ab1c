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

/// Bytes of shared memory the tiled kernel of `op` under `config` uses.
int64_t getTiledKernelSharedMemory(const OpFootprint &footprint,
                                   const TileConfig &config);

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

} // namespace mlir::hm

#endif // HEAVYMETAL_LIB_CONVERSION_RTILETOGPU_TILEDKERNEL_H
