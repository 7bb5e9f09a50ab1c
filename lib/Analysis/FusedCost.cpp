//===- FusedCost.cpp - The cost of a fused group of operations ------------===//
//
// Composes CostModel's per-operation estimates into the estimate of one
// fused kernel (see FusedCost.h and docs/Welder.md).
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Analysis/FusedCost.h"

#include "HeavyMetal/Analysis/TileConstruction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::hm;

static int64_t product(ArrayRef<int64_t> values) {
  int64_t p = 1;
  for (int64_t v : values)
    p *= v;
  return p;
}

/// Splits `block` into at most `target` threads by doubling the thread tile
/// of a loop whose thread count is even: the one with the smallest thread
/// extent so far (square register tiles reuse the most), on ties the one
/// with the most threads.
static SmallVector<int64_t> splitIntoThreads(ArrayRef<int64_t> block,
                                             int64_t target) {
  SmallVector<int64_t> thread(block.size(), 1);
  int64_t threads = product(block);
  while (threads > target) {
    std::optional<unsigned> best;
    for (unsigned i = 0; i < block.size(); ++i) {
      int64_t n = block[i] / thread[i];
      if (n % 2 != 0)
        continue;
      if (!best || thread[i] < thread[*best] ||
          (thread[i] == thread[*best] && n > block[*best] / thread[*best]))
        best = i;
    }
    if (!best)
      break;
    thread[*best] *= 2;
    threads /= 2;
  }
  return thread;
}

TileConfig FusedCostModel::getMemberConfig(const OpFootprint &footprint,
                                           const TileBox &loops,
                                           int64_t targetThreads,
                                           bool padToWarps) const {
  rtile::ArchAttr arch = model.getArch();
  TileConfig config;
  for (unsigned l : footprint.parallelLoops)
    config.block.push_back(std::max<int64_t>(1, loops.sizes[l]));
  config.reduction =
      TileConstructor(model).getAlignment(footprint).reduction;
  config.thread = splitIntoThreads(config.block, targetThreads);
  int64_t warp = arch.getWarpSize();
  int64_t threads = config.getThreadsPerBlock();
  if (padToWarps && !config.block.empty() &&
      (threads % warp != 0 || threads > arch.getMaxThreadsPerBlock())) {
    // No aligned split: estimate a padded block (powers of two, at least a
    // warp); estimate() scales the work back to the member's tile.
    for (int64_t &b : config.block)
      b = llvm::PowerOf2Ceil(b);
    int64_t points = product(config.block);
    if (points < warp)
      config.block.back() *= warp / points;
    config.thread = splitIntoThreads(config.block, targetThreads);
  }
  // Padding: the smallest that minimises the bank conflicts of column reads
  // of the staged inputs' tiles (Roller's rule).
  SmallVector<int64_t> stepTile =
      footprint.getLoopTile(config.block, config.reduction);
  int64_t bestDegree = INT64_MAX;
  SmallVector<int64_t, 6> extents;
  for (int64_t padding = 0; padding <= 8; ++padding) {
    int64_t degree = 1;
    for (unsigned i = 0; i < footprint.operands.size(); ++i) {
      const OperandAccess &access = footprint.operands[i];
      if (!access.staged)
        continue;
      footprint.getTileExtents(i, stepTile, extents);
      if (extents.size() < 2)
        continue;
      degree = std::max(degree, model.getBankConflictDegree(
                                    (extents.back() + padding) *
                                        access.elementBytes,
                                    extents[extents.size() - 2]));
    }
    if (degree < bestDegree) {
      bestDegree = degree;
      config.padding = padding;
    }
  }
  return config;
}

TileConfig FusedCostModel::getFusedConfig(const OpFootprint &footprint,
                                          const TileBox &loops,
                                          const TileConfig *separate,
                                          int64_t targetThreads,
                                          bool padToWarps) const {
  TileConfig config =
      getMemberConfig(footprint, loops, targetThreads, padToWarps);
  if (!separate)
    return config;
  if (separate->block == config.block)
    return *separate;
  if (!model.usesTensorCores(footprint, *separate) ||
      separate->warp.size() != config.block.size())
    return config;
  TileConfig tensorCores = *separate;
  tensorCores.block.clear();
  for (auto [p, l] : llvm::enumerate(footprint.parallelLoops)) {
    int64_t block = std::max<int64_t>(1, loops.sizes[l]);
    if (block % separate->warp[p] != 0)
      return config;
    tensorCores.block.push_back(block);
  }
  if (!model.usesTensorCores(footprint, tensorCores) ||
      !model.estimate(footprint, tensorCores).fits)
    return config;
  return tensorCores;
}

