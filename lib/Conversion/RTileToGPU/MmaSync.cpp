//===- MmaSync.cpp - bf16 tensor-core fragments with nvvm.mma.sync --------===//
//
// Fragment layouts of mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// (PTX ISA, "Matrix Fragments for mma.m16n8k16 with floating point type"),
// with g = lane / 4 (groupID) and t = lane % 4 (threadID_in_group); every
// A and B register holds two bf16 consecutive along K, the lower K in the
// low half:
//
//   A (16x16, row)  a0: (g, 2t..2t+1)    a1: (g+8, 2t..2t+1)
//                   a2: (g, 2t+8..2t+9)  a3: (g+8, 2t+8..2t+9)
//   B (16x8, col)   b0: (2t..2t+1, g)    b1: (2t+8..2t+9, g)
//   C/D (16x8, f32) c0: (g, 2t)  c1: (g, 2t+1)  c2: (g+8, 2t)  c3: (g+8, 2t+1)
//
// The staged tiles keep K fastest for A and for (transposed) B, so each
// register is one 32-bit workgroup-memory load.
//
//===----------------------------------------------------------------------===//

#include "MmaSync.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::hm;

namespace {

Value constantIndex(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value add(OpBuilder &b, Location loc, Value value, int64_t offset) {
  if (offset == 0)
    return value;
  return arith::AddIOp::create(b, loc, value, constantIndex(b, loc, offset));
}

/// The lane's group (g = lane / 4) and position in it (t = lane % 4).
std::pair<Value, Value> splitLane(OpBuilder &b, Location loc, Value lane) {
  Value four = constantIndex(b, loc, 4);
  return {arith::DivUIOp::create(b, loc, lane, four),
          arith::RemUIOp::create(b, loc, lane, four)};
}

} // namespace

void MmaSyncWarpTile::emitSlice(OpBuilder &b, Location loc, Value word,
                                MutableArrayRef<Value> accumulators) const {
  auto [group, inGroup] = splitLane(b, loc, lane);
  Type f32 = b.getF32Type();
  Type resultType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(kMmaSyncAccumulators, f32));
  // Words of K = 2t and 2t + 8 in this slice.
  if (std::optional<int64_t> first = getConstantIntValue(word))
    word = add(b, loc, inGroup, *first);
  else
    word = arith::AddIOp::create(b, loc, word, inGroup);
  Value wordHigh = add(b, loc, word, kMmaSyncK / 4);
  for (auto [point, batchIndex] : llvm::enumerate(batchIndices)) {
    Value batch = batchIndex;
    auto load = [&](Value words, Value row, Value column) -> Value {
      return memref::LoadOp::create(b, loc, words,
                                    ValueRange{batch, row, column});
    };
    SmallVector<SmallVector<Value, 4>> aRegisters, bRegisters;
    for (int64_t i = 0; i < rowTiles; ++i) {
      Value row = arith::AddIOp::create(b, loc, rowBase, group);
      row = add(b, loc, row, i * kMmaSyncM);
      Value rowHigh = add(b, loc, row, kMmaSyncM / 2);
      aRegisters.push_back(
          {load(aWords, row, word), load(aWords, rowHigh, word),
           load(aWords, row, wordHigh), load(aWords, rowHigh, wordHigh)});
    }
    for (int64_t j = 0; j < columnTiles; ++j) {
      Value column = arith::AddIOp::create(b, loc, columnBase, group);
      column = add(b, loc, column, j * kMmaSyncN);
      bRegisters.push_back(
          {load(bWords, column, word), load(bWords, column, wordHigh)});
    }
    for (int64_t i = 0; i < rowTiles; ++i) {
      for (int64_t j = 0; j < columnTiles; ++j) {
        int64_t first =
            ((static_cast<int64_t>(point) * rowTiles + i) * columnTiles + j) *
            kMmaSyncAccumulators;
        MutableArrayRef<Value> acc =
            accumulators.slice(first, kMmaSyncAccumulators);
        auto mma = NVVM::MmaOp::create(
            b, loc, resultType, aRegisters[i], bRegisters[j],
            SmallVector<Value>(acc.begin(), acc.end()),
            {kMmaSyncM, kMmaSyncN, kMmaSyncK}, /*b1Op=*/std::nullopt,
            /*intOverflow=*/std::nullopt,
            std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16,
                                          NVVM::MMATypes::bf16},
            std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                           NVVM::MMALayout::col});
        for (int64_t r = 0; r < kMmaSyncAccumulators; ++r)
          acc[r] = LLVM::ExtractValueOp::create(b, loc, mma.getRes(),
                                                ArrayRef<int64_t>{r});
      }
    }
  }
}

void MmaSyncWarpTile::emitStep(OpBuilder &b, Location loc,
                               MutableArrayRef<Value> accumulators) const {
  int64_t wordsPerSlice = kMmaSyncK / 2;
  if (kSlices <= kMaxUnrolledSlices) {
    for (int64_t slice = 0; slice < kSlices; ++slice)
      emitSlice(b, loc, constantIndex(b, loc, slice * wordsPerSlice),
                accumulators);
    return;
  }
  // A deep step (a convolution's KH x KW x C): a loop over its slices, the
  // accumulators carried, keeps the kernel's size bounded.
  auto loop = scf::ForOp::create(
      b, loc, constantIndex(b, loc, 0),
      constantIndex(b, loc, kSlices * wordsPerSlice),
      constantIndex(b, loc, wordsPerSlice),
      SmallVector<Value>(accumulators.begin(), accumulators.end()));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    SmallVector<Value> carried(loop.getRegionIterArgs());
    emitSlice(b, loc, loop.getInductionVar(), carried);
    scf::YieldOp::create(b, loc, carried);
  }
  llvm::copy(loop.getResults(), accumulators.begin());
}

void MmaSyncWarpTile::forEachResult(
    OpBuilder &b, Location loc, ArrayRef<Value> accumulators,
    function_ref<void(OpBuilder &, int64_t, Value, Value, Value)> store) const {
  auto [group, inGroup] = splitLane(b, loc, lane);
  // c0, c1 at (g, 2t), (g, 2t + 1); c2, c3 eight rows below.
  Value pairColumn =
      arith::MulIOp::create(b, loc, inGroup, constantIndex(b, loc, 2));
  for (int64_t point = 0, e = batchIndices.size(); point < e; ++point) {
    for (int64_t i = 0; i < rowTiles; ++i) {
      for (int64_t j = 0; j < columnTiles; ++j) {
        int64_t first =
            ((point * rowTiles + i) * columnTiles + j) * kMmaSyncAccumulators;
        for (int64_t r = 0; r < kMmaSyncAccumulators; ++r) {
          Value row =
              add(b, loc, group, i * kMmaSyncM + (r / 2) * (kMmaSyncM / 2));
          Value column = add(b, loc, pairColumn, j * kMmaSyncN + r % 2);
          store(b, point, row, column, accumulators[first + r]);
        }
      }
    }
  }
}
