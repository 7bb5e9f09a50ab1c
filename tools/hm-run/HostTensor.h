//===- HostTensor.h - Tensors in host memory for hm-run ---------*- C++ -*-===//
//
// The element types hm-run exchanges with compiled functions, a dense
// row-major tensor in host memory, and the documented random-input
// distribution.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_TOOLS_HMRUN_HOSTTENSOR_H
#define HEAVYMETAL_TOOLS_HMRUN_HOSTTENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace mlir {
class Type;
} // namespace mlir

namespace mlir::hm::run {

/// The element types hm-run supports, named after their MLIR spelling.
enum class ElementType { F16, BF16, F32, F64, I1, I8, I16, I32, I64 };

/// The MLIR spelling: "f32", "bf16", "i1", ...
llvm::StringRef getElementTypeName(ElementType type);

/// Bytes per element in memory (i1 takes one byte, as LLVM stores it).
int64_t getElementByteWidth(ElementType type);

/// True for f16, bf16, f32 and f64.
bool isFloatingPoint(ElementType type);

/// Maps an MLIR element type to hm-run's; std::nullopt when unsupported.
std::optional<ElementType> getElementType(mlir::Type type);

/// Element type and static shape of a tensor.
struct TensorSpec {
  ElementType elementType = ElementType::F32;
  llvm::SmallVector<int64_t> shape;

  int64_t getNumElements() const;
  int64_t getNumBytes() const {
    return getNumElements() * getElementByteWidth(elementType);
  }
  /// As MLIR prints it: "4x8xf32", "f32" for rank 0.
  std::string str() const;
  bool operator==(const TensorSpec &other) const {
    return elementType == other.elementType && shape == other.shape;
  }
};

/// A dense, row-major tensor in 64-byte aligned host memory.
class HostTensor {
public:
  /// A zero-filled tensor.
  explicit HostTensor(TensorSpec spec);

  const TensorSpec &getSpec() const { return spec; }
  ElementType getElementType() const { return spec.elementType; }
  llvm::ArrayRef<int64_t> getShape() const { return spec.shape; }
  int64_t getNumElements() const { return spec.getNumElements(); }
  int64_t getNumBytes() const { return spec.getNumBytes(); }
  uint8_t *getData() { return data.get(); }
  const uint8_t *getData() const { return data.get(); }

  /// Element `index` (row-major) converted to double; i1 reads as 0 or 1.
  double getAsDouble(int64_t index) const;
  /// Element `index` of an integer tensor, sign-extended.
  int64_t getAsInt(int64_t index) const;

  /// A deep copy (inputs are copied before each run: a compiled function may
  /// write into its arguments).
  HostTensor clone() const;

private:
  struct FreeDeleter {
    void operator()(uint8_t *pointer) const;
  };
  TensorSpec spec;
  std::unique_ptr<uint8_t[], FreeDeleter> data;
};

/// Fills `tensor` with hm-run's random-input distribution for input number
/// `inputIndex` under `seed` (docs/Running.md): splitmix64 seeded with the
/// first output of splitmix64 seeded with seed + inputIndex *
/// 0x9E3779B97F4A7C15, one draw per element in
/// row-major order; floats uniform in [-1, 1) (computed in f64, rounded once
/// to nearest even), integers uniform in [-8, 8), i1 Bernoulli(0.5).
void fillRandom(HostTensor &tensor, uint64_t seed, unsigned inputIndex);

/// Float conversions for the 16-bit formats (round to nearest even).
float halfBitsToFloat(uint16_t bits);
uint16_t floatToHalfBits(float value);
float bfloat16BitsToFloat(uint16_t bits);
uint16_t floatToBFloat16Bits(float value);

/// `value` as printf's %.6g writes it ("nan", "inf", "1.5e-07", ...).
std::string formatDouble(double value);

/// One line describing `tensor`: shape, dtype, min/max/mean, NaN/Inf counts.
std::string summarize(const HostTensor &tensor);

} // namespace mlir::hm::run

#endif // HEAVYMETAL_TOOLS_HMRUN_HOSTTENSOR_H
