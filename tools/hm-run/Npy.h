//===- Npy.h - NumPy .npy files for hm-run ----------------------*- C++ -*-===//
//
// A reader and a writer for NumPy's .npy format (versions 1.0, 2.0 and 3.0,
// little-endian, C order). Neither Debian nor LLVM packages a C++ .npy
// library, and the format is small: a magic string, a version, a header that
// is a Python dict literal ({'descr': '<f4', 'fortran_order': False,
// 'shape': (2, 3), }) and the raw data.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_TOOLS_HMRUN_NPY_H
#define HEAVYMETAL_TOOLS_HMRUN_NPY_H

#include "HostTensor.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

namespace mlir::hm::run {

/// A parsed .npy file; the data stays in the file's buffer.
struct NpyArray {
  /// The path, for messages.
  std::string path;
  /// The dtype as the header spells it, normalised to little-endian
  /// ("<f4", "|b1", "<u2", ...).
  std::string descr;
  llvm::SmallVector<int64_t> shape;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  /// Where the data starts in `buffer`.
  size_t dataOffset = 0;

  llvm::ArrayRef<uint8_t> getData() const;
  /// "(2, 3)" as NumPy prints a shape.
  std::string getShapeString() const;
};

/// Reads and checks `path`: magic, version, header, a supported dtype
/// (f2, f4, f8, b1, i1, i2, i4, i8, u2), C order, and exactly as many data
/// bytes as the shape needs.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Converts `array` into a tensor of `expected`'s type and shape, or says why
/// it cannot be (`what` names the destination, e.g. "argument #0 of
/// @matmul"). bf16 accepts '<f4' (rounded to nearest even) and '<u2' (the raw
/// bits); every other type needs its own dtype.
llvm::Expected<HostTensor> convertToTensor(const NpyArray &array,
                                           const TensorSpec &expected,
                                           const llvm::Twine &what);

/// The .npy dtype hm-run writes for `type` ("<f4" for bf16: every bf16 value
/// is exactly an f32, and NumPy has no bf16).
llvm::StringRef getNpyDescr(ElementType type);

/// Writes `tensor` to `path` (format 1.0, or 2.0 for a huge header).
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &tensor);

} // namespace mlir::hm::run

#endif // HEAVYMETAL_TOOLS_HMRUN_NPY_H
