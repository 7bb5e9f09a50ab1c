//===- GPUToEmulator.cpp - Run GPU kernels on the CPU emulator ------------===//
//
// The pass driver and the host side: kernels are converted by
// KernelToHost.cpp; here host GPU operations become runtime calls and plain
// memref operations, and the pipeline is defined.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Conversion/GPUToEmulator.h"

#include "EmulatorRuntime.h"
#include "HeavyMetal/Conversion/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::hm {
#define GEN_PASS_DEF_CONVERTGPUTOEMULATOR
#include "HeavyMetal/Conversion/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm::emulator;
namespace emu = mlir::hm::emu;

#define DEBUG_TYPE "convert-gpu-to-emulator"

namespace {

/// Whether `func` calls, directly or through other functions of `module`,
/// a runtime function that synchronises threads (so its threads need
/// fibers).
bool synchronisesThreads(ModuleOp module, func::FuncOp func,
                         DenseMap<Operation *, bool> &memo) {
  auto [it, inserted] = memo.try_emplace(func, false);
  if (!inserted)
    return it->second;
  bool result = false;
  func.walk([&](func::CallOp call) {
    StringRef callee = call.getCallee();
    if (callee == fn::kBarrier || callee == fn::kShuffle ||
        callee == fn::kWarpExchange || callee == fn::kYield ||
        callee == fn::kMatrixSync || callee == fn::kMatrixCompute) {
      result = true;
    } else if (auto target = module.lookupSymbol<func::FuncOp>(callee)) {
      if (!target.isExternal() && synchronisesThreads(module, target, memo))
        result = true;
    }
  });
  memo[func] = result;
  return result;
}

class HostConverter {
public:
  HostConverter(ModuleOp module, RuntimeBuilder &runtime,
                const llvm::StringMap<llvm::StringMap<KernelInfo>> &kernels)
      : module(module), runtime(runtime), kernels(kernels),
        converter(module.getContext()) {}

  LogicalResult run(ArrayRef<func::FuncOp> hostFunctions);

private:
  LogicalResult checkTokens(Operation *op);
  LogicalResult lowerLaunch(gpu::LaunchFuncOp launch);
  LogicalResult lowerAlloc(gpu::AllocOp alloc);
  void lowerMemset(gpu::MemsetOp memset);
  /// An llvm.alloca of `type` at the start of the function of `op`.
  Value createEntryAlloca(Operation *op, Type type, int64_t count = 1);

