//===- TileConstruction.cpp - Roller's rTile construction -----------------===//
//
// Roller's construction (OSDI 2022, see ../shared PAPERS.md): start from the
// hardware-aligned unit tile, grow one loop at a time by data-reuse score,
// prune by the arch's limits, descend from the block (shared-memory) level to
// the thread (register) level once a level is saturated, and rank what was
// built with the micro-performance model.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Analysis/TileConstruction.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <functional>
#include <numeric>

using namespace mlir;
using namespace mlir::hm;

/// Reduction step of the main reduction loop (Roller: 8; 64 on tensor cores).
static constexpr int64_t kReductionStep = 8;
static constexpr int64_t kTensorCoreReductionStep = 64;
/// Tensor-core fragments take K in slices of 16, and their shared-memory
/// rows must be 16-byte aligned (padding a multiple of 16 bytes).
static constexpr int64_t kTensorCoreK = 16;
static constexpr int64_t kTensorCoreRowAlignmentBytes = 16;
/// Reduction loops up to this extent (convolution and pooling windows) are
/// loaded whole.
static constexpr int64_t kWholeReductionExtent = 16;
/// Register-tile steps per loop (Roller: base x {1, 2, 4, 8, 16, 32}).
static constexpr int64_t kThreadSteps[] = {1, 2, 4, 8, 16, 32};
/// Growth steps taken past saturation at each level, so that the next level
/// still has room to saturate (a block tile that just saturates DRAM may
/// leave too few threads for register tiles that saturate shared memory).
static constexpr int64_t kStepsPastSaturation = 2;
/// Modelled slowdown accepted to keep threads a multiple of warp size x
/// sub-partitions.
static constexpr double kPreferredThreadsSlack = 0.1;
/// Widest vectorised global access, bytes.
static constexpr int64_t kMaxVectorBytes = 16;

static int64_t product(ArrayRef<int64_t> values) {
  int64_t p = 1;
  for (int64_t v : values)
    p *= v;
  return p;
}

/// Peak rate the operation can reach on the arch (tensor cores when it is a
/// candidate), GFLOP/s.
static double getBestPeak(const CostModel &model, const OpFootprint &op) {
  rtile::ArchAttr arch = model.getArch();
  double peak = static_cast<double>(arch.getFp32GFlops());
  if (model.isTensorCoreOp(op))
    peak =
        std::max(peak, static_cast<double>(arch.getPeakGFlops(op.computeType)));
  return peak;
}

TileConstructor::TileConstructor(const CostModel &model,
                                 ConstructionOptions options)
    : model(model), options(options) {}

