//===- NodeImporter.cpp - A node's inputs, outputs, attributes, errors ----===//

#include "Importer.h"
#include "Tensors.h"

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::onnx_import;
using onnx::TensorProto;

NodeImporter::NodeImporter(ModelImporter &importer, const onnx::NodeProto &node,
                           GraphScope &scope, OpBuilder &builder,
                           int sinceVersion)
    : importer(importer), node(node), scope(scope), b(builder),
      loc(importer.nodeLocation(node)), sinceVersion(sinceVersion) {}

InFlightDiagnostic NodeImporter::emitError() {
  InFlightDiagnostic diag = mlir::emitError(loc);
  diag << "'" << opType() << "' node '"
       << (name().empty() ? llvm::StringRef("<unnamed>") : name()) << "': ";
  return diag;
}

LogicalResult NodeImporter::unsupported(const llvm::Twine &what) {
  return emitError() << "unsupported " << what;
}

bool NodeImporter::hasInput(unsigned i) const {
  return i < numInputs() && !node.input(i).empty();
}

FailureOr<Value> NodeImporter::input(unsigned i) {
  if (!hasInput(i))
    return emitError() << "input " << i << " is missing";
  const std::string &inputName = node.input(i);
  if (Value value = scope.lookupValue(inputName))
    return value;
  if (const TensorProto *tensor = scope.lookupConstant(inputName))
    return importer.materializeConstant(*tensor, loc, inputName);
  return emitError() << "input '" << inputName << "' is not defined";
}

RankedTensorType NodeImporter::inputType(unsigned i) {
  FailureOr<Value> value = input(i);
  assert(succeeded(value) && "inputType of a missing input");
  return cast<RankedTensorType>(value->getType());
}

int32_t NodeImporter::inputDataType(unsigned i) const {
  if (!hasInput(i))
    return TensorProto::UNDEFINED;
  if (const onnx::TypeProto *type = scope.lookupType(node.input(i)))
    if (type->has_tensor_type() &&
        type->tensor_type().elem_type() != TensorProto::UNDEFINED)
      return type->tensor_type().elem_type();
  if (const TensorProto *tensor = scope.lookupConstant(node.input(i)))
    return tensor->data_type();
  return TensorProto::UNDEFINED;
}

const TensorProto *NodeImporter::constantInput(unsigned i) const {
  if (!hasInput(i))
    return nullptr;
  return scope.lookupConstant(node.input(i));
}

FailureOr<SmallVector<int64_t>>
NodeImporter::constantInts(unsigned i, llvm::StringRef what) {
  const TensorProto *tensor = constantInput(i);
  if (!tensor)
    return emitError() << "input '" << what
                       << "' must be known at import time (a constant, or "
                          "computed from shapes); data-dependent values are "
                          "not supported";
  std::string error;
  std::optional<SmallVector<int64_t>> values = tensorToInts(*tensor, error);
  if (!values)
    return emitError() << "cannot read input '" << what << "': " << error;
  return *values;
}

FailureOr<SmallVector<double>>
NodeImporter::constantDoubles(unsigned i, llvm::StringRef what) {
  const TensorProto *tensor = constantInput(i);
  if (!tensor)
    return emitError() << "input '" << what
                       << "' must be known at import time (a constant)";
  std::string error;
  std::optional<SmallVector<double>> values = tensorToDoubles(*tensor, error);
  if (!values)
    return emitError() << "cannot read input '" << what << "': " << error;
  return *values;
}

bool NodeImporter::hasOutput(unsigned i) const {
  return i < numOutputs() && !node.output(i).empty();
}

FailureOr<RankedTensorType> NodeImporter::outputType(unsigned i) {
  const onnx::TypeProto *type =
      hasOutput(i) ? scope.lookupType(node.output(i)) : nullptr;
  if (!type) {
    return emitError() << "the type of output "
                       << (hasOutput(i) ? "'" + node.output(i) + "'"
                                        : std::to_string(i))
                       << " is unknown (ONNX shape inference could not infer "
                          "it; data-dependent shapes are not supported)";
  }
  std::string what = "'" + node.op_type() + "' node '" + node.name() +
                     "': output '" + node.output(i) + "'";
  return importer.convertTensorType(*type, loc, what);
}

