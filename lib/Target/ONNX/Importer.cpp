//===- Importer.cpp - ONNX graphs to func.func on tensors -----------------===//
//
// Walks the prepared ONNX graph in order and dispatches every node to the
// converter of its operator type; owns values, constants and diagnostics.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "ModelPreparation.h"
#include "OnnxLibrary.h"
#include "Tensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBufferRef.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::onnx_import;
using onnx::TensorProto;

//===----------------------------------------------------------------------===//
// Data types
//===----------------------------------------------------------------------===//

bool mlir::hm::onnx_import::isFloatDataType(int32_t t) {
  return t == TensorProto::FLOAT || t == TensorProto::DOUBLE ||
         t == TensorProto::FLOAT16 || t == TensorProto::BFLOAT16;
}

bool mlir::hm::onnx_import::isSignedIntDataType(int32_t t) {
  return t == TensorProto::INT8 || t == TensorProto::INT16 ||
         t == TensorProto::INT32 || t == TensorProto::INT64;
}

bool mlir::hm::onnx_import::isUnsignedIntDataType(int32_t t) {
  return t == TensorProto::UINT8 || t == TensorProto::UINT16 ||
         t == TensorProto::UINT32 || t == TensorProto::UINT64;
}

std::string mlir::hm::onnx_import::dataTypeName(int32_t t) {
  if (onnx::TensorProto_DataType_IsValid(t))
    return llvm::StringRef(onnx::TensorProto_DataType_Name(
                               static_cast<onnx::TensorProto_DataType>(t)))
        .lower();
  return "data type " + std::to_string(t);
}

Type mlir::hm::onnx_import::convertDataType(MLIRContext *context, int32_t t) {
  Builder b(context);
  switch (t) {
  case TensorProto::FLOAT:
    return b.getF32Type();
  case TensorProto::DOUBLE:
    return b.getF64Type();
  case TensorProto::FLOAT16:
    return b.getF16Type();
  case TensorProto::BFLOAT16:
    return b.getBF16Type();
  case TensorProto::BOOL:
    return b.getI1Type();
  case TensorProto::INT8:
  case TensorProto::UINT8:
    return b.getIntegerType(8);
  case TensorProto::INT16:
  case TensorProto::UINT16:
    return b.getIntegerType(16);
  case TensorProto::INT32:
  case TensorProto::UINT32:
    return b.getIntegerType(32);
  case TensorProto::INT64:
  case TensorProto::UINT64:
    return b.getIntegerType(64);
  default:
    return nullptr;
  }
}

//===----------------------------------------------------------------------===//
// GraphScope
//===----------------------------------------------------------------------===//

void GraphScope::addTypesOf(const onnx::GraphProto &graph) {
  for (const auto &info : graph.input())
    types[info.name()] = &info.type();
  for (const auto &info : graph.value_info())
    types[info.name()] = &info.type();
  for (const auto &info : graph.output())
    types[info.name()] = &info.type();
}

Value GraphScope::lookupValue(llvm::StringRef name) const {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  // A name bound in this graph shadows the enclosing graphs' constants too.
  if (constants.count(name))
    return nullptr;
  return parent ? parent->lookupValue(name) : nullptr;
}

const onnx::TypeProto *GraphScope::lookupType(llvm::StringRef name) const {
  auto it = types.find(name);
  if (it != types.end())
    return it->second;
  return parent ? parent->lookupType(name) : nullptr;
}

const onnx::TensorProto *
GraphScope::lookupConstant(llvm::StringRef name) const {
  auto it = constants.find(name);
  if (it != constants.end())
    return it->second;
  if (values.count(name))
    return nullptr;
  return parent ? parent->lookupConstant(name) : nullptr;
}

const ConverterMap &mlir::hm::onnx_import::getConverters() {
  static const ConverterMap converters = [] {
    ConverterMap map;
    populateElementwiseConverters(map);
    populateUnaryConverters(map);
    populateMatmulConverters(map);
    populateConvConverters(map);
    populatePoolingConverters(map);
    populateNormalizationConverters(map);
    populateReductionConverters(map);
    populateShapeConverters(map);
    populateDataMovementConverters(map);
    populateControlFlowConverters(map);
    populateRecurrentConverters(map);
    populateIndexingConverters(map);
    return map;
  }();
  return converters;
}

//===----------------------------------------------------------------------===//
// ModelImporter
//===----------------------------------------------------------------------===//

ModelImporter::ModelImporter(MLIRContext *context,
                             std::shared_ptr<const onnx::ModelProto> model,
                             llvm::StringRef modelPath, int64_t opset,
                             const ONNXImportOptions &options)
    : context(context), shared(std::make_shared<SharedData>()), model(*model),
      modelPath(modelPath.str()),
      modelDirectory(llvm::sys::path::parent_path(modelPath).str()),
      opset(opset), options(options) {
  shared->model = std::move(model);
}

