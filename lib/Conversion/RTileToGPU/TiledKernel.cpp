//===- TiledKernel.cpp - CUDA-core kernels for configured ops -------------===//
//
// One gpu.launch per configured operation:
//
//   grid: one block per block tile (1-d, delinearized over the parallel loops)
//   block: block / thread threads; thread t owns thread[p] points per
//     parallel loop, contiguous except along the last parallel loop, where
//     it owns chunks of `vector` contiguous points strided by the block's
//     threads along that loop (consecutive threads on consecutive chunks, so
//     that output stores coalesce)
//   staged inputs: copied cooperatively from global memory (vector loads of
//     16 bytes where the tile, the buffer and the offsets are aligned) into
//     padded workgroup memory, one reduction step at a time; double buffered
//     when the config asks for it (the next step is copied into the other
//     buffer before the current step's compute, one barrier per step)
//   reduction: for each step, for each reduction iteration of the step, the
//     register tile's points (unrolled: private accumulators in registers,
//     each staged value loaded once per iteration)
//
// TiledKernelStaging.cpp holds the set-up and the staged copies;
// TiledKernelHooks (TiledKernel.h) let a caller compute inputs, the initial
// output and the stores (Welder's fused groups: element-wise prologues and
// epilogues around the tiled contraction).
//
//===----------------------------------------------------------------------===//

#include "TiledKernelImpl.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::tiled;

