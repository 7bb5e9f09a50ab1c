//===- CostModel.cpp - Roller's micro-performance model -------------------===//
//
// Predicts a tiled kernel's time from compute, DRAM and shared-memory
// throughput with occupancy, wave quantisation, coalescing, small-grid and
// bank-conflict derating. docs/CostModel.md derives every formula.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Analysis/CostModel.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::hm;

/// Registers every thread needs besides its tiles: indices, addresses, loop
/// counters and predicates.
static constexpr int64_t kOverheadRegisters = 24;
/// A staged copy of at most this many loads per thread is straight-line
/// code (TiledKernel.cpp's kMaxUnrolledCopies), each load holding this many
/// registers (a 64-bit address, the value, its predicate); loads of up to
/// kMaxLoadBytes.
static constexpr int64_t kMaxStraightLineLoads = 8;
static constexpr int64_t kRegistersPerStagedLoad = 6;
/// A vector load's rows are contiguous: consecutive loads share a base
/// address (immediate offsets), so only the 64-bit base per load counts.
static constexpr int64_t kRegistersPerVectorStagedLoad = 2;
static constexpr int64_t kMaxLoadBytes = 16;
/// Registers of an unrolled reduction per value of its register tile, in
/// tenths (1.4; docs/CostModel.md).
static constexpr int64_t kReductionRegisterTenths = 14;
/// Tensor-core kernels (TensorCore.cpp), per lane: a 16x16 f32 accumulator
/// fragment is 8 registers, a 16x16 f16/bf16 input fragment 4; besides the
/// accumulators and one k-slice of input fragments, ptxas keeps about 48
/// registers of fragment addresses, the next slice's first fragments and the
/// im2col copy's indices (ptxas -v, sm_90, the suite's f16 kernels).
static constexpr int64_t kAccumulatorFragmentRegisters = 8;
static constexpr int64_t kInputFragmentRegisters = 4;
static constexpr int64_t kTensorCoreOverheadRegisters = 48;
/// bf16 runs on nvvm.mma.sync (MmaSync.cpp): each lane computes its fragment
/// addresses and keeps the A and B registers of a whole step's slices; on
/// ptxas -v (sm_90, CUDA 13) its kernels took 46 to over 90 registers more
/// than the WMMA estimate above (1x1 NCHW convs with 64x64 warp tiles:
/// estimated 168, 255 with spills).
static constexpr int64_t kMmaSyncExtraRegisters = 96;
/// Registers are allocated per thread in multiples of 8, per warp in
/// multiples of 256.
static constexpr int64_t kRegisterGranularity = 8;
static constexpr int64_t kWarpRegisterGranularity = 256;
/// Tensor-core fragments (mma.sync m16n8k16 and wmma) need multiples of 16.
static constexpr int64_t kTensorCoreAlignment = 16;

static int64_t product(ArrayRef<int64_t> values) {
  int64_t p = 1;
  for (int64_t v : values)
    p *= v;
  return p;
}

//===----------------------------------------------------------------------===//
// TileConfig
//===----------------------------------------------------------------------===//

TileConfig TileConfig::fromAttr(rtile::ConfigAttr attr) {
  TileConfig config;
  config.block.assign(attr.getBlock().begin(), attr.getBlock().end());
  config.warp.assign(attr.getWarp().begin(), attr.getWarp().end());
  config.thread.assign(attr.getThread().begin(), attr.getThread().end());
  config.reduction.assign(attr.getReduction().begin(),
                          attr.getReduction().end());
  config.padding = attr.getPadding();
  config.vector = attr.getVector();
  config.doubleBuffer = attr.getDoubleBuffer();
  return config;
}

rtile::ConfigAttr TileConfig::toAttr(MLIRContext *context) const {
  // Callers only build configurations that verify; should one not, the
  // verifier's message is reported and the result is null.
  return rtile::ConfigAttr::getChecked(
      [context] { return emitError(UnknownLoc::get(context)); }, context,
      ArrayRef<int64_t>(block), ArrayRef<int64_t>(warp),
      ArrayRef<int64_t>(thread), ArrayRef<int64_t>(reduction), padding, vector,
      doubleBuffer);
}

int64_t TileConfig::getThreadsPerBlock() const {
  int64_t threads = 1;
  for (auto [b, t] : llvm::zip_equal(block, thread))
    threads *= t > 0 ? b / t : 0;
  return threads;
}

