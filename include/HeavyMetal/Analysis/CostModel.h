//===- CostModel.h - Roller's micro-performance model -----------*- C++ -*-===//
//
// The one cost model of HeavyMetal: predicts the time of a tiled GPU kernel
// from compute throughput and traffic at each memory level. Roller ranks its
// candidates with it; Welder and Rammer reuse it. The formulas are in
// docs/CostModel.md; every number it produces is modelled, not measured.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_ANALYSIS_COSTMODEL_H
#define HEAVYMETAL_ANALYSIS_COSTMODEL_H

#include "HeavyMetal/Analysis/OpFootprint.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir::hm {

/// A tile configuration as plain values (the mirror of #rtile.config), cheap
/// to build and compare while constructing candidates.
struct TileConfig {
  /// Per parallel loop (in loop order).
  SmallVector<int64_t> block, warp, thread;
  /// Per reduction loop (in loop order).
  SmallVector<int64_t> reduction;
  int64_t padding = 0;
  int64_t vector = 1;
  bool doubleBuffer = false;

  static TileConfig fromAttr(rtile::ConfigAttr attr);
  /// The attribute; null, with the verifier's error reported, if it does
  /// not verify.
  rtile::ConfigAttr toAttr(MLIRContext *context) const;
  /// Threads per block: the product of block[i] / thread[i].
  int64_t getThreadsPerBlock() const;
  bool operator==(const TileConfig &other) const;
};

/// Prints `config` as the body of an #rtile.config (`block = [..], ...`).
llvm::raw_ostream &operator<<(llvm::raw_ostream &os, const TileConfig &config);

/// What limits the time of a kernel in the model: compute, or memory
/// (DRAM or shared memory).
enum class Bound { Compute, DRAM, SharedMemory };
llvm::StringRef stringifyBound(Bound bound);

/// The slowest of the three levels decides a kernel's time; ties go to
/// compute, then DRAM. Returns the time and sets `bound`.
double getBoundTime(double computeUs, double dramUs, double smemUs,
                    Bound &bound);

/// The model's prediction for one operation under one configuration, with
/// its breakdown. Times in microseconds, sizes in bytes. All modelled.
struct CostEstimate {
  /// False when the configuration cannot run on the arch (`whyNot` says why:
  /// shared memory, registers, threads); the numbers are then partial.
  bool fits = true;
  std::string whyNot;

  // Launch shape.
  int64_t gridBlocks = 0;
  int64_t threadsPerBlock = 0;
  int64_t reductionSteps = 1;
  // Resources of one block.
  int64_t smemBytesPerBlock = 0;
  int64_t registersPerThread = 0;
  /// Registers per thread of the compiled tiled kernel (calibrated against
  /// ptxas; the bound a configuration must fit).
  int64_t compiledRegistersPerThread = 0;
  // Occupancy and waves.
  int64_t blocksPerSM = 0;
  /// "shared memory", "registers", "threads" or "blocks".
  llvm::StringRef occupancyLimiter;
  int64_t waves = 0;
  /// n / (ceil(n / N) * N), n = grid, N = SMs x blocks per SM.
  double waveEfficiency = 0;
  /// min(1, resident warps per SM / sub-partitions).
  double issueEfficiency = 0;
  // Compute.
  bool tensorCores = false;
  double peakGFlops = 0;
  /// Operations issued, tile padding included.
  double flops = 0;
  double computeUs = 0;
  // Global memory (DRAM).
  /// Bytes all blocks move (transaction-rounded); L2 hits are not modelled.
  double globalBytes = 0;
  /// Bytes every operand has, read or written once (the lower bound).
  double compulsoryBytes = 0;
  /// Small-grid derating of DRAM bandwidth in a full wave.
  double dramEfficiency = 0;
  double dramUs = 0;
  // Shared memory.
  double smemBytes = 0;
  /// Worst bank-conflict degree of a staged tile (1 = none).
  int64_t bankConflictDegree = 1;
  double smemUs = 0;
  // Total.
  double timeUs = 0;
  Bound bound = Bound::Compute;
  /// max(points x flops / peak, compulsory bytes / DRAM bandwidth): the
  /// roofline time of the operation, independent of the tile.
  double rooflineUs = 0;
};

