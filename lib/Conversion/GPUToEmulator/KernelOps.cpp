//===- KernelOps.cpp - GPU operations of kernels as runtime calls ---------===//
//
// Inside a kernel converted to a host function (first argument: the thread
// context), ids and sizes become context reads, gpu.barrier and the warp
// operations become runtime calls, gpu.printf calls printf, and scf.while
// loops yield (spin-waits).
//
//===----------------------------------------------------------------------===//

#include "EmulatorRuntime.h"

#include "HeavyMetal/Conversion/GPUToEmulator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::hm::emulator;
namespace emu = mlir::hm::emu;

namespace {

/// Combines two values with the reduction `kind`.
Value combine(OpBuilder &b, Location loc, gpu::AllReduceOperation kind,
              Value lhs, Value rhs) {
  bool isFloat = isa<FloatType>(lhs.getType());
  switch (kind) {
  case gpu::AllReduceOperation::ADD:
    return isFloat ? Value(arith::AddFOp::create(b, loc, lhs, rhs))
                   : Value(arith::AddIOp::create(b, loc, lhs, rhs));
  case gpu::AllReduceOperation::MUL:
    return isFloat ? Value(arith::MulFOp::create(b, loc, lhs, rhs))
                   : Value(arith::MulIOp::create(b, loc, lhs, rhs));
  case gpu::AllReduceOperation::MINUI:
    return arith::MinUIOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::MINSI:
    return arith::MinSIOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::MINNUMF:
    return arith::MinNumFOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::MAXUI:
    return arith::MaxUIOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::MAXSI:
    return arith::MaxSIOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::MAXNUMF:
    return arith::MaxNumFOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::AND:
    return arith::AndIOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::OR:
    return arith::OrIOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::XOR:
    return arith::XOrIOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::MINIMUMF:
    return arith::MinimumFOp::create(b, loc, lhs, rhs);
  case gpu::AllReduceOperation::MAXIMUMF:
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  }
  llvm_unreachable("unknown reduction");
}

void lowerShuffle(OpBuilder &b, gpu::ShuffleOp op, Value context,
                  RuntimeBuilder &runtime) {
  Location loc = op.getLoc();
  int32_t mode = 0;
  switch (op.getMode()) {
  case gpu::ShuffleMode::XOR:
    mode = emu::kShuffleXor;
    break;
  case gpu::ShuffleMode::DOWN:
    mode = emu::kShuffleDown;
    break;
  case gpu::ShuffleMode::UP:
    mode = emu::kShuffleUp;
    break;
  case gpu::ShuffleMode::IDX:
    mode = emu::kShuffleIdx;
    break;
  }
  Value modeValue = arith::ConstantIntOp::create(b, loc, mode, 32);
  Value bits = *packToI64(b, loc, op.getValue());
  Value site = runtime.getString(b, loc, describeLocation(loc));
  Value result =
      runtime
          .call(b, loc, fn::kShuffle, b.getI64Type(),
                {context, bits, op.getOffset(), op.getWidth(), modeValue, site})
          .getResult(0);
  op.getShuffleResult().replaceAllUsesWith(
      unpackFromI64(b, loc, result, op.getValue().getType()));
  if (!op.getValid().use_empty()) {
    Value valid = runtime
                      .call(b, loc, fn::kShuffleValid, b.getI32Type(),
                            {context, op.getOffset(), op.getWidth(), modeValue})
                      .getResult(0);
    Value zero = arith::ConstantIntOp::create(b, loc, 0, 32);
    op.getValid().replaceAllUsesWith(
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, valid, zero));
  }
  op.erase();
}