TileAlignment TileConstructor::getAlignment(const OpFootprint &op) const {
  rtile::ArchAttr arch = model.getArch();
  auto transactionElements = [&](const OperandAccess &access) {
    return std::max<int64_t>(1,
                             arch.getTransactionBytes() / access.elementBytes);
  };
  TileAlignment alignment;
  alignment.parallelBase.assign(op.parallelLoops.size(), 1);
  for (unsigned i = 0; i < op.operands.size(); ++i) {
    const OperandAccess &access = op.operands[i];
    if (!access.isRead && !access.isOutput)
      continue;
    std::optional<unsigned> inner = op.getInnermostLoop(i);
    if (!inner)
      continue;
    const auto *it = llvm::find(op.parallelLoops, *inner);
    if (it == op.parallelLoops.end())
      continue;
    int64_t &base = alignment.parallelBase[it - op.parallelLoops.begin()];
    base = std::max(base, transactionElements(access));
  }
  for (auto [base, l] :
       llvm::zip_equal(alignment.parallelBase, op.parallelLoops))
    base = std::min(base, op.loopExtents[l]);

  // The main reduction loop, stepped by Roller's reduction step: among the
  // loops too long to load whole, one walking an input's innermost dimension,
  // else the longest.
  std::optional<unsigned> main;
  bool mainIsInnermost = false;
  for (unsigned l : op.reductionLoops) {
    if (op.loopExtents[l] <= kWholeReductionExtent)
      continue;
    bool innermost = false;
    for (unsigned i = 0; i < op.operands.size(); ++i)
      if (!op.operands[i].isOutput && op.operands[i].isRead &&
          op.getInnermostLoop(i) == l)
        innermost = true;
    if (!main || (innermost && !mainIsInnermost) ||
        (innermost == mainIsInnermost &&
         op.loopExtents[l] > op.loopExtents[*main])) {
      main = l;
      mainIsInnermost = innermost;
    }
  }
  bool tensorCores = model.isTensorCoreOp(op);
  for (unsigned l : op.reductionLoops) {
    int64_t extent = op.loopExtents[l];
    int64_t step;
    if (l == main) {
      step = tensorCores ? kTensorCoreReductionStep : kReductionStep;
      for (unsigned i = 0; i < op.operands.size(); ++i)
        if (op.operands[i].staged && op.getInnermostLoop(i) == l)
          step = std::max(step, transactionElements(op.operands[i]));
    } else {
      step = extent <= kWholeReductionExtent ? extent : 1;
    }
    alignment.reduction.push_back(std::min(step, extent));
  }
  if (tensorCores && !op.reductionLoops.empty()) {
    // Tensor cores take K in slices of 16: a convolution whose channel step
    // times its window (3 x 3 x 8) is not a multiple of 16 would fall back to
    // CUDA cores. Raise the channel step (the main loop, else the longest
    // reduction loop that indexes no dimension together with a parallel
    // loop) to the smallest multiple that aligns K; the lowering zero-fills
    // the channels past the loop.
    int64_t k = product(alignment.reduction);
    if (k % kTensorCoreK != 0) {
      auto isWindow = [&](unsigned l) {
        for (const OperandAccess &access : op.operands)
          for (const auto &coefficients : access.coefficients)
            if (coefficients && (*coefficients)[l] != 0 &&
                llvm::any_of(op.parallelLoops, [&](unsigned p) {
                  return (*coefficients)[p] != 0;
                }))
              return true;
        return false;
      };
      std::optional<size_t> raise;
      for (auto [index, l] : llvm::enumerate(op.reductionLoops)) {
        if (main) {
          if (l == *main)
            raise = index;
          continue;
        }
        if (isWindow(l))
          continue;
        if (!raise || op.loopExtents[l] > op.loopExtents[op.reductionLoops[*raise]])
          raise = index;
      }
      if (!raise)
        raise = 0;
      int64_t &step = alignment.reduction[*raise];
      int64_t rest = k / step;
      step = llvm::alignTo(step, kTensorCoreK / std::gcd(kTensorCoreK, rest));
    }
  }
  return alignment;
}

SmallVector<int64_t> TileConstructor::getBlockSteps(int64_t extent,
                                                    int64_t base,
                                                    bool allowWaste,
                                                    bool isInnermost) const {
  int64_t cap = options.maxBlockPoints;
  SmallVector<int64_t> steps;
  // Powers of two times the base keep thread counts a multiple of the warp
  // reachable; the whole loop avoids padding.
  for (int64_t k = 1; base * k <= cap; k *= 2)
    steps.push_back(base * k);
  steps.push_back(extent);
  int64_t limit = extent;
  if (allowWaste) {
    // Tiles larger than the loop, so that a small operation still gets a
    // warp (along its innermost loop).
    limit = llvm::PowerOf2Ceil(extent);
    if (isInnermost)
      limit = std::max<int64_t>(limit, model.getArch().getWarpSize());
    for (int64_t s = 1; s <= limit; s *= 2)
      steps.push_back(s);
    steps.push_back(llvm::alignTo(extent, base));
  }
  llvm::erase_if(steps, [&](int64_t s) {
    if (s < 1 || s > limit || s > cap)
      return true;
    if (allowWaste || s == base || s == extent)
      return false;
    int64_t padded = llvm::divideCeil(extent, s) * s;
    return static_cast<double>(padded - extent) >
           options.maxPaddingWaste * static_cast<double>(extent);
  });
  llvm::sort(steps);
  steps.erase(llvm::unique(steps), steps.end());
  return steps;
}

