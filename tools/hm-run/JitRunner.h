//===- JitRunner.h - Entry signatures, memref descriptors, JIT --*- C++ -*-===//
//
// What every device shares: the entry function's signature checked against
// what hm-run can pass, the memref descriptors of MLIR's C interface, and a
// module in the LLVM dialect JIT-compiled with MLIR's ExecutionEngine and
// called through `_mlir_ciface_<entry>`.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_TOOLS_HMRUN_JITRUNNER_H
#define HEAVYMETAL_TOOLS_HMRUN_JITRUNNER_H

#include "HostTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace mlir::hm::run {

/// A result of the entry: its element type and shape (dynamic sizes are read
/// from the returned descriptor).
struct ResultSpec {
  ElementType elementType;
  llvm::SmallVector<int64_t> shape;
};

/// The entry function as hm-run sees it.
struct EntrySignature {
  std::string name;
  llvm::SmallVector<TensorSpec> inputs;
  llvm::SmallVector<ResultSpec> results;
};

/// Finds `name` in `module` and checks that every argument is a statically
/// shaped ranked tensor and every result a ranked tensor of a supported
/// element type.
llvm::Expected<EntrySignature> getEntrySignature(ModuleOp module,
                                                 llvm::StringRef name,
                                                 llvm::StringRef fileName);

/// Puts `llvm.emit_c_interface` on the entry so that func-to-llvm emits
/// `_mlir_ciface_<entry>`, which takes memref descriptors by pointer.
void requestCInterface(ModuleOp module, llvm::StringRef entry);

/// A strided memref descriptor as the LLVM lowering lays it out: allocated
/// pointer, aligned pointer, offset, sizes[rank], strides[rank]; every field
/// is 8 bytes, so several descriptors in a struct have no padding.
struct MemRefDescriptor {
  void *allocated = nullptr;
  void *aligned = nullptr;
  int64_t offset = 0;
  llvm::SmallVector<int64_t> sizes;
  llvm::SmallVector<int64_t> strides;

  /// A descriptor for a dense row-major buffer of `shape` at `data`.
  static MemRefDescriptor getDense(void *data, llvm::ArrayRef<int64_t> shape);
  /// 8-byte words a descriptor of `rank` takes.
  static size_t getNumWords(size_t rank) { return 3 + 2 * rank; }
  /// Serialises into getNumWords(rank) words.
  void store(int64_t *words) const;
  /// Deserialises a descriptor of `rank`.
  static MemRefDescriptor load(const int64_t *words, size_t rank);
};

/// Copies `bytes` from `source` (where a result lives: host memory, or
/// device memory for CUDA) into host memory at `destination`.
using CopyToHostFn = llvm::function_ref<llvm::Error(
    void *destination, const void *source, int64_t bytes)>;

/// Copies a result view, strided or not, into a dense tensor.
llvm::Expected<HostTensor> readResult(const MemRefDescriptor &descriptor,
                                      ElementType elementType,
                                      CopyToHostFn copyToHost);

/// The paths of MLIR's C runner utilities (memrefCopy and friends) that every
/// JIT-compiled module may call.
llvm::SmallVector<std::string> getMLIRRunnerUtilsLibraries();

/// A module lowered to the LLVM dialect, JIT-compiled.
class JitModule {
public:
  /// Translates `module` to LLVM IR, optimises it at `optLevel` and
  /// JIT-compiles it, resolving external symbols in `sharedLibraries` and the
  /// process. Global constructors (e.g. GPU module loads) run here.
  static llvm::Expected<std::unique_ptr<JitModule>>
  create(ModuleOp module, llvm::ArrayRef<std::string> sharedLibraries,
         unsigned optLevel);

  /// Calls `_mlir_ciface_<entry>` with one descriptor per input (a dense
  /// buffer of the input's shape at `inputData[i]`) and returns the result
  /// descriptors.
  llvm::Expected<llvm::SmallVector<MemRefDescriptor>>
  call(const EntrySignature &entry, llvm::ArrayRef<void *> inputData);

  ~JitModule();

private:
  explicit JitModule(std::unique_ptr<ExecutionEngine> engine);
  std::unique_ptr<ExecutionEngine> engine;
};

} // namespace mlir::hm::run

#endif // HEAVYMETAL_TOOLS_HMRUN_JITRUNNER_H
