//===- EmulatorRuntime.h - Building calls into the emulator runtime -*- C++
//-*-//
//
// Helpers shared by the parts of convert-gpu-to-emulator: declarations of
// the runtime functions (runtime/emulator/HeavyMetalEmuRuntime.h), constant
// strings, reads of the per-thread context, and the kernel-side rewrites.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_CONVERSION_GPUTOEMULATOR_EMULATORRUNTIME_H
#define HEAVYMETAL_LIB_CONVERSION_GPUTOEMULATOR_EMULATORRUNTIME_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::hm::emulator {

/// Names of the runtime entry points the generated code calls.
namespace fn {
constexpr llvm::StringLiteral kLaunch = "hm_emu_launch";
constexpr llvm::StringLiteral kBarrier = "hm_emu_barrier";
constexpr llvm::StringLiteral kYield = "hm_emu_yield";
constexpr llvm::StringLiteral kShuffle = "hm_emu_shuffle";
constexpr llvm::StringLiteral kShuffleValid = "hm_emu_shuffle_valid";
constexpr llvm::StringLiteral kWarpExchange = "hm_emu_warp_exchange";
constexpr llvm::StringLiteral kReportOutOfBounds = "hm_emu_report_oob";
constexpr llvm::StringLiteral kRegisterAlloc = "hm_emu_register_alloc";
constexpr llvm::StringLiteral kUnregisterAlloc = "hm_emu_unregister_alloc";
constexpr llvm::StringLiteral kSharedAccess = "hm_emu_shared_access";
constexpr llvm::StringLiteral kMatrixSync = "hm_emu_mma_sync";
constexpr llvm::StringLiteral kMatrixCompute = "hm_emu_mma_compute";
} // namespace fn

/// Declares runtime functions and constant strings in the host module, each
/// once.
class RuntimeBuilder {
public:
  explicit RuntimeBuilder(ModuleOp module) : module(module) {}

  ModuleOp getModule() const { return module; }

  /// Returns the private declaration of runtime function `name`; `type`
  /// must match an existing declaration.
  func::FuncOp getFunction(StringRef name, FunctionType type);

  /// Calls runtime function `name` (declared with the operand types and
  /// `results`).
  func::CallOp call(OpBuilder &builder, Location loc, StringRef name,
                    TypeRange results, ValueRange operands);

  /// A `!llvm.ptr` to a NUL-terminated global holding `text`.
  Value getString(OpBuilder &builder, Location loc, StringRef text);

  /// Whether `name` is a runtime function the pass declared.
  bool isRuntimeFunction(StringRef name) const { return functions.count(name); }

private:
  ModuleOp module;
  llvm::StringMap<func::FuncOp> functions;
  llvm::StringMap<LLVM::GlobalOp> strings;
};

/// "file:line:col" of `loc` (the first file location inside fused, named
/// or call-site locations), or "unknown location".
std::string describeLocation(Location loc);

/// Loads 64-bit slot `slot` of the thread context `context` as an i64.
Value loadContextSlot(OpBuilder &builder, Location loc, Value context,
                      int64_t slot);
/// Same, as an index.
Value loadContextIndex(OpBuilder &builder, Location loc, Value context,
                       int64_t slot);

/// Bytes one element of `type` occupies in memory, or failure when the
/// emulator does not know (non-numeric types).
FailureOr<int64_t> getElementBytes(Type type);

/// Returns `type` without memory space (memrefs; other types unchanged).
Type stripMemorySpace(Type type);

/// Whether `type` is a memref in GPU workgroup (shared) memory.
bool isWorkgroupMemRef(Type type);

/// Bit pattern of a scalar as i64, and back (ints, floats, index, <= 64
/// bits). Failure for other types.
FailureOr<Value> packToI64(OpBuilder &builder, Location loc, Value value);
Value unpackFromI64(OpBuilder &builder, Location loc, Value bits, Type type);

/// What the kernel conversion learned about one function.
struct KernelInfo {
  /// The converted function (context first, then the original arguments).
  func::FuncOp body;
  /// For kernels: the entry with the runtime's (context, args) signature.
  func::FuncOp entry;
  /// Bytes of static workgroup memory (16-byte multiple).
  int64_t staticSharedBytes = 0;
  /// "module::@kernel".
  std::string displayName;
  /// known_block_size of the kernel, if any.
  std::optional<SmallVector<int64_t, 3>> knownBlockSize;
};

/// Options of the kernel conversion.
struct KernelConversionOptions {
  bool boundsChecks = true;
  bool raceChecks = true;
  bool yieldInLoops = true;
};

/// Converts the functions of `gpuModule` into host functions in the module
/// of `runtime`: kernels and device functions get the thread context as a
/// first argument, GPU operations become context reads and runtime calls,
/// workgroup memory becomes views of the block's shared buffer and memory
/// spaces are dropped. Fills `kernels` (keyed by kernel symbol name) and
/// Emits errors and fails on operations it cannot emulate.
LogicalResult convertGPUModule(gpu::GPUModuleOp gpuModule,
                               RuntimeBuilder &runtime,
                               const KernelConversionOptions &options,
                               llvm::StringMap<KernelInfo> &kernels);

/// Lowers the GPU operations of `func`, a kernel or device function already
/// moved to the host module with the thread context as first argument:
/// ids, barriers, warp operations, printf, returns; calls to functions of
/// the gpu.module are redirected through `renamed` and get the context;
/// scf.while loops yield when `yieldInLoops`. `source` is the original
/// gpu.func (its known sizes), or null.
LogicalResult lowerKernelOps(func::FuncOp func, gpu::GPUFuncOp source,
                             RuntimeBuilder &runtime,
                             const llvm::StringMap<std::string> &renamed,
                             bool yieldInLoops);

/// Whether the emulator runs `op`, a gpu.subgroup_mma_* operation, and if
/// not emits an error at it saying why (fragment or memory element types,
/// layouts).
LogicalResult checkMatrixOpSupported(Operation *op);

/// Lowers the gpu.subgroup_mma_* operations of `func` (first argument: the
/// thread context) and gives every !gpu.mma_matrix value a vector type
/// holding the whole fragment in row-major order: each lane keeps a private
/// copy. Loads read the whole tile in every lane, stores write a disjoint
/// share per lane, compute calls the runtime; loads, stores and compute
/// synchronise the warp and check that its lanes agree. Runs before the
/// bounds and race checks, which then cover the generated accesses.
void lowerMatrixOps(func::FuncOp func, RuntimeBuilder &runtime);

/// Wraps every memref.load/store, atomic and vector.load/store of `func`
/// (whose first argument is the thread context) into a bounds check that
/// reports an out-of-bounds access through the runtime and skips it.
void insertBoundsChecks(func::FuncOp func, RuntimeBuilder &runtime);

/// Reports every plain load and store of workgroup memory in `func` (first
/// argument: the thread context) to the runtime's race detector. Runs on
/// memrefs that still carry their workgroup memory space.
void insertRaceChecks(func::FuncOp func, RuntimeBuilder &runtime);

} // namespace mlir::hm::emulator

#endif // HEAVYMETAL_LIB_CONVERSION_GPUTOEMULATOR_EMULATORRUNTIME_H
