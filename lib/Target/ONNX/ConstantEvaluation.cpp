//===- ConstantEvaluation.cpp - Evaluating ONNX nodes on constants --------===//

#include "ConstantEvaluation.h"
#include "Importer.h"
#include "Tensors.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace mlir::hm::onnx_import;
using onnx::TensorProto;

bool ConstTensor::isFloat() const { return isFloatDataType(dataType); }

namespace {

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
bool fitsExactly(const ConstTensor &c) {
  return llvm::all_of(c.values,
                      [](double v) { return std::fabs(v) <= 9.0e15; });
}

} // namespace

std::optional<ConstTensor>
mlir::hm::onnx_import::constantFromTensor(const TensorProto &tensor) {
  if (dataTypeByteSize(tensor.data_type()) == 0 ||
      numElements(tensor) > kMaxFoldElements ||
      tensor.data_location() == TensorProto::EXTERNAL)
    return std::nullopt;
  std::string error;
  std::optional<SmallVector<double>> values = tensorToDoubles(tensor, error);
  if (!values)
    return std::nullopt;
  ConstTensor c;
  c.dataType = tensor.data_type();
  c.shape.assign(tensor.dims().begin(), tensor.dims().end());
  c.values = std::move(*values);
  if (!c.isFloat() && !fitsExactly(c))
    return std::nullopt;
  return c;
}

namespace {

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Numpy broadcasting of `shapes`, or nullopt when they are incompatible.
std::optional<SmallVector<int64_t>>
broadcastShapes(ArrayRef<const ConstTensor *> operands) {
  size_t rank = 0;
  for (const ConstTensor *c : operands)
    rank = std::max(rank, c->shape.size());
  SmallVector<int64_t> shape(rank, 1);
  for (const ConstTensor *c : operands) {
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
double readBroadcast(const ConstTensor &c, ArrayRef<int64_t> index) {
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

/// Attribute `name` of `node`, or null.
const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                     llvm::StringRef name) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t attrInt(const onnx::NodeProto &node, llvm::StringRef name,
                int64_t defaultValue) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->i() : defaultValue;
}

std::optional<SmallVector<int64_t>> attrInts(const onnx::NodeProto &node,
                                             llvm::StringRef name) {
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

SmallVector<int64_t> toInts(const ConstTensor &c) {
  return llvm::map_to_vector(c.values,
                             [](double v) { return static_cast<int64_t>(v); });
}

/// Normalizes negative `axis` against `rank`; nullopt when out of range.
std::optional<int64_t> axisIn(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

} // namespace

int64_t mlir::hm::onnx_import::nodeIntAttr(const onnx::NodeProto &node,
                                           llvm::StringRef name,
                                           int64_t defaultValue) {
  return attrInt(node, name, defaultValue);
}

SmallVector<int64_t>
mlir::hm::onnx_import::constantToInts(const ConstTensor &c) {
  return toInts(c);
}

std::optional<ConstTensor>
mlir::hm::onnx_import::evaluateNode(const onnx::NodeProto &node, int64_t opset,
                                    ArrayRef<const ConstTensor *> in) {
  const std::string &op = node.op_type();
  auto input = [&](unsigned i) -> const ConstTensor * {
    return i < in.size() ? in[i] : nullptr;
  };
  if (in.empty() || !in[0])
    return std::nullopt;

  ConstTensor result;
  result.dataType = in[0]->dataType;

  // Element-wise operators with numpy broadcasting.
  using BinaryFn = std::function<std::optional<double>(double, double)>;
  auto broadcastOp =
      [&](ArrayRef<const ConstTensor *> operands, int32_t resultType,
          llvm::function_ref<std::optional<double>(ArrayRef<double>)> fn)
      -> std::optional<ConstTensor> {
    std::optional<SmallVector<int64_t>> shape = broadcastShapes(operands);
    if (!shape)
      return std::nullopt;
    ConstTensor c;
    c.dataType = resultType;
    c.shape = *shape;
    if (c.size() > kMaxFoldElements)
      return std::nullopt;
    bool ok = true;
    forEachIndex(c.shape, [&](ArrayRef<int64_t> index) {
      SmallVector<double, 3> args;
      for (const ConstTensor *o : operands)
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
                    BinaryFn fn) -> std::optional<ConstTensor> {
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
  auto unary =
      [&](int32_t resultType,
          std::function<double(double)> fn) -> std::optional<ConstTensor> {
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
    for (const ConstTensor *c : in) {
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
      for (const ConstTensor *c : in) {
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
    const ConstTensor *indices = input(1);
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
    const ConstTensor *shapeIn = input(1);
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
      std::optional<ConstTensor> v = constantFromTensor(attr->t());
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
    ConstTensor target;
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
