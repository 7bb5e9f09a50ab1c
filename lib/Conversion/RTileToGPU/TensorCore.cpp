//===- TensorCore.cpp - Tensor-core kernels for configured ops ------------===//
//
// A configured f16 or bf16 contraction or convolution whose configuration
// runs on tensor cores becomes one gpu.launch that computes it as a
// (batched) GEMM over 16x16x16 gpu.subgroup_mma_* fragments (f16) or
// m16n8k16 nvvm.mma.sync operations (bf16, MmaSync.cpp):
//
//   rows (M)     the loops that index only the first input (matmul's M, a
//                convolution's N/OH/OW), flattened;
//   columns (N)  the loops that index only the second input (N, F);
//   batch        the loops that index both (batch_matmul's B);
//   K            the reduction loops, flattened (a convolution's KH/KW/C:
//                the staged A tile is the im2col tile, gathered through the
//                input's indexing map).
//
// A 1-d grid walks the block tiles; each warp owns a warp tile (the
// config's `warp`, whose M and N extents are multiples of 16). Per reduction
// step, all threads copy the A (rows x K) and B (K x columns) tiles into
// padded workgroup memory, zero-filling points outside the loops (edge
// tiles, partial steps); the warps multiply 16x16 fragments into f32
// accumulators. Tile rows and columns are laid out warp by warp, so every
// fragment is a contiguous 16x16 block whatever the warp tile's shape. The
// f16 epilogue passes each accumulator through workgroup memory; the bf16
// lanes hold known elements and write them directly. Every lane writes its
// share to the output through the output's indexing map, guarded, adding
// the output's initial value and rounding to its type.
//
//===----------------------------------------------------------------------===//

#include "TensorCore.h"
#include "MmaSync.h"

#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::hm;

namespace {

/// The fragment shape (m16n16k16) and the warp size it needs.
constexpr int64_t kFragment = 16;
constexpr int64_t kWarpSize = 32;
/// Static shared memory above this needs the dynamic kind on NVIDIA GPUs.
constexpr int64_t kMaxStaticSharedBytes = 48 * 1024;
/// Alignment of each region of the kernel's workgroup buffer.
constexpr int64_t kRegionAlignment = 128;

/// Whether the payload is `out + ext(a) * ext(b)` (ext an arith.extf to the
/// output type, or nothing), in any operand order.
bool isMultiplyAccumulate(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (body->getNumArguments() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1)
    return false;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  auto stripExt = [](Value v) {
    if (auto ext = v.getDefiningOp<arith::ExtFOp>())
      return ext.getIn();
    return v;
  };
  Value acc = body->getArgument(2);
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  if ((add.getLhs() == acc) == (add.getRhs() == acc))
    return false;
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value x = stripExt(mul.getLhs()), y = stripExt(mul.getRhs());
  Value a = body->getArgument(0), b = body->getArgument(1);
  return (x == a && y == b) || (x == b && y == a);
}

/// Turns the loops of `launch` that carry fragments into cf branches.
/// Upstream's NVVM pipeline starts with convert-nvgpu-to-nvvm, whose SCF
/// structural type conversion cannot convert !gpu.mma_matrix and so fails
/// on an scf.for carrying one; branches it leaves alone, and
/// convert-gpu-to-nvvm converts their fragment operands like the rest.
LogicalResult lowerFragmentLoops(gpu::LaunchOp launch) {
  MLIRContext *ctx = launch.getContext();
  RewritePatternSet patterns(ctx);
  populateSCFToControlFlowConversionPatterns(patterns);
  ConversionTarget target(*ctx);
  target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
  target.addDynamicallyLegalOp<scf::ForOp>([](scf::ForOp loop) {
    return llvm::none_of(loop.getResultTypes(), [](Type type) {
      return isa<gpu::MMAMatrixType>(type);
    });
  });
  return applyPartialConversion(launch, target, std::move(patterns));
}

/// Builds the tensor-core kernel of one operation.
class TensorCoreKernelBuilder {
public:
  TensorCoreKernelBuilder(linalg::LinalgOp op, const OpFootprint &footprint,
                          const TileConfig &config,
                          const TiledKernelHooks *hooks = nullptr)
      : op(op), fp(footprint), config(config), loc(op.getLoc()),
        hooks(hooks) {
    for (OpOperand &operand : op->getOpOperands())
      if (isa<ShapedType>(operand.get().getType()))
        operandNumbers.push_back(operand.getOperandNumber());
  }

