//===- BoundsChecks.cpp - Out-of-bounds checks of emulated kernels --------===//
//
// Every access `op %m[%i0, ..., %in]` becomes
//
//   %ok = (%i0 <u dim0) and ... and (%in <u dimn)
//   scf.if %ok { op } else { hm_emu_report_oob(...); yield 0 }
//
// Comparing indices with the memref's extents (unsigned, so negative indices
// fail too) covers views and subviews as well as whole allocations, costs a
// compare per index on the fast path, and lets the access be skipped instead
// of corrupting the emulator. The error branch computes the address for the
// report.
//
//===----------------------------------------------------------------------===//

#include "EmulatorRuntime.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::hm::emulator;

namespace {

/// An access to check: the memref, its indices, and for vector accesses the
/// extents of the vector along the trailing memref dimensions.
struct Access {
  Value memref;
  SmallVector<Value> indices;
  ArrayRef<int64_t> vectorShape;
  bool isWrite = false;
};

std::optional<Access> getAccess(Operation *op) {
  return TypeSwitch<Operation *, std::optional<Access>>(op)
      .Case([](memref::LoadOp load) {
        return Access{load.getMemRef(), load.getIndices(), {}, false};
      })
      .Case([](memref::StoreOp store) {
        return Access{store.getMemRef(), store.getIndices(), {}, true};
      })
      .Case([](memref::AtomicRMWOp atomic) {
        return Access{atomic.getMemref(), atomic.getIndices(), {}, true};
      })
      .Case([](memref::GenericAtomicRMWOp atomic) {
        return Access{atomic.getMemref(), atomic.getIndices(), {}, true};
      })
      .Case([](vector::LoadOp load) {
        return Access{load.getBase(), load.getIndices(),
                      load.getVectorType().getShape(), false};
      })
      .Case([](vector::StoreOp store) {
        return Access{store.getBase(), store.getIndices(),
                      store.getVectorType().getShape(), true};
      })
      .Default([](Operation *) { return std::nullopt; });
}

StringRef getMemorySpaceName(MemRefType type) {
  if (isWorkgroupMemRef(type))
    return "shared";
  Attribute space = type.getMemorySpace();
  if (auto gpuSpace = dyn_cast_or_null<gpu::AddressSpaceAttr>(space))
    if (gpuSpace.getValue() == gpu::AddressSpace::Private)
      return "local";
  return "global";
}

/// A zero of `type` for the result of a skipped load, or null when there is
/// no arith constant of that type.
Value createZero(OpBuilder &builder, Location loc, Type type) {
  if (isa<IntegerType, FloatType, IndexType, VectorType>(type)) {
    TypedAttr zero = builder.getZeroAttr(type);
    if (zero)
      return arith::ConstantOp::create(builder, loc, zero);
  }
  return {};
}

class BoundsCheckBuilder {
public:
  BoundsCheckBuilder(func::FuncOp func, RuntimeBuilder &runtime)
      : func(func), runtime(runtime) {}

  void run() {
    SmallVector<std::pair<Operation *, Access>> accesses;
    func.walk([&](Operation *op) {
      if (std::optional<Access> access = getAccess(op))
        accesses.emplace_back(op, std::move(*access));
    });
    int64_t maxRank = 0;
    for (auto &[op, access] : accesses)
      maxRank = std::max(maxRank,
                         cast<MemRefType>(access.memref.getType()).getRank());
    if (maxRank == 0)
      return;
    createScratch(maxRank);
    for (auto &[op, access] : accesses)
      instrument(op, access);
  }

private:
  /// An i64 array in the entry block holding a report's indices and
  /// extents.
  void createScratch(int64_t maxRank) {
    OpBuilder builder = OpBuilder::atBlockBegin(&func.front());
    Location loc = func.getLoc();
    Value count = LLVM::ConstantOp::create(builder, loc, builder.getI64Type(),
                                           2 * maxRank);
    scratch = LLVM::AllocaOp::create(
        builder, loc, LLVM::LLVMPointerType::get(builder.getContext()),
        builder.getI64Type(), count);
  }