bool TileConfig::operator==(const TileConfig &other) const {
  return block == other.block && warp == other.warp && thread == other.thread &&
         reduction == other.reduction && padding == other.padding &&
         vector == other.vector && doubleBuffer == other.doubleBuffer;
}

llvm::raw_ostream &mlir::hm::operator<<(llvm::raw_ostream &os,
                                        const TileConfig &config) {
  auto printList = [&](StringRef key, ArrayRef<int64_t> values) {
    os << key << " = [";
    llvm::interleaveComma(values, os);
    os << "]";
  };
  printList("block", config.block);
  if (!config.warp.empty())
    printList(", warp", config.warp);
  printList(", thread", config.thread);
  if (!config.reduction.empty())
    printList(", reduction", config.reduction);
  if (config.padding != 0)
    os << ", padding = " << config.padding;
  if (config.vector != 1)
    os << ", vector = " << config.vector;
  if (config.doubleBuffer)
    os << ", double_buffer";
  return os;
}

StringRef mlir::hm::stringifyBound(Bound bound) {
  switch (bound) {
  case Bound::Compute:
    return "compute";
  case Bound::DRAM:
    return "DRAM";
  case Bound::SharedMemory:
    return "shared-memory";
  }
  llvm_unreachable("unknown bound");
}

//===----------------------------------------------------------------------===//
// CostModel
//===----------------------------------------------------------------------===//

CostModel::CostModel(rtile::ArchAttr arch) : arch(arch) {}

int64_t CostModel::getSaturatingWarpsPerSM() const {
  return 2 * arch.getSubPartitions();
}

int64_t CostModel::getBankConflictDegree(int64_t rowBytes, int64_t rows) const {
  // A warp reads one column: lane r reads the word at r * rowBytes. Words in
  // the same bank are serialised; lanes reading the same word share it.
  int64_t lanes = std::min<int64_t>(rows, arch.getWarpSize());
  int64_t banks = arch.getSmemBanks();
  SmallVector<SmallVector<int64_t, 4>> wordsPerBank(banks);
  int64_t degree = 1;
  for (int64_t r = 0; r < lanes; ++r) {
    int64_t word = r * rowBytes / 4;
    SmallVector<int64_t, 4> &words = wordsPerBank[word % banks];
    if (!llvm::is_contained(words, word))
      words.push_back(word);
    degree = std::max<int64_t>(degree, words.size());
  }
  return degree;
}

double CostModel::getBlockGlobalBytes(const OpFootprint &op,
                                      ArrayRef<int64_t> block,
                                      ArrayRef<int64_t> reduction,
                                      ArrayRef<int64_t> warp) const {
  SmallVector<int64_t> stepTile = op.getLoopTile(block, reduction);
  SmallVector<int64_t> warpStepTile;
  int64_t warpsPerBlock = 1;
  if (!warp.empty()) {
    warpStepTile = op.getLoopTile(warp, reduction);
    warpsPerBlock = product(block) / product(warp);
  }
  int64_t steps = 1;
  for (auto [index, l] : llvm::enumerate(op.reductionLoops))
    steps *= llvm::divideCeil(op.loopExtents[l], reduction[index]);
  int64_t transaction = arch.getTransactionBytes();
  double bytes = 0;
  for (unsigned i = 0; i < op.operands.size(); ++i) {
    const OperandAccess &access = op.operands[i];
    if (!access.isRead && !access.isOutput)
      continue;
    double tile =
        access.staged || warp.empty()
            ? op.getTransactionBytes(i, stepTile, transaction)
            : static_cast<double>(warpsPerBlock) *
                  op.getTransactionBytes(i, warpStepTile, transaction);
    if (!access.isOutput)
      bytes += tile * steps;
    else
      bytes += access.isRead ? 2 * tile : tile;
  }
  return bytes;
}

