//===- TiledKernelStaging.cpp - Staged tiles of the CUDA-core kernels -----===//
//
// The part of TiledKernel (TiledKernelImpl.h) that sets the kernel up and
// stages inputs: copies of each reduction step's input tiles from global
// memory (vector loads where aligned, or values from the hooks) into padded
// workgroup memory, single or double buffered.
//
//===----------------------------------------------------------------------===//

#include "TiledKernelImpl.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::tiled;

namespace mlir::hm::tiled {

TiledKernel::TiledKernel(linalg::LinalgOp op, const OpFootprint &footprint,
                         const TileConfig &config,
                         const TiledKernelHooks &hooks)
    : op(op), operation(op.getOperation()), fp(footprint), config(config),
      hooks(hooks), loc(op.getLoc()) {
  // The footprint describes the shaped operands only (a scalar input such as
  // linalg.fill's value is not in it).
  for (OpOperand &operand : op->getOpOperands())
    if (isa<ShapedType>(operand.get().getType()))
      operandNumbers.push_back(operand.getOperandNumber());
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
  if (config.vector > 1 && config.thread.back() % config.vector == 0)
    vectorWidth = config.vector;
  doubleBuffer = isDoubleBuffered(fp, config);
  stagingThreads = config.getThreadsPerBlock();
  originSteps = fp.getLoopTile(config.block, config.reduction);
}

Value TiledKernel::inBounds(OpBuilder &b, ArrayRef<Value> values,
                            ArrayRef<int64_t> bounds,
                            ArrayRef<bool> mayOverhang) {
  Value all;
  for (auto [value, bound, overhang] :
       llvm::zip_equal(values, bounds, mayOverhang)) {
    if (!overhang)
      continue;
    all = andOf(b, all,
                arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, value,
                                      cst(b, bound)));
  }
  return all;
}