namespace mlir::hm::tiled {

SmallVector<Value> TiledKernel::computePoint(OpBuilder &b,
                                             ArrayRef<Value> loops,
                                             ArrayRef<Value> outputValues,
                                             ArrayRef<Value> inputValues) {
  Block *body = op.getBlock();
  IRMapping mapping;
  unsigned output = 0, number = 0;
  for (OpOperand &operand : op->getOpOperands()) {
    BlockArgument arg = op.getMatchingBlockArgument(&operand);
    if (!isa<ShapedType>(operand.get().getType())) { // A scalar input.
      mapping.map(arg, operand.get());
      continue;
    }
    unsigned i = number++;
    if (op.isDpsInit(&operand)) {
      // Null when the payload does not read the output.
      if (Value current = outputValues[output++])
        mapping.map(arg, current);
      continue;
    }
    if (!op.payloadUsesValueFromOperand(&operand))
      continue;
    if (!inputValues.empty() && inputValues[i]) {
      mapping.map(arg, inputValues[i]);
      continue;
    }
    SmallVector<Value> indices = operandIndices(b, i, loops);
    if (stagedIndex[i] < 0 && isComputedInput(i)) {
      mapping.map(arg, hooks.loadInput(b, i, indices));
      continue;
    }
    Value from = getBuffer(i);
    if (int s = stagedIndex[i]; s >= 0) {
      for (auto [index, base] : llvm::zip_equal(indices, computeBase[s]))
        index = arith::SubIOp::create(b, loc, index, base);
      if (computeBuffer)
        indices.insert(indices.begin(), computeBuffer);
      from = staged[s].buffer;
    }
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

void TiledKernel::forEachThreadPoint(
    OpBuilder &b, int64_t groupWidth,
    function_ref<void(OpBuilder &, ArrayRef<Value>, ArrayRef<Value>)> body) {
  size_t numParallel = fp.parallelLoops.size();
  SmallVector<Value> lbs(numParallel, cst(b, 0)), steps(numParallel, cst(b, 1));
  SmallVector<Value> ubs = llvm::map_to_vector(
      config.thread, [&](int64_t t) { return cst(b, t); });
  steps.back() = cst(b, groupWidth);
  // Along the last loop, tile offset j is at j mod V + (j floordiv V) * T * V
  // from the thread's origin (T threads along the loop, V = vectorWidth).
  AffineExpr j = getAffineDimExpr(0, b.getContext());
  AffineMap chunkMap = AffineMap::get(
      1, 0, j % vectorWidth + j.floorDiv(vectorWidth) *
                                  (threadDims.back() * vectorWidth));
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, [&](OpBuilder &nb, Location, ValueRange tile) {
        SmallVector<Value> point;
        for (auto [p, pair] :
             llvm::enumerate(llvm::zip_equal(threadOrigin, tile))) {
          auto [origin, offset] = pair;
          if (p + 1 == numParallel)
            offset = affine::AffineApplyOp::create(nb, loc, chunkMap, offset);
          point.push_back(arith::AddIOp::create(nb, loc, origin, offset));
        }
        SmallVector<Value> tileCoords(tile.begin(), tile.end());
        guarded(nb,
                andOf(nb, active,
                      inBounds(nb, point, parallelExtents, parallelOverhang)),
                [&](OpBuilder &gb) { body(gb, tileCoords, point); });
      });
  threadLoops.append(nest.loops.begin(), nest.loops.end());
}

void TiledKernel::prepareStaging(MLIRContext *ctx) {
  // The staged inputs' buffers.
  auto workgroup = gpu::AddressSpaceAttr::get(
      ctx, gpu::GPUDialect::getWorkgroupAddressSpace());
  SmallVector<SmallVector<int64_t>> shapes = getStagedShapes(fp, config);
  SmallVector<int64_t> stepTile =
      fp.getLoopTile(config.block, config.reduction);
  stagedIndex.assign(fp.operands.size(), -1);
  for (unsigned i = 0; i < fp.operands.size(); ++i) {
    if (shapes[i].empty() || llvm::is_contained(hooks.inputsReadInPlace, i))
      continue;
    StagedInput input;
    input.operand = i;
    fp.getTileExtents(i, stepTile, input.extents);
    input.bufferShape = shapes[i];
    if (doubleBuffer)
      input.bufferShape.insert(input.bufferShape.begin(), 2);
    input.width = getLoadWidth(i, input.extents);
    int64_t elements = 1;
    for (int64_t e : input.extents)
      elements *= e;
    input.loads = elements / input.width;
    input.loadsPerThread = llvm::divideCeil(input.loads, stagingThreads);
    stagedIndex[i] = staged.size();
    staged.push_back(input);
    workgroupTypes.push_back(MemRefType::get(input.bufferShape,
                                             fp.operands[i].elementType,
                                             MemRefLayoutAttrInterface(),
                                             workgroup));
  }
  int64_t sharedBytes = 0;
  for (Type type : workgroupTypes) {
    auto memref = cast<MemRefType>(type);
    byteOffsets.push_back(sharedBytes);
    sharedBytes += llvm::alignTo(memref.getNumElements() *
                                     memref.getElementTypeBitWidth() / 8,
                                 kSharedAlignment);
  }
}

void TiledKernel::setOrigins(OpBuilder &b, ArrayRef<Value> blockCoords) {
  auto delinearize = [&](Value linear, ArrayRef<int64_t> dims) {
    SmallVector<OpFoldResult> basis = llvm::map_to_vector(
        dims, [&](int64_t e) -> OpFoldResult { return b.getIndexAttr(e); });
    return affine::AffineDelinearizeIndexOp::create(b, loc, linear, basis,
                                                    /*hasOuterBound=*/true)
        .getResults();
  };
  size_t numParallel = fp.parallelLoops.size();
  for (auto [p, threadCoord] :
       llvm::enumerate(delinearize(pointThreadId, threadDims))) {
    // Block origins: given (embedded), else block coordinate x block tile.
    if (blockOrigin.size() <= p)
      blockOrigin.push_back(arith::MulIOp::create(
          b, loc, blockCoords[p], cst(b, config.block[p])));
    int64_t stride = p + 1 == numParallel ? vectorWidth : config.thread[p];
    threadOrigin.push_back(arith::AddIOp::create(
        b, loc, blockOrigin[p],
        arith::MulIOp::create(b, loc, threadCoord, cst(b, stride))));
  }
}

void TiledKernel::build(RewriterBase &rewriter) {
  OpBuilder::InsertionGuard insertionGuard(rewriter);
  rewriter.setInsertionPoint(op);
  OpBuilder &b = rewriter;
  MLIRContext *ctx = b.getContext();
  int64_t grid = 1, threads = config.getThreadsPerBlock();
  for (int64_t g : gridDims)
    grid *= g;
  prepareStaging(ctx);
  auto workgroup = gpu::AddressSpaceAttr::get(
      ctx, gpu::GPUDialect::getWorkgroupAddressSpace());
  int64_t sharedBytes = getTiledKernelSharedMemory(fp, config);
  bool dynamicShared = sharedBytes > kStaticSharedMemoryLimit;
  SmallVector<Type> privateTypes = getTiledKernelAccumulatorTypes(
      op, fp, config);

  Value one = cst(b, 1);
  Value dynamicSize;
  if (dynamicShared)
    dynamicSize = arith::ConstantIntOp::create(b, loc, sharedBytes, 32);
  auto launch = gpu::LaunchOp::create(
      b, loc, cst(b, grid), one, one, cst(b, threads), one, one, dynamicSize,
      /*asyncTokenType=*/nullptr, /*asyncDependencies=*/ValueRange(),
      dynamicShared ? TypeRange() : TypeRange(workgroupTypes), privateTypes);
  Block &kernel = launch.getBody().front();
  b.setInsertionPointToStart(&kernel);
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&kernel);
  if (dynamicShared) {
    // Over 48 KiB: views into the launch's dynamic shared memory.
    Value raw = gpu::DynamicSharedMemoryOp::create(
        b, loc,
        MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                        MemRefLayoutAttrInterface(), workgroup));
    for (auto [input, type, offset] :
         llvm::zip_equal(staged, workgroupTypes, byteOffsets))
      input.buffer = memref::ViewOp::create(b, loc, type, raw,
                                            cst(b, offset), ValueRange());
  } else {
    for (auto [input, buffer] :
         llvm::zip_equal(staged, launch.getWorkgroupAttributions()))
      input.buffer = buffer;
  }
  threadId = pointThreadId = launch.getThreadIds().x;
  numThreads = cst(b, threads);
  SmallVector<OpFoldResult> gridBasis = llvm::map_to_vector(
      gridDims, [&](int64_t e) -> OpFoldResult { return b.getIndexAttr(e); });
  auto blockCoords = affine::AffineDelinearizeIndexOp::create(
      b, loc, launch.getBlockIds().x, gridBasis, /*hasOuterBound=*/true);
  setOrigins(b, SmallVector<Value>(blockCoords.getResults()));
  emitBody(b, launch.getPrivateAttributions());
}