int64_t CostModel::getSmemBytesPerBlock(const OpFootprint &op,
                                        const TileConfig &config) const {
  SmallVector<int64_t> stepTile =
      op.getLoopTile(config.block, config.reduction);
  SmallVector<int64_t, 6> extents;
  int64_t bytes = 0;
  for (unsigned i = 0; i < op.operands.size(); ++i) {
    const OperandAccess &access = op.operands[i];
    if (!access.staged)
      continue;
    op.getTileExtents(i, stepTile, extents);
    int64_t elements = 1;
    for (auto [d, e] : llvm::enumerate(extents))
      elements *= d + 1 == extents.size() ? e + config.padding : e;
    bytes += elements * access.elementBytes;
  }
  return config.doubleBuffer ? 2 * bytes : bytes;
}

/// Registers holding a thread's input values for one reduction iteration
/// (all of its inputs for an operation without reduction): packed four
/// bytes a register, or one register per value (`onePerValue`, what the
/// CUDA-core lowering compiles to for 16-bit types).
static int64_t getInputRegisters(const OpFootprint &op,
                                 ArrayRef<int64_t> thread, bool onePerValue) {
  SmallVector<int64_t> reductionOnes(op.reductionLoops.size(), 1);
  SmallVector<int64_t> registerTile = op.getLoopTile(thread, reductionOnes);
  int64_t registers = 0;
  for (unsigned i = 0; i < op.operands.size(); ++i) {
    const OperandAccess &access = op.operands[i];
    if (access.isOutput || !access.isRead)
      continue;
    int64_t elements = op.getTileElements(i, registerTile);
    registers += onePerValue
                     ? elements * llvm::divideCeil(access.elementBytes, 4)
                     : llvm::divideCeil(elements * access.elementBytes, 4);
  }
  return registers;
}

int64_t CostModel::getRegistersPerThread(const OpFootprint &op,
                                         const TileConfig &config) const {
  int64_t threadPoints = 1;
  for (int64_t t : config.thread)
    threadPoints *= t;
  // Accumulators / results of the thread's register tile.
  int64_t outputBytes = 4;
  for (const OperandAccess &access : op.operands)
    if (access.isOutput) {
      outputBytes = access.elementBytes;
      break;
    }
  // The tensor-core lowering accumulates in f32 whatever the output type.
  if (isTensorCoreOp(op))
    outputBytes = std::max<int64_t>(outputBytes, 4);
  int64_t registers = llvm::divideCeil(threadPoints * outputBytes, 4);
  // Input values held per reduction iteration (all of the thread's inputs
  // for an operation without reduction).
  registers += getInputRegisters(op, config.thread, /*onePerValue=*/false);
  registers += kOverheadRegisters;
  return llvm::alignTo(registers, kRegisterGranularity);
}

/// The warp tile's extent over the A (row), B (column) and batch loops of a
/// matmul-like operation.
static std::tuple<int64_t, int64_t, int64_t>
getWarpTileExtents(const OpFootprint &op, const TileConfig &config) {
  int64_t rows = 1, columns = 1, batch = 1;
  for (auto [index, l] : llvm::enumerate(op.parallelLoops)) {
    if (op.loopRoles[l] == LoopRole::A)
      rows *= config.warp[index];
    else if (op.loopRoles[l] == LoopRole::B)
      columns *= config.warp[index];
    else if (op.loopRoles[l] == LoopRole::Batch)
      batch *= config.warp[index];
  }
  return {rows, columns, batch};
}