/// Roller's micro-performance model on one #rtile.arch. Stateless apart from
/// the arch, so one instance serves any number of operations.
class CostModel {
public:
  explicit CostModel(rtile::ArchAttr arch);

  rtile::ArchAttr getArch() const { return arch; }

  /// Predicts `op` under `config`. A configuration whose ranks do not match
  /// the operation's loops, or that does not fit the arch, comes back with
  /// `fits = false` and the reason.
  CostEstimate estimate(const OpFootprint &op, const TileConfig &config) const;

  /// Global-memory bytes one block moves over all its reduction steps, with
  /// block tile `block` (per parallel loop) and reduction step `reduction`:
  /// each read input's tile once per step, the output tile written once (and
  /// read once when the payload reads it), all transaction-rounded. Staged
  /// inputs are loaded cooperatively, so their block tile is rounded; with a
  /// `warp` tile, operands accessed directly from registers are rounded per
  /// warp access (a warp whose lanes walk an outer dimension needs a
  /// transaction per lane).
  double getBlockGlobalBytes(const OpFootprint &op, ArrayRef<int64_t> block,
                             ArrayRef<int64_t> reduction,
                             ArrayRef<int64_t> warp = {}) const;
  /// Shared-memory bytes of one block: every staged input's tile over one
  /// reduction step, innermost extent padded, doubled with double buffering.
  int64_t getSmemBytesPerBlock(const OpFootprint &op,
                               const TileConfig &config) const;
  /// Estimated 32-bit registers per thread (see docs/CostModel.md), rounded
  /// up to the allocation granularity of 8.
  int64_t getRegistersPerThread(const OpFootprint &op,
                                const TileConfig &config) const;
  /// Estimated registers per thread of the kernel the tiled lowering
  /// generates (TiledKernel.cpp), calibrated against ptxas -v: the values of
  /// getRegistersPerThread times 1.4 with a reduction, plus 6 per load of a
  /// straight-line staged copy (docs/CostModel.md). A configuration whose
  /// count exceeds getMaxRegistersPerThread would spill; it does not fit.
  int64_t getCompiledRegistersPerThread(const OpFootprint &op,
                                        const TileConfig &config) const;
  /// The most registers per thread a kernel of `threadsPerBlock` threads gets
  /// from ptxas without spilling: the block's register file over the thread
  /// count rounded up to warp size x sub-partitions, a multiple of 8, at most
  /// the arch's per-thread limit.
  int64_t getMaxRegistersPerThread(int64_t threadsPerBlock) const;
  /// Bank-conflict degree of a warp reading a column of a staged tile whose
  /// rows are `rowBytes` apart (32 consecutive rows, `rows` at most).
  int64_t getBankConflictDegree(int64_t rowBytes, int64_t rows) const;
  /// True when `op` can run on tensor cores on this arch with a suitable
  /// configuration: a tensor-core candidate whose compute type has a rate
  /// above the arch's f32 rate and has fragments in the lowering (f16; not
  /// bf16, which gpu.subgroup_mma_* lacks).
  bool isTensorCoreOp(const OpFootprint &op) const;
  /// True when `config` lets `op` run on tensor cores: a tensor-core
  /// candidate (isTensorCoreOp), warp tiles whose A- and
  /// B-side extents are multiples of 16 and a reduction step multiple of 16.
  bool usesTensorCores(const OpFootprint &op, const TileConfig &config) const;

  /// Resident warps per SM needed to saturate DRAM (2 per scheduler).
  int64_t getSaturatingWarpsPerSM() const;

private:
  rtile::ArchAttr arch;
};

/// Prints `estimate` as indented "key: value" lines (the format of
/// --hm-print-cost-model).
void printCostEstimate(llvm::raw_ostream &os, const CostEstimate &estimate);

} // namespace mlir::hm

#endif // HEAVYMETAL_ANALYSIS_COSTMODEL_H
