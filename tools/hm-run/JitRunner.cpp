//===- JitRunner.cpp - Entry signatures, memref descriptors, JIT ----------===//

#include "JitRunner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::run;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::string typeToString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

/// Checks one argument or result type; `what` is "argument #0 of @f".
static llvm::Expected<ResultSpec>
checkTensorType(Type type, const llvm::Twine &what, bool requireStaticShape) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType)
    return makeError(what + " has type " + typeToString(type) +
                     "; hm-run passes ranked tensors only");
  std::optional<ElementType> elementType =
      getElementType(tensorType.getElementType());
  if (!elementType)
    return makeError(what + " has element type " +
                     typeToString(tensorType.getElementType()) +
                     "; hm-run supports f16, bf16, f32, f64, i1, i8, i16, "
                     "i32 and i64");
  if (requireStaticShape && !tensorType.hasStaticShape())
    return makeError(what + " has type " + typeToString(type) +
                     "; dynamic dimensions are not supported, hm-run needs "
                     "static shapes");
  return ResultSpec{*elementType, llvm::to_vector(tensorType.getShape())};
}

llvm::Expected<EntrySignature>
run::getEntrySignature(ModuleOp module, llvm::StringRef name,
                       llvm::StringRef fileName) {
  auto function =
      dyn_cast_or_null<func::FuncOp>(SymbolTable::lookupSymbolIn(module, name));
  if (!function) {
    std::string available;
    for (auto candidate : module.getOps<func::FuncOp>())
      if (!candidate.isDeclaration())
        available +=
            (available.empty() ? "@" : ", @") + candidate.getSymName().str();
    return makeError("no function @" + name + " in " + fileName +
                     (available.empty()
                          ? llvm::Twine("; it defines no function")
                          : llvm::Twine("; it defines ") + available));
  }
  if (function.isDeclaration())
    return makeError("@" + name + " in " + fileName +
                     " is a declaration without a body");

  EntrySignature signature;
  signature.name = name.str();
  for (auto [index, type] : llvm::enumerate(function.getArgumentTypes())) {
    llvm::Expected<ResultSpec> spec = checkTensorType(
        type, "argument #" + llvm::Twine(index) + " of @" + name,
        /*requireStaticShape=*/true);
    if (!spec)
      return spec.takeError();
    signature.inputs.push_back(TensorSpec{spec->elementType, spec->shape});
  }
  for (auto [index, type] : llvm::enumerate(function.getResultTypes())) {
    llvm::Expected<ResultSpec> spec =
        checkTensorType(type, "result #" + llvm::Twine(index) + " of @" + name,
                        /*requireStaticShape=*/false);
    if (!spec)
      return spec.takeError();
    signature.results.push_back(std::move(*spec));
  }
  return signature;
}

void run::requestCInterface(ModuleOp module, llvm::StringRef entry) {
  Operation *function = SymbolTable::lookupSymbolIn(module, entry);
  function->setAttr("llvm.emit_c_interface",
                    UnitAttr::get(module.getContext()));
}

MemRefDescriptor MemRefDescriptor::getDense(void *data,
                                            llvm::ArrayRef<int64_t> shape) {
  MemRefDescriptor descriptor;
  descriptor.allocated = descriptor.aligned = data;
  descriptor.sizes.assign(shape.begin(), shape.end());
  descriptor.strides.resize(shape.size());
  int64_t stride = 1;
  for (int64_t dim = static_cast<int64_t>(shape.size()) - 1; dim >= 0; --dim) {
    descriptor.strides[dim] = stride;
    stride *= shape[dim];
  }
  return descriptor;
}

void MemRefDescriptor::store(int64_t *words) const {
  std::memcpy(&words[0], &allocated, sizeof(void *));
  std::memcpy(&words[1], &aligned, sizeof(void *));
  words[2] = offset;
  llvm::copy(sizes, words + 3);
  llvm::copy(strides, words + 3 + sizes.size());
}

MemRefDescriptor MemRefDescriptor::load(const int64_t *words, size_t rank) {
  MemRefDescriptor descriptor;
  std::memcpy(&descriptor.allocated, &words[0], sizeof(void *));
  std::memcpy(&descriptor.aligned, &words[1], sizeof(void *));
  descriptor.offset = words[2];
  descriptor.sizes.assign(words + 3, words + 3 + rank);
  descriptor.strides.assign(words + 3 + rank, words + 3 + 2 * rank);
  return descriptor;
}