int64_t CostModel::getCompiledRegistersPerThread(
    const OpFootprint &op, const TileConfig &config) const {
  if (usesTensorCores(op, config)) {
    // The warp's accumulator fragments and one k-slice of its A and B
    // fragments (per batch point of the warp tile), plus what the copies and
    // the fragment addresses hold.
    auto [rows, columns, batch] = getWarpTileExtents(op, config);
    int64_t rowFragments = llvm::divideCeil(rows, kTensorCoreAlignment);
    int64_t columnFragments = llvm::divideCeil(columns, kTensorCoreAlignment);
    int64_t registers =
        batch * (rowFragments * columnFragments * kAccumulatorFragmentRegisters +
                 (rowFragments + columnFragments) * kInputFragmentRegisters) +
        kTensorCoreOverheadRegisters;
    if (op.computeType && op.computeType.isBF16())
      registers += kMmaSyncExtraRegisters;
    return llvm::alignTo(registers, kRegisterGranularity);
  }
  // On CUDA cores the lowering computes element by element: a 16-bit value
  // holds a 32-bit register of its own (ptxas packs no halves), so the tile's
  // values are counted one register each, whatever getRegistersPerThread
  // assumes for occupancy.
  int64_t threadPoints = 1;
  for (int64_t t : config.thread)
    threadPoints *= t;
  int64_t registers =
      threadPoints + getInputRegisters(op, config.thread, /*onePerValue=*/true);
  // The allocation granularity of getRegistersPerThread, as calibrated.
  registers = llvm::alignTo(registers + kOverheadRegisters,
                            kRegisterGranularity) -
              kOverheadRegisters;
  // Calibrated against ptxas -v (sm_90, CUDA 13) on the suite's kernels
  // compiled without a thread bound: an unrolled reduction holds each value
  // about 1.4 times over (the staged tile's shared-memory addresses, 64-bit,
  // and the next iteration's values loaded ahead of the arithmetic).
  if (!op.reductionLoops.empty())
    registers = llvm::divideCeil(registers * kReductionRegisterTenths, 10);
  // Staged copies of a few loads per thread are straight-line code: each
  // load keeps a loop-invariant 64-bit global address and its value live
  // (the lowering's width: up to 16 bytes dividing the tile's innermost
  // extent).
  int64_t threads = config.getThreadsPerBlock();
  if (threads > 0 && op.hasStagedInputs()) {
    SmallVector<int64_t> stepTile =
        op.getLoopTile(config.block, config.reduction);
    SmallVector<int64_t, 6> extents;
    for (unsigned i = 0; i < op.operands.size(); ++i) {
      const OperandAccess &access = op.operands[i];
      if (!access.staged || access.isOutput)
        continue;
      op.getTileExtents(i, stepTile, extents);
      int64_t width = kMaxLoadBytes / access.elementBytes;
      while (width > 1 && (extents.back() % width != 0 ||
                           access.shape.back() % width != 0))
        width /= 2;
      int64_t loads =
          llvm::divideCeil(product(extents) / width, threads);
      if (loads <= kMaxStraightLineLoads)
        registers += loads * (width > 1 ? kRegistersPerVectorStagedLoad
                                        : kRegistersPerStagedLoad);
    }
  }
  registers += kOverheadRegisters;
  return llvm::alignTo(registers, kRegisterGranularity);
}

int64_t CostModel::getMaxRegistersPerThread(int64_t threadsPerBlock) const {
  // ptxas bounds a kernel declared with .maxntid N by the register file over
  // N rounded up to warp size x sub-partitions (measured: 448 threads get
  // 128 registers, 352 get 168), per thread a multiple of 8, at most 255.
  int64_t granule = arch.getWarpSize() * arch.getSubPartitions();
  int64_t threads = llvm::alignTo(std::max<int64_t>(threadsPerBlock, 1),
                                  granule);
  int64_t perThread = llvm::alignDown(arch.getRegsPerBlock() / threads,
                                      kRegisterGranularity);
  return std::min<int64_t>(perThread, arch.getMaxRegsPerThread());
}

double mlir::hm::getBoundTime(double computeUs, double dramUs, double smemUs,
                              Bound &bound) {
  double time = computeUs;
  bound = Bound::Compute;
  if (dramUs > time) {
    time = dramUs;
    bound = Bound::DRAM;
  }
  if (smemUs > time) {
    time = smemUs;
    bound = Bound::SharedMemory;
  }
  return time;
}

bool CostModel::isTensorCoreOp(const OpFootprint &op) const {
  // f16 and bf16 multiply-accumulates, on archs whose rate for the type
  // beats f32 (sm_70 has f16 tensor cores only: its bf16 rate is 0). The
  // lowering emits WMMA for f16 and nvvm.mma.sync for bf16
  // (docs/TensorCores.md).
  return op.tensorCoreCandidate && op.computeType &&
         arch.getPeakGFlops(op.computeType) > arch.getFp32GFlops();
}

bool CostModel::usesTensorCores(const OpFootprint &op,
                                const TileConfig &config) const {
  if (!isTensorCoreOp(op) || config.warp.size() != config.block.size())
    return false;
  auto [aExtent, bExtent, batch] = getWarpTileExtents(op, config);
  int64_t reductionExtent = 1;
  for (int64_t r : config.reduction)
    reductionExtent *= r;
  return aExtent % kTensorCoreAlignment == 0 &&
         bExtent % kTensorCoreAlignment == 0 &&
         reductionExtent % kTensorCoreAlignment == 0;
}