void lowerSubgroupReduce(OpBuilder &b, gpu::SubgroupReduceOp op, Value context,
                         RuntimeBuilder &runtime) {
  Location loc = op.getLoc();
  Type type = op.getValue().getType();
  Type i64 = b.getI64Type();
  Value bits = *packToI64(b, loc, op.getValue());
  Value site = runtime.getString(b, loc, describeLocation(loc));
  auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
  Value slots =
      runtime.call(b, loc, fn::kWarpExchange, ptrType, {context, bits, site})
          .getResult(0);
  auto constant = [&](int64_t value) {
    return arith::ConstantIntOp::create(b, loc, value, 64);
  };
  int64_t size = op.getClusterSize().value_or(emu::kWarpSize);
  int64_t stride = op.getClusterStride();
  // The first lane of this lane's cluster; members are first + k * stride.
  Value lane = loadContextSlot(b, loc, context, emu::kLaneId);
  Value lanes = loadContextSlot(b, loc, context, emu::kWarpLanes);
  Value position = arith::RemUIOp::create(
      b, loc, arith::DivUIOp::create(b, loc, lane, constant(stride)),
      constant(size));
  Value first = arith::SubIOp::create(
      b, loc, lane, arith::MulIOp::create(b, loc, position, constant(stride)));
  auto loadLane = [&](OpBuilder &builder, Value member) {
    Value address = LLVM::GEPOp::create(builder, loc, ptrType, i64, slots,
                                        ArrayRef<LLVM::GEPArg>{member});
    Value loaded = LLVM::LoadOp::create(builder, loc, i64, address);
    return unpackFromI64(builder, loc, loaded, type);
  };
  Value init = loadLane(b, first);
  Value lower = arith::ConstantIndexOp::create(b, loc, 1);
  Value upper = arith::ConstantIndexOp::create(b, loc, size);
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  gpu::AllReduceOperation kind = op.getOp();
  auto loop = scf::ForOp::create(
      b, loc, lower, upper, step, ValueRange{init},
      [&](OpBuilder &lb, Location l, Value k, ValueRange iterArgs) {
        Value kI64 = arith::IndexCastOp::create(lb, l, i64, k);
        Value member = arith::AddIOp::create(
            lb, l, first,
            arith::MulIOp::create(
                lb, l, kI64, arith::ConstantIntOp::create(lb, l, stride, 64)));
        // Lanes past a partial warp do not exist and do not contribute.
        Value present = arith::CmpIOp::create(lb, l, arith::CmpIPredicate::ult,
                                              member, lanes);
        auto ifOp = scf::IfOp::create(
            lb, l, present,
            [&](OpBuilder &tb, Location tl) {
              Value combined =
                  combine(tb, tl, kind, iterArgs[0], loadLane(tb, member));
              scf::YieldOp::create(tb, tl, combined);
            },
            [&](OpBuilder &eb, Location el) {
              scf::YieldOp::create(eb, el, iterArgs[0]);
            });
        scf::YieldOp::create(lb, l, ifOp.getResult(0));
      });
  op.getResult().replaceAllUsesWith(loop.getResult(0));
  op.erase();
}

void lowerPrintf(OpBuilder &b, gpu::PrintfOp op, RuntimeBuilder &runtime) {
  ModuleOp hostModule = runtime.getModule();
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto printfType = LLVM::LLVMFunctionType::get(IntegerType::get(ctx, 32),
                                                {ptrType}, /*isVarArg=*/true);
  auto printf = hostModule.lookupSymbol<LLVM::LLVMFuncOp>("printf");
  if (!printf) {
    OpBuilder moduleBuilder = OpBuilder::atBlockBegin(hostModule.getBody());
    printf = LLVM::LLVMFuncOp::create(moduleBuilder, loc, "printf", printfType);
  }
  SmallVector<Value> arguments{runtime.getString(b, loc, op.getFormat())};
  for (Value argument : op.getArgs()) {
    Type type = argument.getType();
    // C's default argument promotions.
    if (isa<FloatType>(type) && type.getIntOrFloatBitWidth() < 64)
      argument = arith::ExtFOp::create(b, loc, b.getF64Type(), argument);
    else if (type.isIndex())
      argument = arith::IndexCastOp::create(b, loc, b.getI64Type(), argument);
    else if (type.isInteger() && type.getIntOrFloatBitWidth() < 32)
      argument = arith::ExtSIOp::create(b, loc, b.getI32Type(), argument);
    arguments.push_back(argument);
  }
  LLVM::CallOp::create(b, loc, printf, arguments);
  op.erase();
}

} // namespace

