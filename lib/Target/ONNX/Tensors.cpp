//===- Tensors.cpp - Reading ONNX TensorProto data ------------------------===//

#include "Tensors.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::hm::onnx_import;
using onnx::TensorProto;

int64_t mlir::hm::onnx_import::dataTypeByteSize(int32_t dataType) {
  switch (dataType) {
  case TensorProto::BOOL:
  case TensorProto::INT8:
  case TensorProto::UINT8:
    return 1;
  case TensorProto::INT16:
  case TensorProto::UINT16:
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16:
    return 2;
  case TensorProto::INT32:
  case TensorProto::UINT32:
  case TensorProto::FLOAT:
    return 4;
  case TensorProto::INT64:
  case TensorProto::UINT64:
  case TensorProto::DOUBLE:
    return 8;
  default:
    return 0;
  }
}

int64_t mlir::hm::onnx_import::numElements(const TensorProto &tensor) {
  int64_t n = 1;
  for (int64_t d : tensor.dims())
    n *= d;
  return n;
}

/// Appends the low `size` bytes of `value` (little-endian host).
static void appendBytes(std::string &out, uint64_t value, int64_t size) {
  char bytes[8];
  std::memcpy(bytes, &value, sizeof(bytes));
  out.append(bytes, size);
}

/// Reads external data: the keys `location`, `offset` and `length`.
static bool readExternalData(const TensorProto &tensor, llvm::StringRef dir,
                             int64_t expected, std::string &storage,
                             std::string &error) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      offset = std::strtoll(entry.value().c_str(), nullptr, 10);
    else if (entry.key() == "length")
      length = std::strtoll(entry.value().c_str(), nullptr, 10);
  }
  if (location.empty()) {
    error = "external data of tensor '" + tensor.name() + "' has no location";
    return false;
  }
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, location);
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file) {
    error = "cannot read external data of tensor '" + tensor.name() +
            "' from '" + std::string(path) + "': " + file.getError().message();
    return false;
  }
  if (length < 0)
    length = expected;
  if (offset < 0 || length != expected ||
      offset + length > static_cast<int64_t>((*file)->getBufferSize())) {
    error = "external data of tensor '" + tensor.name() + "' in '" +
            std::string(path) + "' has the wrong size (expected " +
            std::to_string(expected) + " bytes at offset " +
            std::to_string(offset) + ")";
    return false;
  }
  storage.assign((*file)->getBufferStart() + offset, length);
  return true;
}