CostEstimate CostModel::estimate(const OpFootprint &op,
                                 const TileConfig &config) const {
  CostEstimate est;
  auto reject = [&](std::string why) {
    est.fits = false;
    est.whyNot = std::move(why);
    return est;
  };
  size_t numParallel = op.parallelLoops.size();
  if (config.block.size() != numParallel ||
      config.thread.size() != numParallel ||
      (!config.warp.empty() && config.warp.size() != numParallel) ||
      config.reduction.size() != op.reductionLoops.size())
    return reject(llvm::formatv("the configuration does not match the "
                                "operation's {0} parallel and {1} reduction "
                                "loops",
                                numParallel, op.reductionLoops.size()));
  for (auto [b, t] : llvm::zip_equal(config.block, config.thread))
    if (t <= 0 || b % t != 0)
      return reject("a thread extent does not divide its block extent");

  // Launch shape.
  est.threadsPerBlock = config.getThreadsPerBlock();
  est.gridBlocks = 1;
  for (auto [index, l] : llvm::enumerate(op.parallelLoops))
    est.gridBlocks *= llvm::divideCeil(op.loopExtents[l], config.block[index]);
  est.reductionSteps = 1;
  int64_t reductionPoints = 1; // Reduction iterations, padding included.
  for (auto [index, l] : llvm::enumerate(op.reductionLoops)) {
    int64_t steps =
        llvm::divideCeil(op.loopExtents[l], config.reduction[index]);
    est.reductionSteps *= steps;
    reductionPoints *= steps * config.reduction[index];
  }
  int64_t blockPoints = 1;
  for (int64_t b : config.block)
    blockPoints *= b;

  // Resources of one block.
  int64_t warpSize = arch.getWarpSize();
  est.smemBytesPerBlock = getSmemBytesPerBlock(op, config);
  est.registersPerThread = getRegistersPerThread(op, config);
  est.tensorCores = usesTensorCores(op, config);
  if (est.threadsPerBlock % warpSize != 0 ||
      est.threadsPerBlock > arch.getMaxThreadsPerBlock())
    return reject(llvm::formatv("{0} threads per block is not a multiple of "
                                "{1} up to {2}",
                                est.threadsPerBlock, warpSize,
                                arch.getMaxThreadsPerBlock()));
  if (est.smemBytesPerBlock > arch.getSmemPerBlock())
    return reject(llvm::formatv("{0} bytes of shared memory per block exceed "
                                "the arch's {1}",
                                est.smemBytesPerBlock, arch.getSmemPerBlock()));
  if (est.registersPerThread > arch.getMaxRegsPerThread())
    return reject(llvm::formatv("an estimated {0} registers per thread exceed "
                                "the arch's {1}",
                                est.registersPerThread,
                                arch.getMaxRegsPerThread()));
  int64_t warpsPerBlock = est.threadsPerBlock / warpSize;
  int64_t registersPerWarp = llvm::alignTo(est.registersPerThread * warpSize,
                                           kWarpRegisterGranularity);
  if (registersPerWarp * warpsPerBlock > arch.getRegsPerBlock())
    return reject(llvm::formatv("{0} registers per block exceed the arch's {1}",
                                registersPerWarp * warpsPerBlock,
                                arch.getRegsPerBlock()));
  est.compiledRegistersPerThread = getCompiledRegistersPerThread(op, config);
  if (est.compiledRegistersPerThread >
      getMaxRegistersPerThread(est.threadsPerBlock))
    return reject(llvm::formatv("an estimated {0} registers per thread in the "
                                "compiled kernel exceed the {1} that ptxas "
                                "gives {2} threads",
                                est.compiledRegistersPerThread,
                                getMaxRegistersPerThread(est.threadsPerBlock),
                                est.threadsPerBlock));

  // Occupancy: the tightest of the four per-SM limits.
  struct Limit {
    int64_t blocks;
    StringRef name;
  };
  Limit limits[] = {
      {est.smemBytesPerBlock > 0 ? arch.getSmemPerSM() / est.smemBytesPerBlock
                                 : INT64_MAX,
       "shared memory"},
      {arch.getRegsPerSM() / (registersPerWarp * warpsPerBlock), "registers"},
      {arch.getMaxThreadsPerSM() / est.threadsPerBlock, "threads"},
      {arch.getMaxBlocksPerSM(), "blocks"}};
  const Limit *tightest =
      llvm::min_element(limits, [](const Limit &a, const Limit &b) {
        return a.blocks < b.blocks;
      });
  est.blocksPerSM = tightest->blocks;
  est.occupancyLimiter = tightest->name;
  if (est.blocksPerSM < 1)
    return reject("no block fits on an SM");

  // Waves: tp = peak * n / (ceil(n / N) * N).
  int64_t sms = arch.getSms();
  int64_t concurrentBlocks = sms * est.blocksPerSM;
  est.waves = llvm::divideCeil(est.gridBlocks, concurrentBlocks);
  est.waveEfficiency = static_cast<double>(est.gridBlocks) /
                       static_cast<double>(est.waves * concurrentBlocks);
  est.issueEfficiency =
      std::min(1.0, static_cast<double>(est.blocksPerSM * warpsPerBlock) /
                        static_cast<double>(arch.getSubPartitions()));

  // Compute: GFLOP/s x 1e3 = flop per microsecond.
  est.peakGFlops = est.tensorCores
                       ? static_cast<double>(arch.getPeakGFlops(op.computeType))
                       : static_cast<double>(arch.getFp32GFlops());
  est.flops = static_cast<double>(est.gridBlocks) * blockPoints *
              reductionPoints * op.flopsPerPoint;
  est.computeUs = est.flops / (est.peakGFlops * 1e3) /
                  (est.waveEfficiency * est.issueEfficiency);

  // Global memory: each block loads its inputs' tiles once per reduction
  // step and writes (and, when the payload reads it, first reads) its
  // output tile once.
  SmallVector<int64_t> stepTile =
      op.getLoopTile(config.block, config.reduction);
  double blockBytes =
      getBlockGlobalBytes(op, config.block, config.reduction, config.warp);
  est.globalBytes = blockBytes * est.gridBlocks;
  // Compulsory: every byte an operand must move once — its whole tensor,
  // or what the blocks touch when that is less (strided windows skip rows).
  SmallVector<int64_t> reductionExtents;
  for (unsigned l : op.reductionLoops)
    reductionExtents.push_back(op.loopExtents[l]);
  SmallVector<int64_t> blockSpan =
      op.getLoopTile(config.block, reductionExtents);
  for (auto [i, access] : llvm::enumerate(op.operands)) {
    if (!access.isOutput && !access.isRead)
      continue;
    double elements = std::min(static_cast<double>(product(access.shape)),
                               static_cast<double>(est.gridBlocks) *
                                   op.getTileElements(i, blockSpan));
    int64_t copies = access.isOutput && access.isRead ? 2 : 1;
    est.compulsoryBytes += copies * elements * access.elementBytes;
  }
  // DRAM is saturated only with enough resident warps on every SM; a wave
  // with fewer gets a proportional share of the bandwidth.
  double dramBytesPerUs = static_cast<double>(arch.getDramGBps()) * 1e3;
  auto dramEfficiency = [&](int64_t blocks) {
    return std::min(1.0,
                    static_cast<double>(blocks * warpsPerBlock) /
                        static_cast<double>(sms * getSaturatingWarpsPerSM()));
  };
  int64_t fullWaves = est.gridBlocks / concurrentBlocks;
  int64_t tailBlocks = est.gridBlocks % concurrentBlocks;
  est.dramEfficiency =
      dramEfficiency(std::min(est.gridBlocks, concurrentBlocks));
  est.dramUs = fullWaves * concurrentBlocks * blockBytes /
               (dramBytesPerUs * dramEfficiency(concurrentBlocks));
  if (tailBlocks > 0)
    est.dramUs +=
        tailBlocks * blockBytes / (dramBytesPerUs * dramEfficiency(tailBlocks));

  // Shared memory: per step, each staged tile is written once and, for each
  // reduction iteration of the step, every thread reads what its register
  // tile needs (a broadcast to several lanes still costs the warp a full
  // access); on tensor cores every warp loads its fragments once. Column
  // reads pay the bank conflicts.
  if (op.hasStagedInputs()) {
    SmallVector<int64_t> reductionOnes(op.reductionLoops.size(), 1);
    bool perWarp = est.tensorCores;
    SmallVector<int64_t> readTile =
        op.getLoopTile(perWarp ? config.warp : config.thread, reductionOnes);
    int64_t readers =
        perWarp ? blockPoints / product(config.warp) : est.threadsPerBlock;
    int64_t stepIterations = 1;
    for (int64_t r : config.reduction)
      stepIterations *= r;
    SmallVector<int64_t, 6> extents;
    double weightedBytesPerStep = 0, bytesPerStep = 0;
    for (unsigned i = 0; i < op.operands.size(); ++i) {
      const OperandAccess &access = op.operands[i];
      if (!access.staged)
        continue;
      op.getTileExtents(i, stepTile, extents);
      int64_t elements = 1;
      for (int64_t e : extents)
        elements *= e;
      double writes = static_cast<double>(elements) * access.elementBytes;
      double reads = static_cast<double>(readers) *
                     op.getTileElements(i, readTile) * access.elementBytes *
                     stepIterations;
      int64_t rowBytes =
          (extents.empty() ? 1 : extents.back() + config.padding) *
          access.elementBytes;
      int64_t rows = extents.size() >= 2 ? extents[extents.size() - 2] : 1;
      int64_t degree = getBankConflictDegree(rowBytes, rows);
      est.bankConflictDegree = std::max(est.bankConflictDegree, degree);
      bytesPerStep += writes + reads;
      weightedBytesPerStep += writes + reads * degree;
    }
    double blocksSteps =
        static_cast<double>(est.gridBlocks) * est.reductionSteps;
    est.smemBytes = bytesPerStep * blocksSteps;
    double smemBytesPerUs = arch.getSmemGBpsPerSM() * 1e3 * sms;
    est.smemUs = weightedBytesPerStep * blocksSteps /
                 (smemBytesPerUs * est.waveEfficiency);
  }

  // The slowest level decides; ties go to compute.
  est.timeUs = getBoundTime(est.computeUs, est.dramUs, est.smemUs, est.bound);

  double bestPeak = static_cast<double>(arch.getFp32GFlops());
  if (isTensorCoreOp(op))
    bestPeak = std::max(
        bestPeak, static_cast<double>(arch.getPeakGFlops(op.computeType)));
  est.rooflineUs = std::max(static_cast<double>(op.getNumPoints()) *
                                op.flopsPerPoint / (bestPeak * 1e3),
                            est.compulsoryBytes / dramBytesPerUs);
  return est;
}