Location ModelImporter::nodeLocation(const onnx::NodeProto &node) {
  std::string name = node.name();
  if (name.empty())
    name = node.op_type() + "#" + std::to_string(unnamedNodeCount++);
  return NameLoc::get(StringAttr::get(context, name));
}

Location ModelImporter::valueLocation(llvm::StringRef name) {
  return NameLoc::get(StringAttr::get(context, name));
}

FailureOr<RankedTensorType>
ModelImporter::convertTensorType(const onnx::TypeProto &type, Location loc,
                                 const llvm::Twine &what) {
  if (!type.has_tensor_type())
    return emitError(loc) << what
                          << " is not a tensor (sequences, maps, optionals "
                             "and sparse tensors are not supported)";
  const auto &tensorType = type.tensor_type();
  Type elementType = convertDataType(context, tensorType.elem_type());
  if (!elementType)
    return emitError(loc) << what << " has the unsupported data type "
                          << dataTypeName(tensorType.elem_type());
  if (!tensorType.has_shape())
    return emitError(loc) << what
                          << " has an unknown shape (ONNX shape inference "
                             "could not infer it)";
  SmallVector<int64_t> shape;
  for (auto [i, dim] : llvm::enumerate(tensorType.shape().dim())) {
    if (!dim.has_dim_value())
      return emitError(loc)
             << what << " has a data-dependent or unknown dimension " << i
             << (dim.has_dim_param() ? " ('" + dim.dim_param() + "')"
                                     : std::string())
             << "; only static shapes are supported";
    shape.push_back(dim.dim_value());
  }
  return RankedTensorType::get(shape, elementType);
}

/// A resource blob name from a tensor name: identifier characters only.
static std::string blobName(llvm::StringRef name) {
  std::string result;
  for (char c : name)
    result.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (result.empty() || llvm::isDigit(result.front()))
    result = "onnx_" + result;
  return result;
}

FailureOr<Value> ModelImporter::materializeConstant(const TensorProto &tensor,
                                                    Location loc,
                                                    llvm::StringRef name) {
  if (name.empty())
    name = tensor.name();
  if (name.empty())
    name = "constant";
  auto cached = constantCache.find(&tensor);
  if (cached != constantCache.end())
    return cached->second;

  Type elementType = convertDataType(context, tensor.data_type());
  if (!elementType)
    return emitError(loc) << "constant '" << tensor.name()
                          << "' has the unsupported data type "
                          << dataTypeName(tensor.data_type());
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  auto type = RankedTensorType::get(shape, elementType);
  std::string storage, error;
  std::optional<llvm::ArrayRef<char>> bytes =
      getTensorBytes(tensor, modelDirectory, storage, error);
  if (!bytes)
    return emitError(loc) << "cannot read constant '" << tensor.name()
                          << "': " << error;

  ElementsAttr value;
  if (elementType.isInteger(1)) {
    SmallVector<bool> bools;
    for (char c : *bytes)
      bools.push_back(c != 0);
    value = DenseElementsAttr::get(type, bools);
  } else if (static_cast<int64_t>(bytes->size()) >=
                 options.resourceThresholdBytes &&
             type.getNumElements() > 1) {
    // Raw data of the model (or of a tensor the importer owns) is used in
    // place: the blob keeps it alive. Anything else is copied.
    AsmResourceBlob blob;
    bool inPlace =
        storage.empty() && tensor.has_raw_data() &&
        reinterpret_cast<uintptr_t>(bytes->data()) % alignof(uint64_t) == 0;
    if (inPlace)
      blob = AsmResourceBlob(
          *bytes, alignof(uint64_t),
          [keepAlive = shared](void *, size_t, size_t) {},
          /*dataIsMutable=*/false);
    else
      blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(*bytes,
                                                           alignof(uint64_t));
    value =
        DenseResourceElementsAttr::get(type, blobName(name), std::move(blob));
  } else {
    bool isSplat = false;
    if (!DenseElementsAttr::isValidRawBuffer(type, *bytes, isSplat))
      return emitError(loc)
             << "constant '" << tensor.name() << "' has malformed data";
    value = DenseElementsAttr::getFromRawBuffer(type, *bytes);
  }

  OpBuilder b(context);
  if (lastConstant)
    b.setInsertionPointAfter(lastConstant);
  else
    b.setInsertionPointToStart(entryBlock);
  auto constant =
      arith::ConstantOp::create(b, valueLocation(name), cast<TypedAttr>(value));
  lastConstant = constant;
  constantCache[&tensor] = constant.getResult();
  return constant.getResult();
}

