//===- ConstantFolding.cpp - Import-time folding of ONNX shape arithmetic -===//
//
// A small interpreter over constant ONNX tensors. It only folds what it can
// evaluate exactly as ONNX defines it; anything else is left to the importer.
//
//===----------------------------------------------------------------------===//

#include "ConstantFolding.h"
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

/// The largest constant the folder creates or reads, in elements.
constexpr int64_t kMaxFoldElements = 1024;

/// A constant tensor: every element as a double (floats) or int64 (the rest).
struct Const {
  int32_t dataType = TensorProto::UNDEFINED;
  SmallVector<int64_t> shape;
  SmallVector<double> values;

  int64_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  bool isFloat() const { return isFloatDataType(dataType); }
};

/// Rounds/wraps `v` to what an element of `dataType` can hold, as ONNX's
/// (C-like) arithmetic would.
double normalize(double v, int32_t dataType) {
  switch (dataType) {
  case TensorProto::FLOAT:
    return static_cast<float>(v);
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16: {
    std::string error;
    TensorProto t = makeTensor(dataType, {1}, {v});
    return (*tensorToDoubles(t, error))[0];
  }
  case TensorProto::DOUBLE:
    return v;
  case TensorProto::BOOL:
    return v != 0;
  case TensorProto::INT8:
    return static_cast<int8_t>(static_cast<int64_t>(v));
  case TensorProto::UINT8:
    return static_cast<uint8_t>(static_cast<int64_t>(v));
  case TensorProto::INT16:
    return static_cast<int16_t>(static_cast<int64_t>(v));
  case TensorProto::UINT16:
    return static_cast<uint16_t>(static_cast<int64_t>(v));
  case TensorProto::INT32:
    return static_cast<int32_t>(static_cast<int64_t>(v));
  case TensorProto::UINT32:
    return static_cast<uint32_t>(static_cast<int64_t>(v));
  default:
    return static_cast<double>(static_cast<int64_t>(v));
  }
}

/// Folding is exact only where int64 values fit a double's mantissa.
bool fitsExactly(const Const &c) {
  return llvm::all_of(c.values,
                      [](double v) { return std::fabs(v) <= 9.0e15; });
}

std::optional<Const> fromTensor(const TensorProto &tensor) {
  if (dataTypeByteSize(tensor.data_type()) == 0 ||
      numElements(tensor) > kMaxFoldElements ||
      tensor.data_location() == TensorProto::EXTERNAL)
    return std::nullopt;
  std::string error;
  std::optional<SmallVector<double>> values = tensorToDoubles(tensor, error);
  if (!values)
    return std::nullopt;
  Const c;
  c.dataType = tensor.data_type();
  c.shape.assign(tensor.dims().begin(), tensor.dims().end());
  c.values = std::move(*values);
  if (!c.isFloat() && !fitsExactly(c))
    return std::nullopt;
  return c;
}

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Numpy broadcasting of `shapes`, or nullopt when they are incompatible.
std::optional<SmallVector<int64_t>>
broadcastShapes(ArrayRef<const Const *> operands) {
  size_t rank = 0;
  for (const Const *c : operands)
    rank = std::max(rank, c->shape.size());
  SmallVector<int64_t> shape(rank, 1);
  for (const Const *c : operands) {
    size_t offset = rank - c->shape.size();
    for (auto [i, d] : llvm::enumerate(c->shape)) {
      int64_t &o = shape[offset + i];
      if (o == 1)
        o = d;
      else if (d != 1 && d != o)
        return std::nullopt;
    }
  }
  return shape;
}

/// Element of `c` read at output index `index` of a broadcast to `shape`.
double readBroadcast(const Const &c, ArrayRef<int64_t> index) {
  size_t offset = index.size() - c.shape.size();
  int64_t linear = 0;
  for (auto [i, d] : llvm::enumerate(c.shape))
    linear = linear * d + (d == 1 ? 0 : index[offset + i]);
  return c.values[linear];
}