  void instrument(Operation *op, const Access &access) {
    auto type = cast<MemRefType>(access.memref.getType());
    if (type.getRank() == 0)
      return;
    SmallVector<Value> zeros;
    OpBuilder builder(op);
    Location loc = op->getLoc();
    for (Type result : op->getResultTypes()) {
      zeros.push_back(createZero(builder, loc, result));
      if (!zeros.back()) // e.g. complex: leave unchecked
        return;
    }

    // The condition: every index (and the last element of a vector access)
    // below the extent.
    int64_t rank = type.getRank();
    SmallVector<Value> extents;
    Value inBounds;
    for (int64_t d = 0; d < rank; ++d) {
      Value extent =
          type.isDynamicDim(d)
              ? Value(memref::DimOp::create(builder, loc, access.memref, d))
              : Value(arith::ConstantIndexOp::create(builder, loc,
                                                     type.getDimSize(d)));
      extents.push_back(extent);
      Value index = access.indices[d];
      Value ok = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::ult,
                                       index, extent);
      int64_t vectorDim =
          d - (rank - static_cast<int64_t>(access.vectorShape.size()));
      if (vectorDim >= 0 && access.vectorShape[vectorDim] > 1) {
        Value last = arith::AddIOp::create(
            builder, loc, index,
            arith::ConstantIndexOp::create(builder, loc,
                                           access.vectorShape[vectorDim] - 1));
        ok = arith::AndIOp::create(
            builder, loc, ok,
            arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::ult, last,
                                  extent));
      }
      inBounds =
          inBounds ? arith::AndIOp::create(builder, loc, inBounds, ok) : ok;
    }

    auto ifOp = scf::IfOp::create(builder, loc, op->getResultTypes(), inBounds,
                                  /*withElseRegion=*/true);
    // Then: the access itself.
    Block *thenBlock = ifOp.thenBlock();
    if (thenBlock->empty()) {
      op->moveBefore(thenBlock, thenBlock->end());
      OpBuilder thenBuilder = OpBuilder::atBlockEnd(thenBlock);
      auto yield = scf::YieldOp::create(thenBuilder, loc, op->getResults());
      for (auto [result, replacement] :
           llvm::zip(op->getResults(), ifOp.getResults()))
        result.replaceAllUsesExcept(replacement, yield);
    } else {
      op->moveBefore(thenBlock->getTerminator());
    }
    // Else: the report.
    Block *elseBlock = ifOp.elseBlock();
    OpBuilder elseBuilder(elseBlock, elseBlock->begin());
    emitReport(elseBuilder, loc, op, access, type, extents);
    if (elseBlock->empty() ||
        !elseBlock->back().hasTrait<OpTrait::IsTerminator>())
      scf::YieldOp::create(elseBuilder, loc, zeros);
  }

  void emitReport(OpBuilder &builder, Location loc, Operation *op,
                  const Access &access, MemRefType type,
                  ArrayRef<Value> extents) {
    int64_t rank = type.getRank();
    Type i64 = builder.getI64Type();
    Value buffer = scratch;
    auto ptrType = LLVM::LLVMPointerType::get(builder.getContext());
    auto storeAt = [&](int64_t slot, Value index) {
      Value address = LLVM::GEPOp::create(
          builder, loc, ptrType, i64, buffer,
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(slot)});
      Value value = arith::IndexCastOp::create(builder, loc, i64, index);
      LLVM::StoreOp::create(builder, loc, value, address);
    };
    for (int64_t d = 0; d < rank; ++d) {
      storeAt(d, access.indices[d]);
      storeAt(rank + d, extents[d]);
    }
    // The element offset of the access from the aligned pointer.
    auto metadata =
        memref::ExtractStridedMetadataOp::create(builder, loc, access.memref);
    Value linear = metadata.getOffset();
    for (int64_t d = 0; d < rank; ++d)
      linear = arith::AddIOp::create(
          builder, loc, linear,
          arith::MulIOp::create(builder, loc, access.indices[d],
                                metadata.getStrides()[d]));
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(builder, loc,
                                                                access.memref);
    FailureOr<int64_t> elementBytes = getElementBytes(type.getElementType());

    std::string site;
    llvm::raw_string_ostream os(site);
    os << op->getName().getStringRef() << '\x1f' << getMemorySpaceName(type)
       << '\x1f' << type << '\x1f' << describeLocation(loc);
    Value siteString = runtime.getString(builder, loc, os.str());
    Value context = func.getArgument(0);
    runtime.call(
        builder, loc, fn::kReportOutOfBounds, {},
        {context, siteString, LLVM::ConstantOp::create(builder, loc, i64, rank),
         buffer, arith::IndexCastOp::create(builder, loc, i64, base),
         arith::IndexCastOp::create(builder, loc, i64, linear),
         LLVM::ConstantOp::create(
             builder, loc, i64, succeeded(elementBytes) ? *elementBytes : 1)});
  }

  func::FuncOp func;
  RuntimeBuilder &runtime;
  Value scratch;
};

} // namespace

void hm::emulator::insertBoundsChecks(func::FuncOp func,
                                      RuntimeBuilder &runtime) {
  BoundsCheckBuilder(func, runtime).run();
}
