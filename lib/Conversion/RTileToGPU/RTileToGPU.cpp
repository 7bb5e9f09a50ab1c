//===- RTileToGPU.cpp - Tiled GPU kernels from Roller's configurations ----===//
//
// --convert-rtile-to-gpu: a linalg operation on buffers with an rtile.config
// becomes one gpu.launch following the configuration: block tiles over a 1-d
// grid, thread (register) tiles, staged inputs in padded workgroup memory one
// reduction step at a time, private accumulators. Experimental: checked
// under the GPU emulator, not yet run by a named pipeline.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Transforms/Passes.h"

#include "../../Transforms/RollerReport.h"
#include "TensorCore.h"

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/OpFootprint.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::hm {
#define GEN_PASS_DEF_CONVERTRTILETOGPU
#include "HeavyMetal/Transforms/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm;

#define DEBUG_TYPE "convert-rtile-to-gpu"

namespace {

/// Register tiles up to this many points are unrolled (their accumulators
/// then live in registers), and with them the reduction iterations of a step
/// while the unrolled bodies stay under kMaxUnrolledBodies.
constexpr int64_t kMaxUnrolledThreadPoints = 256;
constexpr int64_t kMaxUnrolledBodies = 256;

/// An input staged in workgroup memory: its buffer and, per dimension, the
/// index of the tile's first element for the current reduction step.
struct StagedInput {
  SmallVector<int64_t> extents;
  Value buffer;
  SmallVector<Value> base;
};

/// Builds the kernel of one configured operation.
class TiledKernelBuilder {
public:
  TiledKernelBuilder(linalg::LinalgOp op, const OpFootprint &footprint,
                     const TileConfig &config)
      : op(op), fp(footprint), config(config), loc(op.getLoc()) {}

  /// Replaces the operation by its gpu.launch.
  void build(RewriterBase &rewriter);

private:
  Value cst(OpBuilder &b, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  /// Result `result` of operand `operand`'s indexing map at `loops`.
  Value applyResult(OpBuilder &b, unsigned operand, unsigned result,
                    ValueRange loops) {
    AffineMap map = fp.operands[operand].indexingMap.getSubMap({result});
    return affine::AffineApplyOp::create(b, loc, map, loops);
  }
  /// Whether operand `operand` is staged by this lowering: Roller stages it
  /// and every index is linear with non-negative coefficients, so that the
  /// tile's first element is at the tile's origin.
  bool isStaged(unsigned operand) const;
  /// `a < bound` for each pair whose bound is not statically satisfied, and-ed
  /// (null when all are).
  Value inBounds(OpBuilder &b, ArrayRef<Value> values, ArrayRef<int64_t> bounds,
                 ArrayRef<bool> mayOverhang);
  /// Emits `body` under an scf.if on `condition` (directly when null).
  void guarded(OpBuilder &b, Value condition,
               function_ref<void(OpBuilder &)> body);
  /// Copies the staged inputs' tiles for the reduction step starting at
  /// `reductionOrigin` into workgroup memory.
  void stageInputs(OpBuilder &b, ArrayRef<Value> blockOrigin,
                   ArrayRef<Value> reductionOrigin);
  /// The payload at one iteration point: loads the inputs (from workgroup
  /// memory when staged), takes the outputs' current values from
  /// `outputValues`, clones the region and returns the yielded values.
  SmallVector<Value> computePoint(OpBuilder &b, ArrayRef<Value> loops,
                                  ArrayRef<Value> outputValues);
  /// All loops' values from the parallel and reduction ones.
  SmallVector<Value> loopValues(ArrayRef<Value> parallel,
                                ArrayRef<Value> reduction) const;

  /// Unrolls the loops over a thread's register tile (and over the
  /// reduction iterations of a step, while the result stays small), so that
  /// the private accumulators become registers.
  void unrollRegisterTiles(ArrayRef<scf::ForOp> threadLoops,
                           ArrayRef<scf::ForOp> stepLoops);

  linalg::LinalgOp op;
  const OpFootprint &fp;
  const TileConfig &config;
  Location loc;
  Value threadId, numThreads;
  SmallVector<StagedInput> staged; // One per operand; empty buffer if not.
};

bool TiledKernelBuilder::isStaged(unsigned operand) const {
  const OperandAccess &access = fp.operands[operand];
  if (!access.staged)
    return false;
  return llvm::all_of(access.coefficients, [](const auto &c) {
    return c && llvm::all_of(*c, [](int64_t v) { return v >= 0; });
  });
}

Value TiledKernelBuilder::inBounds(OpBuilder &b, ArrayRef<Value> values,
                                   ArrayRef<int64_t> bounds,
                                   ArrayRef<bool> mayOverhang) {
  Value all;
  for (auto [value, bound, overhang] :
       llvm::zip_equal(values, bounds, mayOverhang)) {
    if (!overhang)
      continue;
    Value lt = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, value,
                                     cst(b, bound));
    all = all ? arith::AndIOp::create(b, loc, all, lt).getResult() : lt;
  }
  return all;
}

void TiledKernelBuilder::guarded(OpBuilder &b, Value condition,
                                 function_ref<void(OpBuilder &)> body) {
  if (!condition) {
    body(b);
    return;
  }
  auto ifOp = scf::IfOp::create(b, loc, condition, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  body(b);
}

SmallVector<Value>
TiledKernelBuilder::loopValues(ArrayRef<Value> parallel,
                               ArrayRef<Value> reduction) const {
  SmallVector<Value> loops(fp.getNumLoops());
  for (auto [l, v] : llvm::zip_equal(fp.parallelLoops, parallel))
    loops[l] = v;
  for (auto [l, v] : llvm::zip_equal(fp.reductionLoops, reduction))
    loops[l] = v;
  return loops;
}

void TiledKernelBuilder::stageInputs(OpBuilder &b, ArrayRef<Value> blockOrigin,
                                     ArrayRef<Value> reductionOrigin) {
  SmallVector<Value> origin = loopValues(blockOrigin, reductionOrigin);
  for (unsigned operand = 0; operand < staged.size(); ++operand) {
    StagedInput &input = staged[operand];
    if (!input.buffer)
      continue;
    Value source = op->getOperand(operand);
    ArrayRef<int64_t> shape = fp.operands[operand].shape;
    input.base.clear();
    for (unsigned d = 0; d < input.extents.size(); ++d)
      input.base.push_back(applyResult(b, operand, d, origin));
    int64_t elements = 1;
    for (int64_t e : input.extents)
      elements *= e;
    // for (l = tid; l < elements; l += threads): tile[l] = source[base + l].
    auto loop =
        scf::ForOp::create(b, loc, threadId, cst(b, elements), numThreads);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    SmallVector<OpFoldResult> basis =
        llvm::map_to_vector(input.extents, [&](int64_t e) -> OpFoldResult {
          return b.getIndexAttr(e);
        });
    auto coords = affine::AffineDelinearizeIndexOp::create(
        b, loc, loop.getInductionVar(), basis, /*hasOuterBound=*/true);
    SmallVector<Value> global;
    for (auto [base, c] : llvm::zip_equal(input.base, coords.getResults()))
      global.push_back(arith::AddIOp::create(b, loc, base, c));
    SmallVector<bool> overhang(shape.size(), true);
    guarded(b, inBounds(b, global, shape, overhang), [&](OpBuilder &b) {
      Value v = memref::LoadOp::create(b, loc, source, global);
      memref::StoreOp::create(b, loc, v, input.buffer, coords.getResults());
    });
  }
}

SmallVector<Value>
TiledKernelBuilder::computePoint(OpBuilder &b, ArrayRef<Value> loops,
                                 ArrayRef<Value> outputValues) {
  Block *body = op.getBlock();
  IRMapping mapping;
  unsigned output = 0;
  for (OpOperand &operand : op->getOpOperands()) {
    BlockArgument arg = op.getMatchingBlockArgument(&operand);
    unsigned number = operand.getOperandNumber();
    if (op.isDpsInit(&operand)) {
      // Null when the payload does not read the output.
      if (Value current = outputValues[output++])
        mapping.map(arg, current);
      continue;
    }
    Value source = operand.get();
    if (!isa<ShapedType>(source.getType())) { // A scalar input.
      mapping.map(arg, source);
      continue;
    }
    if (!op.payloadUsesValueFromOperand(&operand))
      continue;
    unsigned rank = fp.operands[number].indexingMap.getNumResults();
    SmallVector<Value> indices;
    for (unsigned d = 0; d < rank; ++d) {
      Value index = applyResult(b, number, d, loops);
      if (staged[number].buffer)
        index = arith::SubIOp::create(b, loc, index, staged[number].base[d]);
      indices.push_back(index);
    }
    Value from = staged[number].buffer ? staged[number].buffer : source;
    mapping.map(arg, memref::LoadOp::create(b, loc, from, indices));
  }
  for (Operation &inner : body->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), loops[index.getDim()]);
      continue;
    }
    b.clone(inner, mapping);
  }
  return llvm::map_to_vector(
      body->getTerminator()->getOperands(),
      [&](Value v) { return mapping.lookupOrDefault(v); });
}

