//===- TiledAnchor.cpp - A fused group through Roller's tiled kernel ------===//
//
// A Welder group around one contraction (matmul, batch_matmul, convolution)
// becomes Roller's tiled CUDA-core kernel of the contraction
// (RTileToGPU/TiledKernel.cpp: staged shared-memory tiles, register tiles,
// reduction steps): with its rtile.config when that block tile is the
// group's output tile, else with the group's tile split into threads as the
// fused cost model priced it. Through the kernel's hooks, the members
// producing its inputs are computed while staging, the one producing its
// accumulator's initial value (fill, broadcast bias) when the accumulators
// are initialised, and the members after it (bias, activation, residual add)
// per register-tile point before the store.
//
// Other groups are one launch whose block computes its shared-level
// intermediates in turn (TileGraphToGPU.cpp). Those with reduction loops
// (matmuls, convolutions, row reductions), the element-wise ones computed
// from one register-level contraction at their own points (its epilogue),
// and such an output are computed there by the same tiled kernel, embedded
// in the launch with a block tile covering the member's box
// (planTiledMembers, emitTiledMember).
//
//===----------------------------------------------------------------------===//

#include "../RTileToGPU/TensorCore.h"
#include "../RTileToGPU/TiledKernel.h"
#include "GroupLowering.h"

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/FusedCost.h"
#include "HeavyMetal/Analysis/OpFootprint.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::welder_lowering;

namespace {

std::string joinExtents(ArrayRef<int64_t> extents) {
  return llvm::join(llvm::map_range(extents,
                                    [](int64_t e) { return std::to_string(e); }),
                    "x");
}

/// For each dimension of `from`, the dimension of `to` with the same extent
/// once unit dimensions are dropped from both (-1 for a unit dimension);
/// fails when the shapes differ in more than unit dimensions (BERT's
/// 128x768 matmul and its 1x128x768 epilogue match).
FailureOr<SmallVector<int>> matchDims(ArrayRef<int64_t> from,
                                      ArrayRef<int64_t> to) {
  SmallVector<int> nonUnit;
  for (auto [d, extent] : llvm::enumerate(to))
    if (extent != 1)
      nonUnit.push_back(d);
  SmallVector<int> match;
  size_t next = 0;
  for (int64_t extent : from) {
    if (extent == 1) {
      match.push_back(-1);
      continue;
    }
    if (next == nonUnit.size() || to[nonUnit[next]] != extent)
      return failure();
    match.push_back(nonUnit[next++]);
  }
  if (next != nonUnit.size())
    return failure();
  return match;
}

/// Whether `map` (the reader's loops to its producer's result, of shape
/// `shape`) reads the producer at the reader's own point.
bool readsOwnPoint(const Member &reader, AffineMap map,
                   ArrayRef<int64_t> shape) {
  FailureOr<SmallVector<int>> match = matchDims(shape, reader.shape);
  if (failed(match))
    return false;
  for (auto [r, expr] : llvm::enumerate(map.getResults())) {
    if ((*match)[r] < 0)
      continue; // A unit dimension: its only index is 0.
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim || static_cast<int>(dim.getPosition()) !=
                    reader.resultLoops[(*match)[r]])
      return false;
  }
  return true;
}

/// The box `sizes` of `root`'s result (`root` may be `member` itself, or a
/// member whose shape matches `member`'s up to unit dimensions) as a box of
/// `member`'s loops; the other loops whole (all of them when the shapes do
/// not match: the caller rejects such a pair).
TileBox getLoopBox(const Member &member, const OpFootprint &footprint,
                   ArrayRef<int64_t> sizes, const Member &root) {
  TileBox box = TileBox::getWhole(footprint.loopExtents);
  if (&member == &root) {
    for (auto [r, loop] : llvm::enumerate(member.resultLoops))
      if (loop >= 0)
        box.sizes[loop] = sizes[r];
    return box;
  }
  FailureOr<SmallVector<int>> toRoot = matchDims(member.shape, root.shape);
  if (failed(toRoot))
    return box;
  for (auto [r, loop] : llvm::enumerate(member.resultLoops))
    if (loop >= 0 && (*toRoot)[r] >= 0)
      box.sizes[loop] = sizes[(*toRoot)[r]];
  return box;
}