/// Calls `fn` with every index of `shape`, in row-major order.
void forEachIndex(ArrayRef<int64_t> shape,
                  llvm::function_ref<void(ArrayRef<int64_t>)> fn) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t linear = 0; linear < n; ++linear) {
    fn(index);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// The folder of one graph, with the constants and types of the enclosing
/// graphs visible.
class GraphFolder {
public:
  GraphFolder(onnx::GraphProto &graph, int64_t opset,
              const GraphFolder *parent)
      : graph(graph), opset(opset), parent(parent) {
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
      if (std::optional<Const> c = fromTensor(init))
        constants[init.name()] = std::move(*c);
    // A graph input shadows an initializer of the same name (it may be fed).
    for (const auto &info : graph.input())
      if (!isInitializer(info.name()))
        shadowed.insert(info.name());
  }

  bool run();

private:
  bool isInitializer(llvm::StringRef name) const {
    return llvm::any_of(graph.initializer(), [&](const TensorProto &t) {
      return t.name() == name;
    });
  }
  const Const *lookupConstant(llvm::StringRef name) const {
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
  std::optional<Const> evaluate(const onnx::NodeProto &node);
  bool normalizeConstantNode(onnx::NodeProto &node);

  onnx::GraphProto &graph;
  int64_t opset;
  const GraphFolder *parent;
  llvm::StringMap<Const> constants;
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

/// Attribute `name` of `node`, or null.
static const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                            llvm::StringRef name) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

static int64_t attrInt(const onnx::NodeProto &node, llvm::StringRef name,
                       int64_t defaultValue) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->i() : defaultValue;
}

static std::optional<SmallVector<int64_t>>
attrInts(const onnx::NodeProto &node, llvm::StringRef name) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

static SmallVector<int64_t> toInts(const Const &c) {
  return llvm::map_to_vector(c.values,
                             [](double v) { return static_cast<int64_t>(v); });
}

/// Normalizes negative `axis` against `rank`; nullopt when out of range.
static std::optional<int64_t> axisIn(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
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
    tensor = makeTensor(TensorProto::FLOAT, {static_cast<int64_t>(v.size())},
                        v);
  } else if (attr.name() == "value_int") {
    tensor = makeIntTensor(TensorProto::INT64, {}, {attr.i()});
  } else if (attr.name() == "value_ints") {
    SmallVector<int64_t> v(attr.ints().begin(), attr.ints().end());
    tensor = makeIntTensor(TensorProto::INT64,
                           {static_cast<int64_t>(v.size())}, v);
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

std::optional<Const> GraphFolder::evaluate(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return std::nullopt;
  if (node.output_size() != 1)
    return std::nullopt;

  if (op == "Shape" || op == "Size") {
    std::optional<SmallVector<int64_t>> shape = staticShape(node.input(0));
    if (!shape)
      return std::nullopt;
    Const c;
    c.dataType = TensorProto::INT64;
    if (op == "Size") {
      int64_t n = 1;
      for (int64_t d : *shape)
        n *= d;
      c.values = {static_cast<double>(n)};
      return c;
    }
    int64_t rank = shape->size();
    int64_t start = attrInt(node, "start", 0), end = attrInt(node, "end", rank);
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
  SmallVector<const Const *> in;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      in.push_back(nullptr);
      continue;
    }
    const Const *c = lookupConstant(name);
    if (!c)
      return std::nullopt;
    in.push_back(c);
  }
  auto input = [&](unsigned i) -> const Const * {
    return i < in.size() ? in[i] : nullptr;
  };
  if (in.empty() || !in[0])
    return std::nullopt;

  Const result;
  result.dataType = in[0]->dataType;

  // Element-wise operators with numpy broadcasting.
  using BinaryFn = std::function<std::optional<double>(double, double)>;
  auto broadcastOp = [&](ArrayRef<const Const *> operands, int32_t resultType,
                         llvm::function_ref<std::optional<double>(
                             ArrayRef<double>)>
                             fn) -> std::optional<Const> {
    std::optional<SmallVector<int64_t>> shape = broadcastShapes(operands);
    if (!shape)
      return std::nullopt;
    Const c;
    c.dataType = resultType;
    c.shape = *shape;
    if (c.size() > kMaxFoldElements)
      return std::nullopt;
    bool ok = true;
    forEachIndex(c.shape, [&](ArrayRef<int64_t> index) {
      SmallVector<double, 3> args;
      for (const Const *o : operands)
        args.push_back(readBroadcast(*o, index));
      std::optional<double> v = fn(args);
      if (!v)
        ok = false;
      else
        c.values.push_back(normalize(*v, resultType));
    });
    if (!ok)
      return std::nullopt;
    return c;
  };
  auto binary = [&](int32_t resultType,
                    BinaryFn fn) -> std::optional<Const> {
    if (in.size() != 2 || !in[1])
      return std::nullopt;
    return broadcastOp({in[0], in[1]}, resultType,
                       [&](ArrayRef<double> a) { return fn(a[0], a[1]); });
  };
  bool isFloat = in[0]->isFloat();
  int32_t type = in[0]->dataType;

  if (op == "Add")
    return binary(type, [](double a, double b) { return a + b; });
  if (op == "Sub")
    return binary(type, [](double a, double b) { return a - b; });
  if (op == "Mul")
    return binary(type, [](double a, double b) { return a * b; });
  if (op == "Div")
    return binary(type, [&](double a, double b) -> std::optional<double> {
      if (isFloat)
        return a / b;
      if (b == 0)
        return std::nullopt;
      return static_cast<double>(static_cast<int64_t>(a) /
                                 static_cast<int64_t>(b));
    });
  if (op == "Equal")
    return binary(TensorProto::BOOL,
                  [](double a, double b) { return double(a == b); });
  if (op == "Less")
    return binary(TensorProto::BOOL,
                  [](double a, double b) { return double(a < b); });
  if (op == "Greater")
    return binary(TensorProto::BOOL,
                  [](double a, double b) { return double(a > b); });
  if (op == "LessOrEqual")
    return binary(TensorProto::BOOL,
                  [](double a, double b) { return double(a <= b); });
  if (op == "GreaterOrEqual")
    return binary(TensorProto::BOOL,
                  [](double a, double b) { return double(a >= b); });
  if (op == "And")
    return binary(TensorProto::BOOL,
                  [](double a, double b) { return double(a && b); });
  if (op == "Or")
    return binary(TensorProto::BOOL,
                  [](double a, double b) { return double(a || b); });
  if (op == "Max" || op == "Min") {
    if (llvm::is_contained(in, nullptr))
      return std::nullopt;
    bool isMax = op == "Max";
    return broadcastOp(in, type, [&](ArrayRef<double> a) {
      double r = a[0];
      for (double v : a.drop_front()) {
        if (std::isnan(v) || std::isnan(r))
          r = NAN;
        else
          r = isMax ? std::max(r, v) : std::min(r, v);
      }
      return std::optional<double>(r);
    });
  }
  if (op == "Where") {
    if (in.size() != 3 || !in[1] || !in[2])
      return std::nullopt;
    return broadcastOp(in, in[1]->dataType, [](ArrayRef<double> a) {
      return std::optional<double>(a[0] != 0 ? a[1] : a[2]);
    });
  }
  auto unary = [&](int32_t resultType,
                   std::function<double(double)> fn) -> std::optional<Const> {
    return broadcastOp({in[0]}, resultType, [&](ArrayRef<double> a) {
      return std::optional<double>(fn(a[0]));
    });
  };
  if (op == "Identity")
    return unary(type, [](double a) { return a; });
  if (op == "Neg")
    return unary(type, [](double a) { return -a; });
  if (op == "Abs")
    return unary(type, [](double a) { return std::fabs(a); });
  if (op == "Not")
    return unary(TensorProto::BOOL, [](double a) { return double(a == 0); });
  if (op == "Cast") {
    int32_t to = attrInt(node, "to", TensorProto::UNDEFINED);
    if (dataTypeByteSize(to) == 0)
      return std::nullopt;
    // Float to integer conversion truncates (C semantics); out-of-range
    // values are undefined in ONNX, so leave them to the runtime.
    if (isFloat && !isFloatDataType(to) && to != TensorProto::BOOL &&
        !llvm::all_of(in[0]->values,
                      [](double v) { return std::fabs(v) < 2147483647.0; }))
      return std::nullopt;
    return unary(to, [&](double a) {
      return (isFloat && !isFloatDataType(to) && to != TensorProto::BOOL)
                 ? std::trunc(a)
                 : a;
    });
  }

  // Data movement.
  if (op == "Concat") {
    if (llvm::is_contained(in, nullptr))
      return std::nullopt;
    int64_t rank = in[0]->shape.size();
    std::optional<int64_t> axis = axisIn(attrInt(node, "axis", 0), rank);
    if (!axis)
      return std::nullopt;
    result.shape = in[0]->shape;
    result.shape[*axis] = 0;
    for (const Const *c : in) {
      if (static_cast<int64_t>(c->shape.size()) != rank)
        return std::nullopt;
      result.shape[*axis] += c->shape[*axis];
    }
    if (result.size() > kMaxFoldElements)
      return std::nullopt;
    int64_t outer = 1;
    for (int64_t d = 0; d < *axis; ++d)
      outer *= result.shape[d];
    for (int64_t o = 0; o < outer; ++o) {
      for (const Const *c : in) {
        int64_t chunk = c->size() / std::max<int64_t>(outer, 1);
        if (outer == 0)
          break;
        result.values.append(c->values.begin() + o * chunk,
                             c->values.begin() + (o + 1) * chunk);
      }
    }
    return result;
  }
  if (op == "Gather") {
    const Const *indices = input(1);
    if (!indices || indices->isFloat())
      return std::nullopt;
    int64_t rank = in[0]->shape.size();
    std::optional<int64_t> axis = axisIn(attrInt(node, "axis", 0), rank);
    if (!axis)
      return std::nullopt;
    int64_t dim = in[0]->shape[*axis];
    SmallVector<int64_t> idx = toInts(*indices);
    for (int64_t &i : idx) {
      if (i < -dim || i >= dim)
        return std::nullopt;
      if (i < 0)
        i += dim;
    }
    result.shape.assign(in[0]->shape.begin(), in[0]->shape.begin() + *axis);
    result.shape.append(indices->shape.begin(), indices->shape.end());
    result.shape.append(in[0]->shape.begin() + *axis + 1, in[0]->shape.end());
    if (result.size() > kMaxFoldElements)
      return std::nullopt;
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < *axis; ++d)
      outer *= in[0]->shape[d];
    for (int64_t d = *axis + 1; d < rank; ++d)
      inner *= in[0]->shape[d];
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i : idx)
        for (int64_t k = 0; k < inner; ++k)
          result.values.push_back(in[0]->values[(o * dim + i) * inner + k]);
    return result;
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    std::optional<SmallVector<int64_t>> axes = attrInts(node, "axes");
    if (input(1))
      axes = toInts(*input(1));
    result.values = in[0]->values;
    SmallVector<int64_t> shape = in[0]->shape;
    if (op == "Squeeze") {
      int64_t rank = shape.size();
      SmallVector<bool> drop(rank, false);
      if (!axes) {
        for (int64_t d = 0; d < rank; ++d)
          drop[d] = shape[d] == 1;
      } else {
        for (int64_t a : *axes) {
          std::optional<int64_t> axis = axisIn(a, rank);
          if (!axis || shape[*axis] != 1)
            return std::nullopt;
          drop[*axis] = true;
        }
      }
      for (int64_t d = 0; d < rank; ++d)
        if (!drop[d])
          result.shape.push_back(shape[d]);
      return result;
    }
    if (!axes)
      return std::nullopt;
    int64_t rank = shape.size() + axes->size();
    SmallVector<bool> unit(rank, false);
    for (int64_t a : *axes) {
      std::optional<int64_t> axis = axisIn(a, rank);
      if (!axis || unit[*axis])
        return std::nullopt;
      unit[*axis] = true;
    }
    auto it = shape.begin();
    for (int64_t d = 0; d < rank; ++d)
      result.shape.push_back(unit[d] ? 1 : *it++);
    return result;
  }
  if (op == "Reshape") {
    const Const *shapeIn = input(1);
    if (!shapeIn)
      return std::nullopt;
    SmallVector<int64_t> shape = toInts(*shapeIn);
    bool allowZero = attrInt(node, "allowzero", 0) != 0;
    int64_t known = 1, inferred = -1;
    for (auto [i, d] : llvm::enumerate(shape)) {
      if (d == 0 && !allowZero) {
        if (i >= in[0]->shape.size())
          return std::nullopt;
        d = in[0]->shape[i];
      }
      if (d == -1) {
        if (inferred >= 0)
          return std::nullopt;
        inferred = i;
        continue;
      }
      if (d < 0)
        return std::nullopt;
      known *= d;
    }
    if (inferred >= 0) {
      if (known == 0 || in[0]->size() % known != 0)
        return std::nullopt;
      shape[inferred] = in[0]->size() / known;
    } else if (known != in[0]->size()) {
      return std::nullopt;
    }
    result.shape = shape;
    result.values = in[0]->values;
    return result;
  }
  if (op == "Slice") {
    int64_t rank = in[0]->shape.size();
    SmallVector<int64_t> starts, ends, axes, steps;
    if (opset < 10) {
      std::optional<SmallVector<int64_t>> s = attrInts(node, "starts"),
                                          e = attrInts(node, "ends");
      if (!s || !e)
        return std::nullopt;
      starts = *s;
      ends = *e;
      if (auto a = attrInts(node, "axes"))
        axes = *a;
    } else {
      if (!input(1) || !input(2))
        return std::nullopt;
      starts = toInts(*input(1));
      ends = toInts(*input(2));
      if (input(3))
        axes = toInts(*input(3));
      if (input(4))
        steps = toInts(*input(4));
    }
    if (axes.empty())
      for (int64_t i = 0; i < static_cast<int64_t>(starts.size()); ++i)
        axes.push_back(i);
    if (steps.empty())
      steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() ||
        steps.size() != starts.size())
      return std::nullopt;
    SmallVector<int64_t> begin(rank, 0), step(rank, 1),
        count(in[0]->shape.begin(), in[0]->shape.end());
    for (auto [i, a] : llvm::enumerate(axes)) {
      std::optional<int64_t> axis = axisIn(a, rank);
      if (!axis || steps[i] == 0)
        return std::nullopt;
      int64_t dim = in[0]->shape[*axis];
      int64_t s = starts[i], e = ends[i], st = steps[i];
      if (s < 0)
        s += dim;
      if (e < 0)
        e += dim;
      if (st > 0) {
        s = std::clamp<int64_t>(s, 0, dim);
        e = std::clamp<int64_t>(e, 0, dim);
        count[*axis] = e > s ? (e - s + st - 1) / st : 0;
      } else {
        s = std::clamp<int64_t>(s, 0, dim - 1);
        e = std::clamp<int64_t>(e, -1, dim - 1);
        count[*axis] = s > e ? (s - e - st - 1) / -st : 0;
      }
      begin[*axis] = s;
      step[*axis] = st;
    }
    result.shape = count;
    SmallVector<int64_t> strides = stridesOf(in[0]->shape);
    forEachIndex(result.shape, [&](ArrayRef<int64_t> index) {
      int64_t linear = 0;
      for (int64_t d = 0; d < rank; ++d)
        linear += (begin[d] + index[d] * step[d]) * strides[d];
      result.values.push_back(in[0]->values[linear]);
    });
    return result;
  }
  if (op == "ConstantOfShape") {
    SmallVector<int64_t> shape = toInts(*in[0]);
    result.dataType = TensorProto::FLOAT;
    double value = 0;
    if (const onnx::AttributeProto *attr = findAttr(node, "value")) {
      std::optional<Const> v = fromTensor(attr->t());
      if (!v || v->size() != 1)
        return std::nullopt;
      result.dataType = v->dataType;
      value = v->values[0];
    }
    result.shape = shape;
    if (llvm::any_of(shape, [](int64_t d) { return d < 0; }) ||
        result.size() > kMaxFoldElements)
      return std::nullopt;
    result.values.assign(result.size(), value);
    return result;
  }
  if (op == "Range") {
    if (!input(1) || !input(2) || in[0]->size() != 1 || input(1)->size() != 1 ||
        input(2)->size() != 1)
      return std::nullopt;
    double start = in[0]->values[0], limit = input(1)->values[0],
           delta = input(2)->values[0];
    if (delta == 0)
      return std::nullopt;
    int64_t n = std::max<int64_t>(
        static_cast<int64_t>(std::ceil((limit - start) / delta)), 0);
    if (n > kMaxFoldElements)
      return std::nullopt;
    result.shape = {n};
    for (int64_t i = 0; i < n; ++i)
      result.values.push_back(normalize(start + i * delta, type));
    return result;
  }
  if (op == "Expand") {
    if (!input(1))
      return std::nullopt;
    Const target;
    target.shape = toInts(*input(1));
    target.values.assign(target.size(), 0);
    if (llvm::any_of(target.shape, [](int64_t d) { return d < 0; }))
      return std::nullopt;
    return broadcastOp({in[0], &target}, type, [](ArrayRef<double> a) {
      return std::optional<double>(a[0]);
    });
  }
  return std::nullopt;
}

