//===- Importer.h - State of the ONNX importer and its converters -*- C++
//-*-===//
//
// The classes the per-family operator converters (*Ops.cpp) work with: the
// model being imported, the scope of values of each (sub)graph, and the node
// being converted with its inputs, outputs, attributes and diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TARGET_ONNX_IMPORTER_H
#define HEAVYMETAL_LIB_TARGET_ONNX_IMPORTER_H

#include "HeavyMetal/Target/ONNX/ONNXImporter.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include "onnx/onnx_pb.h"

#include <deque>
#include <memory>
#include <optional>

namespace mlir::hm::onnx_import {

/// ONNX element types (TensorProto.DataType).
using DataType = onnx::TensorProto_DataType;

/// Whether `dataType` is f16/bf16/f32/f64.
bool isFloatDataType(int32_t dataType);
/// Whether `dataType` is a signed integer type.
bool isSignedIntDataType(int32_t dataType);
/// Whether `dataType` is an unsigned integer type.
bool isUnsignedIntDataType(int32_t dataType);
/// The ONNX name of `dataType` ("float", "int64", ...).
std::string dataTypeName(int32_t dataType);
/// The MLIR element type of `dataType` (integers are signless), or null when
/// the importer does not support it (string, complex, ...).
Type convertDataType(MLIRContext *context, int32_t dataType);

/// The values of one graph being imported. Subgraphs (If branches, Loop and
/// Scan bodies) see the values of the graphs around them.
class GraphScope {
public:
  explicit GraphScope(const GraphScope *parent = nullptr) : parent(parent) {}

  /// Records the declared and inferred types of `graph`'s values.
  void addTypesOf(const onnx::GraphProto &graph);

  Value lookupValue(llvm::StringRef name) const;
  const onnx::TypeProto *lookupType(llvm::StringRef name) const;
  const onnx::TensorProto *lookupConstant(llvm::StringRef name) const;

  llvm::StringMap<Value> values;
  llvm::StringMap<const onnx::TypeProto *> types;
  /// Initializers and outputs of Constant nodes; materialized on first use.
  llvm::StringMap<const onnx::TensorProto *> constants;

private:
  const GraphScope *parent;
};

class NodeImporter;
/// Converts one ONNX node. Reports its own errors.
using ConverterFn = LogicalResult (*)(NodeImporter &);
using ConverterMap = llvm::StringMap<ConverterFn>;

/// All converters, by ONNX operator type (default domain).
const ConverterMap &getConverters();

void populateElementwiseConverters(ConverterMap &converters);
void populateUnaryConverters(ConverterMap &converters);
void populateMatmulConverters(ConverterMap &converters);
void populateConvConverters(ConverterMap &converters);
void populatePoolingConverters(ConverterMap &converters);
void populateNormalizationConverters(ConverterMap &converters);
void populateReductionConverters(ConverterMap &converters);
void populateShapeConverters(ConverterMap &converters);
void populateDataMovementConverters(ConverterMap &converters);
void populateControlFlowConverters(ConverterMap &converters);
void populateRecurrentConverters(ConverterMap &converters);
void populateIndexingConverters(ConverterMap &converters);

/// Imports one prepared ONNX model (see ModelPreparation.h) into a module.
class ModelImporter {
public:
  /// `model` is shared with the imported module: large initializers become
  /// resource blobs pointing into its data rather than copies.
  ModelImporter(MLIRContext *context,
                std::shared_ptr<const onnx::ModelProto> model,
                llvm::StringRef modelPath, int64_t opset,
                const ONNXImportOptions &options);

  /// Imports the main graph as a func.func; null after an error.
  OwningOpRef<ModuleOp> importModule();

  /// Imports the nodes of `graph` at `builder`'s insertion point; its inputs
  /// must already be bound in `scope`. Returns the graph's output values.
  FailureOr<SmallVector<Value>> importGraphBody(const onnx::GraphProto &graph,
                                                GraphScope &scope,
                                                OpBuilder &builder);

  /// The statically shaped tensor type of `type`; `what` names the value in
  /// the error.
  FailureOr<RankedTensorType> convertTensorType(const onnx::TypeProto &type,
                                                Location loc,
                                                const llvm::Twine &what);

  /// An arith.constant holding `tensor`, created once in the function's
  /// entry block (large tensors as dense_resource blobs).
  FailureOr<Value> materializeConstant(const onnx::TensorProto &tensor,
                                       Location loc, llvm::StringRef name = {});

  /// Keeps a TensorProto built by a converter (e.g. Constant's value_float)
  /// alive as long as the importer.
  const onnx::TensorProto *ownTensor(onnx::TensorProto tensor);

  /// A location for `node`: its name (or op type and index) in the model.
  Location nodeLocation(const onnx::NodeProto &node);