  /// Why the operation does not fit this kernel (empty if it does); fills
  /// the loop groups and tile sizes.
  std::string analyse();
  /// Replaces the operation by its gpu.launch; fails, changing nothing, if
  /// the kernel's accumulator loops cannot become branches.
  LogicalResult build(RewriterBase &rewriter);

private:
  Value cst(OpBuilder &b, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  SmallVector<OpFoldResult> basis(OpBuilder &b, ArrayRef<int64_t> sizes) {
    return llvm::map_to_vector(
        sizes, [&](int64_t s) -> OpFoldResult { return b.getIndexAttr(s); });
  }
  ValueRange delinearize(OpBuilder &b, Value linear, ArrayRef<int64_t> sizes) {
    return affine::AffineDelinearizeIndexOp::create(b, loc, linear,
                                                    basis(b, sizes),
                                                    /*hasOuterBound=*/true)
        .getResults();
  }
  Value linearize(OpBuilder &b, ValueRange coords, ArrayRef<int64_t> sizes) {
    if (coords.empty())
      return cst(b, 0);
    return affine::AffineLinearizeIndexOp::create(b, loc, coords,
                                                  basis(b, sizes),
                                                  /*disjoint=*/true);
  }
  /// The block-relative coordinate along parallel loop position `p` of the
  /// point `inWarp` of the warp at `warpCoord`.
  Value getInBlock(OpBuilder &b, unsigned p, Value warpCoord, Value inWarp) {
    return arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, warpCoord, cst(b, config.warp[p])),
        inWarp);
  }
  /// The offsets inside the warp tile, per batch loop, of the warp's
  /// `point`-th batch point (row-major over the warp's batch extents).
  SmallVector<int64_t> getBatchPointInWarp(int64_t point) const {
    SmallVector<int64_t> extents = extentsOf(batchGroup, config.warp);
    SmallVector<int64_t> offsets(extents.size());
    for (int64_t g = extents.size() - 1; g >= 0; --g) {
      offsets[g] = point % extents[g];
      point /= extents[g];
    }
    return offsets;
  }
  /// Per-loop extents of `group` (indices into the parallel loops) in `of`.
  SmallVector<int64_t> extentsOf(ArrayRef<unsigned> group,
                                 ArrayRef<int64_t> of) const {
    return llvm::map_to_vector(group, [&](unsigned p) { return of[p]; });
  }
  /// `coord < extent` for every loop (parallel or reduction, by loop index)
  /// that can overhang, and-ed; null when none can.
  Value inBounds(OpBuilder &b, ArrayRef<std::pair<unsigned, Value>> loops);
  /// Copies input `operand`'s tile for the reduction step at `stepOrigin`
  /// into `tile`, zero outside the loops. The copy walks (K, `spatialGroup`)
  /// or, when `kIsColumns`, (`spatialGroup`, K), the last fastest; the tile
  /// is [batch][spatial][K] when `kMinorTile`, else [batch][K][spatial].
  void stageTile(OpBuilder &b, unsigned operand, Value tile,
                 ValueRange stepOrigin, bool kIsColumns,
                 ArrayRef<unsigned> spatialGroup, bool kMinorTile);
  /// Input operand `number`'s element at `indices`: from the hooks when
  /// they compute it, else loaded.
  Value loadInput(OpBuilder &b, unsigned number, ArrayRef<Value> indices) {
    unsigned index = getFootprintIndex(number);
    if (hooks && hooks->loadInput &&
        llvm::is_contained(hooks->computedInputs, index))
      return hooks->loadInput(b, index, indices);
    return memref::LoadOp::create(b, loc, op->getOperand(number), indices);
  }
  /// Stores `value(b)` (f32) to the output element at batch point `point`
  /// of the warp, row `rowInWarp` and column `columnInWarp` of its warp
  /// tile, if inside the loops: adds the output's initial value, rounds to
  /// the output type.
  void storeOutputElement(OpBuilder &b, int64_t point, Value rowInWarp,
                          Value columnInWarp,
                          function_ref<Value(OpBuilder &)> value);