bool TileConstructor::hasAlignedThreadCount(ArrayRef<int64_t> block) const {
  // threads = prod(block) / 2^r, where the register tile removes r factors of
  // two (at most log2 of the largest register step per loop). The count must
  // keep log2(warp size) factors of two and be at most maxThreadsPerBlock.
  int64_t warpBits = llvm::Log2_64(model.getArch().getWarpSize());
  int64_t maxStepBits = llvm::Log2_64(std::end(kThreadSteps)[-1]);
  int64_t points = product(block), twos = 0, removable = 0;
  for (int64_t b : block) {
    int64_t bits = llvm::countr_zero(static_cast<uint64_t>(b));
    twos += bits;
    removable += std::min(bits, maxStepBits);
  }
  int64_t needed = 0;
  while ((points >> needed) > options.maxThreadsPerBlock)
    ++needed;
  return twos >= warpBits && needed <= std::min(removable, twos - warpBits);
}

SmallVector<SmallVector<int64_t>>
TileConstructor::growBlockTiles(const OpFootprint &op,
                                ArrayRef<SmallVector<int64_t>> steps,
                                ArrayRef<int64_t> reduction) const {
  rtile::ArchAttr arch = model.getArch();
  size_t n = steps.size();
  bool staged = op.hasStagedInputs();
  int64_t outputBytes = 4;
  for (const OperandAccess &access : op.operands)
    if (access.isOutput)
      outputBytes = access.elementBytes;
  int64_t reductionPoints = 1;
  for (auto [index, l] : llvm::enumerate(op.reductionLoops))
    reductionPoints *= llvm::alignTo(op.loopExtents[l], reduction[index]);
  double ridge =
      getBestPeak(model, op) / static_cast<double>(arch.getDramGBps());

  auto gridOf = [&](ArrayRef<int64_t> block) {
    int64_t g = 1;
    for (auto [index, l] : llvm::enumerate(op.parallelLoops))
      g *= llvm::divideCeil(op.loopExtents[l], block[index]);
    return g;
  };
  // Q: global traffic of the whole operation; F: the tile's footprint at this
  // level (shared memory, or registers when nothing is staged).
  auto traffic = [&](ArrayRef<int64_t> block) {
    return static_cast<double>(gridOf(block)) *
           model.getBlockGlobalBytes(op, block, reduction);
  };
  auto footprint = [&](ArrayRef<int64_t> block) -> double {
    if (!staged)
      return static_cast<double>(product(block) * outputBytes);
    TileConfig probe;
    probe.block.assign(block.begin(), block.end());
    probe.reduction.assign(reduction.begin(), reduction.end());
    return static_cast<double>(model.getSmemBytesPerBlock(op, probe));
  };
  // Saturated: the tile's arithmetic intensity reaches the arch's ridge
  // point, so growing it further cannot make DRAM the bottleneck.
  int64_t minPoints = std::min<int64_t>(
      arch.getWarpSize() * arch.getSubPartitions(), op.getNumPoints());
  auto saturated = [&](ArrayRef<int64_t> block) {
    if (product(block) < minPoints)
      return false;
    double flops = static_cast<double>(gridOf(block)) * product(block) *
                   reductionPoints * op.flopsPerPoint;
    return flops / traffic(block) >= ridge;
  };

  SmallVector<size_t> index(n, 0);
  SmallVector<int64_t> tile(n);
  for (size_t d = 0; d < n; ++d)
    tile[d] = steps[d][0];
  SmallVector<SmallVector<int64_t>> path{tile};
  int64_t stepsLeft = kStepsPastSaturation;
  while (!saturated(tile) || stepsLeft-- > 0) {
    double tileTraffic = traffic(tile), tileFootprint = footprint(tile);
    std::optional<size_t> best;
    double bestScore = 0;
    SmallVector<int64_t> candidate;
    bool bestUsable = false;
    for (size_t d = 0; d < n; ++d) {
      if (index[d] + 1 >= steps[d].size())
        continue;
      candidate = tile;
      candidate[d] = steps[d][index[d] + 1];
      if (product(candidate) > options.maxBlockPoints)
        continue;
      double grownFootprint = footprint(candidate);
      if (staged && grownFootprint > arch.getSmemPerBlock())
        continue;
      // Data-reuse score: traffic saved per byte of footprint added. Tiles
      // that can be split into an aligned thread count come first.
      double score = (tileTraffic - traffic(candidate)) /
                     std::max(1.0, grownFootprint - tileFootprint);
      bool usable = hasAlignedThreadCount(candidate);
      // Ties go to the inner loop (the last parallel loop is usually the
      // output's innermost), which keeps accesses coalesced.
      if (!best || (usable && !bestUsable) ||
          (usable == bestUsable && score >= bestScore)) {
        best = d;
        bestScore = score;
        bestUsable = usable;
      }
    }
    if (!best)
      break;
    ++index[*best];
    tile[*best] = steps[*best][index[*best]];
    path.push_back(tile);
  }
  return path;
}