const TensorProto *ModelImporter::ownTensor(TensorProto tensor) {
  shared->ownedTensors.push_back(std::move(tensor));
  return &shared->ownedTensors.back();
}

FailureOr<SmallVector<Value>>
ModelImporter::importGraphBody(const onnx::GraphProto &graph, GraphScope &scope,
                               OpBuilder &builder) {
  for (const TensorProto &init : graph.initializer())
    if (!scope.values.count(init.name()))
      scope.constants[init.name()] = &init;
  const ConverterMap &converters = getConverters();
  for (const onnx::NodeProto &node : graph.node()) {
    Location loc = nodeLocation(node);
    std::string nodeName = node.name().empty() ? "<unnamed>" : node.name();
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return emitError(loc)
             << "'" << node.op_type() << "' node '" << nodeName
             << "': unsupported operator domain '" << node.domain()
             << "' (only the default ONNX domain is supported)";
    auto it = converters.find(node.op_type());
    if (it == converters.end())
      return emitError(loc) << "'" << node.op_type() << "' node '" << nodeName
                            << "': unsupported operator '" << node.op_type()
                            << "' (opset " << opset << ")";
    int sinceVersion = static_cast<int>(opset);
    if (const onnx::OpSchema *schema = lookupSchema(node.op_type(), opset))
      sinceVersion = schemaSinceVersion(*schema);

    // Element types the importer cannot represent (strings, complex).
    auto checkType = [&](const std::string &name,
                         llvm::StringRef kind) -> LogicalResult {
      if (name.empty())
        return success();
      const onnx::TypeProto *type = scope.lookupType(name);
      if (!type) {
        if (const TensorProto *c = scope.lookupConstant(name))
          if (!convertDataType(context, c->data_type()))
            return emitError(loc) << "'" << node.op_type() << "' node '"
                                  << nodeName << "': unsupported data type "
                                  << dataTypeName(c->data_type()) << " of "
                                  << kind << " '" << name << "'";
        return success();
      }
      if (!type->has_tensor_type())
        return emitError(loc) << "'" << node.op_type() << "' node '" << nodeName
                              << "': " << kind << " '" << name
                              << "' is not a tensor (sequences, maps and "
                                 "optionals are not supported)";
      int32_t dataType = type->tensor_type().elem_type();
      if (dataType != TensorProto::UNDEFINED &&
          !convertDataType(context, dataType))
        return emitError(loc)
               << "'" << node.op_type() << "' node '" << nodeName
               << "': unsupported data type " << dataTypeName(dataType)
               << " of " << kind << " '" << name << "'";
      return success();
    };
    for (const std::string &name : node.input())
      if (failed(checkType(name, "input")))
        return failure();
    for (const std::string &name : node.output())
      if (failed(checkType(name, "output")))
        return failure();

    NodeImporter importer(*this, node, scope, builder, sinceVersion);
    Block *block = builder.getInsertionBlock();
    builder.setInsertionPointToEnd(block);
    Operation *last = block->empty() ? nullptr : &block->back();
    if (failed(it->second(importer)))
      return failure();
    // The node's operations must verify: operand shapes that ONNX's shape
    // inference let through (an inconsistent model) end here, attributed to
    // the node rather than found later as an invalid module.
    for (Operation &op : llvm::make_range(last ? std::next(last->getIterator())
                                               : block->begin(),
                                          block->end())) {
      std::string message;
      {
        ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
          if (message.empty() &&
              diag.getSeverity() == DiagnosticSeverity::Error)
            message = diag.str();
          return success();
        });
        if (succeeded(verify(&op)))
          continue;
      }
      return emitError(loc) << "'" << node.op_type() << "' node '" << nodeName
                            << "': its operands do not fit together (an "
                               "inconsistent model?): "
                            << op.getName() << ": " << message;
    }
    for (const std::string &out : node.output())
      if (!out.empty() && !scope.values.count(out) &&
          !scope.constants.count(out))
        return emitError(loc)
               << "'" << node.op_type() << "' node '" << nodeName
               << "': internal error: no value for output '" << out << "'";
  }

  SmallVector<Value> outputs;
  for (const auto &output : graph.output()) {
    Value value = scope.lookupValue(output.name());
    if (!value)
      if (const TensorProto *c = scope.lookupConstant(output.name())) {
        FailureOr<Value> constant = materializeConstant(
            *c, valueLocation(output.name()), output.name());
        if (failed(constant))
          return failure();
        value = *constant;
      }
    if (!value)
      return emitError(valueLocation(output.name()))
             << "graph output '" << output.name() << "' is never computed";
    outputs.push_back(value);
  }
  return outputs;
}

