//===- ModelPreparation.cpp - From ONNX file bytes to an importable graph -===//

#include "ModelPreparation.h"
#include "ConstantFolding.h"
#include "OnnxLibrary.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>

#include <climits>
#include <map>

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::onnx_import;

namespace {

/// Parses the protobuf bytes; fails on anything that is not a whole message.
std::unique_ptr<onnx::ModelProto> parseModel(llvm::StringRef bytes) {
  auto model = std::make_unique<onnx::ModelProto>();
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()),
      static_cast<int>(std::min<size_t>(bytes.size(), INT_MAX)));
  stream.SetTotalBytesLimit(INT_MAX);
  if (!model->ParseFromCodedStream(&stream) ||
      !stream.ConsumedEntireMessage() || bytes.size() > INT_MAX)
    return nullptr;
  return model;
}

/// Whether any tensor of `graph` (or its subgraphs) keeps its data in an
/// external file.
bool hasExternalData(const onnx::GraphProto &graph) {
  for (const onnx::TensorProto &t : graph.initializer())
    if (t.data_location() == onnx::TensorProto::EXTERNAL)
      return true;
  for (const onnx::NodeProto &node : graph.node())
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_t() &&
          attr.t().data_location() == onnx::TensorProto::EXTERNAL)
        return true;
      if (attr.has_g() && hasExternalData(attr.g()))
        return true;
      for (const onnx::GraphProto &g : attr.graphs())
        if (hasExternalData(g))
          return true;
    }
  return false;
}

/// Gives every symbolic or unknown dimension of the graph inputs the size
/// from --dim, or fails naming the input and the dimension.
LogicalResult pinInputDimensions(onnx::GraphProto &graph, Location loc,
                                 const ONNXImportOptions &options) {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &t : graph.initializer())
    initializers.insert(t.name());
  llvm::StringMap<int64_t> sizes;
  for (const auto &[name, size] : options.dimSizes)
    sizes[name] = size;
  llvm::StringSet<> used;

  for (onnx::ValueInfoProto &input : *graph.mutable_input()) {
    if (initializers.contains(input.name()))
      continue;
    const onnx::TypeProto &type = input.type();
    if (!type.has_tensor_type())
      return emitError(loc) << "input '" << input.name()
                            << "' is not a tensor (sequence, map, optional "
                               "and sparse inputs are not supported)";
    if (!type.tensor_type().has_shape())
      return emitError(loc) << "input '" << input.name()
                            << "' has no shape (not even a rank); the "
                               "importer needs static shapes";
    auto *dims = input.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (int i = 0; i < dims->dim_size(); ++i) {
      onnx::TensorShapeProto_Dimension *dim = dims->mutable_dim(i);
      if (dim->has_dim_value()) {
        if (dim->dim_value() < 0)
          return emitError(loc) << "input '" << input.name()
                                << "' has a negative dimension " << i;
        continue;
      }
      std::string positional = input.name() + ":" + std::to_string(i);
      std::string param = dim->has_dim_param() ? dim->dim_param() : "";
      auto it = param.empty() ? sizes.end() : sizes.find(param);
      if (it == sizes.end())
        it = sizes.find(positional);
      if (it == sizes.end()) {
        if (!param.empty())
          return emitError(loc)
                 << "input '" << input.name() << "' has a symbolic dimension '"
                 << param << "' (dimension " << i << " of " << dims->dim_size()
                 << "); give it a size with --dim " << param << "=N";
        return emitError(loc)
               << "input '" << input.name() << "' has an unknown dimension "
               << i << " (of " << dims->dim_size()
               << "); give it a size with --dim " << positional << "=N";
      }
      used.insert(it->first());
      dim->clear_dim_param();
      dim->set_dim_value(it->second);
    }
  }
  for (const auto &[name, size] : options.dimSizes)
    if (!used.contains(name))
      emitWarning(loc) << "--dim " << name << "=" << size
                       << " matches no symbolic dimension of the inputs";
  return success();
}