/// Why the tiled kernel of member `anchorIndex` cannot be the group's
/// kernel, or an empty string.
std::string whyNotTiled(Group &group, int anchorIndex,
                        const OpFootprint &footprint, const TileConfig &config,
                        rtile::ArchAttr arch) {
  Member &anchor = group.members[anchorIndex];
  std::string name = "'" + anchor.op->getName().getStringRef().str() + "'";
  AffineMap outMap =
      anchor.op.getMatchingIndexingMap(anchor.op.getDpsInitOperand(0));
  if (!outMap.isProjectedPermutation() ||
      outMap.getNumResults() != footprint.parallelLoops.size())
    return "the output of " + name + " does not use every parallel loop once";
  std::string invalid = verifyTiledKernelConfig(footprint, config, arch);
  if (!invalid.empty())
    return "the configuration of " + name + " cannot drive its tiled kernel: " +
           invalid;
  Value init = anchor.op.getDpsInitOperand(0)->get();
  if (traceToRootBuffer(init).first != init)
    return name + " writes its result through a view";
  Member &root = group.members[group.root];
  // (The configuration's block tile is the group's tile by construction:
  // getFusedConfig over the group's tile.)
  if (failed(matchDims(anchor.shape, root.shape)))
    return "the group's output does not have the shape of the result of " +
           name;
  // The members after the contraction: its element-wise epilogue, each
  // reading the contraction (and the epilogue) at its own point.
  for (int i = anchorIndex + 1, e = group.members.size(); i < e; ++i) {
    Member &member = group.members[i];
    if (member.isFill)
      continue;
    std::string memberName =
        "'" + member.op->getName().getStringRef().str() + "'";
    if (failed(matchDims(anchor.shape, member.shape)))
      return "the epilogue " + memberName + " does not have the shape of " +
             name + "'s result";
    for (const OperandSource &source : member.sources)
      if (source.producer >= anchorIndex &&
          !readsOwnPoint(member, source.map,
                         group.members[source.producer].shape))
        return "the epilogue " + memberName + " reads " + name +
               "'s result at other points";
  }
  return "";
}

} // namespace