void TiledKernelBuilder::build(RewriterBase &rewriter) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  OpBuilder &b = rewriter;
  size_t numParallel = fp.parallelLoops.size();
  SmallVector<int64_t> gridDims, threadDims, parallelExtents, reductionExtents;
  SmallVector<bool> parallelOverhang, reductionOverhang;
  for (auto [index, l] : llvm::enumerate(fp.parallelLoops)) {
    int64_t extent = fp.loopExtents[l];
    parallelExtents.push_back(extent);
    gridDims.push_back(llvm::divideCeil(extent, config.block[index]));
    threadDims.push_back(config.block[index] / config.thread[index]);
    parallelOverhang.push_back(extent % config.block[index] != 0);
  }
  for (auto [index, l] : llvm::enumerate(fp.reductionLoops)) {
    reductionExtents.push_back(fp.loopExtents[l]);
    reductionOverhang.push_back(fp.loopExtents[l] % config.reduction[index] !=
                                0);
  }
  int64_t grid = 1, threads = 1;
  for (int64_t g : gridDims)
    grid *= g;
  for (int64_t t : threadDims)
    threads *= t;

  // Workgroup buffers of the staged inputs (one reduction step, padded), and
  // private accumulators of the outputs when there are reduction loops.
  SmallVector<int64_t> stepTile =
      fp.getLoopTile(config.block, config.reduction);
  auto workgroup = gpu::AddressSpaceAttr::get(
      b.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace());
  auto privateSpace = gpu::AddressSpaceAttr::get(
      b.getContext(), gpu::GPUDialect::getPrivateAddressSpace());
  SmallVector<Type> workgroupTypes, privateTypes;
  staged.assign(fp.operands.size(), StagedInput());
  for (unsigned i = 0; i < fp.operands.size(); ++i) {
    if (!isStaged(i))
      continue;
    fp.getTileExtents(i, stepTile, staged[i].extents);
    SmallVector<int64_t> padded = staged[i].extents;
    padded.back() += config.padding;
    workgroupTypes.push_back(MemRefType::get(padded, fp.operands[i].elementType,
                                             MemRefLayoutAttrInterface(),
                                             workgroup));
  }
  bool hasReduction = !fp.reductionLoops.empty();
  SmallVector<scf::ForOp> threadLoops, stepLoops;
  SmallVector<unsigned> outputs;
  for (unsigned i = 0; i < fp.operands.size(); ++i)
    if (fp.operands[i].isOutput)
      outputs.push_back(i);
  if (hasReduction)
    for (unsigned i : outputs)
      privateTypes.push_back(
          MemRefType::get(config.thread, fp.operands[i].elementType,
                          MemRefLayoutAttrInterface(), privateSpace));

  Value one = cst(b, 1);
  auto launch = gpu::LaunchOp::create(
      b, loc, cst(b, grid), one, one, cst(b, threads), one, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/ValueRange(), workgroupTypes, privateTypes);
  Block &kernel = launch.getBody().front();
  b.setInsertionPointToStart(&kernel);
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&kernel);
  unsigned nextBuffer = 0;
  for (StagedInput &input : staged)
    if (!input.extents.empty())
      input.buffer = launch.getWorkgroupAttributions()[nextBuffer++];
  threadId = launch.getThreadIds().x;
  numThreads = cst(b, threads);

  // Block and thread coordinates over the tiles; each thread owns
  // thread[p] contiguous points per parallel loop.
  auto delinearize = [&](Value linear, ArrayRef<int64_t> dims) {
    SmallVector<OpFoldResult> basis = llvm::map_to_vector(
        dims, [&](int64_t e) -> OpFoldResult { return b.getIndexAttr(e); });
    return affine::AffineDelinearizeIndexOp::create(b, loc, linear, basis,
                                                    /*hasOuterBound=*/true)
        .getResults();
  };
  SmallVector<Value> blockOrigin, threadOrigin;
  for (auto [p, pair] : llvm::enumerate(
           llvm::zip_equal(delinearize(launch.getBlockIds().x, gridDims),
                           delinearize(threadId, threadDims)))) {
    auto [blockCoord, threadCoord] = pair;
    Value origin =
        arith::MulIOp::create(b, loc, blockCoord, cst(b, config.block[p]));
    blockOrigin.push_back(origin);
    threadOrigin.push_back(arith::AddIOp::create(
        b, loc, origin,
        arith::MulIOp::create(b, loc, threadCoord, cst(b, config.thread[p]))));
  }

  // Runs `body` for every point of this thread's register tile that lies in
  // the iteration space, with the tile coordinates and the point.
  auto forEachThreadPoint =
      [&](function_ref<void(OpBuilder &, ValueRange, ArrayRef<Value>)> body) {
        SmallVector<Value> lbs(numParallel, cst(b, 0)), steps(numParallel, one);
        SmallVector<Value> ubs = llvm::map_to_vector(
            config.thread, [&](int64_t t) { return cst(b, t); });
        scf::LoopNest nest = scf::buildLoopNest(
            b, loc, lbs, ubs, steps,
            [&](OpBuilder &nb, Location, ValueRange tile) {
              SmallVector<Value> point;
              for (auto [origin, offset] : llvm::zip_equal(threadOrigin, tile))
                point.push_back(arith::AddIOp::create(nb, loc, origin, offset));
              guarded(nb,
                      inBounds(nb, point, parallelExtents, parallelOverhang),
                      [&](OpBuilder &gb) { body(gb, tile, point); });
            });
        threadLoops.append(nest.loops.begin(), nest.loops.end());
      };
  auto outputIndices = [&](OpBuilder &nb, unsigned operand,
                           ArrayRef<Value> loops) {
    unsigned rank = fp.operands[operand].indexingMap.getNumResults();
    SmallVector<Value> indices;
    for (unsigned d = 0; d < rank; ++d)
      indices.push_back(applyResult(nb, operand, d, loops));
    return indices;
  };

  if (!hasReduction) {
    if (!workgroupTypes.empty()) {
      stageInputs(b, blockOrigin, {});
      gpu::BarrierOp::create(b, loc);
    }
    forEachThreadPoint([&](OpBuilder &nb, ValueRange, ArrayRef<Value> point) {
      SmallVector<Value> loops = loopValues(point, {});
      SmallVector<Value> current;
      for (unsigned i : outputs) {
        if (!fp.operands[i].isRead) {
          current.push_back(Value());
          continue;
        }
        current.push_back(memref::LoadOp::create(nb, loc, op->getOperand(i),
                                                 outputIndices(nb, i, loops)));
      }
      for (auto [i, v] :
           llvm::zip_equal(outputs, computePoint(nb, loops, current)))
        memref::StoreOp::create(nb, loc, v, op->getOperand(i),
                                outputIndices(nb, i, loops));
    });
    rewriter.eraseOp(op);
    unrollRegisterTiles(threadLoops, {});
    return;
  }

  // Accumulators: initialised from the outputs, written back at the end.
  ValueRange accumulators = launch.getPrivateAttributions();
  forEachThreadPoint(
      [&](OpBuilder &nb, ValueRange tile, ArrayRef<Value> point) {
        SmallVector<Value> loops = loopValues(
            point, SmallVector<Value>(fp.reductionLoops.size(), cst(nb, 0)));
        for (auto [i, acc] : llvm::zip_equal(outputs, accumulators)) {
          Value v = memref::LoadOp::create(nb, loc, op->getOperand(i),
                                           outputIndices(nb, i, loops));
          memref::StoreOp::create(nb, loc, v, acc, tile);
        }
      });

  // for each reduction step: stage, barrier, accumulate, barrier.
  SmallVector<Value> stepLbs(fp.reductionLoops.size(), cst(b, 0));
  SmallVector<Value> stepUbs = llvm::map_to_vector(
      reductionExtents, [&](int64_t e) { return cst(b, e); });
  SmallVector<Value> stepSteps = llvm::map_to_vector(
      config.reduction, [&](int64_t r) { return cst(b, r); });
  scf::buildLoopNest(
      b, loc, stepLbs, stepUbs, stepSteps,
      [&](OpBuilder &sb, Location, ValueRange stepOrigin) {
        SmallVector<Value> reductionOrigin(stepOrigin.begin(),
                                           stepOrigin.end());
        stageInputs(sb, blockOrigin, reductionOrigin);
        gpu::BarrierOp::create(sb, loc);
        forEachThreadPoint([&](OpBuilder &nb, ValueRange tile,
                               ArrayRef<Value> point) {
          SmallVector<Value> zeros(fp.reductionLoops.size(), cst(nb, 0));
          SmallVector<Value> ubs = llvm::map_to_vector(
              config.reduction, [&](int64_t r) { return cst(nb, r); });
          SmallVector<Value> ones(fp.reductionLoops.size(), cst(nb, 1));
          scf::LoopNest stepNest = scf::buildLoopNest(
              nb, loc, zeros, ubs, ones,
              [&](OpBuilder &rb, Location, ValueRange offsets) {
                SmallVector<Value> reduction;
                for (auto [origin, offset] :
                     llvm::zip_equal(reductionOrigin, offsets))
                  reduction.push_back(
                      arith::AddIOp::create(rb, loc, origin, offset));
                guarded(
                    rb,
                    inBounds(rb, reduction, reductionExtents,
                             reductionOverhang),
                    [&](OpBuilder &gb) {
                      SmallVector<Value> current;
                      for (Value acc : accumulators)
                        current.push_back(
                            memref::LoadOp::create(gb, loc, acc, tile));
                      SmallVector<Value> loops = loopValues(point, reduction);
                      for (auto [acc, v] : llvm::zip_equal(
                               accumulators, computePoint(gb, loops, current)))
                        memref::StoreOp::create(gb, loc, v, acc, tile);
                    });
              });
          stepLoops.append(stepNest.loops.begin(), stepNest.loops.end());
        });
        gpu::BarrierOp::create(sb, loc);
      });

  forEachThreadPoint(
      [&](OpBuilder &nb, ValueRange tile, ArrayRef<Value> point) {
        SmallVector<Value> loops = loopValues(
            point, SmallVector<Value>(fp.reductionLoops.size(), cst(nb, 0)));
        for (auto [i, acc] : llvm::zip_equal(outputs, accumulators)) {
          Value v = memref::LoadOp::create(nb, loc, acc, tile);
          memref::StoreOp::create(nb, loc, v, op->getOperand(i),
                                  outputIndices(nb, i, loops));
        }
      });
  rewriter.eraseOp(op);
  unrollRegisterTiles(threadLoops, stepLoops);
}