std::optional<llvm::ArrayRef<char>> mlir::hm::onnx_import::getTensorBytes(
    const TensorProto &tensor, llvm::StringRef directory, std::string &storage,
    std::string &error) {
  int32_t dataType = tensor.data_type();
  int64_t elementSize = dataTypeByteSize(dataType);
  if (elementSize == 0) {
    error = "tensor '" + tensor.name() + "' has an unsupported data type";
    return std::nullopt;
  }
  int64_t count = numElements(tensor);
  if (count < 0) {
    error = "tensor '" + tensor.name() + "' has a negative dimension";
    return std::nullopt;
  }
  int64_t expected = count * elementSize;

  if (tensor.data_location() == TensorProto::EXTERNAL) {
    if (!readExternalData(tensor, directory, expected, storage, error))
      return std::nullopt;
    return llvm::ArrayRef<char>(storage.data(), storage.size());
  }
  if (tensor.has_raw_data()) {
    if (static_cast<int64_t>(tensor.raw_data().size()) != expected) {
      error = "tensor '" + tensor.name() + "' holds " +
              std::to_string(tensor.raw_data().size()) +
              " bytes of raw data, expected " + std::to_string(expected);
      return std::nullopt;
    }
    return llvm::ArrayRef<char>(tensor.raw_data().data(),
                                tensor.raw_data().size());
  }

  storage.clear();
  storage.reserve(expected);
  auto mismatch = [&](int64_t have) {
    error = "tensor '" + tensor.name() + "' holds " + std::to_string(have) +
            " elements, expected " + std::to_string(count);
    return std::nullopt;
  };
  switch (dataType) {
  case TensorProto::FLOAT:
    if (tensor.float_data_size() != count)
      return mismatch(tensor.float_data_size());
    for (float v : tensor.float_data())
      storage.append(reinterpret_cast<const char *>(&v), sizeof(v));
    break;
  case TensorProto::DOUBLE:
    if (tensor.double_data_size() != count)
      return mismatch(tensor.double_data_size());
    for (double v : tensor.double_data())
      storage.append(reinterpret_cast<const char *>(&v), sizeof(v));
    break;
  case TensorProto::INT64:
    if (tensor.int64_data_size() != count)
      return mismatch(tensor.int64_data_size());
    for (int64_t v : tensor.int64_data())
      appendBytes(storage, static_cast<uint64_t>(v), 8);
    break;
  case TensorProto::UINT32:
  case TensorProto::UINT64:
    if (tensor.uint64_data_size() != count)
      return mismatch(tensor.uint64_data_size());
    for (uint64_t v : tensor.uint64_data())
      appendBytes(storage, v, elementSize);
    break;
  default:
    // int8/16/32, uint8/16, bool, f16 and bf16 live in int32_data, one
    // element (or its bit pattern) per entry.
    if (tensor.int32_data_size() != count)
      return mismatch(tensor.int32_data_size());
    for (int32_t v : tensor.int32_data())
      appendBytes(storage, static_cast<uint64_t>(static_cast<uint32_t>(v)),
                  elementSize);
    break;
  }
  return llvm::ArrayRef<char>(storage.data(), storage.size());
}

static double loadAsDouble(llvm::ArrayRef<char> bytes, int32_t dataType,
                           int64_t i);

/// Reads element `i` of little-endian `bytes` of `dataType` as an integer
/// (floating-point types truncated; unknown types 0).
static int64_t loadAsInt(llvm::ArrayRef<char> bytes, int32_t dataType,
                         int64_t i) {
  auto load = [&](auto v) {
    std::memcpy(&v, bytes.data() + i * sizeof(v), sizeof(v));
    return v;
  };
  switch (dataType) {
  case TensorProto::BOOL:
  case TensorProto::UINT8:
    return load(uint8_t());
  case TensorProto::INT8:
    return load(int8_t());
  case TensorProto::UINT16:
    return load(uint16_t());
  case TensorProto::INT16:
    return load(int16_t());
  case TensorProto::UINT32:
    return load(uint32_t());
  case TensorProto::INT32:
    return load(int32_t());
  case TensorProto::UINT64:
    return static_cast<int64_t>(load(uint64_t()));
  case TensorProto::INT64:
    return load(int64_t());
  case TensorProto::FLOAT:
  case TensorProto::DOUBLE:
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16:
    return static_cast<int64_t>(loadAsDouble(bytes, dataType, i));
  default:
    return 0;
  }
}