LogicalResult welder_lowering::lowerThroughTiledAnchor(Group &group,
                                                       rtile::ArchAttr arch,
                                                       std::string &whyNot,
                                                       std::string &summary) {
  // The anchor: the one member with reduction loops. The others are
  // element-wise (recomputed where needed).
  int anchorIndex = -1, withReductions = 0;
  for (auto [i, member] : llvm::enumerate(group.members)) {
    if (member.isFill || member.op.getNumReductionLoops() == 0)
      continue;
    anchorIndex = i;
    ++withReductions;
  }
  if (withReductions > 1) {
    whyNot = llvm::formatv("{0} operations have reduction loops",
                           withReductions)
                 .str();
    return failure();
  }
  if (anchorIndex < 0)
    return failure();
  Member &anchor = group.members[anchorIndex];
  std::string name = "'" + anchor.op->getName().getStringRef().str() + "'";
  auto configAttr = anchor.op->getAttrOfType<rtile::ConfigAttr>(
      rtile::RTileDialect::kConfigAttrName);
  std::string reason;
  FailureOr<OpFootprint> footprint =
      OpFootprint::fromLinalgOp(anchor.op, reason);
  if (failed(footprint)) {
    whyNot = "no tiled kernel for " + name + ": " + reason;
    return failure();
  }
  // Roller's configuration when its block tile is the group's tile, else
  // the one the fused cost model priced the group with: the group's tile
  // split into threads (FusedCostModel::getMemberConfig).
  std::optional<TileConfig> separate;
  if (configAttr)
    separate = TileConfig::fromAttr(configAttr);
  CostModel model(arch);
  TileConfig config = FusedCostModel(model).getFusedConfig(
      *footprint,
      getLoopBox(anchor, *footprint, group.tile, group.members[group.root]),
      separate ? &*separate : nullptr, /*targetThreads=*/256,
      /*padToWarps=*/false);
  bool rollers = separate && config.block == separate->block;
  bool tensorCoreConfig = model.usesTensorCores(*footprint, config);
  whyNot = whyNotTiled(group, anchorIndex, *footprint, config, arch);
  if (!whyNot.empty())
    return failure();
  // A reduction with fewer outputs per tile than a warp has threads (a row
  // reduction over a tile of a few rows) is better split over a block's
  // threads, which the group's own launch does (planTiledMembers).
  if (!model.usesTensorCores(*footprint, config) &&
      config.getThreadsPerBlock() < arch.getWarpSize() &&
      getSplitReductionCombiner(anchor.op) &&
      llvm::all_of(config.thread, [](int64_t t) { return t == 1; })) {
    whyNot = llvm::formatv("its {0} outputs per tile are split over the "
                           "block's threads instead",
                           config.getThreadsPerBlock())
                 .str();
    return failure();
  }

  // The kernel goes where the group's output is written: the epilogue's
  // operands are defined there.
  Member &root = group.members[group.root];
  if (anchorIndex != group.root)
    anchor.op->moveBefore(root.op);
  OpBuilder builder(anchor.op);
  GroupEmitter emitter(builder, group);
  SmallVector<unsigned> operandNumbers;
  for (OpOperand &operand : anchor.op->getOpOperands())
    if (isa<ShapedType>(operand.get().getType()))
      operandNumbers.push_back(operand.getOperandNumber());
  // The value of operand `number` at `indices` from the member producing it.
  auto produced = [&](OpBuilder &b, unsigned number, ArrayRef<Value> indices) {
    emitter.setInsertionPoint(b);
    AffineMap toRoot =
        traceToRootBuffer(anchor.op->getOperand(number)).second;
    return emitter.valueAt(anchor.sources[number].producer,
                           emitter.applyMap(toRoot, indices));
  };
  TiledKernelHooks hooks;
  for (auto [operand, number] : llvm::enumerate(operandNumbers))
    if (anchor.sources[number].producer >= 0 &&
        !anchor.op.isDpsInit(&anchor.op->getOpOperand(number)))
      hooks.computedInputs.push_back(operand);
  hooks.loadInput = [&](OpBuilder &b, unsigned operand,
                        ArrayRef<Value> indices) {
    return produced(b, operandNumbers[operand], indices);
  };
  unsigned initNumber = anchor.op.getDpsInitOperand(0)->getOperandNumber();
  if (anchor.sources[initNumber].producer >= 0)
    hooks.initialOutput = [&](OpBuilder &b, ArrayRef<Value> indices) {
      return produced(b, initNumber, indices);
    };
  Value output = root.op.getDpsInitOperand(0)->get();
  // For each dimension of the group's output, the dimension of the
  // contraction's result it is (-1: a unit dimension).
  SmallVector<int> fromRoot = *matchDims(root.shape, anchor.shape);
  if (anchorIndex != group.root)
    hooks.storeOutput = [&](OpBuilder &b, ArrayRef<Value> indices,
                            Value value) {
      emitter.setInsertionPoint(b);
      emitter.anchor = anchorIndex;
      emitter.anchorValue = value;
      SmallVector<Value> coords;
      for (int d : fromRoot)
        coords.push_back(
            d < 0 ? arith::ConstantIndexOp::create(b, root.op.getLoc(), 0)
                        .getResult()
                  : indices[d]);
      Value result = emitter.computeAt(group.root, coords);
      memref::StoreOp::create(b, root.op.getLoc(), result, output, coords);
    };
  IRRewriter rewriter(anchor.op->getContext());
  // Roller's configuration on tensor cores: its tensor-core kernel with the
  // same hooks; otherwise (or when it cannot be built) the CUDA-core one.
  bool tensorCores =
      tensorCoreConfig &&
      succeeded(lowerToTensorCores(rewriter, anchor.op, *footprint, config,
                                   arch, &hooks));
  if (!tensorCores) {
    // A tensor-core kernel that could not be finished was erased, and with
    // it the values the hooks computed for it.
    emitter.forgetComputed();
    buildTiledKernel(rewriter, anchor.op, *footprint, config, hooks);
  }

  int64_t blocks = 1;
  for (auto [extent, size] : llvm::zip_equal(root.shape, group.tile))
    blocks *= llvm::divideCeil(extent, size);
  std::string origin = rollers ? "Roller's configuration"
                       : tensorCoreConfig
                           ? "Roller's tensor-core warp tiles over the "
                             "group's tile"
                           : "the group's tile split into threads";
  summary =
      tensorCores
          ? llvm::formatv("{0} operations through the tensor-core kernel of "
                          "{1}, {2} blocks; {3} (block {4} warp {5} step {6})",
                          group.members.size(), name, blocks, origin,
                          joinExtents(config.block), joinExtents(config.warp),
                          joinExtents(config.reduction))
                .str()
          : llvm::formatv("{0} operations through the tiled kernel of {1}, "
                          "{2} blocks of {3} threads, {4} bytes of shared "
                          "memory for its staged inputs; {5} (block {6} "
                          "thread {7} step {8})",
                          group.members.size(), name, blocks,
                          config.getThreadsPerBlock(),
                          getTiledKernelSharedMemory(*footprint, config),
                          origin, joinExtents(config.block),
                          joinExtents(config.thread),
                          joinExtents(config.reduction))
                .str();
  return success();
}