void TiledKernelBuilder::unrollRegisterTiles(ArrayRef<scf::ForOp> threadLoops,
                                             ArrayRef<scf::ForOp> stepLoops) {
  int64_t threadPoints = 1, stepPoints = 1;
  for (int64_t t : config.thread)
    threadPoints *= t;
  for (int64_t r : config.reduction)
    stepPoints *= r;
  if (threadPoints > kMaxUnrolledThreadPoints)
    return;
  // Innermost loops first, so that unrolling an outer loop copies unrolled
  // bodies.
  if (threadPoints * stepPoints <= kMaxUnrolledBodies)
    for (scf::ForOp loop : llvm::reverse(stepLoops))
      (void)loopUnrollFull(loop);
  for (scf::ForOp loop : llvm::reverse(threadLoops))
    (void)loopUnrollFull(loop);
}

/// Why `op` cannot be lowered here, or an empty string.
std::string getUnsupportedReason(const OpFootprint &footprint) {
  for (const OperandAccess &access : footprint.operands) {
    if (!access.isOutput)
      continue;
    // Each thread point owns one element of every output.
    if (!access.indexingMap.isProjectedPermutation() ||
        access.indexingMap.getNumResults() != footprint.parallelLoops.size())
      return "an output does not use every parallel loop exactly once";
  }
  return "";
}