/// Drops the exporter's annotations of intermediate and output shapes, which
/// may be symbolic; shape inference recomputes them from the pinned inputs.
void clearDerivedShapes(onnx::GraphProto &graph) {
  graph.clear_value_info();
  for (onnx::ValueInfoProto &output : *graph.mutable_output()) {
    if (!output.type().has_tensor_type() ||
        !output.type().tensor_type().has_shape())
      continue;
    for (auto &dim : *output.mutable_type()
                          ->mutable_tensor_type()
                          ->mutable_shape()
                          ->mutable_dim())
      if (!dim.has_dim_value())
        dim.clear_dim_param();
  }
  for (onnx::NodeProto &node : *graph.mutable_node())
    for (onnx::AttributeProto &attr : *node.mutable_attribute()) {
      if (attr.has_g())
        clearDerivedShapes(*attr.mutable_g());
      for (onnx::GraphProto &g : *attr.mutable_graphs())
        clearDerivedShapes(g);
    }
}

/// Records the value types of `graph` in `types`.
void collectTypes(const onnx::GraphProto &graph,
                  llvm::StringMap<const onnx::TypeProto *> &types) {
  for (const auto &info : graph.input())
    types[info.name()] = &info.type();
  for (const auto &info : graph.output())
    types[info.name()] = &info.type();
  for (const auto &info : graph.value_info())
    types[info.name()] = &info.type();
}

/// The output shape of Einsum `node` given its inputs' static shapes
/// (ONNX 1.12 infers only the rank), or nullopt.
std::optional<SmallVector<int64_t>>
einsumShape(const onnx::NodeProto &node,
            ArrayRef<SmallVector<int64_t>> inputs) {
  std::string equation;
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == "equation")
      for (char c : attr.s())
        if (c != ' ')
          equation.push_back(c);
  llvm::StringRef eq(equation);
  auto [lhs, rhs] = eq.split("->");
  SmallVector<llvm::StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != inputs.size())
    return std::nullopt;
  llvm::StringMap<int64_t> sizes;
  std::map<char, int> counts;
  SmallVector<int64_t> ellipsis;
  for (auto [term, shape] : llvm::zip_equal(terms, inputs)) {
    size_t dots = term.find("...");
    size_t named =
        dots == llvm::StringRef::npos ? term.size() : term.size() - 3;
    if (shape.size() < named)
      return std::nullopt;
    size_t e = shape.size() - named;
    size_t pos = 0;
    for (size_t i = 0; i < term.size(); ++i) {
      if (dots != llvm::StringRef::npos && i == dots) {
        // Right-aligned numpy broadcast of the ellipsis dims.
        SmallVector<int64_t> dims(shape.begin() + pos, shape.begin() + pos + e);
        if (dims.size() > ellipsis.size())
          ellipsis.insert(ellipsis.begin(), dims.size() - ellipsis.size(), 1);
        for (size_t k = 0; k < dims.size(); ++k) {
          int64_t &o = ellipsis[ellipsis.size() - dims.size() + k];
          if (o == 1)
            o = dims[k];
        }
        pos += e;
        i += 2;
        continue;
      }
      char c = term[i];
      int64_t &size = sizes[llvm::StringRef(&term.data()[i], 1)];
      if (size <= 1)
        size = shape[pos];
      counts[c]++;
      ++pos;
    }
  }
  SmallVector<int64_t> result;
  if (eq.contains("->")) {
    for (size_t i = 0; i < rhs.size(); ++i) {
      if (rhs.substr(i).starts_with("...")) {
        result.append(ellipsis);
        i += 2;
        continue;
      }
      auto it = sizes.find(rhs.substr(i, 1));
      if (it == sizes.end())
        return std::nullopt;
      result.push_back(it->second);
    }
  } else {
    result.append(ellipsis);
    for (auto [c, count] : counts)
      if (count == 1)
        result.push_back(sizes[llvm::StringRef(&c, 1)]);
  }
  return result;
}