  ModuleOp module;
  RuntimeBuilder &runtime;
  const llvm::StringMap<llvm::StringMap<KernelInfo>> &kernels;
  LLVMTypeConverter converter;
  DenseMap<Operation *, bool> fiberMemo;
};

LogicalResult HostConverter::checkTokens(Operation *op) {
  for (Value result : op->getResults()) {
    if (!isa<gpu::AsyncTokenType>(result.getType()))
      continue;
    for (Operation *user : result.getUsers()) {
      if (isa<gpu::GPUDialect>(user->getDialect()))
        continue;
      return user->emitOpError("uses the !gpu.async.token of '")
             << op->getName()
             << "'; the GPU emulator runs GPU operations synchronously and "
                "supports tokens only as dependencies of GPU operations";
    }
  }
  return success();
}

Value HostConverter::createEntryAlloca(Operation *op, Type type,
                                       int64_t count) {
  auto func = op->getParentOfType<FunctionOpInterface>();
  OpBuilder builder = OpBuilder::atBlockBegin(&func.getFunctionBody().front());
  Location loc = op->getLoc();
  Value size =
      LLVM::ConstantOp::create(builder, loc, builder.getI64Type(), count);
  return LLVM::AllocaOp::create(
      builder, loc, LLVM::LLVMPointerType::get(builder.getContext()), type,
      size);
}

LogicalResult HostConverter::lowerLaunch(gpu::LaunchFuncOp launch) {
  Location loc = launch.getLoc();
  auto moduleIt = kernels.find(launch.getKernelModuleName().getValue());
  const KernelInfo *info = nullptr;
  if (moduleIt != kernels.end()) {
    auto it = moduleIt->second.find(launch.getKernelName().getValue());
    if (it != moduleIt->second.end())
      info = &it->second;
  }
  if (!info)
    return launch.emitOpError("launches @")
           << launch.getKernelModuleName().getValue() << "::@"
           << launch.getKernelName().getValue()
           << ", which is not a gpu.func kernel in a gpu.module of this "
              "module; the GPU emulator needs the kernels' IR";
  if (launch.hasClusterSize())
    return launch.emitOpError("with a cluster size is not supported by the "
                              "GPU emulator");
  gpu::KernelDim3 blockSize = launch.getBlockSizeOperandValues();
  if (info->knownBlockSize) {
    Value sizes[3] = {blockSize.x, blockSize.y, blockSize.z};
    for (int d = 0; d < 3; ++d) {
      std::optional<int64_t> size = getConstantIntValue(sizes[d]);
      if (size && *size != (*info->knownBlockSize)[d])
        return launch.emitOpError("launches @")
               << info->displayName << " with block size " << *size
               << " in dimension " << d
               << ", but the kernel's known_block_size is "
               << (*info->knownBlockSize)[d];
    }
  }

  // Pack the arguments like CUDA's kernelParams: an array of pointers to
  // each value (memrefs as their LLVM descriptors).
  OpBuilder builder(launch);
  MLIRContext *ctx = builder.getContext();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64 = builder.getI64Type();
  ValueRange operands = launch.getKernelOperands();
  Value argv =
      createEntryAlloca(launch, ptrType, std::max<int64_t>(operands.size(), 1));
  for (auto [i, operand] : llvm::enumerate(operands)) {
    Type type = operand.getType();
    Value value = operand;
    Type slotType;
    if (isa<MemRefType>(type)) {
      slotType = converter.convertType(type);
      if (!slotType)
        return launch.emitOpError("passes a kernel argument of type ")
               << type << " that the GPU emulator cannot pass";
      value = UnrealizedConversionCastOp::create(builder, loc, slotType, value)
                  .getResult(0);
    } else if (type.isIndex()) {
      slotType = i64;
      value = arith::IndexCastOp::create(builder, loc, i64, value);
    } else if (LLVM::isCompatibleType(type)) {
      slotType = type;
    } else {
      return launch.emitOpError("passes a kernel argument of type ")
             << type << " that the GPU emulator cannot pass";
    }
    Value slot = createEntryAlloca(launch, slotType);
    LLVM::StoreOp::create(builder, loc, value, slot);
    Value entry =
        LLVM::GEPOp::create(builder, loc, ptrType, ptrType, argv,
                            ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
    LLVM::StoreOp::create(builder, loc, slot, entry);
  }

  bool fibers = synchronisesThreads(module, info->body, fiberMemo);
  auto toI64 = [&](Value index) -> Value {
    return arith::IndexCastOp::create(builder, loc, i64, index);
  };
  auto constant = [&](int64_t value) -> Value {
    return LLVM::ConstantOp::create(builder, loc, i64, value);
  };
  Value dynamicShared = constant(0);
  if (Value size = launch.getDynamicSharedMemorySize())
    dynamicShared = arith::ExtSIOp::create(builder, loc, i64, size);
  gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
  func::FuncOp entry = info->entry;
  Value entryFunction = func::ConstantOp::create(
      builder, loc, entry.getFunctionType(), SymbolRefAttr::get(entry));
  runtime.call(builder, loc, fn::kLaunch, {},
               {entryFunction,
                runtime.getString(builder, loc, info->displayName),
                constant(fibers ? emu::kLaunchNeedsFibers : 0),
                constant(info->staticSharedBytes), dynamicShared, toI64(grid.x),
                toI64(grid.y), toI64(grid.z), toI64(blockSize.x),
                toI64(blockSize.y), toI64(blockSize.z), argv});
  return success();
}

LogicalResult HostConverter::lowerAlloc(gpu::AllocOp alloc) {
  OpBuilder builder(alloc);
  Location loc = alloc.getLoc();
  MemRefType type = alloc.getType();
  FailureOr<int64_t> elementBytes = getElementBytes(type.getElementType());
  if (!type.getLayout().isIdentity() || failed(elementBytes))
    return alloc.emitOpError("of ")
           << type
           << " is not supported by the GPU emulator (identity layouts of "
              "numeric elements only)";
  auto memref = memref::AllocOp::create(
      builder, loc, type, alloc.getDynamicSizes(), alloc.getSymbolOperands(),
      builder.getI64IntegerAttr(64));
  // Bytes = element size * static extents * dynamic extents.
  int64_t staticElements = 1;
  for (int64_t size : type.getShape())
    if (!ShapedType::isDynamic(size))
      staticElements *= size;
  Value bytes = arith::ConstantIndexOp::create(builder, loc,
                                               staticElements * *elementBytes);
  for (Value size : alloc.getDynamicSizes())
    bytes = arith::MulIOp::create(builder, loc, bytes, size);
  Type i64 = builder.getI64Type();
  Value base =
      memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, memref);
  runtime.call(builder, loc, fn::kRegisterAlloc, {},
               {arith::IndexCastOp::create(builder, loc, i64, base),
                arith::IndexCastOp::create(builder, loc, i64, bytes),
                runtime.getString(builder, loc,
                                  "gpu.alloc at " + describeLocation(loc))});
  alloc.getMemref().replaceAllUsesWith(memref);
  return success();
}

void HostConverter::lowerMemset(gpu::MemsetOp memset) {
  OpBuilder builder(memset);
  Location loc = memset.getLoc();
  Value dst = memset.getDst();
  Value value = memset.getValue();
  auto type = cast<MemRefType>(dst.getType());
  if (type.getRank() == 0) {
    memref::StoreOp::create(builder, loc, value, dst);
    return;
  }
  SmallVector<Value> lower, upper, steps;
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  for (int64_t d = 0; d < type.getRank(); ++d) {
    lower.push_back(zero);
    steps.push_back(one);
    upper.push_back(memref::DimOp::create(builder, loc, dst, d));
  }
  scf::buildLoopNest(builder, loc, lower, upper, steps,
                     [&](OpBuilder &b, Location l, ValueRange ivs) {
                       memref::StoreOp::create(b, l, value, dst, ivs);
                     });
}

LogicalResult HostConverter::run(ArrayRef<func::FuncOp> hostFunctions) {
  SmallVector<Operation *> ops;
  for (func::FuncOp func : hostFunctions)
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::GPUDialect>(op->getDialect()))
        ops.push_back(op);
      // Not outlined: one error for the whole launch.
      return isa<gpu::LaunchOp>(op) ? WalkResult::skip()
                                    : WalkResult::advance();
    });
  bool ok = true;
  for (Operation *op : ops)
    ok &= succeeded(checkTokens(op));
  if (!ok)
    return failure();

  for (Operation *op : ops) {
    LogicalResult result =
        TypeSwitch<Operation *, LogicalResult>(op)
            .Case([&](gpu::LaunchFuncOp launch) { return lowerLaunch(launch); })
            .Case([&](gpu::AllocOp alloc) { return lowerAlloc(alloc); })
            .Case([&](gpu::DeallocOp dealloc) {
              OpBuilder builder(dealloc);
              Location loc = dealloc.getLoc();
              Value base = memref::ExtractAlignedPointerAsIndexOp::create(
                  builder, loc, dealloc.getMemref());
              runtime.call(builder, loc, fn::kUnregisterAlloc, {},
                           {arith::IndexCastOp::create(
                               builder, loc, builder.getI64Type(), base)});
              memref::DeallocOp::create(builder, loc, dealloc.getMemref());
              return success();
            })
            .Case([&](gpu::MemcpyOp memcpy) {
              OpBuilder builder(memcpy);
              memref::CopyOp::create(builder, memcpy.getLoc(), memcpy.getSrc(),
                                     memcpy.getDst());
              return success();
            })
            .Case([&](gpu::MemsetOp memset) {
              lowerMemset(memset);
              return success();
            })
            .Case<gpu::WaitOp, gpu::HostRegisterOp, gpu::HostUnregisterOp,
                  gpu::SetDefaultDeviceOp>(
                [](Operation *) { return success(); })
            .Case([](gpu::LaunchOp launch) {
              return launch.emitOpError(
                  "must be outlined before the GPU emulator runs "
                  "(gpu-kernel-outlining; hm-emulator-pipeline does it)");
            })
            .Default([](Operation *other) {
              return other->emitOpError(
                  "in host code is not supported by the GPU emulator");
            });
    ok &= succeeded(result);
  }
  if (!ok)
    return failure();
  // Users come after producers: erase in reverse order.
  for (Operation *op : llvm::reverse(ops)) {
    for (Value result : op->getResults())
      if (isa<gpu::AsyncTokenType>(result.getType()))
        result.dropAllUses();
    op->erase();
  }
  return success();
}