  /// The footprint's index of op operand `number`.
  unsigned getFootprintIndex(unsigned number) const {
    return llvm::find(operandNumbers, number) - operandNumbers.begin();
  }

  linalg::LinalgOp op;
  const OpFootprint &fp;
  const TileConfig &config;
  Location loc;
  /// Welder's fused groups (TileGraphToGPU): computed inputs, the initial
  /// output and the stores; null for a kernel of its own.
  const TiledKernelHooks *hooks;
  SmallVector<unsigned> operandNumbers;

  /// Positions in fp.parallelLoops of the batch, row (A) and column (B)
  /// loops, in loop order.
  SmallVector<unsigned> batchGroup, rowGroup, columnGroup;
  int64_t batchBlock = 1, rowsPerWarp = 1, columnsPerWarp = 1;
  int64_t blockRows = 1, blockColumns = 1, kStep = 1, numWarps = 1;
  int64_t batchPerWarp = 1;
  int64_t aLead = 0, bLead = 0;
  Type inputType, outputType;
  unsigned outputOperand = 2;
  /// bf16: nvvm.mma.sync, B staged transposed (K fastest, like A).
  bool mmaSync = false;
  Value threadId, numThreads;
  /// Per parallel loop: the block's origin, the warp's coordinate in the
  /// block's warp grid.
  SmallVector<Value> blockOrigin, warpCoords;
};

std::string TensorCoreKernelBuilder::analyse() {
  if (fp.operands.size() != 3 || !fp.operands[2].isOutput ||
      fp.operands[0].isOutput || fp.operands[1].isOutput)
    return "it does not have two inputs and one output";
  inputType = fp.operands[0].elementType;
  outputType = fp.operands[2].elementType;
  if ((!inputType.isF16() && !inputType.isBF16()) ||
      fp.operands[1].elementType != inputType)
    return "its inputs are not both f16 or both bf16";
  mmaSync = inputType.isBF16();
  if (outputType != inputType && !outputType.isF32())
    return "its output is not f32 or its inputs' type";
  if (!isMultiplyAccumulate(op))
    return "its payload is not a multiply-accumulate";
  for (const OperandAccess &access : fp.operands)
    if (!llvm::all_of(access.coefficients, [](const auto &c) {
          return c && llvm::all_of(*c, [](int64_t v) { return v >= 0; });
        }))
      return "an operand index is not linear in the loops";
  for (auto [p, l] : llvm::enumerate(fp.parallelLoops)) {
    if (config.block[p] % config.warp[p] != 0)
      return "a warp extent does not divide its block extent";
    numWarps *= config.block[p] / config.warp[p];
    switch (fp.loopRoles[l]) {
    case LoopRole::Batch:
      batchGroup.push_back(p);
      batchBlock *= config.block[p];
      batchPerWarp *= config.warp[p];
      break;
    case LoopRole::A:
      rowGroup.push_back(p);
      rowsPerWarp *= config.warp[p];
      blockRows *= config.block[p];
      break;
    case LoopRole::B:
      columnGroup.push_back(p);
      columnsPerWarp *= config.warp[p];
      blockColumns *= config.block[p];
      break;
    case LoopRole::Other:
      return "a parallel loop indexes neither input";
    }
  }
  for (int64_t r : config.reduction)
    kStep *= r;
  if (rowsPerWarp % kFragment || columnsPerWarp % kFragment ||
      kStep % kFragment)
    return "the warp tile or the reduction step is not a multiple of 16";
  if (numWarps * kWarpSize > 1024)
    return "the block has more than 32 warps";
  // The config's padding, rounded up to 16 bytes: the fragments' leading
  // dimension must be a multiple of 8 halves (WMMA), and mma.sync's 32-bit
  // fragment loads need an even one.
  int64_t padding = llvm::alignTo(config.padding, 8);
  aLead = kStep + padding;
  bLead = mmaSync ? aLead : blockColumns + padding;
  return "";
}

Value TensorCoreKernelBuilder::inBounds(
    OpBuilder &b, ArrayRef<std::pair<unsigned, Value>> loops) {
  Value all;
  for (auto [l, value] : loops) {
    int64_t extent = fp.loopExtents[l];
    int64_t step = 0;
    if (auto it = llvm::find(fp.parallelLoops, l);
        it != fp.parallelLoops.end())
      step = config.block[it - fp.parallelLoops.begin()];
    else
      step = config.reduction[llvm::find(fp.reductionLoops, l) -
                              fp.reductionLoops.begin()];
    if (extent % step == 0)
      continue;
    Value lt = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, value,
                                     cst(b, extent));
    all = all ? arith::AndIOp::create(b, loc, all, lt).getResult() : lt;
  }
  return all;
}