  /// A location for a graph-level value or the model itself.
  Location valueLocation(llvm::StringRef name);

  MLIRContext *getContext() const { return context; }
  int64_t getOpset() const { return opset; }
  llvm::StringRef getModelDirectory() const { return modelDirectory; }

private:
  /// What resource blobs point into, kept alive by the blobs themselves.
  struct SharedData {
    std::shared_ptr<const onnx::ModelProto> model;
    std::deque<onnx::TensorProto> ownedTensors;
  };

  MLIRContext *context;
  std::shared_ptr<SharedData> shared;
  const onnx::ModelProto &model;
  std::string modelPath;
  std::string modelDirectory;
  int64_t opset;
  const ONNXImportOptions &options;
  /// Where constants go: the entry block of the function, after the last
  /// constant created, so that they dominate every use, nested ones too.
  Block *entryBlock = nullptr;
  Operation *lastConstant = nullptr;
  llvm::DenseMap<const onnx::TensorProto *, Value> constantCache;
  unsigned unnamedNodeCount = 0;
};

/// One node being converted: its inputs and outputs, attributes and
/// diagnostics. Errors name the operator type and the node.
class NodeImporter {
public:
  NodeImporter(ModelImporter &importer, const onnx::NodeProto &node,
               GraphScope &scope, OpBuilder &builder, int sinceVersion);

  llvm::StringRef opType() const { return node.op_type(); }
  llvm::StringRef name() const { return node.name(); }
  MLIRContext *getContext() const { return importer.getContext(); }

  //===--- Inputs ---------------------------------------------------------===//
  unsigned numInputs() const { return node.input_size(); }
  /// Whether input `i` is given (optional inputs may be absent or "").
  bool hasInput(unsigned i) const;
  /// The value of input `i`; an error when it is absent.
  FailureOr<Value> input(unsigned i);
  /// The ranked tensor type of input `i` (which must be present).
  RankedTensorType inputType(unsigned i);
  /// The ONNX element type of input `i`.
  int32_t inputDataType(unsigned i) const;
  /// The constant data of input `i`, when it is an initializer or the output
  /// of a Constant node.
  const onnx::TensorProto *constantInput(unsigned i) const;
  /// Input `i` as integers; an error naming `what` when it is not constant.
  FailureOr<SmallVector<int64_t>> constantInts(unsigned i,
                                               llvm::StringRef what);
  /// Input `i` as doubles; an error naming `what` when it is not constant.
  FailureOr<SmallVector<double>> constantDoubles(unsigned i,
                                                 llvm::StringRef what);

  //===--- Outputs --------------------------------------------------------===//
  unsigned numOutputs() const { return node.output_size(); }
  bool hasOutput(unsigned i) const;
  /// The inferred, statically shaped type of output `i`.
  FailureOr<RankedTensorType> outputType(unsigned i);
  /// The ONNX element type of output `i`.
  int32_t outputDataType(unsigned i) const;
  /// Binds output `i` to `value`, checking its type against the inferred one.
  LogicalResult setOutput(unsigned i, Value value);
  /// Binds the outputs in order.
  LogicalResult setOutputs(ValueRange values);

  //===--- Attributes -----------------------------------------------------===//
  const onnx::AttributeProto *attribute(llvm::StringRef attrName) const;
  bool hasAttribute(llvm::StringRef attrName) const {
    return attribute(attrName) != nullptr;
  }
  int64_t getInt(llvm::StringRef attrName, int64_t defaultValue) const;
  float getFloat(llvm::StringRef attrName, float defaultValue) const;
  std::string getString(llvm::StringRef attrName,
                        llvm::StringRef defaultValue) const;
  std::optional<SmallVector<int64_t>> getInts(llvm::StringRef attrName) const;
  std::optional<SmallVector<float>> getFloats(llvm::StringRef attrName) const;
  std::optional<SmallVector<std::string>>
  getStrings(llvm::StringRef attrName) const;
  const onnx::GraphProto *getGraph(llvm::StringRef attrName) const;

  //===--- Diagnostics ----------------------------------------------------===//
  /// An error at the node, prefixed with "'OpType' node 'name': ".
  InFlightDiagnostic emitError();
  /// "'OpType' node 'name': unsupported <what>"; always fails.
  LogicalResult unsupported(const llvm::Twine &what);
  /// Normalizes a possibly negative `axis` of a rank-`rank` tensor.
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                   llvm::StringRef what = "axis");

  ModelImporter &importer;
  const onnx::NodeProto &node;
  GraphScope &scope;
  OpBuilder &b;
  Location loc;
  /// The opset version of the operator's schema the model uses.
  int sinceVersion;
};

} // namespace mlir::hm::onnx_import

#endif // HEAVYMETAL_LIB_TARGET_ONNX_IMPORTER_H
