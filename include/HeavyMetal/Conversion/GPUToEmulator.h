//===- GPUToEmulator.h - Run GPU kernels on the CPU emulator ----*- C++ -*-===//
//
// The emulator pipeline turns the output of hm-linalg-to-gpu-pipeline (host
// functions with gpu.launch_func and gpu.module kernels) into host code that
// runs every kernel on the CPU through the runtime libHeavyMetalEmuRuntime.so.
// This header also fixes the binary interface between the code the pass
// generates and that runtime; the runtime includes it, so it must stay free
// of MLIR headers.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_CONVERSION_GPUTOEMULATOR_H
#define HEAVYMETAL_CONVERSION_GPUTOEMULATOR_H

#include <cstdint>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::hm {

/// What the emulated kernels check (see convert-gpu-to-emulator).
struct EmulatorOptions {
  /// Report and skip out-of-bounds memory accesses.
  bool boundsChecks = true;
  /// Report shared-memory races between barriers (about 3-4x slower on
  /// kernels dominated by workgroup-memory accesses).
  bool raceChecks = true;
  /// Yield in every scf.while iteration, so that spin-waits progress.
  bool yieldInLoops = true;
};

/// Adds the passes that lower GPU-level IR (the output of
/// buildLinalgToGPUPipeline, or hand-written gpu.launch / gpu.launch_func)
/// to host code calling the emulator runtime: gpu-kernel-outlining,
/// convert-gpu-to-emulator, lower-affine, canonicalize and cse. The result
/// uses only func/memref/arith/scf/cf/math/index/llvm (and vector where the
/// kernels had vector operations) and is ready for the standard host
/// lowering to LLVM and ExecutionEngine, with libHeavyMetalEmuRuntime.so.
void buildEmulatorPipeline(OpPassManager &pm, const EmulatorOptions &options);
/// The same with the default options (every check on).
void buildEmulatorPipeline(OpPassManager &pm);

/// Registers buildEmulatorPipeline as `hm-emulator-pipeline` with options
/// `bounds-checks`, `race-checks` and `yield-in-loops`.
void registerEmulatorPipeline();

namespace emu {

/// Threads per warp (subgroup) in the emulator, as on NVIDIA GPUs.
constexpr int64_t kWarpSize = 32;

/// Slots (64-bit each) of the per-thread context whose address every
/// emulated kernel receives as its first argument.
enum ContextSlot : int64_t {
  kThreadIdX = 0,
  kBlockIdX = 3,
  kBlockDimX = 6,
  kGridDimX = 9,
  kLaneId = 12,
  /// Threads present in this thread's warp (32 except in a partial warp).
  kWarpLanes = 13,
  /// Pointer to the block's workgroup (shared) memory.
  kSharedBase = 14,
  /// Bytes of workgroup memory (static + dynamic) of the block.
  kSharedBytes = 15,
  kNumContextSlots = 16,
};

/// Flags of hm_emu_launch, computed by the pass.
enum LaunchFlag : int64_t {
  /// The kernel synchronises threads (gpu.barrier, warp operations, yields):
  /// every thread runs on its own fiber. Without it the threads of a block
  /// run one after another as a plain loop.
  kLaunchNeedsFibers = 1,
};

/// Modes of hm_emu_shuffle.
enum ShuffleMode : int32_t {
  kShuffleXor = 0,
  kShuffleDown = 1,
  kShuffleUp = 2,
  kShuffleIdx = 3,
};

/// Element types of the fragments hm_emu_mma_compute multiplies; its `types`
/// argument packs A | B << 8 | C << 16 | D << 24, plus kMatrixLaneRegisters
/// for nvvm.mma.sync (per-lane registers instead of whole fragments).
enum MatrixElementType : int64_t {
  kMatrixF16 = 0,
  kMatrixF32 = 1,
  kMatrixBF16 = 2,
  kMatrixLaneRegisters = int64_t{1} << 32,
};

} // namespace emu
} // namespace mlir::hm

#endif // HEAVYMETAL_CONVERSION_GPUTOEMULATOR_H
