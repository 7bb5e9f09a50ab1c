//===- ConstantFolding.cpp - Import-time folding of ONNX shape arithmetic -===//
//
// A small interpreter over constant ONNX tensors. It only folds what it can
// evaluate exactly as ONNX defines it; anything else is left to the importer.
//
//===----------------------------------------------------------------------===//

#include "ConstantFolding.h"
#include "ConstantEvaluation.h"
#include "Importer.h"
#include "Tensors.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <functional>
#include <numeric>

using namespace mlir;
using namespace mlir::hm::onnx_import;
using onnx::TensorProto;

namespace {

/// The folder of one graph, with the constants and types of the enclosing
/// graphs visible.
class GraphFolder {
public:
  GraphFolder(onnx::GraphProto &graph, int64_t opset, int64_t irVersion,
              const GraphFolder *parent)
      : graph(graph), opset(opset), irVersion(irVersion), parent(parent) {
    auto addType = [&](const onnx::ValueInfoProto &info) {
      types[info.name()] = &info.type();
    };
    for (const auto &info : graph.input())
      addType(info);
    for (const auto &info : graph.output())
      addType(info);
    for (const auto &info : graph.value_info())
      addType(info);
    for (const TensorProto &init : graph.initializer())
      if (std::optional<ConstTensor> c = constantFromTensor(init))
        constants[init.name()] = std::move(*c);
    // A graph input shadows an initializer of the same name (it may be fed).
    for (const auto &info : graph.input())
      if (!isInitializer(info.name()))
        shadowed.insert(info.name());
  }

  bool run();

private:
  bool isInitializer(llvm::StringRef name) const {
    return llvm::any_of(graph.initializer(),
                        [&](const TensorProto &t) { return t.name() == name; });
  }
  const ConstTensor *lookupConstant(llvm::StringRef name) const {
    if (shadowed.contains(name))
      return nullptr;
    auto it = constants.find(name);
    if (it != constants.end())
      return &it->second;
    return parent ? parent->lookupConstant(name) : nullptr;
  }
  const onnx::TypeProto *lookupType(llvm::StringRef name) const {
    auto it = types.find(name);
    if (it != types.end())
      return it->second;
    return parent ? parent->lookupType(name) : nullptr;
  }
  /// The static shape of `name`, if known.
  std::optional<SmallVector<int64_t>> staticShape(llvm::StringRef name) const;

  /// Evaluates `node`; nullopt when it cannot be folded.
  std::optional<ConstTensor> evaluate(const onnx::NodeProto &node);
  bool normalizeConstantNode(onnx::NodeProto &node);

  onnx::GraphProto &graph;
  int64_t opset;
  int64_t irVersion;
  const GraphFolder *parent;
  llvm::StringMap<ConstTensor> constants;
  llvm::StringMap<const onnx::TypeProto *> types;
  llvm::StringSet<> shadowed;
};

} // namespace

std::optional<SmallVector<int64_t>>
GraphFolder::staticShape(llvm::StringRef name) const {
  const onnx::TypeProto *type = lookupType(name);
  if (!type || !type->has_tensor_type() || !type->tensor_type().has_shape())
    return std::nullopt;
  SmallVector<int64_t> shape;
  for (const auto &dim : type->tensor_type().shape().dim()) {
    if (!dim.has_dim_value())
      return std::nullopt;
    shape.push_back(dim.dim_value());
  }
  return shape;
}

bool GraphFolder::normalizeConstantNode(onnx::NodeProto &node) {
  if (node.attribute_size() != 1)
    return false;
  const onnx::AttributeProto &attr = node.attribute(0);
  TensorProto tensor;
  if (attr.name() == "value_float") {
    tensor = makeTensor(TensorProto::FLOAT, {}, {attr.f()});
  } else if (attr.name() == "value_floats") {
    SmallVector<double> v(attr.floats().begin(), attr.floats().end());
    tensor =
        makeTensor(TensorProto::FLOAT, {static_cast<int64_t>(v.size())}, v);
  } else if (attr.name() == "value_int") {
    tensor = makeIntTensor(TensorProto::INT64, {}, {attr.i()});
  } else if (attr.name() == "value_ints") {
    SmallVector<int64_t> v(attr.ints().begin(), attr.ints().end());
    tensor =
        makeIntTensor(TensorProto::INT64, {static_cast<int64_t>(v.size())}, v);
  } else {
    return false;
  }
  tensor.set_name(node.output(0));
  node.clear_attribute();
  onnx::AttributeProto *value = node.add_attribute();
  value->set_name("value");
  value->set_type(onnx::AttributeProto::TENSOR);
  *value->mutable_t() = std::move(tensor);
  return true;
}