void TiledKernel::buildInLaunch(OpBuilder &b,
                                const TiledKernelEmbedding &embedding) {
  // Any origin: every point is checked against the operation's extents.
  parallelOverhang.assign(parallelOverhang.size(), true);
  stagingThreads = embedding.threads;
  for (auto [p, l] : llvm::enumerate(fp.parallelLoops))
    originSteps[l] = embedding.originAlignment[p];
  prepareStaging(b.getContext());
  for (auto [input, type, offset] :
       llvm::zip_equal(staged, workgroupTypes, byteOffsets))
    input.buffer = memref::ViewOp::create(
        b, loc, type, embedding.sharedMemory,
        cst(b, embedding.sharedOffset + offset), ValueRange());
  threadId = pointThreadId = embedding.threadId;
  numThreads = cst(b, embedding.threads);
  int64_t threads = config.getThreadsPerBlock();
  if (embedding.reductionLanes > 1) {
    // Thread t works on register tile t / lanes, lane t mod lanes.
    lanes = embedding.reductionLanes;
    combiner = getSplitReductionCombiner(op);
    lane = arith::RemUIOp::create(b, loc, threadId, cst(b, lanes));
    pointThreadId = arith::DivUIOp::create(b, loc, threadId, cst(b, lanes));
    // The partials have the (one) output's element type.
    Type accType = llvm::find_if(fp.operands, [](const OperandAccess &a) {
                     return a.isOutput;
                   })->elementType;
    scratch = memref::ViewOp::create(
        b, loc,
        MemRefType::get({threads * lanes}, accType,
                        MemRefLayoutAttrInterface(),
                        gpu::AddressSpaceAttr::get(
                            b.getContext(),
                            gpu::GPUDialect::getWorkgroupAddressSpace())),
        embedding.sharedMemory,
        cst(b, embedding.sharedOffset + embedding.scratchOffset),
        ValueRange());
  }
  if (embedding.threads > threads * lanes || lanes > 1)
    active = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                   pointThreadId, cst(b, threads));
  blockOrigin.assign(embedding.origin.begin(), embedding.origin.end());
  setOrigins(b, {});
  emitBody(b, embedding.accumulators);
}

