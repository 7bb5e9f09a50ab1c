//===- KernelToHost.cpp - gpu.func kernels as host functions --------------===//
//
// Each function of a gpu.module becomes a private func.func of the host
// module whose first argument is the emulated thread's context (a pointer to
// emu::ContextSlot slots): ids are loads from it, gpu.barrier and warp
// operations are runtime calls, workgroup memory is a view of the block's
// shared buffer, private memory is the fiber's stack (memref.alloca), and
// memory spaces are dropped. A kernel also gets an entry function with the
// runtime's uniform (context, args) signature, which unpacks the argument
// array that the launch site packs.
//
//===----------------------------------------------------------------------===//

#include "EmulatorRuntime.h"

#include "HeavyMetal/Conversion/GPUToEmulator.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::hm::emulator;
namespace emu = mlir::hm::emu;

namespace {

int64_t alignTo(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

/// Returns a fresh symbol name in `module` starting with `base`.
std::string getUniqueName(ModuleOp module, const Twine &base) {
  std::string name = base.str();
  std::string candidate = name;
  for (unsigned i = 1; module.lookupSymbol(candidate); ++i)
    candidate = name + "_" + std::to_string(i);
  return candidate;
}

/// Whether the emulator lowers `op`, a GPU dialect operation in a kernel.
bool isSupportedKernelOp(Operation *op) {
  return isa<gpu::ThreadIdOp, gpu::BlockIdOp, gpu::BlockDimOp, gpu::GridDimOp,
             gpu::LaneIdOp, gpu::SubgroupIdOp, gpu::NumSubgroupsOp,
             gpu::SubgroupSizeOp, gpu::GlobalIdOp, gpu::BarrierOp,
             gpu::ShuffleOp, gpu::SubgroupReduceOp, gpu::ReturnOp,
             gpu::DynamicSharedMemoryOp, gpu::PrintfOp>(op);
}

/// Whether `op` is one of the warp-collective matrix operations that
/// MatrixOps.cpp lowers (for some fragment types).
bool isMatrixOp(Operation *op) {
  return isa<gpu::SubgroupMmaLoadMatrixOp, gpu::SubgroupMmaStoreMatrixOp,
             gpu::SubgroupMmaComputeOp, gpu::SubgroupMmaConstantMatrixOp,
             gpu::SubgroupMmaElementwiseOp, NVVM::MmaOp>(op);
}

/// Whether `type` can be a warp-operation operand (passed as 64 bits).
bool isWarpScalar(Type type) {
  return type.isIndex() ||
         (type.isIntOrFloat() && type.getIntOrFloatBitWidth() <= 64);
}

class ModuleConverter {
public:
  ModuleConverter(gpu::GPUModuleOp gpuModule, RuntimeBuilder &runtime,
                  const KernelConversionOptions &options,
                  llvm::StringMap<KernelInfo> &kernels)
      : gpuModule(gpuModule), runtime(runtime), options(options),
        kernels(kernels), hostModule(runtime.getModule()) {}

  LogicalResult run();

private:
  LogicalResult checkSupported();
  LogicalResult hoistSymbols();
  LogicalResult convertFunction(FunctionOpInterface source);
  LogicalResult lowerWorkgroupMemory(func::FuncOp func, Block &entry,
                                     unsigned numInputs, unsigned numWorkgroup,
                                     bool isKernel, int64_t &staticBytes);
  void stripMemorySpaces(func::FuncOp func);
  func::FuncOp buildEntry(func::FuncOp body, StringRef kernelName);

  gpu::GPUModuleOp gpuModule;
  RuntimeBuilder &runtime;
  const KernelConversionOptions &options;
  llvm::StringMap<KernelInfo> &kernels;
  ModuleOp hostModule;
  /// New names of the module's function definitions and globals.
  llvm::StringMap<std::string> renamed;
  /// Workgroup-memory globals of the module.
  llvm::StringMap<MemRefType> workgroupGlobals;
};

LogicalResult ModuleConverter::checkSupported() {
  bool ok = true;
  for (Operation &op : gpuModule.getBody()->getOperations()) {
    if (isa<gpu::GPUFuncOp, func::FuncOp, memref::GlobalOp>(op))
      continue;
    op.emitOpError("in a gpu.module is not supported by the GPU emulator");
    ok = false;
  }
  gpuModule.walk([&](Operation *op) {
    if (isMatrixOp(op)) {
      ok &= succeeded(checkMatrixOpSupported(op));
    } else if (isa<gpu::GPUDialect>(op->getDialect()) &&
        !isa<gpu::GPUFuncOp, gpu::GPUModuleOp>(op) &&
        !isSupportedKernelOp(op)) {
      op->emitOpError("is not supported by the GPU emulator");
      ok = false;
    } else if (auto shuffle = dyn_cast<gpu::ShuffleOp>(op)) {
      if (!isWarpScalar(shuffle.getValue().getType())) {
        shuffle.emitOpError("on ")
            << shuffle.getValue().getType()
            << " is not supported by the GPU emulator (scalars of at most "
               "64 bits only)";
        ok = false;
      }
    } else if (auto reduce = dyn_cast<gpu::SubgroupReduceOp>(op)) {
      if (!isWarpScalar(reduce.getValue().getType())) {
        reduce.emitOpError("on ")
            << reduce.getValue().getType()
            << " is not supported by the GPU emulator (scalars of at most "
               "64 bits only)";
        ok = false;
      }
    } else if (isa<func::CallIndirectOp>(op)) {
      op->emitOpError("in a kernel is not supported by the GPU emulator");
      ok = false;
    }
  });
  return success(ok);
}

/// Moves globals and external declarations to the host module, and names
/// the host functions the module's functions become.
LogicalResult ModuleConverter::hoistSymbols() {
  StringRef prefix = gpuModule.getName();
  for (Operation &op :
       llvm::make_early_inc_range(gpuModule.getBody()->getOperations())) {
    if (auto global = dyn_cast<memref::GlobalOp>(op)) {
      if (isWorkgroupMemRef(global.getType())) {
        workgroupGlobals[global.getSymName()] = global.getType();
        continue;
      }
      std::string name = getUniqueName(hostModule, "__hm_emu_" + prefix + "_" +
                                                       global.getSymName());
      renamed[global.getSymName()] = name;
      global->moveBefore(hostModule.getBody(), hostModule.getBody()->end());
      global.setSymName(name);
      global.setType(cast<MemRefType>(stripMemorySpace(global.getType())));
      continue;
    }
    auto function = cast<FunctionOpInterface>(op);
    StringRef name = function.getName();
    if (!function.isExternal()) {
      renamed[name] =
          getUniqueName(hostModule, "__hm_emu_" + prefix + "_" + name);
      continue;
    }
    // A declaration (always a func.func: checkSupported admits no other
    // function-like operation, and a gpu.func has a body): the host module
    // or the runtime provides it.
    auto decl = cast<func::FuncOp>(op);
    if (auto existing = hostModule.lookupSymbol<func::FuncOp>(name)) {
      if (existing.getFunctionType() != decl.getFunctionType())
        return decl.emitOpError("conflicts with the host function @")
               << name << " of type " << existing.getFunctionType();
      decl.erase();
      continue;
    }
    decl->moveBefore(hostModule.getBody(), hostModule.getBody()->begin());
  }
  // References to renamed globals.
  gpuModule.walk([&](memref::GetGlobalOp get) {
    auto it = renamed.find(get.getName());
    if (it != renamed.end())
      get.setName(it->second);
  });
  return success();
}

LogicalResult
ModuleConverter::lowerWorkgroupMemory(func::FuncOp func, Block &entry,
                                      unsigned numInputs, unsigned numWorkgroup,
                                      bool isKernel, int64_t &staticBytes) {
  Location loc = func.getLoc();
  Value context = entry.getArgument(0);
  OpBuilder entryBuilder = OpBuilder::atBlockBegin(&entry);
  Value shared;
  auto getShared = [&]() {
    if (shared)
      return shared;
    // A memref<?xi8> over the block's workgroup memory.
    OpBuilder::InsertionGuard guard(entryBuilder);
    entryBuilder.setInsertionPointToStart(&entry);
    auto ptrType = LLVM::LLVMPointerType::get(func.getContext());
    Type i64 = entryBuilder.getI64Type();
    Value slot = LLVM::GEPOp::create(
        entryBuilder, loc, ptrType, i64, context,
        ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(emu::kSharedBase)});
    Value base = LLVM::LoadOp::create(entryBuilder, loc, ptrType, slot);
    Value bytes =
        loadContextSlot(entryBuilder, loc, context, emu::kSharedBytes);
    auto bufferType =
        MemRefType::get({ShapedType::kDynamic}, entryBuilder.getI8Type());
    LLVMTypeConverter converter(func.getContext());
    Type descriptorType = converter.convertType(bufferType);
    Value zero = LLVM::ConstantOp::create(entryBuilder, loc, i64, 0);
    Value one = LLVM::ConstantOp::create(entryBuilder, loc, i64, 1);
    Value descriptor =
        LLVM::PoisonOp::create(entryBuilder, loc, descriptorType);
    auto insert = [&](Value value, ArrayRef<int64_t> position) {
      descriptor = LLVM::InsertValueOp::create(entryBuilder, loc, descriptor,
                                               value, position);
    };
    insert(base, {0});
    insert(base, {1});
    insert(zero, {2});
    insert(bytes, {3, 0});
    insert(one, {4, 0});
    shared = UnrealizedConversionCastOp::create(entryBuilder, loc, bufferType,
                                                descriptor)
                 .getResult(0);
    return shared;
  };
  int64_t used = 0;
  // Reserves workgroup memory for `type`; fails for shapes the emulator
  // cannot place statically.
  auto createView = [&](OpBuilder &b, Operation *owner,
                        Type type) -> FailureOr<Value> {
    auto memref = cast<MemRefType>(type);
    FailureOr<int64_t> elementBytes = getElementBytes(memref.getElementType());
    if (!memref.hasStaticShape() || !memref.getLayout().isIdentity() ||
        failed(elementBytes))
      return owner->emitOpError("workgroup memory of type ")
             << type
             << " is not supported by the GPU emulator (static shapes with "
                "identity layout and numeric elements only)";
    int64_t alignment = *elementBytes > 16 ? 64 : 16;
    int64_t offset = alignTo(used, alignment);
    used = offset + memref.getNumElements() * *elementBytes;
    Value buffer = getShared();
    Value shift = arith::ConstantIndexOp::create(b, owner->getLoc(), offset);
    return Value(memref::ViewOp::create(
        b, owner->getLoc(), cast<MemRefType>(stripMemorySpace(memref)), buffer,
        shift, ValueRange()));
  };

  // Workgroup attributions (entry arguments after the inputs).
  for (unsigned i = 0; i < numWorkgroup; ++i) {
    BlockArgument argument = entry.getArgument(1 + numInputs + i);
    if (shared)
      entryBuilder.setInsertionPointAfterValue(shared);
    else
      entryBuilder.setInsertionPointToStart(&entry);
    FailureOr<Value> view = createView(entryBuilder, func, argument.getType());
    if (failed(view))
      return failure();
    argument.replaceAllUsesWith(*view);
  }

  // Allocations and globals in workgroup memory.
  SmallVector<Operation *> workgroupOps;
  func.walk([&](Operation *op) {
    if (isa<memref::AllocOp, memref::AllocaOp>(op) &&
        isWorkgroupMemRef(op->getResult(0).getType()))
      workgroupOps.push_back(op);
    else if (auto dealloc = dyn_cast<memref::DeallocOp>(op);
             dealloc && isWorkgroupMemRef(dealloc.getMemref().getType()))
      workgroupOps.push_back(op);
    else if (auto get = dyn_cast<memref::GetGlobalOp>(op);
             get && workgroupGlobals.count(get.getName()))
      workgroupOps.push_back(op);
    else if (isa<gpu::DynamicSharedMemoryOp>(op))
      workgroupOps.push_back(op);
  });
  if (!workgroupOps.empty() && !isKernel)
    return workgroupOps.front()->emitOpError(
        "in a device function is not supported by the GPU emulator "
        "(workgroup memory only in kernels)");
  // One view per workgroup global, created in the entry block and shared
  // by every get_global of it.
  llvm::StringMap<Value> globalViews;
  SmallVector<gpu::DynamicSharedMemoryOp> dynamicOps;
  for (Operation *op : workgroupOps) {
    if (isa<memref::DeallocOp>(op)) {
      op->erase();
      continue;
    }
    if (auto dynamic = dyn_cast<gpu::DynamicSharedMemoryOp>(op)) {
      dynamicOps.push_back(dynamic);
      continue;
    }
    OpBuilder b(op);
    if (auto get = dyn_cast<memref::GetGlobalOp>(op)) {
      Value &view = globalViews[get.getName()];
      if (!view) {
        OpBuilder atEntry = OpBuilder::atBlockBegin(&entry);
        if (shared)
          atEntry.setInsertionPointAfterValue(shared);
        FailureOr<Value> created = createView(atEntry, op, get.getType());
        if (failed(created))
          return failure();
        view = *created;
      }
      get.getResult().replaceAllUsesWith(view);
      get.erase();
      continue;
    }
    FailureOr<Value> view = createView(b, op, op->getResult(0).getType());
    if (failed(view))
      return failure();
    op->getResult(0).replaceAllUsesWith(*view);
    op->erase();
  }
  staticBytes = alignTo(used, 16);
  for (gpu::DynamicSharedMemoryOp dynamic : dynamicOps) {
    OpBuilder b(dynamic);
    Location dynLoc = dynamic.getLoc();
    Value start = arith::ConstantIndexOp::create(b, dynLoc, staticBytes);
    Value total = arith::IndexCastOp::create(
        b, dynLoc, b.getIndexType(),
        loadContextSlot(b, dynLoc, context, emu::kSharedBytes));
    Value size = arith::SubIOp::create(b, dynLoc, total, start);
    auto type = cast<MemRefType>(stripMemorySpace(dynamic.getType()));
    Value view = memref::ViewOp::create(b, dynLoc, type, getShared(), start,
                                        ValueRange{size});
    dynamic.getResult().replaceAllUsesWith(view);
    dynamic.erase();
  }
  return success();
}

void ModuleConverter::stripMemorySpaces(func::FuncOp func) {
  func.walk([](Operation *op) {
    for (Value result : op->getResults())
      result.setType(stripMemorySpace(result.getType()));
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument argument : block.getArguments())
          argument.setType(stripMemorySpace(argument.getType()));
  });
  func.walk([](memref::MemorySpaceCastOp cast) {
    cast.getResult().replaceAllUsesWith(cast.getSource());
    cast.erase();
  });
  SmallVector<Type> results;
  func.walk([&](func::ReturnOp ret) {
    results.assign(ret.getOperandTypes().begin(), ret.getOperandTypes().end());
  });
  func.setFunctionType(FunctionType::get(
      func.getContext(), func.front().getArgumentTypes(), results));
}