llvm::Expected<HostTensor> run::readResult(const MemRefDescriptor &descriptor,
                                           ElementType elementType,
                                           CopyToHostFn copyToHost) {
  TensorSpec spec{elementType, descriptor.sizes};
  for (int64_t size : spec.shape)
    if (size < 0)
      return makeError("a result has a negative size " + llvm::Twine(size));
  HostTensor tensor(spec);
  int64_t count = tensor.getNumElements();
  if (count == 0)
    return std::move(tensor);
  if (!descriptor.aligned)
    return makeError("a result descriptor has a null pointer");

  // The span of elements the view touches, relative to `aligned`.
  int64_t first = descriptor.offset, last = descriptor.offset;
  bool dense = true;
  int64_t denseStride = 1;
  for (int64_t dim = static_cast<int64_t>(spec.shape.size()) - 1; dim >= 0;
       --dim) {
    int64_t reach = (spec.shape[dim] - 1) * descriptor.strides[dim];
    (reach < 0 ? first : last) += reach;
    if (spec.shape[dim] != 1 && descriptor.strides[dim] != denseStride)
      dense = false;
    denseStride *= spec.shape[dim];
  }
  int64_t width = getElementByteWidth(elementType);
  const auto *base = static_cast<const uint8_t *>(descriptor.aligned);
  if (dense) {
    if (llvm::Error error = copyToHost(tensor.getData(), base + first * width,
                                       tensor.getNumBytes()))
      return std::move(error);
    return std::move(tensor);
  }

  // Strided: bring the span over, then gather in row-major order.
  std::vector<uint8_t> span((last - first + 1) * width);
  if (llvm::Error error =
          copyToHost(span.data(), base + first * width, span.size()))
    return std::move(error);
  llvm::SmallVector<int64_t> index(spec.shape.size(), 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t element = descriptor.offset - first;
    for (size_t dim = 0; dim < index.size(); ++dim)
      element += index[dim] * descriptor.strides[dim];
    std::memcpy(tensor.getData() + i * width, span.data() + element * width,
                width);
    for (int64_t dim = static_cast<int64_t>(index.size()) - 1; dim >= 0;
         --dim) {
      if (++index[dim] < spec.shape[dim])
        break;
      index[dim] = 0;
    }
  }
  return std::move(tensor);
}

llvm::SmallVector<std::string> run::getMLIRRunnerUtilsLibraries() {
  return {HM_MLIR_C_RUNNER_UTILS, HM_MLIR_RUNNER_UTILS};
}

JitModule::JitModule(std::unique_ptr<ExecutionEngine> engine)
    : engine(std::move(engine)) {}

JitModule::~JitModule() = default;

llvm::Expected<std::unique_ptr<JitModule>>
JitModule::create(ModuleOp module, llvm::ArrayRef<std::string> sharedLibraries,
                  unsigned optLevel) {
  static bool nativeTargetReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)nativeTargetReady;

  llvm::SmallVector<llvm::StringRef> libraries(sharedLibraries.begin(),
                                               sharedLibraries.end());
  auto transformer = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                               /*targetMachine=*/nullptr);
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = static_cast<llvm::CodeGenOptLevel>(optLevel);
  options.sharedLibPaths = libraries;
  llvm::Expected<std::unique_ptr<ExecutionEngine>> engine =
      ExecutionEngine::create(module, options);
  if (!engine)
    return makeError("cannot JIT-compile the lowered module: " +
                     llvm::toString(engine.takeError()));
  (*engine)->initialize();
  return std::unique_ptr<JitModule>(new JitModule(std::move(*engine)));
}

llvm::Expected<llvm::SmallVector<MemRefDescriptor>>
JitModule::call(const EntrySignature &entry, llvm::ArrayRef<void *> inputData) {
  assert(inputData.size() == entry.inputs.size() && "one buffer per input");
  // The C interface returns memrefs through a pointer to their descriptors
  // (a struct of them for several results), passed first.
  size_t resultWords = 0;
  for (const ResultSpec &result : entry.results)
    resultWords += MemRefDescriptor::getNumWords(result.shape.size());
  llvm::SmallVector<int64_t> resultStorage(std::max<size_t>(resultWords, 1), 0);

  llvm::SmallVector<llvm::SmallVector<int64_t>> inputDescriptors;
  for (auto [spec, data] : llvm::zip_equal(entry.inputs, inputData)) {
    llvm::SmallVector<int64_t> words(
        MemRefDescriptor::getNumWords(spec.shape.size()));
    MemRefDescriptor::getDense(data, spec.shape).store(words.data());
    inputDescriptors.push_back(std::move(words));
  }

  // invokePacked takes the address of each argument; the arguments of the C
  // interface are themselves pointers.
  llvm::SmallVector<void *> arguments;
  if (!entry.results.empty())
    arguments.push_back(resultStorage.data());
  for (llvm::SmallVector<int64_t> &words : inputDescriptors)
    arguments.push_back(words.data());
  llvm::SmallVector<void *> packed;
  for (void *&argument : arguments)
    packed.push_back(&argument);

  if (llvm::Error error =
          engine->invokePacked("_mlir_ciface_" + entry.name, packed))
    return makeError("cannot call @" + entry.name + ": " +
                     llvm::toString(std::move(error)));

  llvm::SmallVector<MemRefDescriptor> results;
  const int64_t *words = resultStorage.data();
  for (const ResultSpec &result : entry.results) {
    results.push_back(MemRefDescriptor::load(words, result.shape.size()));
    words += MemRefDescriptor::getNumWords(result.shape.size());
  }
  return results;
}