/// The one register-level member with reduction loops that `target`'s value
/// is computed from at `target`'s own points through element-wise members
/// (a contraction and its epilogue up to a shared-level intermediate or the
/// output), or -1.
static int findEpilogueAnchor(Group &group, int target) {
  // The register-level members `target` is computed from, and which of them
  // have reduction loops.
  SmallVector<int> cone = {target}, anchors;
  llvm::SmallDenseSet<int> seen = {target};
  for (size_t next = 0; next < cone.size(); ++next)
    for (const OperandSource &source : group.members[cone[next]].sources) {
      int p = source.producer;
      if (p < 0 || group.members[p].shared || group.members[p].isFill ||
          !seen.insert(p).second)
        continue;
      cone.push_back(p);
      if (group.members[p].op.getNumReductionLoops() != 0)
        anchors.push_back(p);
    }
  if (anchors.size() != 1)
    return -1;
  int anchor = anchors.front();
  // Everything computed from the anchor reads it at its own point.
  llvm::SmallDenseSet<int> fromAnchor = {anchor};
  llvm::sort(cone);
  for (int m : cone) {
    if (m == anchor)
      continue;
    const Member &member = group.members[m];
    for (const OperandSource &source : member.sources) {
      if (source.producer < 0 || !fromAnchor.contains(source.producer))
        continue;
      if (!readsOwnPoint(member, source.map,
                         group.members[source.producer].shape) ||
          failed(matchDims(group.members[anchor].shape, member.shape)))
        return -1;
      fromAnchor.insert(m);
    }
  }
  return fromAnchor.contains(target) ? anchor : -1;
}

/// A register-level member with reduction loops that member `index`'s
/// inputs are computed from (the tiled kernel would recompute it for every
/// staged element, where the per-point form computes it once per point), or
/// -1.
static int findRegisterReduction(Group &group, int index) {
  SmallVector<int> worklist = {index};
  llvm::SmallDenseSet<int> seen = {index};
  while (!worklist.empty()) {
    int m = worklist.pop_back_val();
    for (const OperandSource &source : group.members[m].sources) {
      int p = source.producer;
      if (p < 0 || group.members[p].shared || group.members[p].isFill ||
          !seen.insert(p).second)
        continue;
      if (group.members[p].op.getNumReductionLoops() != 0)
        return p;
      worklist.push_back(p);
    }
  }
  return -1;
}