void TensorCoreKernelBuilder::stageTile(OpBuilder &b, unsigned operand,
                                        Value tile, ValueRange stepOrigin,
                                        bool kIsColumns,
                                        ArrayRef<unsigned> spatialGroup,
                                        bool kMinorTile) {
  // The copy walks (batch, K or spatial, spatial or K), the last fastest
  // (coalesced global reads whatever the tile's layout); the spatial index
  // is (warp, position in the warp tile), so that each warp's part of the
  // tile is contiguous.
  SmallVector<int64_t> warpCounts, warpExtents;
  for (unsigned p : spatialGroup) {
    warpCounts.push_back(config.block[p] / config.warp[p]);
    warpExtents.push_back(config.warp[p]);
  }
  SmallVector<int64_t> batchExtents = extentsOf(batchGroup, config.block);
  ArrayRef<int64_t> kExtents = config.reduction;
  SmallVector<int64_t> sizes(batchExtents);
  if (kIsColumns) {
    llvm::append_range(sizes, warpCounts);
    llvm::append_range(sizes, warpExtents);
    llvm::append_range(sizes, kExtents);
  } else {
    llvm::append_range(sizes, kExtents);
    llvm::append_range(sizes, warpCounts);
    llvm::append_range(sizes, warpExtents);
  }
  int64_t elements = 1;
  for (int64_t s : sizes)
    elements *= s;

  auto loop = scf::ForOp::create(b, loc, threadId, cst(b, elements), numThreads);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  ValueRange coords = delinearize(b, loop.getInductionVar(), sizes);
  size_t nb = batchExtents.size(), ns = spatialGroup.size(),
         nk = kExtents.size();
  ValueRange batchCoords = coords.take_front(nb);
  ValueRange spatial = coords.drop_front(nb);
  ValueRange kCoords;
  if (kIsColumns) {
    kCoords = spatial.drop_front(2 * ns);
    spatial = spatial.take_front(2 * ns);
  } else {
    kCoords = spatial.take_front(nk);
    spatial = spatial.drop_front(nk);
  }
  ValueRange warpCoords = spatial.take_front(ns);
  ValueRange inWarp = spatial.drop_front(ns);

  // Loop values at this element (loops the operand does not use stay 0).
  SmallVector<Value> loops(fp.getNumLoops(), cst(b, 0));
  SmallVector<std::pair<unsigned, Value>> checked;
  for (auto [i, p] : llvm::enumerate(batchGroup)) {
    unsigned l = fp.parallelLoops[p];
    loops[l] = arith::AddIOp::create(b, loc, blockOrigin[p], batchCoords[i]);
    checked.emplace_back(l, loops[l]);
  }
  for (auto [i, p] : llvm::enumerate(spatialGroup)) {
    unsigned l = fp.parallelLoops[p];
    loops[l] = arith::AddIOp::create(
        b, loc, blockOrigin[p], getInBlock(b, p, warpCoords[i], inWarp[i]));
    checked.emplace_back(l, loops[l]);
  }
  for (auto [i, l] : llvm::enumerate(fp.reductionLoops)) {
    loops[l] = arith::AddIOp::create(b, loc, stepOrigin[i], kCoords[i]);
    checked.emplace_back(l, loops[l]);
  }
  AffineMap map = fp.operands[operand].indexingMap;
  SmallVector<Value> indices;
  for (unsigned d = 0; d < map.getNumResults(); ++d)
    indices.push_back(
        affine::AffineApplyOp::create(b, loc, map.getSubMap({d}), loops));

  Value value;
  if (Value inside = inBounds(b, checked)) {
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{inputType}, inside,
                                  /*withElseRegion=*/true);
    OpBuilder thenBuilder = ifOp.getThenBodyBuilder();
    scf::YieldOp::create(thenBuilder, loc,
                         ValueRange{loadInput(thenBuilder, operand, indices)});
    OpBuilder elseBuilder = ifOp.getElseBodyBuilder();
    scf::YieldOp::create(
        elseBuilder, loc,
        ValueRange{arith::ConstantOp::create(
            elseBuilder, loc, elseBuilder.getZeroAttr(inputType))});
    value = ifOp.getResult(0);
  } else {
    value = loadInput(b, operand, indices);
  }
  Value batchIndex = linearize(b, batchCoords, batchExtents);
  SmallVector<int64_t> spatialSizes(warpCounts);
  llvm::append_range(spatialSizes, warpExtents);
  Value spatialIndex = linearize(b, spatial, spatialSizes);
  Value kIndex = linearize(b, kCoords, kExtents);
  SmallVector<Value> tileIndices{batchIndex};
  if (kMinorTile)
    tileIndices.append({spatialIndex, kIndex});
  else
    tileIndices.append({kIndex, spatialIndex});
  memref::StoreOp::create(b, loc, value, tile, tileIndices);
}

