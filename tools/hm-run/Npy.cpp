//===- Npy.cpp - NumPy .npy files for hm-run ------------------------------===//

#include "Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir::hm;
using namespace mlir::hm::run;
using llvm::StringRef;

static constexpr char kMagic[] = "\x93NUMPY";
static constexpr size_t kMagicSize = 6;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

namespace {
/// Parses the header: a Python dict literal with string keys whose values are
/// strings, True/False or tuples of integers. That is all NumPy writes.
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : rest(text) {}

  llvm::Error parse(NpyArray &array, bool &fortranOrder) {
    bool sawDescr = false, sawOrder = false, sawShape = false;
    if (!consume("{"))
      return fail("expected '{'");
    while (!consume("}")) {
      std::string key;
      if (auto error = parseString(key))
        return error;
      if (!consume(":"))
        return fail("expected ':' after '" + key + "'");
      if (key == "descr") {
        if (auto error = parseString(array.descr))
          return error;
        sawDescr = true;
      } else if (key == "fortran_order") {
        if (consume("True"))
          fortranOrder = true;
        else if (consume("False"))
          fortranOrder = false;
        else
          return fail("expected True or False for 'fortran_order'");
        sawOrder = true;
      } else if (key == "shape") {
        if (auto error = parseShape(array.shape))
          return error;
        sawShape = true;
      } else {
        return fail("unexpected key '" + key + "'");
      }
      if (!consume(",")) {
        if (!consume("}"))
          return fail("expected ',' or '}'");
        break;
      }
    }
    if (!sawDescr || !sawOrder || !sawShape)
      return fail("the header needs 'descr', 'fortran_order' and 'shape'");
    return llvm::Error::success();
  }

private:
  void skipSpace() { rest = rest.ltrim(); }

  bool consume(StringRef token) {
    skipSpace();
    return rest.consume_front(token);
  }

  llvm::Error fail(const llvm::Twine &message) {
    return makeError("malformed header: " + message);
  }

  llvm::Error parseString(std::string &result) {
    skipSpace();
    if (rest.empty() || (rest.front() != '\'' && rest.front() != '"'))
      return fail("expected a string");
    char quote = rest.front();
    size_t end = rest.find(quote, 1);
    if (end == StringRef::npos)
      return fail("unterminated string");
    result = rest.slice(1, end).str();
    rest = rest.drop_front(end + 1);
    return llvm::Error::success();
  }

  llvm::Error parseShape(llvm::SmallVectorImpl<int64_t> &shape) {
    if (!consume("("))
      return fail("expected a tuple for 'shape'");
    while (!consume(")")) {
      skipSpace();
      size_t digits = 0;
      while (digits < rest.size() && llvm::isDigit(rest[digits]))
        ++digits;
      int64_t size;
      if (digits == 0 || rest.take_front(digits).getAsInteger(10, size))
        return fail("expected a non-negative integer in 'shape'");
      shape.push_back(size);
      rest = rest.drop_front(digits);
      consume("L"); // Python 2 long literals.
      if (!consume(",")) {
        if (!consume(")"))
          return fail("expected ',' or ')' in 'shape'");
        break;
      }
    }
    return llvm::Error::success();
  }

  StringRef rest;
};
} // namespace

/// Little-endian normal form of a dtype; "" when it is not one hm-run reads.
static std::string normalizeDescr(StringRef descr, bool &bigEndian) {
  bigEndian = false;
  if (descr.size() < 2)
    return "";
  char order = descr.front();
  StringRef kindAndSize = descr.drop_front();
  if (order != '<' && order != '>' && order != '|' && order != '=')
    return "";
  bool singleByte = kindAndSize == "b1" || kindAndSize == "i1";
  bool known = llvm::StringSwitch<bool>(kindAndSize)
                   .Cases({"f2", "f4", "f8", "i2", "i4", "i8", "u2"}, true)
                   .Default(singleByte);
  if (!known)
    return "";
  if (singleByte)
    return ("|" + kindAndSize).str();
  if (order == '>') {
    bigEndian = true;
    return "";
  }
  // '|' on a multi-byte type is not valid NumPy; accept it as native.
  return ("<" + kindAndSize).str();
}

