//===- TiledAnchor.cpp - A fused group through Roller's tiled kernel ------===//
//
// A Welder group around one contraction (matmul, batch_matmul, convolution)
// whose rtile.config's block tile is the group's output tile becomes Roller's
// tiled CUDA-core kernel of the contraction (RTileToGPU/TiledKernel.cpp:
// staged shared-memory tiles, register tiles, reduction steps), through its
// hooks: the members producing its inputs are computed while staging, the
// one producing its accumulator's initial value (fill, broadcast bias) when
// the accumulators are initialised, and the members after it (bias,
// activation, residual add) per register-tile point before the store.
//
//===----------------------------------------------------------------------===//

#include "../RTileToGPU/TiledKernel.h"
#include "GroupLowering.h"

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/OpFootprint.h"

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
    return "the rtile.config of " + name + " cannot drive its tiled kernel: " +
           invalid;
  Value init = anchor.op.getDpsInitOperand(0)->get();
  if (traceToRootBuffer(init).first != init)
    return name + " writes its result through a view";
  Member &root = group.members[group.root];
  FailureOr<SmallVector<int>> toRoot = matchDims(anchor.shape, root.shape);
  if (failed(toRoot))
    return "the group's output does not have the shape of the result of " +
           name;
  for (unsigned r = 0; r < outMap.getNumResults(); ++r) {
    unsigned loop = outMap.getDimPosition(r);
    auto *it = llvm::find(footprint.parallelLoops, loop);
    int64_t block = config.block[it - footprint.parallelLoops.begin()];
    if ((*toRoot)[r] >= 0 && block != group.tile[(*toRoot)[r]])
      return "the block tile of " + name + " (" + joinExtents(config.block) +
             ") is not the group's tile (" + joinExtents(group.tile) + ")";
  }
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
  int anchorIndex = -1;
  for (auto [i, member] : llvm::enumerate(group.members)) {
    if (member.isFill || member.op.getNumReductionLoops() == 0)
      continue;
    if (anchorIndex >= 0) {
      whyNot = "the tiled kernel takes one operation with reduction loops";
      return failure();
    }
    anchorIndex = i;
  }
  if (anchorIndex < 0)
    return failure();
  Member &anchor = group.members[anchorIndex];
  std::string name = "'" + anchor.op->getName().getStringRef().str() + "'";
  auto configAttr = anchor.op->getAttrOfType<rtile::ConfigAttr>(
      rtile::RTileDialect::kConfigAttrName);
  if (!configAttr) {
    whyNot = name + " has no rtile.config";
    return failure();
  }
  std::string reason;
  FailureOr<OpFootprint> footprint =
      OpFootprint::fromLinalgOp(anchor.op, reason);
  if (failed(footprint)) {
    whyNot = "no tiled kernel for " + name + ": " + reason;
    return failure();
  }
  TileConfig config = TileConfig::fromAttr(configAttr);
  whyNot = whyNotTiled(group, anchorIndex, *footprint, config, arch);
  if (!whyNot.empty())
    return failure();

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
  buildTiledKernel(rewriter, anchor.op, *footprint, config, hooks);

  int64_t blocks = 1;
  for (auto [extent, size] : llvm::zip_equal(root.shape, group.tile))
    blocks *= llvm::divideCeil(extent, size);
  summary = llvm::formatv("{0} operations through the tiled kernel of {1}, "
                          "{2} blocks of {3} threads, {4} bytes of shared "
                          "memory for its staged inputs",
                          group.members.size(), name, blocks,
                          config.getThreadsPerBlock(),
                          getTiledKernelSharedMemory(*footprint, config))
                .str();
  return success();
}