void TensorCoreKernelBuilder::storeOutputElement(
    OpBuilder &b, int64_t point, Value rowInWarp, Value columnInWarp,
    function_ref<Value(OpBuilder &)> value) {
  Value output = op->getOperand(outputOperand);
  AffineMap outputMap = fp.operands[outputOperand].indexingMap;
  SmallVector<Value> loops(fp.getNumLoops(), cst(b, 0));
  SmallVector<std::pair<unsigned, Value>> checked;
  auto place = [&](ArrayRef<unsigned> group, ValueRange inWarp) {
    for (auto [g, p] : llvm::enumerate(group)) {
      unsigned l = fp.parallelLoops[p];
      loops[l] = arith::AddIOp::create(
          b, loc, blockOrigin[p], getInBlock(b, p, warpCoords[p], inWarp[g]));
      checked.emplace_back(l, loops[l]);
    }
  };
  place(rowGroup, delinearize(b, rowInWarp, extentsOf(rowGroup, config.warp)));
  place(columnGroup, delinearize(b, columnInWarp,
                                 extentsOf(columnGroup, config.warp)));
  place(batchGroup,
        llvm::map_to_vector(getBatchPointInWarp(point),
                            [&](int64_t offset) { return cst(b, offset); }));
  SmallVector<Value> indices;
  for (unsigned d = 0; d < outputMap.getNumResults(); ++d)
    indices.push_back(affine::AffineApplyOp::create(
        b, loc, outputMap.getSubMap({d}), loops));
  auto body = [&](OpBuilder &gb) {
    Value v = value(gb);
    if (fp.operands[outputOperand].isRead) {
      Value initial =
          hooks && hooks->initialOutput
              ? hooks->initialOutput(gb, indices)
              : memref::LoadOp::create(gb, loc, output, indices).getResult();
      if (!outputType.isF32())
        initial = arith::ExtFOp::create(gb, loc, gb.getF32Type(), initial);
      v = arith::AddFOp::create(gb, loc, initial, v);
    }
    if (!outputType.isF32())
      v = arith::TruncFOp::create(gb, loc, outputType, v);
    if (hooks && hooks->storeOutput)
      hooks->storeOutput(gb, indices, v);
    else
      memref::StoreOp::create(gb, loc, v, output, indices);
  };
  if (Value inside = inBounds(b, checked)) {
    auto ifOp = scf::IfOp::create(b, loc, inside, /*withElseRegion=*/false);
    OpBuilder gb = OpBuilder::atBlockBegin(ifOp.thenBlock());
    body(gb);
  } else {
    body(b);
  }
}