LogicalResult hm::emulator::lowerKernelOps(
    func::FuncOp func, gpu::GPUFuncOp source, RuntimeBuilder &runtime,
    const llvm::StringMap<std::string> &renamed, bool yieldInLoops) {
  Value context = func.getArgument(0);
  std::optional<SmallVector<int64_t, 3>> knownBlock, knownGrid;
  if (source) {
    if (auto known = source.getKnownBlockSizeAttr())
      knownBlock = SmallVector<int64_t, 3>(known.asArrayRef());
    if (auto known = source.getKnownGridSizeAttr())
      knownGrid = SmallVector<int64_t, 3>(known.asArrayRef());
  }
  auto sizeOf = [&](OpBuilder &b, Location loc,
                    const std::optional<SmallVector<int64_t, 3>> &known,
                    int64_t slot, int64_t dim) -> Value {
    if (known)
      return arith::ConstantIndexOp::create(b, loc, (*known)[dim]);
    return loadContextIndex(b, loc, context, slot + dim);
  };

  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (isa<gpu::GPUDialect>(op->getDialect()) ||
        isa<scf::WhileOp, func::CallOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : ops) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    auto dimOf = [](auto idOp) {
      return static_cast<int64_t>(idOp.getDimension());
    };
    auto linearThreadId = [&]() {
      Value x = loadContextIndex(b, loc, context, emu::kThreadIdX);
      Value y = loadContextIndex(b, loc, context, emu::kThreadIdX + 1);
      Value z = loadContextIndex(b, loc, context, emu::kThreadIdX + 2);
      Value bx = sizeOf(b, loc, knownBlock, emu::kBlockDimX, 0);
      Value by = sizeOf(b, loc, knownBlock, emu::kBlockDimX, 1);
      Value zy = arith::AddIOp::create(b, loc, y,
                                       arith::MulIOp::create(b, loc, z, by));
      return arith::AddIOp::create(b, loc, x,
                                   arith::MulIOp::create(b, loc, zy, bx));
    };
    Value replacement;
    TypeSwitch<Operation *>(op)
        .Case([&](gpu::ThreadIdOp id) {
          replacement =
              loadContextIndex(b, loc, context, emu::kThreadIdX + dimOf(id));
        })
        .Case([&](gpu::BlockIdOp id) {
          replacement =
              loadContextIndex(b, loc, context, emu::kBlockIdX + dimOf(id));
        })
        .Case([&](gpu::BlockDimOp id) {
          replacement = sizeOf(b, loc, knownBlock, emu::kBlockDimX, dimOf(id));
        })
        .Case([&](gpu::GridDimOp id) {
          replacement = sizeOf(b, loc, knownGrid, emu::kGridDimX, dimOf(id));
        })
        .Case([&](gpu::GlobalIdOp id) {
          int64_t dim = dimOf(id);
          Value block = loadContextIndex(b, loc, context, emu::kBlockIdX + dim);
          Value size = sizeOf(b, loc, knownBlock, emu::kBlockDimX, dim);
          Value thread =
              loadContextIndex(b, loc, context, emu::kThreadIdX + dim);
          replacement = arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, block, size), thread);
        })
        .Case([&](gpu::LaneIdOp) {
          replacement = loadContextIndex(b, loc, context, emu::kLaneId);
        })
        .Case([&](gpu::SubgroupSizeOp) {
          replacement = arith::ConstantIndexOp::create(b, loc, emu::kWarpSize);
        })
        .Case([&](gpu::SubgroupIdOp) {
          replacement = arith::DivUIOp::create(
              b, loc, linearThreadId(),
              arith::ConstantIndexOp::create(b, loc, emu::kWarpSize));
        })
        .Case([&](gpu::NumSubgroupsOp) {
          Value threads = arith::MulIOp::create(
              b, loc, sizeOf(b, loc, knownBlock, emu::kBlockDimX, 0),
              arith::MulIOp::create(
                  b, loc, sizeOf(b, loc, knownBlock, emu::kBlockDimX, 1),
                  sizeOf(b, loc, knownBlock, emu::kBlockDimX, 2)));
          replacement = arith::CeilDivUIOp::create(
              b, loc, threads,
              arith::ConstantIndexOp::create(b, loc, emu::kWarpSize));
        })
        .Case([&](gpu::BarrierOp) {
          Value site = runtime.getString(b, loc, describeLocation(loc));
          runtime.call(b, loc, fn::kBarrier, {}, {context, site});
          op->erase();
        })
        .Case([&](gpu::ShuffleOp shuffle) {
          lowerShuffle(b, shuffle, context, runtime);
        })
        .Case([&](gpu::SubgroupReduceOp reduce) {
          lowerSubgroupReduce(b, reduce, context, runtime);
        })
        .Case([&](gpu::PrintfOp printf) { lowerPrintf(b, printf, runtime); })
        .Case([&](gpu::ReturnOp ret) {
          func::ReturnOp::create(b, loc, ret.getOperands());
          ret.erase();
        })
        .Case([&](scf::WhileOp loop) {
          // A spin-wait on memory that another block writes is a loop
          // whose condition reads memory: let other blocks run.
          if (!yieldInLoops)
            return;
          OpBuilder before = OpBuilder::atBlockBegin(&loop.getBefore().front());
          runtime.call(before, loc, fn::kYield, {}, {});
        })
        .Case([&](func::CallOp call) {
          auto it = renamed.find(call.getCallee());
          if (it == renamed.end())
            return; // external, e.g. hm_emu_yield
          call.setCallee(it->second);
          call->insertOperands(0, context);
        });
    if (replacement) {
      op->getResult(0).replaceAllUsesWith(replacement);
      op->erase();
    }
  }
  return success();
}