int32_t NodeImporter::outputDataType(unsigned i) const {
  if (!hasOutput(i))
    return TensorProto::UNDEFINED;
  if (const onnx::TypeProto *type = scope.lookupType(node.output(i)))
    if (type->has_tensor_type())
      return type->tensor_type().elem_type();
  return TensorProto::UNDEFINED;
}

LogicalResult NodeImporter::setOutput(unsigned i, Value value) {
  if (!hasOutput(i))
    return success();
  const std::string &outputName = node.output(i);
  if (const onnx::TypeProto *type = scope.lookupType(outputName)) {
    if (type->has_tensor_type() && type->tensor_type().has_shape()) {
      auto produced = cast<RankedTensorType>(value.getType());
      Type elementType =
          convertDataType(getContext(), type->tensor_type().elem_type());
      bool mismatch = elementType && elementType != produced.getElementType();
      const auto &dims = type->tensor_type().shape().dim();
      if (dims.size() != produced.getRank()) {
        mismatch = true;
      } else {
        for (auto [dim, size] : llvm::zip_equal(dims, produced.getShape()))
          if (dim.has_dim_value() && dim.dim_value() != size)
            mismatch = true;
      }
      if (mismatch) {
        FailureOr<RankedTensorType> inferred = outputType(i);
        InFlightDiagnostic diag = emitError();
        diag << "output '" << outputName << "' is computed as " << produced;
        if (succeeded(inferred))
          diag << " but the model declares or ONNX infers " << *inferred;
        return diag << " (an inconsistent model, or an internal error of "
                       "the importer)";
      }
    }
  }
  scope.values[outputName] = value;
  return success();
}

LogicalResult NodeImporter::setOutputs(ValueRange values) {
  for (auto [i, value] : llvm::enumerate(values))
    if (failed(setOutput(i, value)))
      return failure();
  return success();
}

const onnx::AttributeProto *
NodeImporter::attribute(llvm::StringRef attrName) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == attrName)
      return &attr;
  return nullptr;
}

int64_t NodeImporter::getInt(llvm::StringRef attrName,
                             int64_t defaultValue) const {
  const onnx::AttributeProto *attr = attribute(attrName);
  return attr ? attr->i() : defaultValue;
}

float NodeImporter::getFloat(llvm::StringRef attrName,
                             float defaultValue) const {
  const onnx::AttributeProto *attr = attribute(attrName);
  return attr ? attr->f() : defaultValue;
}

std::string NodeImporter::getString(llvm::StringRef attrName,
                                    llvm::StringRef defaultValue) const {
  const onnx::AttributeProto *attr = attribute(attrName);
  return attr ? attr->s() : defaultValue.str();
}

std::optional<SmallVector<int64_t>>
NodeImporter::getInts(llvm::StringRef attrName) const {
  const onnx::AttributeProto *attr = attribute(attrName);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::optional<SmallVector<float>>
NodeImporter::getFloats(llvm::StringRef attrName) const {
  const onnx::AttributeProto *attr = attribute(attrName);
  if (!attr)
    return std::nullopt;
  return SmallVector<float>(attr->floats().begin(), attr->floats().end());
}

std::optional<SmallVector<std::string>>
NodeImporter::getStrings(llvm::StringRef attrName) const {
  const onnx::AttributeProto *attr = attribute(attrName);
  if (!attr)
    return std::nullopt;
  return SmallVector<std::string>(attr->strings().begin(),
                                  attr->strings().end());
}

const onnx::GraphProto *NodeImporter::getGraph(llvm::StringRef attrName) const {
  const onnx::AttributeProto *attr = attribute(attrName);
  return attr && attr->has_g() ? &attr->g() : nullptr;
}

FailureOr<int64_t> NodeImporter::normalizeAxis(int64_t axis, int64_t rank,
                                               llvm::StringRef what) {
  if (axis < -rank || axis >= rank)
    return emitError() << what << " " << axis << " is out of range for rank "
                       << rank;
  return axis < 0 ? axis + rank : axis;
}