SmallVector<SmallVector<int64_t>>
TileConstructor::growThreadTiles(const OpFootprint &op, ArrayRef<int64_t> block,
                                 ArrayRef<int64_t> reduction) const {
  rtile::ArchAttr arch = model.getArch();
  size_t n = block.size();
  int64_t warpSize = arch.getWarpSize();
  SmallVector<SmallVector<int64_t>> steps(n);
  for (size_t d = 0; d < n; ++d)
    for (int64_t s : kThreadSteps)
      if (block[d] % s == 0)
        steps[d].push_back(s);

  SmallVector<int64_t> reductionOnes(op.reductionLoops.size(), 1);
  bool staged = op.hasStagedInputs();
  auto threadsOf = [&](ArrayRef<int64_t> thread) {
    int64_t t = 1;
    for (size_t d = 0; d < n; ++d)
      t *= block[d] / thread[d];
    return t;
  };
  // Q: traffic into registers per reduction iteration, as the model counts
  // it: shared-memory reads of every thread's register tile (every warp's
  // fragments on tensor cores) and global transactions of the warps' direct
  // accesses. F: the registers of a thread.
  bool tensorCores = model.isTensorCoreOp(op);
  auto smemReads = [&](ArrayRef<int64_t> thread) {
    if (tensorCores)
      return 0.0; // Counted per warp in getWarpTraffic.
    SmallVector<int64_t> tile = op.getLoopTile(thread, reductionOnes);
    double bytes = 0;
    for (unsigned i = 0; i < op.operands.size(); ++i)
      if (op.operands[i].staged)
        bytes += static_cast<double>(op.getTileElements(i, tile)) *
                 op.operands[i].elementBytes;
    return bytes * static_cast<double>(threadsOf(thread));
  };
  auto traffic = [&](ArrayRef<int64_t> thread) {
    double bytes = smemReads(thread);
    SmallVector<int64_t> warp = chooseWarpTile(op, block, thread, reduction);
    if (!warp.empty())
      bytes += getWarpTraffic(op, warp, tensorCores) *
               static_cast<double>(product(block) / product(warp));
    return bytes;
  };
  auto registers = [&](ArrayRef<int64_t> thread) {
    TileConfig probe;
    probe.block.assign(block.begin(), block.end());
    probe.thread.assign(thread.begin(), thread.end());
    probe.reduction.assign(reduction.begin(), reduction.end());
    return model.getRegistersPerThread(op, probe);
  };
  auto compiledRegisters = [&](ArrayRef<int64_t> thread) {
    TileConfig probe;
    probe.block.assign(block.begin(), block.end());
    probe.thread.assign(thread.begin(), thread.end());
    probe.reduction.assign(reduction.begin(), reduction.end());
    // The warp tile decides whether the kernel runs on tensor cores, whose
    // registers are fragments (finalize chooses the same one).
    if (tensorCores)
      probe.warp = chooseWarpTile(op, block, thread, reduction);
    return model.getCompiledRegistersPerThread(op, probe);
  };
  // Saturated: shared-memory reads no longer outpace compute on an SM.
  double ridge = getBestPeak(model, op) /
                 (arch.getSmemGBpsPerSM() * static_cast<double>(arch.getSms()));
  auto saturated = [&](ArrayRef<int64_t> thread) {
    if (!staged)
      return false;
    double reads = tensorCores ? traffic(thread) : smemReads(thread);
    double flops = static_cast<double>(product(block)) * op.flopsPerPoint;
    return reads <= 0 || flops / reads >= ridge;
  };

  SmallVector<size_t> index(n, 0);
  SmallVector<int64_t> thread(n, 1);
  SmallVector<SmallVector<int64_t>> path;
  SmallVector<int64_t> candidate;
  int64_t stepsLeft = kStepsPastSaturation;
  while (true) {
    int64_t threads = threadsOf(thread);
    int64_t regs = registers(thread);
    bool valid = threads % warpSize == 0 &&
                 threads <= options.maxThreadsPerBlock &&
                 regs <= arch.getMaxRegsPerThread() &&
                 regs * threads <= arch.getRegsPerBlock() &&
                 compiledRegisters(thread) <=
                     model.getMaxRegistersPerThread(threads);
    if (valid)
      path.push_back(thread);
    if (valid && saturated(thread) && stepsLeft-- <= 0)
      break;
    std::optional<size_t> best;
    double bestScore = 0;
    double reads = traffic(thread);
    for (size_t d = 0; d < n; ++d) {
      if (index[d] + 1 >= steps[d].size())
        continue;
      candidate = thread;
      candidate[d] = steps[d][index[d] + 1];
      if (threadsOf(candidate) < warpSize)
        continue;
      int64_t grownRegs = registers(candidate);
      if (grownRegs > arch.getMaxRegsPerThread())
        continue;
      double score = (reads - traffic(candidate)) /
                     std::max<double>(1.0, grownRegs - regs);
      if (!best || score >= bestScore) {
        best = d;
        bestScore = score;
      }
    }
    if (!best)
      break;
    ++index[*best];
    thread[*best] = steps[*best][index[*best]];
  }
  return path;
}