OwningOpRef<ModuleOp> ModelImporter::importModule() {
  const onnx::GraphProto &graph = model.graph();
  Location moduleLoc =
      valueLocation(graph.name().empty() ? llvm::sys::path::filename(modelPath)
                                         : llvm::StringRef(graph.name()));
  OwningOpRef<ModuleOp> module = ModuleOp::create(moduleLoc);
  GraphScope scope;
  scope.addTypesOf(graph);

  llvm::StringSet<> initializers;
  for (const TensorProto &init : graph.initializer())
    initializers.insert(init.name());
  SmallVector<Type> argTypes, resultTypes;
  SmallVector<std::string> argNames;
  SmallVector<Location> argLocs;
  for (const auto &input : graph.input()) {
    if (initializers.contains(input.name()))
      continue;
    FailureOr<RankedTensorType> type =
        convertTensorType(input.type(), valueLocation(input.name()),
                          "input '" + input.name() + "'");
    if (failed(type))
      return nullptr;
    argTypes.push_back(*type);
    argNames.push_back(input.name());
    argLocs.push_back(valueLocation(input.name()));
  }
  // Result types come from the values computed (the converters derive
  // shapes ONNX's inference may leave open); they are checked against what
  // the model declares or ONNX infers below.
  OpBuilder b(module->getBodyRegion());
  auto func = func::FuncOp::create(b, moduleLoc, options.functionName,
                                   b.getFunctionType(argTypes, {}));
  entryBlock = func.addEntryBlock();
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    arg.setLoc(argLocs[i]);
    scope.values[argNames[i]] = arg;
    func.setArgAttr(i, "onnx.name", b.getStringAttr(argNames[i]));
  }

  OpBuilder body = OpBuilder::atBlockEnd(entryBlock);
  FailureOr<SmallVector<Value>> outputs = importGraphBody(graph, scope, body);
  if (failed(outputs))
    return nullptr;
  body.setInsertionPointToEnd(entryBlock);
  for (auto [value, output] : llvm::zip_equal(*outputs, graph.output())) {
    auto type = cast<RankedTensorType>(value.getType());
    const onnx::TypeProto *declared = scope.lookupType(output.name());
    bool mismatch = false;
    if (declared && declared->has_tensor_type()) {
      const auto &tensorType = declared->tensor_type();
      Type elementType = convertDataType(context, tensorType.elem_type());
      mismatch |= elementType && elementType != type.getElementType();
      if (tensorType.has_shape()) {
        mismatch |= tensorType.shape().dim_size() != type.getRank();
        for (auto [dim, size] :
             llvm::zip(tensorType.shape().dim(), type.getShape()))
          mismatch |= dim.has_dim_value() && dim.dim_value() != size;
      }
    }
    if (mismatch) {
      emitError(valueLocation(output.name()))
          << "internal error: output '" << output.name() << "' is computed as "
          << type << ", which the model's declared or inferred type "
          << "contradicts";
      return nullptr;
    }
    resultTypes.push_back(type);
  }
  func.setFunctionType(b.getFunctionType(argTypes, resultTypes));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "onnx.name", b.getStringAttr(output.name()));
  func::ReturnOp::create(body, moduleLoc, *outputs);

  if (failed(verify(*module))) {
    emitError(moduleLoc) << "internal error: the imported module does not "
                            "verify (a bug in the ONNX importer)";
    return nullptr;
  }
  return module;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

std::optional<std::pair<std::string, int64_t>>
mlir::hm::parseDimSizeOption(llvm::StringRef spec, std::string &error) {
  auto [name, size] = spec.rsplit('=');
  int64_t value = 0;
  if (!spec.contains('=') || name.trim().empty() ||
      size.trim().getAsInteger(10, value) || value < 0) {
    error = "invalid --dim '" + spec.str() +
            "': expected NAME=SIZE with SIZE a non-negative integer (e.g. "
            "--dim batch=1)";
    return std::nullopt;
  }
  return std::make_pair(name.trim().str(), value);
}

void mlir::hm::registerONNXImportDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect,
                  math::MathDialect, scf::SCFDialect, tensor::TensorDialect>();
}

OwningOpRef<ModuleOp>
mlir::hm::importONNXModel(llvm::MemoryBufferRef buffer, MLIRContext *context,
                          const ONNXImportOptions &options) {
  DialectRegistry registry;
  registerONNXImportDialects(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();

  Location loc =
      NameLoc::get(StringAttr::get(context, buffer.getBufferIdentifier()));
  const ConverterMap &converters = getConverters();
  FailureOr<PreparedModel> prepared = onnx_import::prepareModel(
      buffer, loc, options,
      [&](llvm::StringRef opType) { return converters.count(opType) != 0; });
  if (failed(prepared))
    return nullptr;
  ModelImporter importer(context, std::move(prepared->model),
                         buffer.getBufferIdentifier(), prepared->opset,
                         options);
  return importer.importModule();
}