bool GraphFolder::run() {
  bool changed = false;
  for (onnx::NodeProto &node : *graph.mutable_node()) {
    // Fold inside subgraphs first: they may refer to this graph's constants.
    for (onnx::AttributeProto &attr : *node.mutable_attribute()) {
      if (attr.has_g()) {
        GraphFolder sub(*attr.mutable_g(), opset, this);
        changed |= sub.run();
      }
      for (onnx::GraphProto &g : *attr.mutable_graphs()) {
        GraphFolder sub(g, opset, this);
        changed |= sub.run();
      }
    }
    if (node.op_type() == "Constant" &&
        (node.domain().empty() || node.domain() == "ai.onnx")) {
      changed |= normalizeConstantNode(node);
      if (node.attribute_size() == 1 && node.attribute(0).name() == "value" &&
          node.output_size() == 1)
        if (std::optional<Const> c = fromTensor(node.attribute(0).t()))
          constants[node.output(0)] = std::move(*c);
      continue;
    }
    std::optional<Const> value = evaluate(node);
    if (!value)
      continue;
    // Keep the inferred element type when it disagrees: then we misread the
    // operator, and leave it alone.
    if (const onnx::TypeProto *type = lookupType(node.output(0)))
      if (type->has_tensor_type() &&
          type->tensor_type().elem_type() != value->dataType)
        continue;
    TensorProto tensor = makeTensor(value->dataType, value->shape,
                                    value->values);
    if (!isFloatDataType(value->dataType))
      tensor = makeIntTensor(value->dataType, value->shape, toInts(*value));
    tensor.set_name(node.output(0));
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
  return changed;
}

bool mlir::hm::onnx_import::foldConstants(onnx::GraphProto &graph,
                                          int64_t opset) {
  GraphFolder folder(graph, opset, /*parent=*/nullptr);
  return folder.run();
}