double TileConstructor::getWarpTraffic(const OpFootprint &op,
                                       ArrayRef<int64_t> warp,
                                       bool tensorCores) const {
  SmallVector<int64_t> reductionOnes(op.reductionLoops.size(), 1);
  SmallVector<int64_t> tile = op.getLoopTile(warp, reductionOnes);
  int64_t transaction = model.getArch().getTransactionBytes();
  double bytes = 0;
  for (unsigned i = 0; i < op.operands.size(); ++i) {
    const OperandAccess &access = op.operands[i];
    if (access.staged) {
      // Tensor-core fragments are loaded once per warp; on CUDA cores every
      // thread loads its own values whatever the lane layout.
      if (tensorCores)
        bytes += static_cast<double>(op.getTileElements(i, tile)) *
                 access.elementBytes;
    } else if (access.isRead || access.isOutput) {
      bytes += op.getTransactionBytes(i, tile, transaction);
    }
  }
  return bytes;
}

SmallVector<int64_t>
TileConstructor::chooseWarpTile(const OpFootprint &op, ArrayRef<int64_t> block,
                                ArrayRef<int64_t> thread,
                                ArrayRef<int64_t> reduction) const {
  rtile::ArchAttr arch = model.getArch();
  size_t n = block.size();
  bool wantTensorCores = model.isTensorCoreOp(op);
  TileConfig probe;
  probe.block.assign(block.begin(), block.end());
  probe.thread.assign(thread.begin(), thread.end());
  probe.reduction.assign(reduction.begin(), reduction.end());

  SmallVector<int64_t> lanes(n, 1), best;
  double bestCost = 0;
  bool bestAligned = false;
  // Lanes are assigned from the innermost loop outwards, largest share
  // first, so that among equal costs the first found keeps lanes inner.
  std::function<void(size_t, int64_t)> assign = [&](size_t pos,
                                                    int64_t remaining) {
    if (pos == n) {
      if (remaining != 1)
        return;
      probe.warp.resize(n);
      for (size_t d = 0; d < n; ++d)
        probe.warp[d] = lanes[d] * thread[d];
      double cost = getWarpTraffic(op, probe.warp, wantTensorCores);
      bool aligned = wantTensorCores && model.usesTensorCores(op, probe);
      if (best.empty() || (aligned && !bestAligned) ||
          (aligned == bestAligned && cost < bestCost)) {
        best = probe.warp;
        bestCost = cost;
        bestAligned = aligned;
      }
      return;
    }
    size_t d = n - 1 - pos;
    int64_t threads = block[d] / thread[d];
    for (int64_t l = remaining; l >= 1; l /= 2) {
      if (threads % l != 0)
        continue;
      lanes[d] = l;
      assign(pos + 1, remaining / l);
    }
    lanes[d] = 1;
  };
  assign(0, arch.getWarpSize());
  return best;
}