static int64_t getDescrItemSize(StringRef descr) {
  int64_t size = 0;
  descr.drop_front(2).getAsInteger(10, size);
  return size;
}

llvm::ArrayRef<uint8_t> NpyArray::getData() const {
  StringRef bytes = buffer->getBuffer().drop_front(dataOffset);
  return {reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()};
}

std::string NpyArray::getShapeString() const {
  if (shape.size() == 1)
    return "(" + std::to_string(shape.front()) + ",)";
  std::string result = "(";
  llvm::interleave(
      shape, [&](int64_t size) { result += std::to_string(size); },
      [&] { result += ", "; });
  return result + ")";
}

llvm::Expected<NpyArray> run::readNpy(StringRef path) {
  auto fail = [&](const llvm::Twine &message) {
    return makeError(path + ": " + message);
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file)
    return fail("cannot read the file: " + file.getError().message());

  NpyArray array;
  array.path = path.str();
  array.buffer = std::move(*file);
  StringRef bytes = array.buffer->getBuffer();
  if (!bytes.starts_with(StringRef(kMagic, kMagicSize)))
    return fail("not a .npy file (it does not start with \\x93NUMPY)");
  if (bytes.size() < kMagicSize + 2)
    return fail("truncated before the header");
  unsigned major = static_cast<uint8_t>(bytes[kMagicSize]);
  unsigned minor = static_cast<uint8_t>(bytes[kMagicSize + 1]);
  if (major < 1 || major > 3 || minor != 0)
    return fail("unsupported .npy version " + llvm::Twine(major) + "." +
                llvm::Twine(minor) + "; expected 1.0, 2.0 or 3.0");
  size_t lengthBytes = major == 1 ? 2 : 4;
  size_t headerStart = kMagicSize + 2 + lengthBytes;
  if (bytes.size() < headerStart)
    return fail("truncated before the header");
  size_t headerLength = 0;
  for (size_t i = 0; i < lengthBytes; ++i)
    headerLength |=
        static_cast<size_t>(static_cast<uint8_t>(bytes[kMagicSize + 2 + i]))
        << (8 * i);
  if (bytes.size() < headerStart + headerLength)
    return fail("truncated header: it announces " + llvm::Twine(headerLength) +
                " bytes, the file has " +
                llvm::Twine(bytes.size() - headerStart));

  bool fortranOrder = false;
  HeaderParser parser(bytes.substr(headerStart, headerLength));
  if (llvm::Error error = parser.parse(array, fortranOrder))
    return fail(llvm::toString(std::move(error)));
  if (fortranOrder)
    return fail("fortran_order=True is not supported; save a C-ordered "
                "array (numpy.ascontiguousarray)");
  bool bigEndian = false;
  std::string descr = normalizeDescr(array.descr, bigEndian);
  if (bigEndian)
    return fail("big-endian dtype '" + array.descr +
                "' is not supported; convert with .astype('<" +
                StringRef(array.descr).drop_front() + "')");
  if (descr.empty())
    return fail("unsupported dtype '" + array.descr +
                "'; hm-run reads <f2, <f4, <f8, |b1, |i1, <i2, <i4, <i8 "
                "and <u2 (bf16 bits)");
  array.descr = descr;

  array.dataOffset = headerStart + headerLength;
  uint64_t elements = 1;
  for (int64_t size : array.shape) {
    if (size != 0 && elements > (uint64_t(1) << 62) / uint64_t(size))
      return fail("shape " + array.getShapeString() + " is too large");
    elements *= size;
  }
  uint64_t expectedBytes = elements * getDescrItemSize(descr);
  uint64_t actualBytes = bytes.size() - array.dataOffset;
  if (actualBytes < expectedBytes)
    return fail("truncated data: shape " + array.getShapeString() + " of " +
                descr + " needs " + llvm::Twine(expectedBytes) +
                " bytes, the file has " + llvm::Twine(actualBytes));
  if (actualBytes > expectedBytes)
    return fail(llvm::Twine(actualBytes - expectedBytes) +
                " bytes of unexpected data after the array");
  return std::move(array);
}