int64_t welder_lowering::planTiledMembers(Group &group, rtile::ArchAttr arch,
                                          int64_t maxThreads,
                                          int64_t &threads,
                                          int64_t intermediateBytes,
                                          std::string &summary,
                                          std::string &whyNot) {
  CostModel model(arch);
  FusedCostModel fused(model);
  int64_t stagingOffset = llvm::alignTo(intermediateBytes, 16);
  int64_t stagingBytes = 0, launchThreads = threads;
  SmallVector<std::string> planned, notPlanned;
  for (auto [i, member] : llvm::enumerate(group.members)) {
    bool isRoot = static_cast<int>(i) == group.root;
    if (!member.hasBox || member.isFill || (!member.shared && !isRoot))
      continue;
    // The member itself when it has reduction loops, else the contraction
    // it is the epilogue of.
    int kernelIndex = i;
    if (member.op.getNumReductionLoops() == 0) {
      kernelIndex = findEpilogueAnchor(group, i);
      if (kernelIndex < 0)
        continue;
    }
    Member &kernelMember = group.members[kernelIndex];
    linalg::LinalgOp op = kernelMember.op;
    std::string name = "'" + op->getName().getStringRef().str() + "'";
    auto reject = [&](const std::string &why) {
      notPlanned.push_back(name + ": " + why);
    };
    if (int q = findRegisterReduction(group, kernelIndex); q >= 0) {
      reject("it reads the register-level reduction '" +
             group.members[q].op->getName().getStringRef().str() +
             "', which staging would recompute per element");
      continue;
    }
    std::string reason;
    FailureOr<OpFootprint> footprint = OpFootprint::fromLinalgOp(op, reason);
    if (failed(footprint)) {
      reject(reason);
      continue;
    }
    AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (outMap.getNumResults() != footprint->parallelLoops.size()) {
      reject("its output does not use every parallel loop once");
      continue;
    }
    TileConfig config = fused.getMemberConfig(
        *footprint, getLoopBox(kernelMember, *footprint, member.sizes, member),
        threads, /*padToWarps=*/false);
    // Inputs that are shared-level intermediates are read where they are.
    SmallVector<unsigned> readInPlace;
    unsigned shapedIndex = 0;
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<ShapedType>(operand.get().getType()))
        continue;
      int producer = kernelMember.sources[operand.getOperandNumber()].producer;
      if (producer >= 0 && !op.isDpsInit(&operand) &&
          group.members[producer].shared && producer != group.root)
        readInPlace.push_back(shapedIndex);
      ++shapedIndex;
    }
    // Shared memory past the intermediates: the staged inputs, then, for a
    // split reduction, one partial per thread.
    int64_t points = config.getThreadsPerBlock();
    int64_t partialBytes = footprint->operands.back().elementBytes;
    auto stagingOf = [&](const TileConfig &c, int64_t lanes) {
      int64_t bytes = getTiledKernelSharedMemory(*footprint, c, readInPlace);
      if (lanes > 1)
        bytes = llvm::alignTo(bytes, 16) +
                llvm::alignTo(points * lanes * partialBytes, 16);
      return bytes;
    };
    // Few outputs for the launch's threads (a row reduction over a box of
    // a few rows): threads split each output's reduction (Welder's
    // block-level reductions), each lane taking Roller's step of iterations
    // per step.
    int64_t lanes = 1;
    if (getSplitReductionCombiner(op) &&
        llvm::all_of(config.thread, [](int64_t t) { return t == 1; })) {
      int64_t extent = footprint->loopExtents[footprint->reductionLoops[0]];
      auto floorPowerOf2 = [](int64_t v) {
        return static_cast<int64_t>(
            llvm::bit_floor(static_cast<uint64_t>(std::max<int64_t>(v, 1))));
      };
      int64_t splitLanes = std::min(floorPowerOf2(maxThreads / points),
                                    floorPowerOf2(extent));
      TileConfig split = config;
      split.reduction[0] = std::min<int64_t>(
          splitLanes * config.reduction[0], llvm::alignTo(extent, splitLanes));
      if (splitLanes > 1 &&
          stagingOffset + stagingOf(split, splitLanes) <=
              arch.getSmemPerBlock()) {
        config = split;
        lanes = splitLanes;
      }
    }
    std::string invalid = verifyTiledKernelConfig(*footprint, config, arch);
    if (!invalid.empty()) {
      reject("for its box, " + invalid);
      continue;
    }
    int64_t staging = stagingOf(config, lanes);
    if (stagingOffset + staging > arch.getSmemPerBlock()) {
      reject(llvm::formatv("its staged inputs ({0} bytes) do not fit beside "
                           "the intermediates",
                           staging)
                 .str());
      continue;
    }
    stagingBytes = std::max(stagingBytes, staging);
    launchThreads =
        std::max(launchThreads, config.getThreadsPerBlock() * lanes);
    member.accumulatorTypes =
        getTiledKernelAccumulatorTypes(op, *footprint, config);
    member.scratchOffset = llvm::alignTo(
        getTiledKernelSharedMemory(*footprint, config, readInPlace), 16);
    member.inputsReadInPlace = readInPlace;
    member.footprint = std::make_shared<OpFootprint>(std::move(*footprint));
    member.config = config;
    member.reductionLanes = lanes;
    if (kernelIndex != static_cast<int>(i))
      member.tiledAnchor = kernelIndex;
    std::string description =
        llvm::formatv("{0} block {1} thread {2} step {3}", name,
                      joinExtents(config.block), joinExtents(config.thread),
                      joinExtents(config.reduction))
            .str();
    if (lanes > 1)
      description += llvm::formatv(" split over {0} threads per output", lanes);
    if (member.tiledAnchor >= 0)
      description += " with its epilogue up to '" +
                     member.op->getName().getStringRef().str() + "'";
    planned.push_back(description);
  }
  // Whole warps (threads past the register tiles help staging).
  threads = std::min<int64_t>(llvm::alignTo(launchThreads, arch.getWarpSize()),
                              std::max(launchThreads,
                                       arch.getMaxThreadsPerBlock()));
  summary = llvm::join(planned, ", ");
  whyNot = llvm::join(notPlanned, "; ");
  return stagingBytes;
}