/// True when `value` is made inside every tile without reading global
/// memory: an empty tensor, a splat constant or a fill of either.
static bool isRecomputedInit(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (isa<tensor::EmptyOp>(def))
    return true;
  if (auto fill = dyn_cast<linalg::FillOp>(def))
    return isRecomputedInit(fill.getOutputs().front());
  return false;
}

FusedCostEstimate FusedCostModel::estimate(const FusedGroup &group,
                                           ArrayRef<int64_t> outputTile) const {
  FusedCostEstimate est;
  auto reject = [&](std::string why) {
    est.fits = false;
    est.whyNot = std::move(why);
    return est;
  };
  rtile::ArchAttr arch = model.getArch();
  auto rootType = cast<ShapedType>(group.root->getResult(0).getType());
  TileBox rootTile;
  est.gridBlocks = 1;
  for (auto [extent, size] : llvm::zip_equal(rootType.getShape(), outputTile)) {
    rootTile.offsets.push_back(0);
    rootTile.sizes.push_back(std::min(extent, size));
    est.gridBlocks *= llvm::divideCeil(extent, size);
  }
  std::string whyNot;
  FailureOr<GroupTilePropagation> propagation =
      GroupTilePropagation::propagate(group.members, group.root, rootTile,
                                      whyNot);
  if (failed(propagation))
    return reject(whyNot);

  llvm::SmallPtrSet<Operation *, 8> inGroup;
  for (linalg::LinalgOp m : group.members)
    inGroup.insert(m);
  auto escapes = [&](Value v) {
    for (OpOperand *use : getUsesThroughUnitReshapes(v))
      if (!inGroup.contains(use->getOwner()))
        return true;
    return false;
  };

  // Intermediates connected at shared level: the producer's result tile.
  double sharedTraffic = 0;
  const double sharedGrid = static_cast<double>(est.gridBlocks);
  for (linalg::LinalgOp op : group.members) {
    for (OpResult result : op->getResults()) {
      if (!group.sharedValues.contains(result))
        continue;
      OpOperand *init = op.getDpsInitOperand(result.getResultNumber());
      TileBox tile = propagation->getOperandTile(op, init->getOperandNumber());
      int64_t bytes = tile.getNumElements() *
                      cast<ShapedType>(result.getType())
                          .getElementTypeBitWidth() / 8;
      est.intermediateSmemBytes += bytes;
      // Written once, read once by each consumer.
      int64_t readers = getUsesThroughUnitReshapes(result).size();
      sharedTraffic += sharedGrid * bytes * (1 + readers);
    }
  }
  if (est.intermediateSmemBytes > arch.getSmemPerBlock())
    return reject(llvm::formatv("its on-chip intermediates need {0} bytes of "
                                "shared memory per block, over the arch's {1}",
                                est.intermediateSmemBytes,
                                arch.getSmemPerBlock()));

  int64_t transaction = arch.getTransactionBytes();
  double blockGlobalBytes = 0, stagingSmem = 0;
  llvm::DenseMap<Value, double> inputBytes;
  int64_t blocksPerSM = INT64_MAX;
  double computeAtFullWaves = 0, smemAtFullWaves = 0;
  const double grid = static_cast<double>(est.gridBlocks);
  for (auto [member, footprint] : llvm::zip_equal(group.members,
                                                  group.footprints)) {
    linalg::LinalgOp op = member;
    const TileBox &loops = propagation->getIterationTile(op);
    unsigned memberIndex = est.memberConfigs.size();
    TileConfig config = getFusedConfig(
        footprint, loops,
        memberIndex < group.separateConfigs.size()
            ? &group.separateConfigs[memberIndex]
            : nullptr);
    CostEstimate memberEstimate = model.estimate(footprint, config);
    est.memberConfigs.push_back(config);
    if (!memberEstimate.fits)
      return reject(llvm::formatv("{0} with block tile [{1}]: {2}",
                                  op->getName().getStringRef(),
                                  llvm::make_range(config.block.begin(),
                                                   config.block.end()),
                                  memberEstimate.whyNot));
    // The member's work in the fused kernel over the work estimated.
    double fusedPoints = grid * loops.getNumElements();
    double estimatedPoints = static_cast<double>(memberEstimate.gridBlocks) *
                             product(config.block);
    for (unsigned l : footprint.reductionLoops)
      estimatedPoints *= footprint.loopExtents[l];
    double scale = fusedPoints / estimatedPoints;
    // Times at full wave efficiency; the group's waves divide them below.
    computeAtFullWaves += memberEstimate.flops * scale /
                          (memberEstimate.peakGFlops * 1e3 *
                           memberEstimate.issueEfficiency);
    smemAtFullWaves +=
        memberEstimate.smemUs * memberEstimate.waveEfficiency * scale;
    est.recomputation.push_back(fusedPoints / footprint.getNumPoints());
    stagingSmem = std::max<double>(stagingSmem, memberEstimate.smemBytesPerBlock);
    est.registersPerThread =
        std::max(est.registersPerThread, memberEstimate.registersPerThread);
    blocksPerSM = std::min(blocksPerSM, memberEstimate.blocksPerSM);
    if (op == group.root)
      est.threadsPerBlock = memberEstimate.threadsPerBlock;

    // Global traffic: inputs from outside the group, results leaving it.
    // The footprint lists the shaped operands only, in operand order.
    unsigned access = 0;
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<ShapedType>(operand.get().getType()))
        continue;
      unsigned index = access++;
      TracedAccess traced = traceThroughUnitReshapes(
          operand.get(), op.getMatchingIndexingMap(&operand));
      auto producer = dyn_cast<OpResult>(traced.source);
      bool internal = producer && inGroup.contains(producer.getOwner());
      bool read = op.payloadUsesValueFromOperand(&operand);
      double bytes = footprint.getTransactionBytes(index, loops.sizes,
                                                   transaction);
      // An input several members read is loaded once per block (its
      // largest tile among them).
      if (op.isDpsInput(&operand)) {
        if (read && !internal)
          inputBytes[traced.source] =
              std::max(inputBytes.lookup(traced.source), bytes);
        continue;
      }
      if (read && !internal && !isRecomputedInit(operand.get()))
        inputBytes[traced.source] =
            std::max(inputBytes.lookup(traced.source), bytes);
      if (escapes(op.getTiedOpResult(&operand)))
        blockGlobalBytes += bytes;
    }
  }

  for (auto &entry : inputBytes)
    blockGlobalBytes += entry.second;
  est.smemBytesPerBlock =
      static_cast<int64_t>(stagingSmem) + est.intermediateSmemBytes;
  if (est.smemBytesPerBlock > arch.getSmemPerBlock())
    return reject(llvm::formatv(
        "{0} bytes of shared memory per block ({1} for intermediates) exceed "
        "the arch's {2}",
        est.smemBytesPerBlock, est.intermediateSmemBytes,
        arch.getSmemPerBlock()));
  if (est.smemBytesPerBlock > 0)
    blocksPerSM = std::min(blocksPerSM,
                           arch.getSmemPerSM() / est.smemBytesPerBlock);
  est.blocksPerSM = blocksPerSM;
  if (est.blocksPerSM < 1)
    return reject("no block fits on an SM");
  // Waves of the group's grid (Roller: tp = peak * n / (ceil(n / N) * N))
  // and the DRAM derating of small grids, as CostModel::estimate does.
  int64_t concurrent = arch.getSms() * blocksPerSM;
  est.waves = llvm::divideCeil(est.gridBlocks, concurrent);
  double waveEfficiency =
      grid / static_cast<double>(est.waves * concurrent);
  double warpsPerBlock = static_cast<double>(
      llvm::divideCeil(est.threadsPerBlock, arch.getWarpSize()));
  double dramEfficiency = std::min(
      1.0, std::min(est.gridBlocks, concurrent) * warpsPerBlock /
               static_cast<double>(arch.getSms() *
                                   model.getSaturatingWarpsPerSM()));

  est.computeUs = computeAtFullWaves / waveEfficiency;
  est.globalBytes = grid * blockGlobalBytes;
  est.dramUs = est.globalBytes /
               (static_cast<double>(arch.getDramGBps()) * 1e3 * dramEfficiency);
  est.smemUs = (smemAtFullWaves +
                sharedTraffic / (arch.getSmemGBpsPerSM() * 1e3 *
                                 arch.getSms())) /
               waveEfficiency;
  est.timeUs = getBoundTime(est.computeUs, est.dramUs, est.smemUs, est.bound);
  return est;
}