struct ConvertRTileToGPU final
    : hm::impl::ConvertRTileToGPUBase<ConvertRTileToGPU> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(rtile::RTileDialect::kConfigAttrName) &&
          !op->getParentOfType<gpu::LaunchOp>())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      auto config = op->getAttrOfType<rtile::ConfigAttr>(
          rtile::RTileDialect::kConfigAttrName);
      std::string whyNot;
      if (!op.hasPureBufferSemantics())
        whyNot = "it still operates on tensors; bufferize first";
      FailureOr<OpFootprint> footprint = failure();
      if (whyNot.empty())
        footprint = OpFootprint::fromLinalgOp(op, whyNot);
      if (succeeded(footprint))
        whyNot = getUnsupportedReason(*footprint);
      if (!whyNot.empty()) {
        if (remarks)
          op->emitRemark() << "convert-rtile-to-gpu: left alone: " << whyNot;
        continue;
      }
      TileConfig tileConfig = TileConfig::fromAttr(config);
      rtile::ArchAttr arch = roller::getNearestArch(op);
      if (arch && succeeded(lowerToTensorCores(rewriter, op, *footprint,
                                               tileConfig, arch)))
        continue;
      TiledKernelBuilder(op, *footprint, tileConfig).build(rewriter);
    }
  }
};

} // namespace