TileConfig TileConstructor::finalize(const OpFootprint &op,
                                     ArrayRef<int64_t> block,
                                     ArrayRef<int64_t> thread,
                                     ArrayRef<int64_t> reduction) const {
  TileConfig config;
  config.block.assign(block.begin(), block.end());
  config.thread.assign(thread.begin(), thread.end());
  config.reduction.assign(reduction.begin(), reduction.end());

  config.warp = chooseWarpTile(op, block, thread, reduction);

  // Padding: the smallest that minimises the worst bank conflict of a
  // column read from a staged tile.
  int64_t minElementBytes = 4;
  int64_t maxElementBytes = 1;
  for (const OperandAccess &access : op.operands) {
    minElementBytes = std::min(minElementBytes, access.elementBytes);
    maxElementBytes = std::max(maxElementBytes, access.elementBytes);
  }
  SmallVector<int64_t> stepTile = op.getLoopTile(block, reduction);
  SmallVector<int64_t, 6> extents;
  int64_t bestDegree = INT64_MAX;
  // WMMA fragments need 16-byte-aligned rows: on tensor cores the padding
  // is a multiple of 16 bytes (8 halves), as the lowering rounds it.
  int64_t paddingStep =
      model.usesTensorCores(op, config)
          ? std::max<int64_t>(1, kTensorCoreRowAlignmentBytes / minElementBytes)
          : 1;
  for (int64_t padding = 0; padding <= kMaxVectorBytes / minElementBytes;
       padding += paddingStep) {
    int64_t degree = 1;
    for (unsigned i = 0; i < op.operands.size(); ++i) {
      const OperandAccess &access = op.operands[i];
      if (!access.staged)
        continue;
      op.getTileExtents(i, stepTile, extents);
      if (extents.size() < 2)
        continue;
      degree =
          std::max(degree, model.getBankConflictDegree(
                               (extents.back() + padding) * access.elementBytes,
                               extents[extents.size() - 2]));
    }
    if (degree < bestDegree) {
      bestDegree = degree;
      config.padding = padding;
    }
    if (degree == 1)
      break;
  }

  // Vector width: the widest 16-byte-or-less access that divides the
  // innermost thread extent and the innermost parallel loop.
  int64_t innerExtent = op.loopExtents[op.parallelLoops.back()];
  for (int64_t v = kMaxVectorBytes / maxElementBytes; v > 1; v /= 2) {
    if (thread.back() % v == 0 && innerExtent % v == 0) {
      config.vector = v;
      break;
    }
  }
  return config;
}

/// Orders candidates: predicted time, then less padded work, wider vectors,
/// less shared memory, more threads, and the block tile, so the ranking is
/// deterministic.
static bool rankBefore(const RankedConfig &a, const RankedConfig &b) {
  double ta = a.estimate.timeUs, tb = b.estimate.timeUs;
  if (std::abs(ta - tb) > 1e-9 * std::max(ta, tb))
    return ta < tb;
  if (a.estimate.flops != b.estimate.flops)
    return a.estimate.flops < b.estimate.flops;
  if (a.config.vector != b.config.vector)
    return a.config.vector > b.config.vector;
  if (a.estimate.smemBytesPerBlock != b.estimate.smemBytesPerBlock)
    return a.estimate.smemBytesPerBlock < b.estimate.smemBytesPerBlock;
  if (a.estimate.threadsPerBlock != b.estimate.threadsPerBlock)
    return a.estimate.threadsPerBlock > b.estimate.threadsPerBlock;
  if (a.config.block != b.config.block)
    return a.config.block < b.config.block;
  return a.config.thread < b.config.thread;
}