func::FuncOp ModuleConverter::buildEntry(func::FuncOp body,
                                         StringRef kernelName) {
  MLIRContext *ctx = body.getContext();
  Location loc = body.getLoc();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  OpBuilder b = OpBuilder::atBlockEnd(hostModule.getBody());
  auto entry = func::FuncOp::create(
      b, loc,
      getUniqueName(hostModule,
                    "__hm_emu_entry_" + gpuModule.getName() + "_" + kernelName),
      FunctionType::get(ctx, {ptrType, ptrType}, {}));
  entry.setPrivate();
  Block *block = entry.addEntryBlock();
  b.setInsertionPointToStart(block);
  Value context = block->getArgument(0);
  Value args = block->getArgument(1);
  LLVMTypeConverter converter(ctx);
  SmallVector<Value> operands{context};
  for (auto [i, type] :
       llvm::enumerate(body.getFunctionType().getInputs().drop_front())) {
    Value slotAddress =
        LLVM::GEPOp::create(b, loc, ptrType, ptrType, args,
                            ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
    Value slot = LLVM::LoadOp::create(b, loc, ptrType, slotAddress);
    Value value;
    if (isa<MemRefType>(type)) {
      Value descriptor =
          LLVM::LoadOp::create(b, loc, converter.convertType(type), slot);
      value = UnrealizedConversionCastOp::create(b, loc, type, descriptor)
                  .getResult(0);
    } else if (type.isIndex()) {
      value = arith::IndexCastOp::create(
          b, loc, type, LLVM::LoadOp::create(b, loc, b.getI64Type(), slot));
    } else {
      value = LLVM::LoadOp::create(b, loc, type, slot);
    }
    operands.push_back(value);
  }
  func::CallOp::create(b, loc, body, operands);
  func::ReturnOp::create(b, loc);
  return entry;
}

LogicalResult ModuleConverter::convertFunction(FunctionOpInterface source) {
  auto gpuFunc = dyn_cast<gpu::GPUFuncOp>(source.getOperation());
  bool isKernel = gpuFunc && gpuFunc.isKernel();
  MLIRContext *ctx = source.getContext();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto sourceType = cast<FunctionType>(source.getFunctionType());
  unsigned numInputs = sourceType.getNumInputs();
  unsigned numWorkgroup = gpuFunc ? gpuFunc.getNumWorkgroupAttributions() : 0;
  unsigned numPrivate = gpuFunc ? gpuFunc.getNumPrivateAttributions() : 0;

  if (isKernel) {
    for (Type input : sourceType.getInputs()) {
      Type stripped = stripMemorySpace(input);
      if (!isa<MemRefType>(stripped) && !LLVM::isCompatibleType(stripped) &&
          !stripped.isIndex())
        return source.emitOpError("has an argument of type ")
               << input << " that the GPU emulator cannot pass";
    }
  }

  OpBuilder b = OpBuilder::atBlockEnd(hostModule.getBody());
  auto func =
      func::FuncOp::create(b, source.getLoc(), renamed[source.getName()],
                           FunctionType::get(ctx, {}, {}));
  func.setPrivate();
  func.getBody().takeBody(source.getFunctionBody());
  Block &entry = func.front();
  entry.insertArgument(0u, ptrType, source.getLoc());

  // Matrix operations become loads and stores first, so that the checks
  // cover them. Checks go in while workgroup memrefs still say so in their
  // type; the race check sits inside the bounds check, next to the access.
  lowerMatrixOps(func, runtime);
  if (options.boundsChecks)
    insertBoundsChecks(func, runtime);
  if (options.raceChecks)
    insertRaceChecks(func, runtime);

  int64_t staticBytes = 0;
  if (failed(lowerWorkgroupMemory(func, entry, numInputs, numWorkgroup,
                                  isKernel, staticBytes)))
    return failure();
  // Private attributions live on the thread's stack.
  OpBuilder entryBuilder = OpBuilder::atBlockBegin(&entry);
  for (unsigned i = 0; i < numPrivate; ++i) {
    BlockArgument argument =
        entry.getArgument(1 + numInputs + numWorkgroup + i);
    auto type = cast<MemRefType>(stripMemorySpace(argument.getType()));
    argument.replaceAllUsesWith(
        memref::AllocaOp::create(entryBuilder, func.getLoc(), type));
  }
  entry.eraseArguments(1 + numInputs, numWorkgroup + numPrivate);

  if (failed(lowerKernelOps(func, gpuFunc, runtime, renamed,
                            options.yieldInLoops)))
    return failure();
  stripMemorySpaces(func);

  if (isKernel) {
    KernelInfo &info = kernels[source.getName()];
    info.body = func;
    info.entry = buildEntry(func, source.getName());
    info.staticSharedBytes = staticBytes;
    info.displayName = (gpuModule.getName() + "::@" + source.getName()).str();
    if (auto known = gpuFunc.getKnownBlockSizeAttr())
      info.knownBlockSize = SmallVector<int64_t, 3>(known.asArrayRef());
  }
  return success();
}

LogicalResult ModuleConverter::run() {
  if (failed(checkSupported()) || failed(hoistSymbols()))
    return failure();
  SmallVector<FunctionOpInterface> functions;
  for (Operation &op : gpuModule.getBody()->getOperations())
    if (auto function = dyn_cast<FunctionOpInterface>(op))
      if (!function.isExternal())
        functions.push_back(function);
  for (FunctionOpInterface function : functions)
    if (failed(convertFunction(function)))
      return failure();
  return success();
}

} // namespace

LogicalResult
hm::emulator::convertGPUModule(gpu::GPUModuleOp gpuModule,
                               RuntimeBuilder &runtime,
                               const KernelConversionOptions &options,
                               llvm::StringMap<KernelInfo> &kernels) {
  return ModuleConverter(gpuModule, runtime, options, kernels).run();
}