struct ConvertGPUToEmulator final
    : hm::impl::ConvertGPUToEmulatorBase<ConvertGPUToEmulator> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (module
            .walk([](gpu::BinaryOp binary) {
              binary.emitOpError(
                  "holds compiled kernels, which the GPU emulator cannot "
                  "run; emulate the module before gpu-module-to-binary");
              return WalkResult::interrupt();
            })
            .wasInterrupted())
      return signalPassFailure();

    SmallVector<func::FuncOp> hostFunctions(module.getOps<func::FuncOp>());
    SmallVector<gpu::GPUModuleOp> gpuModules(module.getOps<gpu::GPUModuleOp>());

    // gpu.all_reduce becomes shuffles, workgroup memory and barriers. The
    // walk driver neither folds nor erases dead operations: a spin loop
    // that only reads memory looks dead but must stay.
    RewritePatternSet patterns(&getContext());
    populateGpuAllReducePatterns(patterns);
    FrozenRewritePatternSet frozen(std::move(patterns));
    for (gpu::GPUModuleOp gpuModule : gpuModules)
      if (gpuModule
              .walk([](gpu::AllReduceOp) { return WalkResult::interrupt(); })
              .wasInterrupted())
        walkAndApplyPatterns(gpuModule, frozen);

    RuntimeBuilder runtime(module);
    KernelConversionOptions options;
    options.boundsChecks = boundsChecks;
    options.raceChecks = raceChecks;
    options.yieldInLoops = yieldInLoops;
    llvm::StringMap<llvm::StringMap<KernelInfo>> kernels;
    bool ok = true;
    for (gpu::GPUModuleOp gpuModule : gpuModules)
      ok &= succeeded(convertGPUModule(gpuModule, runtime, options,
                                       kernels[gpuModule.getName()]));
    if (!ok)
      return signalPassFailure();

    HostConverter host(module, runtime, kernels);
    if (failed(host.run(hostFunctions)))
      return signalPassFailure();
    for (gpu::GPUModuleOp gpuModule : gpuModules)
      gpuModule.erase();
    module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }
};

} // namespace