/// Completes what ONNX's shape inference leaves out: Einsum's output dims.
/// Returns whether a type changed.
bool supplementShapes(onnx::GraphProto &graph,
                      const llvm::StringMap<const onnx::TypeProto *> &outer) {
  llvm::StringMap<const onnx::TypeProto *> types = outer;
  collectTypes(graph, types);
  auto staticShape =
      [&](const std::string &name) -> std::optional<SmallVector<int64_t>> {
    auto it = types.find(name);
    if (it == types.end() || !it->second->has_tensor_type() ||
        !it->second->tensor_type().has_shape())
      return std::nullopt;
    SmallVector<int64_t> shape;
    for (const auto &d : it->second->tensor_type().shape().dim()) {
      if (!d.has_dim_value())
        return std::nullopt;
      shape.push_back(d.dim_value());
    }
    return shape;
  };
  bool changed = false;
  for (const onnx::NodeProto &node : graph.node()) {
    if (node.op_type() != "Einsum" || node.output_size() != 1 ||
        staticShape(node.output(0)))
      continue;
    SmallVector<SmallVector<int64_t>> inputs;
    int32_t elemType = 0;
    for (const std::string &in : node.input()) {
      std::optional<SmallVector<int64_t>> shape = staticShape(in);
      if (!shape)
        break;
      inputs.push_back(*shape);
      elemType = types[in]->tensor_type().elem_type();
    }
    if (inputs.size() != static_cast<size_t>(node.input_size()))
      continue;
    std::optional<SmallVector<int64_t>> shape = einsumShape(node, inputs);
    if (!shape)
      continue;
    onnx::ValueInfoProto *info = nullptr;
    for (onnx::ValueInfoProto &v : *graph.mutable_value_info())
      if (v.name() == node.output(0))
        info = &v;
    for (onnx::ValueInfoProto &v : *graph.mutable_output())
      if (v.name() == node.output(0))
        info = &v;
    if (!info) {
      info = graph.add_value_info();
      info->set_name(node.output(0));
    }
    auto *t = info->mutable_type()->mutable_tensor_type();
    t->set_elem_type(elemType);
    t->clear_shape();
    for (int64_t d : *shape)
      t->mutable_shape()->add_dim()->set_dim_value(d);
    changed = true;
  }
  return changed;
}

/// Expands, in place, the nodes of `graph` that the importer does not
/// convert but that ONNX defines by a function body.
class FunctionExpander {
public:
  FunctionExpander(int64_t opset,
                   llvm::function_ref<bool(llvm::StringRef)> isConverted)
      : opset(opset), isConverted(isConverted) {}

  bool run(onnx::GraphProto &graph,
           const llvm::StringMap<const onnx::TypeProto *> &outerTypes);

private:
  /// The nodes replacing `node`, or nullopt when it cannot be expanded.
  std::optional<std::vector<onnx::NodeProto>>
  expand(const onnx::NodeProto &node,
         const llvm::StringMap<const onnx::TypeProto *> &types);

  int64_t opset;
  llvm::function_ref<bool(llvm::StringRef)> isConverted;
  unsigned counter = 0;
};

} // namespace