void GroupEmitter::emitTiledMember(int index, Value sharedMemory,
                                   int64_t stagingOffset) {
  // `target` is computed whole by the block; `member` is the operation the
  // tiled kernel is built for: the target, or the contraction the target is
  // the epilogue of (then applied per point before the store).
  Member &target = group.members[index];
  int kernelIndex = target.tiledAnchor >= 0 ? target.tiledAnchor : index;
  Member &member = group.members[kernelIndex];
  linalg::LinalgOp op = member.op;
  const OpFootprint &footprint = *target.footprint;
  const TileConfig &config = target.config;
  bool isRoot = index == group.root;
  Location opLoc = op.getLoc();

  SmallVector<unsigned> operandNumbers;
  for (OpOperand &operand : op->getOpOperands())
    if (isa<ShapedType>(operand.get().getType()))
      operandNumbers.push_back(operand.getOperandNumber());
  // The value of operand `number` at `indices` from the member producing it.
  auto produced = [&](OpBuilder &nb, unsigned number,
                      ArrayRef<Value> indices) {
    setInsertionPoint(nb);
    AffineMap toRoot = traceToRootBuffer(op->getOperand(number)).second;
    return valueAt(member.sources[number].producer, applyMap(toRoot, indices));
  };
  TiledKernelHooks hooks;
  for (auto [operand, number] : llvm::enumerate(operandNumbers)) {
    int producer = member.sources[number].producer;
    if (producer < 0 || op.isDpsInit(&op->getOpOperand(number)))
      continue;
    hooks.computedInputs.push_back(operand);
  }
  hooks.inputsReadInPlace = target.inputsReadInPlace;
  hooks.loadInput = [&](OpBuilder &nb, unsigned operand,
                        ArrayRef<Value> indices) {
    return produced(nb, operandNumbers[operand], indices);
  };
  unsigned initNumber = op.getDpsInitOperand(0)->getOperandNumber();
  if (member.sources[initNumber].producer >= 0)
    hooks.initialOutput = [&](OpBuilder &nb, ArrayRef<Value> indices) {
      return produced(nb, initNumber, indices);
    };
  // Results go to the member's buffer (its box) or the group's output.
  Value init = op.getDpsInitOperand(0)->get();
  AffineMap toBuffer = traceToRootBuffer(init).second;
  // For each dimension of the target, the dimension of the kernel's result
  // it is (-1: a unit dimension).
  SmallVector<int> fromTarget;
  if (kernelIndex != index)
    fromTarget = *matchDims(target.shape, member.shape);
  hooks.storeOutput = [&](OpBuilder &nb, ArrayRef<Value> indices,
                          Value value) {
    setInsertionPoint(nb);
    SmallVector<Value> coords =
        kernelIndex == index && isRoot ? SmallVector<Value>(indices)
                                       : applyMap(toBuffer, indices);
    if (kernelIndex != index) {
      // The epilogue at this point, with the accumulator's value.
      SmallVector<Value> at;
      for (int d : fromTarget)
        at.push_back(d < 0 ? zero : coords[d]);
      anchor = kernelIndex;
      anchorValue = value;
      value = computeAt(index, at);
      anchor = -1;
      coords = at;
    }
    if (isRoot) {
      memref::StoreOp::create(b, opLoc, value,
                              target.op.getDpsInitOperand(0)->get(), coords);
      return;
    }
    SmallVector<Value> local;
    for (auto [coord, origin] : llvm::zip_equal(coords, target.lowerValues))
      local.push_back(arith::SubIOp::create(b, opLoc, coord, origin));
    memref::StoreOp::create(b, opLoc, value, target.buffer, local);
  };

  TiledKernelEmbedding embedding;
  embedding.threadId = threadId;
  embedding.threads =
      cast<arith::ConstantIndexOp>(numThreads.getDefiningOp()).value();
  // The box's origin per loop of the kernel: the target's, through the
  // dimensions the kernel's result shares with it.
  SmallVector<int> toTarget;
  if (kernelIndex != index)
    toTarget = *matchDims(member.shape, target.shape);
  for (unsigned loop : footprint.parallelLoops) {
    auto *it = llvm::find(member.resultLoops, static_cast<int>(loop));
    int r = it - member.resultLoops.begin();
    if (it != member.resultLoops.end() && kernelIndex != index)
      r = toTarget[r];
    if (it == member.resultLoops.end() || r < 0) {
      // A unit dimension (of the view the result is written through).
      embedding.origin.push_back(zero);
      embedding.originAlignment.push_back(1 << 20);
      continue;
    }
    embedding.origin.push_back(target.lowerValues[r]);
    int64_t alignment = target.originAlignment[r];
    embedding.originAlignment.push_back(alignment ? alignment : 1 << 20);
  }
  embedding.sharedMemory = sharedMemory;
  embedding.sharedOffset = stagingOffset;
  embedding.accumulators = target.accumulators;
  embedding.reductionLanes = target.reductionLanes;
  embedding.scratchOffset = target.scratchOffset;
  // Its own builder: the hooks move this emitter's to where they are called.
  OpBuilder kernelBuilder(b.getContext());
  kernelBuilder.setInsertionPoint(b.getInsertionBlock(), b.getInsertionPoint());
  buildTiledKernelInLaunch(kernelBuilder, op, footprint, config, hooks,
                           embedding);
  setInsertionPoint(kernelBuilder);
  forgetComputed();
}