StringRef run::getNpyDescr(ElementType type) {
  switch (type) {
  case ElementType::F16:
    return "<f2";
  case ElementType::BF16:
  case ElementType::F32:
    return "<f4";
  case ElementType::F64:
    return "<f8";
  case ElementType::I1:
    return "|b1";
  case ElementType::I8:
    return "|i1";
  case ElementType::I16:
    return "<i2";
  case ElementType::I32:
    return "<i4";
  case ElementType::I64:
    return "<i8";
  }
  llvm_unreachable("unknown element type");
}

/// "tensor<4x8xf32>".
static std::string getTensorTypeString(const TensorSpec &spec) {
  return "tensor<" + spec.str() + ">";
}

llvm::Expected<HostTensor> run::convertToTensor(const NpyArray &array,
                                                const TensorSpec &expected,
                                                const llvm::Twine &what) {
  auto fail = [&](const llvm::Twine &message) {
    return makeError(array.path + ": " + message);
  };
  if (llvm::ArrayRef<int64_t>(array.shape) != llvm::ArrayRef(expected.shape)) {
    return fail("shape " + array.getShapeString() + " does not match " + what +
                ", which is " + getTensorTypeString(expected));
  }
  StringRef wanted = getNpyDescr(expected.elementType);
  bool isBF16 = expected.elementType == ElementType::BF16;
  bool bf16Bits = isBF16 && array.descr == "<u2";
  if (array.descr != wanted && !bf16Bits)
    return fail("dtype " + array.descr + " does not match " + what +
                ", which is " + getTensorTypeString(expected) + "; expected " +
                wanted + (isBF16 ? " or <u2 (raw bits)" : ""));

  HostTensor tensor(expected);
  llvm::ArrayRef<uint8_t> data = array.getData();
  if (isBF16 && !bf16Bits) {
    for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i) {
      float value;
      std::memcpy(&value, data.data() + 4 * i, sizeof(value));
      uint16_t bits = floatToBFloat16Bits(value);
      std::memcpy(tensor.getData() + 2 * i, &bits, sizeof(bits));
    }
    return std::move(tensor);
  }
  std::memcpy(tensor.getData(), data.data(), tensor.getNumBytes());
  if (expected.elementType == ElementType::I1) {
    // NumPy bools are 0 or 1 already; normalise anything else to 1.
    for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i)
      tensor.getData()[i] = tensor.getData()[i] != 0;
  }
  return std::move(tensor);
}

llvm::Error run::writeNpy(StringRef path, const HostTensor &tensor) {
  std::string dict = "{'descr': '" +
                     getNpyDescr(tensor.getElementType()).str() +
                     "', 'fortran_order': False, 'shape': (";
  for (int64_t size : tensor.getShape())
    dict += std::to_string(size) + ", ";
  if (tensor.getShape().size() > 1)
    dict.resize(dict.size() - 2);
  else if (tensor.getShape().size() == 1)
    dict.pop_back(); // "(5,)"
  dict += "), }";

  // Pad with spaces and a newline so that the data starts 64-byte aligned.
  bool version2 = dict.size() + 1 + kMagicSize + 4 > 65535;
  size_t prefix = kMagicSize + 2 + (version2 ? 4 : 2);
  size_t total = llvm::alignTo(prefix + dict.size() + 1, 64);
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';

  std::error_code errorCode;
  llvm::raw_fd_ostream out(path, errorCode, llvm::sys::fs::OF_None);
  if (errorCode)
    return makeError("cannot write " + path + ": " + errorCode.message());
  out.write(kMagic, kMagicSize);
  out << static_cast<char>(version2 ? 2 : 1) << static_cast<char>(0);
  size_t headerLength = dict.size();
  for (size_t i = 0; i < (version2 ? 4u : 2u); ++i)
    out << static_cast<char>((headerLength >> (8 * i)) & 0xff);
  out << dict;

  if (tensor.getElementType() == ElementType::BF16) {
    for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i) {
      float value = static_cast<float>(tensor.getAsDouble(i));
      out.write(reinterpret_cast<const char *>(&value), sizeof(value));
    }
  } else {
    out.write(reinterpret_cast<const char *>(tensor.getData()),
              tensor.getNumBytes());
  }
  out.close();
  if (out.has_error()) {
    std::string message = out.error().message();
    out.clear_error();
    return makeError("cannot write " + path + ": " + message);
  }
  return llvm::Error::success();
}