void TiledKernel::emitBody(OpBuilder &b, ValueRange accumulators) {
  size_t numReduction = fp.reductionLoops.size();
  bool hasReduction = numReduction != 0;
  SmallVector<unsigned> outputs;
  for (unsigned i = 0; i < fp.operands.size(); ++i)
    if (fp.operands[i].isOutput)
      outputs.push_back(i);
  Value one = cst(b, 1);
  auto delinearize = [&](Value linear, ArrayRef<int64_t> dims) {
    SmallVector<OpFoldResult> basis = llvm::map_to_vector(
        dims, [&](int64_t e) -> OpFoldResult { return b.getIndexAttr(e); });
    return affine::AffineDelinearizeIndexOp::create(b, loc, linear, basis,
                                                    /*hasOuterBound=*/true)
        .getResults();
  };

  // Writes `values` (one per point of a group of `width` points starting at
  // `point`) to output `i`.
  auto storeOutput = [&](OpBuilder &nb, unsigned i, ArrayRef<Value> point,
                         ArrayRef<Value> values) {
    SmallVector<Value> loops = loopValues(
        point, SmallVector<Value>(numReduction, cst(nb, 0)));
    if (hooks.storeOutput) {
      for (auto [v, value] : llvm::enumerate(values)) {
        SmallVector<Value> at(point);
        if (v)
          at.back() = arith::AddIOp::create(nb, loc, at.back(), cst(nb, v));
        hooks.storeOutput(
            nb,
            operandIndices(
                nb, i,
                loopValues(at, SmallVector<Value>(numReduction, cst(nb, 0)))),
            value);
      }
      return;
    }
    if (values.size() > 1) {
      auto type = VectorType::get({static_cast<int64_t>(values.size())},
                                  values.front().getType());
      Value vector = vector::FromElementsOp::create(nb, loc, type, values);
      vector::StoreOp::create(nb, loc, vector, getBuffer(i),
                              operandIndices(nb, i, loops),
                              /*nontemporal=*/false,
                              llvm::MaybeAlign(values.size() *
                                               fp.operands[i].elementBytes));
      return;
    }
    memref::StoreOp::create(nb, loc, values.front(), getBuffer(i),
                            operandIndices(nb, i, loops));
  };
  // The current value of output `i` at the point of `loops`.
  auto loadOutput = [&](OpBuilder &nb, unsigned i, ArrayRef<Value> loops) {
    SmallVector<Value> indices = operandIndices(nb, i, loops);
    if (hooks.initialOutput)
      return hooks.initialOutput(nb, indices);
    return memref::LoadOp::create(nb, loc, getBuffer(i), indices).getResult();
  };
  bool vectorOutputs =
      vectorWidth > 1 &&
      llvm::all_of(outputs, [&](unsigned i) { return isVectorAccess(i); });
  int64_t groupWidth = vectorOutputs ? vectorWidth : 1;
  auto pointAt = [&](OpBuilder &nb, ArrayRef<Value> point, int64_t v) {
    SmallVector<Value> at(point);
    if (v)
      at.back() = arith::AddIOp::create(nb, loc, at.back(), cst(nb, v));
    return at;
  };

  if (!hasReduction) {
    if (!staged.empty()) {
      SmallVector<Value> origin = loopValues(blockOrigin, {});
      storeStagedTiles(b, loadStagedTiles(b, origin, Value(), Value()),
                       Value());
      gpu::BarrierOp::create(b, loc);
      setComputeTiles(b, origin, Value());
    }
    forEachThreadPoint(b, groupWidth, [&](OpBuilder &nb, ArrayRef<Value>,
                                          ArrayRef<Value> point) {
      // Inputs read along the last loop: one vector load per group.
      SmallVector<Value> vectors(fp.operands.size());
      if (groupWidth > 1)
        for (unsigned i = 0; i < fp.operands.size(); ++i)
          if (!fp.operands[i].isOutput && fp.operands[i].isRead &&
              isVectorAccess(i))
            vectors[i] = vector::LoadOp::create(
                nb, loc, VectorType::get({groupWidth}, fp.operands[i].elementType),
                getBuffer(i), operandIndices(nb, i, loopValues(point, {})),
                /*nontemporal=*/false,
                llvm::MaybeAlign(groupWidth * fp.operands[i].elementBytes));
      SmallVector<SmallVector<Value>> results(outputs.size());
      for (int64_t v = 0; v < groupWidth; ++v) {
        SmallVector<Value> loops = loopValues(pointAt(nb, point, v), {});
        SmallVector<Value> inputs(fp.operands.size());
        for (auto [i, vector] : llvm::enumerate(vectors))
          if (vector)
            inputs[i] = vector::ExtractOp::create(nb, loc, vector, v);
        SmallVector<Value> current;
        for (unsigned i : outputs)
          current.push_back(fp.operands[i].isRead ? loadOutput(nb, i, loops)
                                                  : Value());
        for (auto [k, value] :
             llvm::enumerate(computePoint(nb, loops, current, inputs)))
          results[k].push_back(value);
      }
      for (auto [k, i] : llvm::enumerate(outputs))
        storeOutput(nb, i, point, results[k]);
    });
    unroll(threadLoops, {});
    return;
  }

  // Accumulators: initialised from the outputs, written back at the end.
  forEachThreadPoint(b, 1, [&](OpBuilder &nb, ArrayRef<Value> tile,
                               ArrayRef<Value> point) {
    SmallVector<Value> loops =
        loopValues(point, SmallVector<Value>(numReduction, cst(nb, 0)));
    for (auto [i, acc] : llvm::zip_equal(outputs, accumulators)) {
      Value v = loadOutput(nb, i, loops);
      if (lanes > 1) {
        // Lanes other than 0 start from the combiner's neutral element.
        Value isFirst = arith::CmpIOp::create(nb, loc, arith::CmpIPredicate::eq,
                                              lane, cst(nb, 0));
        Value neutral = arith::ConstantOp::create(
            nb, loc, *arith::getNeutralElement(combiner));
        v = arith::SelectOp::create(nb, loc, isFirst, v, neutral);
      }
      memref::StoreOp::create(nb, loc, v, acc, tile);
    }
  });

  // The reduction steps, linearized: step s starts at delinearize(s) * step.
  SmallVector<int64_t> stepCounts;
  int64_t numSteps = 1;
  for (auto [extent, step] : llvm::zip_equal(reductionExtents, config.reduction)) {
    stepCounts.push_back(llvm::divideCeil(extent, step));
    numSteps *= stepCounts.back();
  }
  auto stepOrigin = [&](OpBuilder &sb, Value s) {
    SmallVector<Value> origin;
    for (auto [coord, step] :
         llvm::zip_equal(delinearize(s, stepCounts), config.reduction))
      origin.push_back(arith::MulIOp::create(sb, loc, coord, cst(sb, step)));
    return origin;
  };
  // One step of compute: for each reduction iteration of the step, the
  // register tile's points.
  auto computeStep = [&](OpBuilder &sb, ArrayRef<Value> reductionOrigin) {
    SmallVector<Value> zeros(numReduction, cst(sb, 0));
    SmallVector<Value> ones(numReduction, cst(sb, 1));
    SmallVector<Value> ubs = llvm::map_to_vector(
        config.reduction, [&](int64_t r) { return cst(sb, r); });
    if (lanes > 1) {
      // Split: lane j takes iterations j, j + lanes, ... of the step (one
      // reduction loop).
      zeros.front() = lane;
      ones.front() = cst(sb, lanes);
    }
    scf::LoopNest nest = scf::buildLoopNest(
        sb, loc, zeros, ubs, ones,
        [&](OpBuilder &rb, Location, ValueRange offsets) {
          SmallVector<Value> reduction;
          for (auto [origin, offset] :
               llvm::zip_equal(reductionOrigin, offsets))
            reduction.push_back(arith::AddIOp::create(rb, loc, origin, offset));
          guarded(rb,
                  inBounds(rb, reduction, reductionExtents, reductionOverhang),
                  [&](OpBuilder &gb) {
                    forEachThreadPoint(gb, 1, [&](OpBuilder &pb,
                                                  ArrayRef<Value> tile,
                                                  ArrayRef<Value> point) {
                      SmallVector<Value> current;
                      for (Value acc : accumulators)
                        current.push_back(
                            memref::LoadOp::create(pb, loc, acc, tile));
                      SmallVector<Value> loops = loopValues(point, reduction);
                      for (auto [acc, v] : llvm::zip_equal(
                               accumulators, computePoint(pb, loops, current)))
                        memref::StoreOp::create(pb, loc, v, acc, tile);
                    });
                  });
        });
    if (lanes == 1)
      stepLoops.append(nest.loops.begin(), nest.loops.end());
  };

  Value zero = cst(b, 0);
  if (!doubleBuffer || staged.empty()) {
    // for each step: stage, barrier, compute, barrier.
    auto loop = scf::ForOp::create(b, loc, zero, cst(b, numSteps), one);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    SmallVector<Value> reductionOrigin = stepOrigin(b, loop.getInductionVar());
    SmallVector<Value> origin = loopValues(blockOrigin, reductionOrigin);
    if (!staged.empty()) {
      storeStagedTiles(b, loadStagedTiles(b, origin, Value(), Value()),
                       Value());
      gpu::BarrierOp::create(b, loc);
    }
    setComputeTiles(b, origin, Value());
    computeStep(b, reductionOrigin);
    if (!staged.empty())
      gpu::BarrierOp::create(b, loc);
  } else {
    // Step 0 into buffer 0; then for each step s: load step s + 1, compute
    // step s from buffer s mod 2, store step s + 1 into the other buffer,
    // barrier.
    SmallVector<Value> firstOrigin =
        loopValues(blockOrigin, SmallVector<Value>(numReduction, zero));
    storeStagedTiles(b, loadStagedTiles(b, firstOrigin, zero, Value()), zero);
    gpu::BarrierOp::create(b, loc);
    auto loop = scf::ForOp::create(b, loc, zero, cst(b, numSteps), one);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value s = loop.getInductionVar();
    Value current = arith::RemUIOp::create(b, loc, s, cst(b, 2));
    Value next = arith::SubIOp::create(b, loc, one, current);
    Value nextStep = arith::AddIOp::create(b, loc, s, one);
    Value hasNext = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          nextStep, cst(b, numSteps));
    // The next step's copy is issued before this step's compute. Its values
    // go straight to workgroup memory: holding them in registers across the
    // compute cost ~90 registers on a 128x128 / 8x16 f32 matmul (ptxas,
    // sm_90) and made such kernels spill.
    SmallVector<Value> reductionOrigin = stepOrigin(b, s);
    setComputeTiles(b, loopValues(blockOrigin, reductionOrigin), current);
    computeStep(b, reductionOrigin);
    storeStagedTiles(
        b,
        loadStagedTiles(b, loopValues(blockOrigin, stepOrigin(b, nextStep)),
                        next, hasNext),
        next);
    gpu::BarrierOp::create(b, loc);
  }

  if (lanes > 1) {
    // The lanes' partial results through workgroup memory, combined by a
    // tree (lane j < stride takes j + stride's, a barrier per level); lane 0
    // stores.
    Value slot = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, pointThreadId, cst(b, lanes)),
        lane);
    Value acc = accumulators.front();
    forEachThreadPoint(b, 1, [&](OpBuilder &nb, ArrayRef<Value> tile,
                                 ArrayRef<Value>) {
      Value partial = memref::LoadOp::create(nb, loc, acc, tile);
      memref::StoreOp::create(nb, loc, partial, scratch, slot);
    });
    gpu::BarrierOp::create(b, loc);
    for (int64_t stride = lanes / 2; stride >= 1; stride /= 2) {
      Value takes = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          lane, cst(b, stride));
      forEachThreadPoint(b, 1, [&](OpBuilder &nb, ArrayRef<Value>,
                                   ArrayRef<Value>) {
        guarded(nb, takes, [&](OpBuilder &gb) {
          IRMapping mapping;
          mapping.map(combiner->getOperand(0),
                      memref::LoadOp::create(gb, loc, scratch, slot));
          mapping.map(combiner->getOperand(1),
                      memref::LoadOp::create(
                          gb, loc, scratch,
                          ValueRange{arith::AddIOp::create(
                              gb, loc, slot, cst(gb, stride))}));
          Operation *combined = gb.clone(*combiner, mapping);
          memref::StoreOp::create(gb, loc, combined->getResult(0), scratch,
                                  slot);
        });
      });
      gpu::BarrierOp::create(b, loc);
    }
    Value isFirst = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          lane, cst(b, 0));
    forEachThreadPoint(b, 1, [&](OpBuilder &nb, ArrayRef<Value>,
                                 ArrayRef<Value> point) {
      guarded(nb, isFirst, [&](OpBuilder &gb) {
        storeOutput(gb, outputs.front(), point,
                    {memref::LoadOp::create(gb, loc, scratch, slot)});
      });
    });
    unroll(threadLoops, {});
    return;
  }
  forEachThreadPoint(b, groupWidth, [&](OpBuilder &nb, ArrayRef<Value> tile,
                                        ArrayRef<Value> point) {
    for (auto [i, acc] : llvm::zip_equal(outputs, accumulators)) {
      SmallVector<Value> values;
      for (int64_t v = 0; v < groupWidth; ++v)
        values.push_back(
            memref::LoadOp::create(nb, loc, acc, pointAt(nb, tile, v)));
      storeOutput(nb, i, point, values);
    }
  });
  unroll(threadLoops, stepLoops);
}