void mlir::hm::printCostEstimate(llvm::raw_ostream &os,
                                 const CostEstimate &est) {
  if (!est.fits) {
    os << "  fits: no (" << est.whyNot << ")\n";
    return;
  }
  os << llvm::formatv("  grid: {0} blocks x {1} threads, {2} reduction "
                      "steps\n",
                      est.gridBlocks, est.threadsPerBlock, est.reductionSteps);
  os << llvm::formatv("  resources: {0} B shared memory/block, {1} "
                      "registers/thread ({2} compiled)\n",
                      est.smemBytesPerBlock, est.registersPerThread,
                      est.compiledRegistersPerThread);
  os << llvm::formatv("  occupancy: {0} blocks/SM (limited by {1}), {2} "
                      "waves, wave efficiency {3:F4}, issue efficiency "
                      "{4:F4}\n",
                      est.blocksPerSM, est.occupancyLimiter, est.waves,
                      est.waveEfficiency, est.issueEfficiency);
  os << llvm::formatv("  compute: {0:F0} flop at {1:F0} GFLOP/s ({2}): "
                      "{3:F3} us\n",
                      est.flops, est.peakGFlops,
                      est.tensorCores ? "tensor cores" : "CUDA cores",
                      est.computeUs);
  os << llvm::formatv("  global: {0:F0} B (compulsory {1:F0} B), DRAM "
                      "efficiency {2:F4}: {3:F3} us\n",
                      est.globalBytes, est.compulsoryBytes, est.dramEfficiency,
                      est.dramUs);
  os << llvm::formatv("  shared: {0:F0} B, bank conflicts {1}-way: {2:F3} "
                      "us\n",
                      est.smemBytes, est.bankConflictDegree, est.smemUs);
  os << llvm::formatv("  time: {0:F3} us, {1}-bound (roofline {2:F3} us)\n",
                      est.timeUs, stringifyBound(est.bound), est.rooflineUs);
}