FailureOr<RankedConfigs> TileConstructor::construct(const OpFootprint &op,
                                                    std::string &whyNot) const {
  rtile::ArchAttr arch = model.getArch();
  if (op.parallelLoops.empty()) {
    whyNot = "it has no parallel loops (a reduction to a scalar); an rTile "
             "needs a block extent per parallel loop";
    return failure();
  }
  TileAlignment alignment = getAlignment(op);
  SmallVector<RankedConfig, 0> candidates;
  std::string firstRejection;
  int64_t pairs = 0;
  for (bool allowWaste : {false, true}) {
    SmallVector<SmallVector<int64_t>> steps;
    for (auto [base, l] :
         llvm::zip_equal(alignment.parallelBase, op.parallelLoops))
      steps.push_back(getBlockSteps(op.loopExtents[l], base, allowWaste,
                                    l == op.parallelLoops.back()));
    for (const SmallVector<int64_t> &block :
         growBlockTiles(op, steps, alignment.reduction)) {
      for (const SmallVector<int64_t> &thread :
           growThreadTiles(op, block, alignment.reduction)) {
        ++pairs;
        TileConfig config = finalize(op, block, thread, alignment.reduction);
        CostEstimate estimate = model.estimate(op, config);
        if (estimate.fits && op.hasStagedInputs() &&
            estimate.reductionSteps >= 2) {
          // Double buffering hides load latency, which the model does not
          // price; take it whenever it costs no modelled time (occupancy).
          TileConfig doubled = config;
          doubled.doubleBuffer = true;
          CostEstimate doubledEstimate = model.estimate(op, doubled);
          if (doubledEstimate.fits &&
              doubledEstimate.timeUs <= estimate.timeUs * (1 + 1e-9)) {
            config = doubled;
            estimate = doubledEstimate;
          }
        }
        if (!estimate.fits) {
          if (firstRejection.empty())
            firstRejection = estimate.whyNot;
          continue;
        }
        candidates.push_back({std::move(config), std::move(estimate)});
      }
    }
    if (!candidates.empty())
      break;
  }
  if (candidates.empty()) {
    if (pairs == 0)
      whyNot = llvm::formatv("no aligned tile of its {0}-point iteration "
                             "space gives a multiple of {1} threads per "
                             "block",
                             op.getNumPoints(), arch.getWarpSize());
    else
      whyNot =
          "no aligned configuration fits the arch (" + firstRejection + ")";
    return failure();
  }

  // Thread counts a multiple of warp size x sub-partitions (every scheduler
  // gets the same number of warps) where that costs at most
  // kPreferredThreadsSlack of modelled time.
  llvm::sort(candidates, rankBefore);
  int64_t preferred = arch.getWarpSize() * arch.getSubPartitions();
  auto isPreferred = [&](const RankedConfig &c) {
    return c.estimate.threadsPerBlock % preferred == 0;
  };
  const RankedConfig *bestPreferred = llvm::find_if(candidates, isPreferred);
  if (bestPreferred != candidates.end() &&
      bestPreferred->estimate.timeUs <=
          candidates.front().estimate.timeUs * (1 + kPreferredThreadsSlack))
    llvm::erase_if(candidates, std::not_fn(isPreferred));
  RankedConfigs ranked;
  for (RankedConfig &candidate : candidates) {
    if (static_cast<int64_t>(ranked.size()) >= options.topK)
      break;
    if (llvm::any_of(ranked, [&](const RankedConfig &r) {
          return r.config == candidate.config;
        }))
      continue;
    ranked.push_back(std::move(candidate));
  }
  return ranked;
}