/// Reads element `i` of little-endian `bytes` of `dataType` as a double.
static double loadAsDouble(llvm::ArrayRef<char> bytes, int32_t dataType,
                           int64_t i) {
  auto load = [&](auto v) {
    std::memcpy(&v, bytes.data() + i * sizeof(v), sizeof(v));
    return v;
  };
  switch (dataType) {
  case TensorProto::FLOAT:
    return load(float());
  case TensorProto::DOUBLE:
    return load(double());
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16: {
    uint16_t bits = load(uint16_t());
    llvm::APFloat value(dataType == TensorProto::FLOAT16
                            ? llvm::APFloat::IEEEhalf()
                            : llvm::APFloat::BFloat(),
                        llvm::APInt(16, bits));
    bool losesInfo;
    value.convert(llvm::APFloat::IEEEdouble(),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    return value.convertToDouble();
  }
  case TensorProto::UINT64: // Above 2^63 too.
    return static_cast<double>(load(uint64_t()));
  default:
    return static_cast<double>(loadAsInt(bytes, dataType, i));
  }
}

std::optional<SmallVector<int64_t>>
mlir::hm::onnx_import::tensorToInts(const TensorProto &tensor,
                                    std::string &error) {
  std::string storage;
  std::optional<llvm::ArrayRef<char>> bytes =
      getTensorBytes(tensor, "", storage, error);
  if (!bytes)
    return std::nullopt;
  int64_t n = numElements(tensor);
  SmallVector<int64_t> values;
  values.reserve(n);
  for (int64_t i = 0; i < n; ++i)
    values.push_back(loadAsInt(*bytes, tensor.data_type(), i));
  return values;
}

std::optional<SmallVector<double>>
mlir::hm::onnx_import::tensorToDoubles(const TensorProto &tensor,
                                       std::string &error) {
  std::string storage;
  std::optional<llvm::ArrayRef<char>> bytes =
      getTensorBytes(tensor, "", storage, error);
  if (!bytes)
    return std::nullopt;
  int64_t n = numElements(tensor);
  SmallVector<double> values;
  values.reserve(n);
  for (int64_t i = 0; i < n; ++i)
    values.push_back(loadAsDouble(*bytes, tensor.data_type(), i));
  return values;
}

/// Appends `value` converted to `dataType`.
static void storeDouble(std::string &out, int32_t dataType, double value) {
  switch (dataType) {
  case TensorProto::FLOAT: {
    float v = static_cast<float>(value);
    out.append(reinterpret_cast<const char *>(&v), sizeof(v));
    return;
  }
  case TensorProto::DOUBLE:
    out.append(reinterpret_cast<const char *>(&value), sizeof(value));
    return;
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16: {
    llvm::APFloat v(value);
    bool losesInfo;
    v.convert(dataType == TensorProto::FLOAT16 ? llvm::APFloat::IEEEhalf()
                                               : llvm::APFloat::BFloat(),
              llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    appendBytes(out, v.bitcastToAPInt().getZExtValue(), 2);
    return;
  }
  case TensorProto::BOOL:
    appendBytes(out, value != 0 ? 1 : 0, 1);
    return;
  case TensorProto::UINT64:
    appendBytes(out, static_cast<uint64_t>(value), 8);
    return;
  default:
    appendBytes(out, static_cast<uint64_t>(static_cast<int64_t>(value)),
                dataTypeByteSize(dataType));
    return;
  }
}

onnx::TensorProto mlir::hm::onnx_import::makeTensor(int32_t dataType,
                                                    ArrayRef<int64_t> shape,
                                                    ArrayRef<double> values) {
  TensorProto tensor;
  tensor.set_data_type(dataType);
  for (int64_t d : shape)
    tensor.add_dims(d);
  std::string raw;
  for (double v : values)
    storeDouble(raw, dataType, v);
  tensor.set_raw_data(std::move(raw));
  return tensor;
}

onnx::TensorProto
mlir::hm::onnx_import::makeIntTensor(int32_t dataType, ArrayRef<int64_t> shape,
                                     ArrayRef<int64_t> values) {
  if (dataTypeByteSize(dataType) == 0 || dataType == TensorProto::FLOAT ||
      dataType == TensorProto::DOUBLE || dataType == TensorProto::FLOAT16 ||
      dataType == TensorProto::BFLOAT16) {
    SmallVector<double> asDoubles(values.begin(), values.end());
    return makeTensor(dataType, shape, asDoubles);
  }
  TensorProto tensor;
  tensor.set_data_type(dataType);
  for (int64_t d : shape)
    tensor.add_dims(d);
  std::string raw;
  for (int64_t v : values) {
    if (dataType == TensorProto::BOOL)
      v = v != 0;
    appendBytes(raw, static_cast<uint64_t>(v), dataTypeByteSize(dataType));
  }
  tensor.set_raw_data(std::move(raw));
  return tensor;
}