std::optional<std::vector<onnx::NodeProto>> FunctionExpander::expand(
    const onnx::NodeProto &node,
    const llvm::StringMap<const onnx::TypeProto *> &types) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return std::nullopt;
  if (isConverted(node.op_type()))
    return std::nullopt;
  const onnx::OpSchema *schema = lookupSchema(node.op_type(), opset);
  if (!schema || !schemaHasFunctionBody(*schema))
    return std::nullopt;

  std::vector<onnx::TypeProto> inputTypes;
  for (const std::string &name : node.input()) {
    auto it = types.find(name);
    inputTypes.push_back(it != types.end() ? *it->second : onnx::TypeProto());
  }
  onnx::FunctionProto body;
  if (buildFunctionBody(*schema, node, inputTypes, body))
    return std::nullopt;

  // The body is written against some opset; its operators must mean the
  // same at the model's opset.
  for (const onnx::OperatorSetIdProto &import : body.opset_import()) {
    if (!import.domain().empty() && import.domain() != "ai.onnx")
      return std::nullopt;
    if (import.version() == opset)
      continue;
    for (const onnx::NodeProto &inner : body.node()) {
      const onnx::OpSchema *a = lookupSchema(inner.op_type(), opset);
      const onnx::OpSchema *b =
          lookupSchema(inner.op_type(), static_cast<int>(import.version()));
      if (!a || !b || schemaSinceVersion(*a) != schemaSinceVersion(*b))
        return std::nullopt;
    }
  }

  std::string prefix = (node.name().empty() ? node.op_type() : node.name()) +
                       "/" + std::to_string(counter++) + "/";
  llvm::StringMap<std::string> rename;
  for (int i = 0; i < body.input_size(); ++i)
    rename[body.input(i)] = i < node.input_size() ? node.input(i) : "";
  for (int i = 0; i < body.output_size(); ++i)
    rename[body.output(i)] = i < node.output_size() && !node.output(i).empty()
                                 ? node.output(i)
                                 : prefix + body.output(i);
  auto renamed = [&](const std::string &name) -> std::string {
    if (name.empty())
      return name;
    auto it = rename.find(name);
    if (it != rename.end())
      return it->second;
    return rename[name] = prefix + name;
  };

  std::vector<onnx::NodeProto> nodes;
  for (const onnx::NodeProto &inner : body.node()) {
    onnx::NodeProto copy;
    copy.set_op_type(inner.op_type());
    copy.set_domain(inner.domain());
    copy.set_name(prefix +
                  (inner.name().empty() ? inner.op_type() : inner.name()));
    for (const std::string &in : inner.input())
      copy.add_input(renamed(in));
    for (const std::string &out : inner.output())
      copy.add_output(renamed(out));
    for (const onnx::AttributeProto &attr : inner.attribute()) {
      if (attr.has_g() || attr.graphs_size())
        return std::nullopt;
      if (attr.ref_attr_name().empty()) {
        *copy.add_attribute() = attr;
        continue;
      }
      // The caller's attribute, else the schema's default for it.
      const onnx::AttributeProto *given = nullptr;
      for (const onnx::AttributeProto &a : node.attribute())
        if (a.name() == attr.ref_attr_name())
          given = &a;
      if (!given)
        given = schemaAttributeDefault(*schema, attr.ref_attr_name());
      if (given) {
        onnx::AttributeProto *a = copy.add_attribute();
        *a = *given;
        a->set_name(attr.name());
      }
    }
    nodes.push_back(std::move(copy));
  }
  return nodes;
}

bool FunctionExpander::run(
    onnx::GraphProto &graph,
    const llvm::StringMap<const onnx::TypeProto *> &outerTypes) {
  llvm::StringMap<const onnx::TypeProto *> types = outerTypes;
  collectTypes(graph, types);
  bool changed = false;
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (onnx::NodeProto &node : *graph.mutable_node()) {
    for (onnx::AttributeProto &attr : *node.mutable_attribute()) {
      if (attr.has_g())
        changed |= run(*attr.mutable_g(), types);
      for (onnx::GraphProto &g : *attr.mutable_graphs())
        changed |= run(g, types);
    }
    if (std::optional<std::vector<onnx::NodeProto>> expansion =
            expand(node, types)) {
      for (onnx::NodeProto &inner : *expansion)
        *nodes.Add() = std::move(inner);
      changed = true;
      continue;
    }
    *nodes.Add() = std::move(node);
  }
  graph.mutable_node()->Swap(&nodes);
  return changed;
}

/// Adds to `names` every value name that `graph` (and its subgraphs) reads.
static void collectUses(const onnx::GraphProto &graph,
                        llvm::StringSet<> &names) {
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &in : node.input())
      names.insert(in);
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g())
        collectUses(attr.g(), names);
      for (const onnx::GraphProto &g : attr.graphs())
        collectUses(g, names);
    }
  }
  for (const auto &out : graph.output())
    names.insert(out.name());
}

