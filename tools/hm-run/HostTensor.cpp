//===- HostTensor.cpp - Tensors in host memory for hm-run -----------------===//

#include "HostTensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace mlir::hm;
using namespace mlir::hm::run;

llvm::StringRef run::getElementTypeName(ElementType type) {
  switch (type) {
  case ElementType::F16:
    return "f16";
  case ElementType::BF16:
    return "bf16";
  case ElementType::F32:
    return "f32";
  case ElementType::F64:
    return "f64";
  case ElementType::I1:
    return "i1";
  case ElementType::I8:
    return "i8";
  case ElementType::I16:
    return "i16";
  case ElementType::I32:
    return "i32";
  case ElementType::I64:
    return "i64";
  }
  llvm_unreachable("unknown element type");
}

int64_t run::getElementByteWidth(ElementType type) {
  switch (type) {
  case ElementType::I1:
  case ElementType::I8:
    return 1;
  case ElementType::F16:
  case ElementType::BF16:
  case ElementType::I16:
    return 2;
  case ElementType::F32:
  case ElementType::I32:
    return 4;
  case ElementType::F64:
  case ElementType::I64:
    return 8;
  }
  llvm_unreachable("unknown element type");
}

bool run::isFloatingPoint(ElementType type) {
  return type == ElementType::F16 || type == ElementType::BF16 ||
         type == ElementType::F32 || type == ElementType::F64;
}

std::optional<ElementType> run::getElementType(mlir::Type type) {
  if (type.isF16())
    return ElementType::F16;
  if (type.isBF16())
    return ElementType::BF16;
  if (type.isF32())
    return ElementType::F32;
  if (type.isF64())
    return ElementType::F64;
  // Signless integers only: arith does not operate on signed/unsigned ones.
  if (auto integer = dyn_cast<mlir::IntegerType>(type)) {
    if (!integer.isSignless())
      return std::nullopt;
    switch (integer.getWidth()) {
    case 1:
      return ElementType::I1;
    case 8:
      return ElementType::I8;
    case 16:
      return ElementType::I16;
    case 32:
      return ElementType::I32;
    case 64:
      return ElementType::I64;
    default:
      return std::nullopt;
    }
  }
  return std::nullopt;
}

int64_t TensorSpec::getNumElements() const {
  int64_t count = 1;
  for (int64_t size : shape)
    count *= size;
  return count;
}

std::string TensorSpec::str() const {
  std::string result;
  for (int64_t size : shape)
    result += std::to_string(size) + "x";
  return result + getElementTypeName(elementType).str();
}

void HostTensor::FreeDeleter::operator()(uint8_t *pointer) const {
  std::free(pointer);
}

HostTensor::HostTensor(TensorSpec tensorSpec) : spec(std::move(tensorSpec)) {
  // Never a null pointer, even for empty tensors: the compiled code and the
  // emulator may look at the descriptor's pointers.
  size_t bytes = llvm::alignTo(std::max<int64_t>(getNumBytes(), 1), 64);
  data.reset(static_cast<uint8_t *>(std::aligned_alloc(64, bytes)));
  if (!data)
    llvm::report_bad_alloc_error("hm-run: out of host memory for a tensor");
  std::memset(data.get(), 0, bytes);
}

HostTensor HostTensor::clone() const {
  HostTensor copy(spec);
  std::memcpy(copy.getData(), getData(), getNumBytes());
  return copy;
}

template <typename T> static T load(const uint8_t *data, int64_t index) {
  T value;
  std::memcpy(&value, data + index * sizeof(T), sizeof(T));
  return value;
}

float run::halfBitsToFloat(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  uint32_t result;
  if (exponent == 0x1f) {
    result = sign | 0x7f800000 | (mantissa << 13);
  } else if (exponent != 0) {
    result = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    result = sign;
  } else {
    // Subnormal half: normalise into a float.
    exponent = 113;
    while (!(mantissa & 0x400)) {
      mantissa <<= 1;
      --exponent;
    }
    result = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
  }
  float value;
  std::memcpy(&value, &result, sizeof(value));
  return value;
}

/// `value` rounded to nearest even in `semantics`, as raw bits.
static uint16_t roundTo16Bits(double value,
                              const llvm::fltSemantics &semantics) {
  llvm::APFloat converted(value);
  bool losesInfo = false;
  converted.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint16_t>(converted.bitcastToAPInt().getZExtValue());
}

uint16_t run::floatToHalfBits(float value) {
  return roundTo16Bits(value, llvm::APFloat::IEEEhalf());
}

float run::bfloat16BitsToFloat(uint16_t bits) {
  uint32_t widened = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &widened, sizeof(value));
  return value;
}

uint16_t run::floatToBFloat16Bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if (std::isnan(value))
    return static_cast<uint16_t>((bits >> 16) | 0x40); // Keep it a quiet NaN.
  uint32_t roundingBias = 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + roundingBias) >> 16);
}

double HostTensor::getAsDouble(int64_t index) const {
  const uint8_t *bytes = getData();
  switch (spec.elementType) {
  case ElementType::F16:
    return halfBitsToFloat(load<uint16_t>(bytes, index));
  case ElementType::BF16:
    return bfloat16BitsToFloat(load<uint16_t>(bytes, index));
  case ElementType::F32:
    return load<float>(bytes, index);
  case ElementType::F64:
    return load<double>(bytes, index);
  default:
    return static_cast<double>(getAsInt(index));
  }
}