void hm::buildEmulatorPipeline(OpPassManager &pm,
                               const EmulatorOptions &options) {
  pm.addPass(createGpuKernelOutliningPass());
  ConvertGPUToEmulatorOptions emulator;
  emulator.boundsChecks = options.boundsChecks;
  emulator.raceChecks = options.raceChecks;
  emulator.yieldInLoops = options.yieldInLoops;
  pm.addPass(createConvertGPUToEmulator(emulator));
  // The baseline mapping leaves affine.delinearize_index in kernels.
  pm.addPass(createLowerAffinePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void hm::buildEmulatorPipeline(OpPassManager &pm) {
  buildEmulatorPipeline(pm, EmulatorOptions());
}

namespace {
/// The options of hm-emulator-pipeline.
struct EmulatorPipelineOptions
    : public PassPipelineOptions<EmulatorPipelineOptions> {
  Option<bool> boundsChecks{
      *this, "bounds-checks",
      llvm::cl::desc("Report and skip out-of-bounds memory accesses"),
      llvm::cl::init(true)};
  Option<bool> raceChecks{
      *this, "race-checks",
      llvm::cl::desc("Report shared-memory races between barriers"),
      llvm::cl::init(true)};
  Option<bool> yieldInLoops{
      *this, "yield-in-loops",
      llvm::cl::desc("Yield in every scf.while iteration of a kernel"),
      llvm::cl::init(true)};
};
} // namespace

void hm::registerEmulatorPipeline() {
  PassPipelineRegistration<EmulatorPipelineOptions>(
      "hm-emulator-pipeline",
      "Lower GPU-level IR (hm-linalg-to-gpu-pipeline's output) to host code "
      "that runs the kernels on the CPU emulator "
      "(libHeavyMetalEmuRuntime.so)",
      [](OpPassManager &pm, const EmulatorPipelineOptions &options) {
        EmulatorOptions emulator;
        emulator.boundsChecks = options.boundsChecks;
        emulator.raceChecks = options.raceChecks;
        emulator.yieldInLoops = options.yieldInLoops;
        buildEmulatorPipeline(pm, emulator);
      });
}