void TiledKernel::guarded(OpBuilder &b, Value condition,
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

SmallVector<Value> TiledKernel::loopValues(ArrayRef<Value> parallel,
                                           ArrayRef<Value> reduction) const {
  SmallVector<Value> loops(fp.getNumLoops());
  for (auto [l, v] : llvm::zip_equal(fp.parallelLoops, parallel))
    loops[l] = v;
  for (auto [l, v] : llvm::zip_equal(fp.reductionLoops, reduction))
    loops[l] = v;
  return loops;
}

int64_t TiledKernel::getLoadWidth(unsigned operand,
                                  ArrayRef<int64_t> extents) const {
  const OperandAccess &access = fp.operands[operand];
  if (!hasIdentityLayout(getBuffer(operand)) || !access.coefficients.back() ||
      isComputedInput(operand))
    return 1;
  // The tile's first element along the innermost dimension is
  // sum_l c_l * origin_l + c0, each origin a multiple of its loop's step.
  ArrayRef<int64_t> steps = originSteps;
  unsigned last = access.shape.size() - 1;
  int64_t width = kMaxVectorBytes / access.elementBytes;
  auto aligned = [&](int64_t w) {
    if (extents.back() % w || access.shape.back() % w ||
        getConstantTerm(access.indexingMap, last) % w)
      return false;
    for (auto [c, step] : llvm::zip_equal(*access.coefficients[last], steps))
      if ((c * step) % w)
        return false;
    return true;
  };
  while (width > 1 && !aligned(width))
    width /= 2;
  return width;
}

bool TiledKernel::isVectorAccess(unsigned operand) const {
  const OperandAccess &access = fp.operands[operand];
  if (vectorWidth == 1 || stagedIndex[operand] >= 0 ||
      !hasIdentityLayout(getBuffer(operand)) || isComputedInput(operand))
    return false;
  // The innermost index is the last parallel loop itself, and the vectors
  // are either wholly in the loop or wholly past it.
  auto dim = dyn_cast<AffineDimExpr>(access.indexingMap.getResults().back());
  return dim && dim.getPosition() == fp.parallelLoops.back() &&
         access.shape.back() % vectorWidth == 0 &&
         parallelExtents.back() % vectorWidth == 0;
}

SmallVector<PendingStore>
TiledKernel::loadStagedTiles(OpBuilder &b, ArrayRef<Value> origin,
                             Value bufferIndex, Value enabled) {
  SmallVector<PendingStore> pending;
  for (unsigned index = 0; index < staged.size(); ++index) {
    const StagedInput &input = staged[index];
    const OperandAccess &access = fp.operands[input.operand];
    Value source = getBuffer(input.operand);
    SmallVector<Value> base;
    for (unsigned d = 0; d < input.extents.size(); ++d)
      base.push_back(applyResult(b, input.operand, d, origin));
    SmallVector<int64_t> basis = input.extents;
    basis.back() /= input.width;
    Type elementType = access.elementType;
    Type valueType =
        input.width > 1 ? Type(VectorType::get({input.width}, elementType))
                        : elementType;
    SmallVector<bool> overhang(access.shape.size(), true);
    int64_t threads = stagingThreads;

    // Load `l` of this thread: its tile coordinates, the global load (zero
    // outside the operand) and whether `l` is in the tile.
    auto emitLoad = [&](OpBuilder &b, Value l, bool mayBePastTile,
                        Value extraGuard) {
      PendingStore store{index, Value(), {}, Value()};
      if (mayBePastTile)
        store.valid = arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::ult, l, cst(b, input.loads));
      SmallVector<OpFoldResult> foldBasis = llvm::map_to_vector(
          basis, [&](int64_t e) -> OpFoldResult { return b.getIndexAttr(e); });
      auto coords = affine::AffineDelinearizeIndexOp::create(
          b, loc, l, foldBasis, /*hasOuterBound=*/true);
      store.coords.assign(coords.getResults().begin(),
                          coords.getResults().end());
      if (input.width > 1)
        store.coords.back() = arith::MulIOp::create(b, loc, store.coords.back(),
                                                     cst(b, input.width));
      SmallVector<Value> global;
      for (auto [o, c] : llvm::zip_equal(base, store.coords))
        global.push_back(arith::AddIOp::create(b, loc, o, c));
      Value condition = andOf(b, andOf(b, extraGuard, store.valid),
                              inBounds(b, global, access.shape, overhang));
      auto ifOp = scf::IfOp::create(b, loc, valueType, condition,
                                    /*withElseRegion=*/true);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifOp.thenBlock());
        Value v;
        if (isComputedInput(input.operand))
          v = hooks.loadInput(b, input.operand, global);
        else if (input.width > 1)
          v = vector::LoadOp::create(
              b, loc, cast<VectorType>(valueType), source, global,
              /*nontemporal=*/false,
              llvm::MaybeAlign(input.width * access.elementBytes));
        else
          v = memref::LoadOp::create(b, loc, source, global);
        scf::YieldOp::create(b, loc, v);
        b.setInsertionPointToStart(ifOp.elseBlock());
        scf::YieldOp::create(b, loc,
                             arith::ConstantOp::create(
                                 b, loc, valueType, b.getZeroAttr(valueType))
                                 .getResult());
      }
      store.value = ifOp.getResult(0);
      return store;
    };

    if (input.loadsPerThread <= kMaxUnrolledCopies) {
      for (int64_t i = 0; i < input.loadsPerThread; ++i) {
        Value l = i == 0 ? threadId
                         : arith::AddIOp::create(b, loc, threadId,
                                                 cst(b, i * threads))
                               .getResult();
        bool mayBePastTile = (i + 1) * threads > input.loads;
        pending.push_back(emitLoad(b, l, mayBePastTile, enabled));
      }
      continue;
    }
    // for (l = tid; l < loads; l += threads): load and store at once.
    guarded(b, enabled, [&](OpBuilder &b) {
      auto loop =
          scf::ForOp::create(b, loc, threadId, cst(b, input.loads), numThreads);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      PendingStore store = emitLoad(b, loop.getInductionVar(), false, Value());
      storeStagedTiles(b, store, bufferIndex);
    });
  }
  return pending;
}

void TiledKernel::storeStagedTiles(OpBuilder &b,
                                   ArrayRef<PendingStore> pending,
                                   Value bufferIndex) {
  for (const PendingStore &store : pending) {
    const StagedInput &input = staged[store.input];
    guarded(b, store.valid, [&](OpBuilder &b) {
      SmallVector<Value> indices;
      if (bufferIndex)
        indices.push_back(bufferIndex);
      llvm::append_range(indices, store.coords);
      if (input.width > 1)
        vector::StoreOp::create(b, loc, store.value, input.buffer, indices);
      else
        memref::StoreOp::create(b, loc, store.value, input.buffer, indices);
    });
  }
}

void TiledKernel::setComputeTiles(OpBuilder &b, ArrayRef<Value> origin,
                                  Value buffer) {
  computeBuffer = buffer;
  computeBase.clear();
  for (const StagedInput &input : staged) {
    SmallVector<Value> base;
    for (unsigned d = 0; d < input.extents.size(); ++d)
      base.push_back(applyResult(b, input.operand, d, origin));
    computeBase.push_back(base);
  }
}

} // namespace mlir::hm::tiled

int64_t mlir::hm::getTiledKernelSharedMemory(
    const OpFootprint &fp, const TileConfig &config,
    ArrayRef<unsigned> inputsReadInPlace) {
  int64_t bytes = 0;
  for (auto [i, shape] : llvm::enumerate(getStagedShapes(fp, config))) {
    if (shape.empty() || llvm::is_contained(inputsReadInPlace, i))
      continue;
    int64_t elements = isDoubleBuffered(fp, config) ? 2 : 1;
    for (int64_t e : shape)
      elements *= e;
    bytes += llvm::alignTo(elements * fp.operands[i].elementBytes,
                           kSharedAlignment);
  }
  return bytes;
}