void TiledKernel::unroll(ArrayRef<scf::ForOp> threadLoops,
                         ArrayRef<scf::ForOp> stepLoops) {
  int64_t threadPoints = 1, stepPoints = 1;
  for (int64_t t : config.thread)
    threadPoints *= t;
  for (int64_t r : config.reduction)
    stepPoints *= r;
  if (threadPoints > kMaxUnrolledThreadPoints)
    return;
  // The register tiles' loops (innermost, each nest innermost first), then
  // the reduction iterations around them.
  for (scf::ForOp loop : llvm::reverse(threadLoops))
    (void)loopUnrollFull(loop);
  if (threadPoints * stepPoints <= kMaxUnrolledBodies)
    for (scf::ForOp loop : llvm::reverse(stepLoops))
      (void)loopUnrollFull(loop);
}

} // namespace mlir::hm::tiled


std::string mlir::hm::verifyTiledKernelConfig(const OpFootprint &fp,
                                              const TileConfig &config,
                                              rtile::ArchAttr arch) {
  size_t numParallel = fp.parallelLoops.size();
  size_t numReduction = fp.reductionLoops.size();
  if (numParallel == 0)
    return "it has no parallel loops";
  if (config.block.size() != numParallel ||
      config.thread.size() != numParallel)
    return llvm::formatv("its configuration has {0} block and {1} thread "
                         "extents for {2} parallel loops",
                         config.block.size(), config.thread.size(),
                         numParallel)
        .str();
  if (config.reduction.size() != numReduction)
    return llvm::formatv("its configuration has {0} reduction steps for {1} "
                         "reduction loops",
                         config.reduction.size(), numReduction)
        .str();
  for (auto [block, thread] : llvm::zip_equal(config.block, config.thread))
    if (block <= 0 || thread <= 0 || block % thread != 0)
      return "its configuration's thread tile does not divide its block tile";
  if (llvm::any_of(config.reduction, [](int64_t r) { return r <= 0; }) ||
      config.padding < 0 || config.vector < 1)
    return "its configuration has a non-positive reduction step or vector "
           "width, or a negative padding";
  int64_t threads = config.getThreadsPerBlock();
  int64_t maxThreads = arch ? arch.getMaxThreadsPerBlock() : 1024;
  if (threads > maxThreads)
    return llvm::formatv("its configuration needs {0} threads per block, more "
                         "than the {1} a block can have",
                         threads, maxThreads)
        .str();
  int64_t shared = getTiledKernelSharedMemory(fp, config);
  if (arch && shared > arch.getSmemPerBlock())
    return llvm::formatv("its configuration needs {0} bytes of shared memory "
                         "per block, more than {1} allows ({2})",
                         shared, arch.getName(), arch.getSmemPerBlock())
        .str();
  return "";
}