int64_t HostTensor::getAsInt(int64_t index) const {
  const uint8_t *bytes = getData();
  switch (spec.elementType) {
  case ElementType::I1:
    // LLVM stores an i1 as a byte whose low bit is the value.
    return load<uint8_t>(bytes, index) & 1;
  case ElementType::I8:
    return load<int8_t>(bytes, index);
  case ElementType::I16:
    return load<int16_t>(bytes, index);
  case ElementType::I32:
    return load<int32_t>(bytes, index);
  case ElementType::I64:
    return load<int64_t>(bytes, index);
  default:
    return static_cast<int64_t>(getAsDouble(index));
  }
}

namespace {
/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and the same on every
/// machine, unlike std::uniform_*_distribution.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

private:
  uint64_t state;
};
} // namespace

template <typename T> static void store(uint8_t *data, int64_t index, T value) {
  std::memcpy(data + index * sizeof(T), &value, sizeof(T));
}

void run::fillRandom(HostTensor &tensor, uint64_t seed, unsigned inputIndex) {
  // Each argument's state is one splitmix64 output: states SEED + (k + 1)
  // * gamma directly would make argument k + 1 argument k shifted by one
  // element, which hides operands swapped or offset by a kernel.
  SplitMix64 seeder(seed + static_cast<uint64_t>(inputIndex) *
                               0x9E3779B97F4A7C15ULL);
  SplitMix64 generator(seeder.next());
  uint8_t *data = tensor.getData();
  for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i) {
    uint64_t bits = generator.next();
    // 53 random bits -> [0, 1) -> [-1, 1).
    double uniform = static_cast<double>(bits >> 11) * 0x1.0p-53 * 2.0 - 1.0;
    // The top 4 bits -> [-8, 8).
    int64_t integer = static_cast<int64_t>(bits >> 60) - 8;
    switch (tensor.getElementType()) {
    // Rounded once, from the double, to the element type.
    case ElementType::F16:
      store<uint16_t>(data, i,
                      roundTo16Bits(uniform, llvm::APFloat::IEEEhalf()));
      break;
    case ElementType::BF16:
      store<uint16_t>(data, i, roundTo16Bits(uniform, llvm::APFloat::BFloat()));
      break;
    case ElementType::F32:
      store<float>(data, i, static_cast<float>(uniform));
      break;
    case ElementType::F64:
      store<double>(data, i, uniform);
      break;
    case ElementType::I1:
      store<uint8_t>(data, i, static_cast<uint8_t>(bits >> 63));
      break;
    case ElementType::I8:
      store<int8_t>(data, i, static_cast<int8_t>(integer));
      break;
    case ElementType::I16:
      store<int16_t>(data, i, static_cast<int16_t>(integer));
      break;
    case ElementType::I32:
      store<int32_t>(data, i, static_cast<int32_t>(integer));
      break;
    case ElementType::I64:
      store<int64_t>(data, i, integer);
      break;
    }
  }
}

std::string run::formatDouble(double value) {
  if (std::isnan(value))
    return "nan"; // Not "-nan": the sign of a NaN means nothing here.
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

std::string run::summarize(const HostTensor &tensor) {
  std::string head = "shape=[";
  llvm::interleave(
      tensor.getShape(), [&](int64_t size) { head += std::to_string(size); },
      [&] { head += ","; });
  head += "] dtype=" + getElementTypeName(tensor.getElementType()).str();
  int64_t count = tensor.getNumElements();
  if (count == 0)
    return head + " (empty)";

  if (!isFloatingPoint(tensor.getElementType())) {
    int64_t minimum = std::numeric_limits<int64_t>::max();
    int64_t maximum = std::numeric_limits<int64_t>::min();
    int64_t sum = 0; // Wraps like the tensor's own arithmetic would.
    for (int64_t i = 0; i < count; ++i) {
      int64_t value = tensor.getAsInt(i);
      minimum = std::min(minimum, value);
      maximum = std::max(maximum, value);
      sum = static_cast<int64_t>(static_cast<uint64_t>(sum) +
                                 static_cast<uint64_t>(value));
    }
    return head +
           llvm::formatv(" min={0} max={1} sum={2}", minimum, maximum, sum)
               .str();
  }

  double minimum = std::numeric_limits<double>::infinity();
  double maximum = -minimum;
  double sum = 0.0;
  int64_t nanCount = 0, infCount = 0, finiteCount = 0;
  for (int64_t i = 0; i < count; ++i) {
    double value = tensor.getAsDouble(i);
    if (std::isnan(value)) {
      ++nanCount;
      continue;
    }
    if (std::isinf(value))
      ++infCount;
    else {
      sum += value;
      ++finiteCount;
    }
    minimum = std::min(minimum, value);
    maximum = std::max(maximum, value);
  }
  std::string stats;
  if (nanCount == count)
    stats = " min=nan max=nan mean=nan";
  else
    stats =
        " min=" + formatDouble(minimum) + " max=" + formatDouble(maximum) +
        " mean=" +
        formatDouble(finiteCount ? sum / finiteCount
                                 : std::numeric_limits<double>::quiet_NaN());
  return head + stats +
         llvm::formatv(" nan={0} inf={1}", nanCount, infCount).str();
}