std::optional<ConstTensor> GraphFolder::evaluate(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return std::nullopt;
  if (node.output_size() != 1)
    return std::nullopt;

  if (op == "Shape" || op == "Size") {
    std::optional<SmallVector<int64_t>> shape = staticShape(node.input(0));
    if (!shape)
      return std::nullopt;
    ConstTensor c;
    c.dataType = TensorProto::INT64;
    if (op == "Size") {
      int64_t n = 1;
      for (int64_t d : *shape)
        n *= d;
      c.values = {static_cast<double>(n)};
      return c;
    }
    int64_t rank = shape->size();
    int64_t start = nodeIntAttr(node, "start", 0),
            end = nodeIntAttr(node, "end", rank);
    if (start < 0)
      start += rank;
    if (end < 0)
      end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, 0, rank);
    for (int64_t i = start; i < end; ++i)
      c.values.push_back((*shape)[i]);
    c.shape = {static_cast<int64_t>(c.values.size())};
    return c;
  }

  if (op == "Constant")
    return std::nullopt;

  // Everything else needs all its (present) inputs constant.
  SmallVector<const ConstTensor *> in;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      in.push_back(nullptr);
      continue;
    }
    const ConstTensor *c = lookupConstant(name);
    if (!c)
      return std::nullopt;
    in.push_back(c);
  }
  return evaluateNode(node, opset, in);
}

bool GraphFolder::run() {
  bool changed = false;
  SmallVector<const onnx::NodeProto *> dead;
  for (onnx::NodeProto &node : *graph.mutable_node()) {
    // Fold inside subgraphs first: they may refer to this graph's constants.
    for (onnx::AttributeProto &attr : *node.mutable_attribute()) {
      if (attr.has_g()) {
        GraphFolder sub(*attr.mutable_g(), opset, irVersion, this);
        changed |= sub.run();
      }
      for (onnx::GraphProto &g : *attr.mutable_graphs()) {
        GraphFolder sub(g, opset, irVersion, this);
        changed |= sub.run();
      }
    }
    if (node.op_type() == "Constant" &&
        (node.domain().empty() || node.domain() == "ai.onnx")) {
      changed |= normalizeConstantNode(node);
      if (node.attribute_size() == 1 && node.attribute(0).name() == "value" &&
          node.output_size() == 1)
        if (std::optional<ConstTensor> c =
                constantFromTensor(node.attribute(0).t()))
          constants[node.output(0)] = std::move(*c);
      continue;
    }
    std::optional<ConstTensor> value = evaluate(node);
    if (!value)
      continue;
    // Keep the inferred element type when it disagrees: then we misread the
    // operator, and leave it alone.
    if (const onnx::TypeProto *type = lookupType(node.output(0)))
      if (type->has_tensor_type() &&
          type->tensor_type().elem_type() != value->dataType)
        continue;
    TensorProto tensor =
        makeTensor(value->dataType, value->shape, value->values);
    if (!isFloatDataType(value->dataType))
      tensor =
          makeIntTensor(value->dataType, value->shape, constantToInts(*value));
    tensor.set_name(node.output(0));
    // Constant holds only floating-point tensors before opset 9; there the
    // value becomes an initializer (listed as an input too before IR 4),
    // in the main graph only.
    if (opset < 9 && !isFloatDataType(value->dataType)) {
      if (parent)
        continue;
      if (irVersion < 4) {
        onnx::ValueInfoProto *input = graph.add_input();
        input->set_name(node.output(0));
        auto *t = input->mutable_type()->mutable_tensor_type();
        t->set_elem_type(value->dataType);
        auto *shape = t->mutable_shape();
        for (int64_t d : value->shape)
          shape->add_dim()->set_dim_value(d);
      }
      *graph.add_initializer() = std::move(tensor);
      constants[node.output(0)] = std::move(*value);
      dead.push_back(&node);
      changed = true;
      continue;
    }
    std::string output = node.output(0), name = node.name();
    node.Clear();
    node.set_op_type("Constant");
    node.set_name(name);
    node.add_output(output);
    onnx::AttributeProto *attr = node.add_attribute();
    attr->set_name("value");
    attr->set_type(onnx::AttributeProto::TENSOR);
    *attr->mutable_t() = std::move(tensor);
    constants[output] = std::move(*value);
    changed = true;
  }
  if (!dead.empty()) {
    google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
    for (onnx::NodeProto &node : *graph.mutable_node())
      if (!llvm::is_contained(dead, &node))
        *kept.Add() = std::move(node);
    graph.mutable_node()->Swap(&kept);
  }
  return changed;
}

bool mlir::hm::onnx_import::foldConstants(onnx::GraphProto &graph,
                                          int64_t opset, int64_t irVersion) {
  GraphFolder folder(graph, opset, irVersion, /*parent=*/nullptr);
  return folder.run();
}