void mlir::hm::buildTiledKernel(RewriterBase &rewriter, linalg::LinalgOp op,
                                const OpFootprint &footprint,
                                const TileConfig &config) {
  TiledKernelHooks none;
  TiledKernel(op, footprint, config, none).build(rewriter);
  rewriter.eraseOp(op);
}

void mlir::hm::buildTiledKernel(RewriterBase &rewriter, linalg::LinalgOp op,
                                const OpFootprint &footprint,
                                const TileConfig &config,
                                const TiledKernelHooks &hooks) {
  TiledKernel(op, footprint, config, hooks).build(rewriter);
}

SmallVector<Type> mlir::hm::getTiledKernelAccumulatorTypes(
    linalg::LinalgOp op, const OpFootprint &fp, const TileConfig &config) {
  SmallVector<Type> types;
  if (fp.reductionLoops.empty())
    return types;
  auto privateSpace = gpu::AddressSpaceAttr::get(
      op->getContext(), gpu::GPUDialect::getPrivateAddressSpace());
  for (const OperandAccess &access : fp.operands)
    if (access.isOutput)
      types.push_back(MemRefType::get(config.thread, access.elementType,
                                      MemRefLayoutAttrInterface(),
                                      privateSpace));
  return types;
}

void mlir::hm::buildTiledKernelInLaunch(OpBuilder &b, linalg::LinalgOp op,
                                        const OpFootprint &footprint,
                                        const TileConfig &config,
                                        const TiledKernelHooks &hooks,
                                        const TiledKernelEmbedding &embedding) {
  TiledKernel(op, footprint, config, hooks).buildInLaunch(b, embedding);
}

Operation *mlir::hm::getSplitReductionCombiner(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 1)
    return nullptr;
  SmallVector<Operation *> combiners;
  Block *body = op.getBlock();
  BlockArgument out =
      op.getMatchingBlockArgument(op.getDpsInitOperand(0));
  if (!matchReduction(body->getArguments().take_back(1), 0, combiners) ||
      combiners.size() != 1 || out != body->getArguments().back())
    return nullptr;
  Operation *combiner = combiners.front();
  if (combiner->getNumOperands() != 2 ||
      !arith::getNeutralElement(combiner) ||
      !combiner->hasTrait<OpTrait::IsCommutative>())
    return nullptr;
  return combiner;
}