/// Removes the nodes none of whose outputs is used, in `graph` and its
/// subgraphs (ONNX operators have no side effects).
static void removeDeadNodes(onnx::GraphProto &graph) {
  llvm::StringSet<> live;
  for (const auto &out : graph.output())
    live.insert(out.name());
  std::vector<bool> keep(graph.node_size(), false);
  for (int i = graph.node_size() - 1; i >= 0; --i) {
    const onnx::NodeProto &node = graph.node(i);
    bool used = llvm::any_of(node.output(), [&](const std::string &out) {
      return !out.empty() && live.contains(out);
    });
    if (!used)
      continue;
    keep[i] = true;
    for (const std::string &in : node.input())
      live.insert(in);
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g())
        collectUses(attr.g(), live);
      for (const onnx::GraphProto &g : attr.graphs())
        collectUses(g, live);
    }
  }
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (int i = 0; i < graph.node_size(); ++i) {
    if (!keep[i])
      continue;
    onnx::NodeProto *node = graph.mutable_node(i);
    for (onnx::AttributeProto &attr : *node->mutable_attribute()) {
      if (attr.has_g())
        removeDeadNodes(*attr.mutable_g());
      for (onnx::GraphProto &g : *attr.mutable_graphs())
        removeDeadNodes(g);
    }
    *nodes.Add() = std::move(*node);
  }
  graph.mutable_node()->Swap(&nodes);
}

FailureOr<PreparedModel> mlir::hm::onnx_import::prepareModel(
    llvm::MemoryBufferRef buffer, Location loc,
    const ONNXImportOptions &options,
    llvm::function_ref<bool(llvm::StringRef)> isConverted) {
  PreparedModel prepared;
  prepared.model = parseModel(buffer.getBuffer());
  if (!prepared.model)
    return emitError(loc) << "not an ONNX model: the file could not be "
                             "parsed as an ONNX ModelProto (corrupt or "
                             "truncated?)";
  onnx::ModelProto &model = *prepared.model;
  if (!model.has_graph() || model.ir_version() <= 0)
    return emitError(loc) << "not an ONNX model: no "
                          << (model.has_graph() ? "IR version" : "graph")
                          << " (empty, corrupt or truncated file?)";

  // The default domain's opset decides every operator's semantics.
  int64_t opset = -1;
  for (const onnx::OperatorSetIdProto &import : model.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx")
      opset = import.version();
  if (opset < 0)
    return emitError(loc) << "the model imports no opset of the default "
                             "ONNX domain";
  if (opset < kMinOpset || opset > kMaxOpset)
    return emitError(loc) << "opset " << opset
                          << " of the default ONNX domain is not supported "
                             "(supported: "
                          << kMinOpset << " to " << kMaxOpset << ")";
  prepared.opset = opset;

  onnx::GraphProto &graph = *model.mutable_graph();
  if (failed(pinInputDimensions(graph, loc, options)))
    return failure();
  clearDerivedShapes(graph);

  // ONNX's checker wants every graph output typed and shaped, which
  // exporters (and onnx.helper users) leave to shape inference, and which
  // shape inference itself leaves out for some operators (Loop, Einsum):
  // the checker sees placeholders there, the importer derives the types.
  {
    std::vector<onnx::ValueInfoProto> declared(graph.output().begin(),
                                               graph.output().end());
    for (onnx::ValueInfoProto &output : *graph.mutable_output()) {
      onnx::TypeProto *type = output.mutable_type();
      if (type->value_case() == onnx::TypeProto::VALUE_NOT_SET)
        type->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
      if (type->has_tensor_type() && !type->tensor_type().has_shape())
        type->mutable_tensor_type()->mutable_shape();
    }
    std::string path = buffer.getBufferIdentifier().str();
    bool external = hasExternalData(model.graph());
    std::optional<std::string> error =
        checkModel(model, external ? path : std::string());
    for (auto [output, original] :
         llvm::zip_equal(*graph.mutable_output(), declared))
      output = std::move(original);
    if (error)
      return emitError(loc)
             << "the ONNX checker rejected the model: " << *error;
  }

  // Infer, fold, expand, until nothing changes: folding makes more shapes
  // static, and expanded functions need inferring in turn.
  FunctionExpander expander(opset, isConverted);
  for (int round = 0; round < 16; ++round) {
    if (std::optional<std::string> error = inferShapes(model))
      return emitError(loc) << "ONNX shape inference failed: " << *error;
    bool changed = foldConstants(graph, opset, model.ir_version());
    changed |= expander.run(graph, {});
    changed |= supplementShapes(graph, {});
    if (!changed)
      break;
  }
  removeDeadNodes(graph);
  return prepared;
}
