//===- RaceChecks.cpp - Shared-memory race checks of emulated kernels -----===//
//
// Before every plain load and store of workgroup memory, the kernel tells
// the runtime which bytes it touches (hm_emu_shared_access); the runtime
// keeps, per byte, the last writer and the readers since the block's last
// barrier and reports two threads touching the same byte without a barrier
// between them (at least one writing), like compute-sanitizer's racecheck.
// Atomics are not races and are not recorded.
//
//===----------------------------------------------------------------------===//

#include "EmulatorRuntime.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::hm::emulator;

namespace {

/// A plain access to workgroup memory: memref, indices, bytes, write.
struct SharedAccess {
  Value memref;
  ValueRange indices;
  Type accessedType;
  bool isWrite;
};

std::optional<SharedAccess> getSharedAccess(Operation *op) {
  std::optional<SharedAccess> access =
      TypeSwitch<Operation *, std::optional<SharedAccess>>(op)
          .Case([](memref::LoadOp load) {
            return SharedAccess{load.getMemRef(), load.getIndices(),
                                load.getType(), false};
          })
          .Case([](memref::StoreOp store) {
            return SharedAccess{store.getMemRef(), store.getIndices(),
                                store.getValueToStore().getType(), true};
          })
          .Case([](vector::LoadOp load) {
            return SharedAccess{load.getBase(), load.getIndices(),
                                load.getVectorType(), false};
          })
          .Case([](vector::StoreOp store) {
            return SharedAccess{store.getBase(), store.getIndices(),
                                store.getVectorType(), true};
          })
          .Default([](Operation *) { return std::nullopt; });
  if (!access || !isWorkgroupMemRef(access->memref.getType()))
    return std::nullopt;
  return access;
}

} // namespace

void hm::emulator::insertRaceChecks(func::FuncOp func,
                                    RuntimeBuilder &runtime) {
  SmallVector<std::pair<Operation *, SharedAccess>> accesses;
  func.walk([&](Operation *op) {
    if (std::optional<SharedAccess> access = getSharedAccess(op))
      accesses.emplace_back(op, *access);
  });
  Value context = func.getArgument(0);
  Type i64 = IntegerType::get(func.getContext(), 64);
  for (auto &[op, access] : accesses) {
    auto type = cast<MemRefType>(access.memref.getType());
    FailureOr<int64_t> elementBytes = getElementBytes(type.getElementType());
    FailureOr<int64_t> accessBytes = getElementBytes(access.accessedType);
    if (failed(elementBytes) || failed(accessBytes))
      continue;
    OpBuilder builder(op);
    Location loc = op->getLoc();
    // Byte address = aligned pointer + (offset + sum(index * stride)) * size.
    Value linear;
    if (type.getRank() == 0) {
      linear =
          memref::ExtractStridedMetadataOp::create(builder, loc, access.memref)
              .getOffset();
    } else {
      auto metadata =
          memref::ExtractStridedMetadataOp::create(builder, loc, access.memref);
      linear = metadata.getOffset();
      for (auto [index, stride] :
           llvm::zip(access.indices, metadata.getStrides()))
        linear = arith::AddIOp::create(
            builder, loc, linear,
            arith::MulIOp::create(builder, loc, index, stride));
    }
    Value byteOffset = arith::MulIOp::create(
        builder, loc, linear,
        arith::ConstantIndexOp::create(builder, loc, *elementBytes));
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(builder, loc,
                                                                access.memref);
    Value address = arith::IndexCastOp::create(
        builder, loc, i64,
        arith::AddIOp::create(builder, loc, base, byteOffset));
    runtime.call(
        builder, loc, fn::kSharedAccess, {},
        {context, address,
         arith::ConstantIntOp::create(builder, loc, *accessBytes, 64),
         arith::ConstantIntOp::create(builder, loc, access.isWrite, 64),
         runtime.getString(builder, loc, describeLocation(loc))});
  }
}