LogicalResult TensorCoreKernelBuilder::build(RewriterBase &rewriter) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  OpBuilder &b = rewriter;
  MLIRContext *ctx = b.getContext();

  SmallVector<int64_t> gridDims;
  for (auto [p, l] : llvm::enumerate(fp.parallelLoops))
    gridDims.push_back(llvm::divideCeil(fp.loopExtents[l], config.block[p]));
  int64_t grid = 1;
  for (int64_t g : gridDims)
    grid *= g;
  int64_t threads = numWarps * kWarpSize;

  // One workgroup buffer: the A and B tiles of a step (B transposed for
  // mma.sync), and, for WMMA after the last step, each warp's 16x16 f32
  // epilogue tile in the same bytes.
  auto workgroup = gpu::AddressSpaceAttr::get(
      ctx, gpu::GPUDialect::getWorkgroupAddressSpace());
  auto tileType = [&](ArrayRef<int64_t> shape, Type element) {
    return MemRefType::get(shape, element, MemRefLayoutAttrInterface(),
                           workgroup);
  };
  MemRefType aType = tileType({batchBlock, blockRows, aLead}, inputType);
  MemRefType bType =
      mmaSync ? tileType({batchBlock, blockColumns, bLead}, inputType)
              : tileType({batchBlock, kStep, bLead}, inputType);
  Type f32 = b.getF32Type();
  MemRefType epilogueType = tileType({numWarps, kFragment, kFragment}, f32);
  int64_t aBytes = aType.getNumElements() * 2;
  int64_t bOffset = llvm::alignTo(aBytes, kRegionAlignment);
  int64_t stagingBytes = bOffset + bType.getNumElements() * 2;
  int64_t epilogueBytes = mmaSync ? 0 : epilogueType.getNumElements() * 4;
  int64_t bytes = llvm::alignTo(std::max(stagingBytes, epilogueBytes),
                                kRegionAlignment);
  bool dynamicShared = bytes > kMaxStaticSharedBytes;
  auto rawType = tileType({bytes}, b.getI8Type());

  Value one = cst(b, 1);
  SmallVector<Type> workgroupTypes;
  if (!dynamicShared)
    workgroupTypes.push_back(rawType);
  Value dynamicBytes;
  if (dynamicShared)
    dynamicBytes =
        arith::ConstantIntOp::create(b, loc, b.getI32Type(), bytes);
  auto launch = gpu::LaunchOp::create(
      b, loc, cst(b, grid), one, one, cst(b, threads), one, one, dynamicBytes,
      /*asyncTokenType=*/nullptr, /*asyncDependencies=*/ValueRange(),
      workgroupTypes, TypeRange());
  Block &kernel = launch.getBody().front();
  b.setInsertionPointToStart(&kernel);
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&kernel);

  Value raw;
  if (dynamicShared)
    raw = gpu::DynamicSharedMemoryOp::create(
        b, loc, tileType({ShapedType::kDynamic}, b.getI8Type()));
  else
    raw = launch.getWorkgroupAttributions().front();
  auto view = [&](MemRefType type, int64_t offset) -> Value {
    return memref::ViewOp::create(b, loc, type, raw, cst(b, offset),
                                  ValueRange());
  };
  Value aTile = view(aType, 0);
  Value bTile = view(bType, bOffset);
  Value epilogue = mmaSync ? Value() : view(epilogueType, 0);

  threadId = launch.getThreadIds().x;
  numThreads = cst(b, threads);
  for (auto [p, coord] :
       llvm::enumerate(delinearize(b, launch.getBlockIds().x, gridDims)))
    blockOrigin.push_back(
        arith::MulIOp::create(b, loc, coord, cst(b, config.block[p])));

  // This warp's tile: its coordinates in the block's warp grid, and where
  // its rows, columns and batch points start in the tiles.
  Value warpId = arith::DivUIOp::create(b, loc, threadId, cst(b, kWarpSize));
  Value lane = arith::RemUIOp::create(b, loc, threadId, cst(b, kWarpSize));
  SmallVector<int64_t> warpGrid;
  for (auto [p, l] : llvm::enumerate(fp.parallelLoops))
    warpGrid.push_back(config.block[p] / config.warp[p]);
  llvm::append_range(warpCoords, delinearize(b, warpId, warpGrid));
  auto warpIndexOver = [&](ArrayRef<unsigned> group) {
    SmallVector<Value> coords;
    SmallVector<int64_t> sizes;
    for (unsigned p : group) {
      coords.push_back(warpCoords[p]);
      sizes.push_back(warpGrid[p]);
    }
    return linearize(b, coords, sizes);
  };
  Value rowBase = arith::MulIOp::create(b, loc, warpIndexOver(rowGroup),
                                        cst(b, rowsPerWarp));
  Value columnBase = arith::MulIOp::create(b, loc, warpIndexOver(columnGroup),
                                           cst(b, columnsPerWarp));
  // The block-tile batch index of each of this warp's batch points.
  SmallVector<int64_t> batchBlockExtents = extentsOf(batchGroup, config.block);
  SmallVector<Value> batchIndices;
  for (int64_t point = 0; point < batchPerWarp; ++point) {
    SmallVector<Value> coords;
    SmallVector<int64_t> inWarp = getBatchPointInWarp(point);
    for (auto [i, p] : llvm::enumerate(batchGroup))
      coords.push_back(getInBlock(b, p, warpCoords[p], cst(b, inWarp[i])));
    batchIndices.push_back(linearize(b, coords, batchBlockExtents));
  }

  // mma.sync reads the tiles as 32-bit words, two bf16 along K.
  MmaSyncWarpTile mmaTile;
  if (mmaSync) {
    Type i32 = b.getI32Type();
    mmaTile.lane = lane;
    mmaTile.aWords = view(tileType({batchBlock, blockRows, aLead / 2}, i32), 0);
    mmaTile.bWords =
        view(tileType({batchBlock, blockColumns, bLead / 2}, i32), bOffset);
    mmaTile.batchIndices = batchIndices;
    mmaTile.rowBase = rowBase;
    mmaTile.columnBase = columnBase;
    mmaTile.rowTiles = rowsPerWarp / kMmaSyncM;
    mmaTile.columnTiles = columnsPerWarp / kMmaSyncN;
    mmaTile.kSlices = kStep / kMmaSyncK;
  }

  // Accumulators, zero: the output's initial value is added at the end.
  int64_t rowFragments = rowsPerWarp / kFragment;
  int64_t columnFragments = columnsPerWarp / kFragment;
  auto accType = gpu::MMAMatrixType::get({kFragment, kFragment}, f32, "COp");
  auto aFragType =
      gpu::MMAMatrixType::get({kFragment, kFragment}, inputType, "AOp");
  auto bFragType =
      gpu::MMAMatrixType::get({kFragment, kFragment}, inputType, "BOp");
  Value zeroF32 = arith::ConstantOp::create(b, loc, b.getZeroAttr(f32));
  SmallVector<Value> init;
  if (mmaSync)
    init.assign(mmaTile.getNumAccumulators(), zeroF32);
  else
    init.assign(batchPerWarp * rowFragments * columnFragments,
                gpu::SubgroupMmaConstantMatrixOp::create(b, loc, accType,
                                                         zeroF32));
  auto accIndex = [&](int64_t point, int64_t i, int64_t j) {
    return (point * rowFragments + i) * columnFragments + j;
  };

  SmallVector<Value> stepLbs(fp.reductionLoops.size(), cst(b, 0));
  SmallVector<Value> stepUbs, stepSteps;
  for (auto [r, l] : llvm::enumerate(fp.reductionLoops)) {
    stepUbs.push_back(cst(b, fp.loopExtents[l]));
    stepSteps.push_back(cst(b, config.reduction[r]));
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, stepLbs, stepUbs, stepSteps, init,
      [&](OpBuilder &sb, Location, ValueRange stepOrigin,
          ValueRange accs) -> scf::ValueVector {
        stageTile(sb, 0, aTile, stepOrigin, /*kIsColumns=*/true, rowGroup,
                  /*kMinorTile=*/true);
        stageTile(sb, 1, bTile, stepOrigin, /*kIsColumns=*/false,
                  columnGroup, /*kMinorTile=*/mmaSync);
        gpu::BarrierOp::create(sb, loc);
        SmallVector<Value> next(accs.begin(), accs.end());
        if (mmaSync) {
          mmaTile.emitStep(sb, loc, next);
          gpu::BarrierOp::create(sb, loc);
          return next;
        }
        auto lead = [&](int64_t ld) { return sb.getIndexAttr(ld); };
        for (int64_t kk = 0; kk < kStep / kFragment; ++kk) {
          Value k = cst(sb, kk * kFragment);
          for (int64_t point = 0; point < batchPerWarp; ++point) {
            SmallVector<Value> aFrags, bFrags;
            for (int64_t i = 0; i < rowFragments; ++i) {
              Value row = arith::AddIOp::create(sb, loc, rowBase,
                                                cst(sb, i * kFragment));
              aFrags.push_back(gpu::SubgroupMmaLoadMatrixOp::create(
                  sb, loc, aFragType, aTile,
                  ValueRange{batchIndices[point], row, k}, lead(aLead),
                  /*transpose=*/UnitAttr()));
            }
            for (int64_t j = 0; j < columnFragments; ++j) {
              Value column = arith::AddIOp::create(sb, loc, columnBase,
                                                   cst(sb, j * kFragment));
              bFrags.push_back(gpu::SubgroupMmaLoadMatrixOp::create(
                  sb, loc, bFragType, bTile,
                  ValueRange{batchIndices[point], k, column}, lead(bLead),
                  /*transpose=*/UnitAttr()));
            }
            for (int64_t i = 0; i < rowFragments; ++i)
              for (int64_t j = 0; j < columnFragments; ++j) {
                Value &acc = next[accIndex(point, i, j)];
                acc = gpu::SubgroupMmaComputeOp::create(
                    sb, loc, accType, aFrags[i], bFrags[j], acc,
                    /*a_transpose=*/UnitAttr(), /*b_transpose=*/UnitAttr());
              }
          }
        }
        gpu::BarrierOp::create(sb, loc);
        return next;
      });
  ValueRange results = nest.results;

  if (mmaSync) {
    // Each lane knows where its accumulators lie: straight to the output.
    mmaTile.forEachResult(
        b, loc, SmallVector<Value>(results),
        [&](OpBuilder &eb, int64_t point, Value row, Value column,
            Value value) {
          storeOutputElement(eb, point, row, column,
                             [&](OpBuilder &) { return value; });
        });
    if (!hooks)
      rewriter.eraseOp(op);
    return success();
  }

  // WMMA epilogue, one fragment at a time through the warp's 16x16 tile:
  // each lane writes 8 of its elements, guarded, through the output's map.
  constexpr int64_t kShare = kFragment * kFragment / kWarpSize;
  for (int64_t point = 0; point < batchPerWarp; ++point) {
    for (int64_t i = 0; i < rowFragments; ++i) {
      for (int64_t j = 0; j < columnFragments; ++j) {
        gpu::SubgroupMmaStoreMatrixOp::create(
            b, loc, results[accIndex(point, i, j)], epilogue,
            ValueRange{warpId, cst(b, 0), cst(b, 0)},
            b.getIndexAttr(kFragment), /*transpose=*/UnitAttr());
        gpu::BarrierOp::create(b, loc);
        auto loop = scf::ForOp::create(b, loc, cst(b, 0), cst(b, kShare), one);
        {
          OpBuilder::InsertionGuard loopGuard(b);
          b.setInsertionPointToStart(loop.getBody());
          Value element = arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, lane, cst(b, kShare)),
              loop.getInductionVar());
          Value r = arith::DivUIOp::create(b, loc, element, cst(b, kFragment));
          Value c = arith::RemUIOp::create(b, loc, element, cst(b, kFragment));
          storeOutputElement(
              b, point, arith::AddIOp::create(b, loc, r, cst(b, i * kFragment)),
              arith::AddIOp::create(b, loc, c, cst(b, j * kFragment)),
              [&](OpBuilder &gb) -> Value {
                return memref::LoadOp::create(gb, loc, epilogue,
                                              ValueRange{warpId, r, c});
              });
        }
        gpu::BarrierOp::create(b, loc);
      }
    }
  }
  if (failed(lowerFragmentLoops(launch))) {
    rewriter.eraseOp(launch);
    return failure();
  }
  if (!hooks)
    rewriter.eraseOp(op);
  return success();
}

} // namespace

LogicalResult mlir::hm::lowerToTensorCores(RewriterBase &rewriter,
                                           linalg::LinalgOp op,
                                           const OpFootprint &footprint,
                                           const TileConfig &config,
                                           rtile::ArchAttr arch,
                                           const TiledKernelHooks *hooks) {
  if (!CostModel(arch).usesTensorCores(footprint, config))
    return failure();
  TensorCoreKernelBuilder builder(op, footprint, config, hooks);
  if (!builder.analyse().empty())
    return failure();
  // The bf16 kernels need the NVVM and LLVM dialects, dependent dialects of
  // the pass; a context without them gets the CUDA-core kernel.
  MLIRContext *ctx = op.getContext();
  if (footprint.operands[0].elementType.isBF16() &&
      (!ctx->getLoadedDialect<NVVM::NVVMDialect>() ||
       !ctx->getLoadedDialect<LLVM::LLVMDialect>()))
    return failure();
  return builder.build(rewriter);
}
