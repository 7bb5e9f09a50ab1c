//===- RTileDialect.cpp - rtile dialect, attributes and built-in archs ----===//
//
// Parsing, printing and verification of #rtile.arch / #rtile.config, and the
// built-in GPU descriptions.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::hm::rtile;

#include "HeavyMetal/Dialect/RTile/IR/RTileDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "HeavyMetal/Dialect/RTile/IR/RTileAttrs.cpp.inc"

void RTileDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "HeavyMetal/Dialect/RTile/IR/RTileAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Built-in architectures
//===----------------------------------------------------------------------===//

namespace {
/// The integer fields of #rtile.arch, in parameter order, with their keywords.
constexpr llvm::StringLiteral kArchFieldNames[] = {
    "sms",           "warp_size",         "sub_partitions",
    "max_threads_per_block", "max_threads_per_sm", "max_blocks_per_sm",
    "smem_per_sm",   "smem_per_block",    "regs_per_sm",
    "regs_per_block", "max_regs_per_thread", "transaction_bytes",
    "smem_banks",    "l2_bytes",          "dram_gbps",
    "clock_mhz",     "fp32_gflops",       "fp16_gflops",
    "bf16_gflops"};
constexpr size_t kNumArchFields = std::size(kArchFieldNames);
using ArchFields = std::array<int64_t, kNumArchFields>;

ArchFields getArchFields(ArchAttr a) {
  return {a.getSms(),           a.getWarpSize(),        a.getSubPartitions(),
          a.getMaxThreadsPerBlock(), a.getMaxThreadsPerSM(),
          a.getMaxBlocksPerSM(), a.getSmemPerSM(),      a.getSmemPerBlock(),
          a.getRegsPerSM(),     a.getRegsPerBlock(),    a.getMaxRegsPerThread(),
          a.getTransactionBytes(), a.getSmemBanks(),    a.getL2Bytes(),
          a.getDramGBps(),      a.getClockMHz(),        a.getFp32GFlops(),
          a.getFp16GFlops(),    a.getBf16GFlops()};
}

template <typename GetFn>
ArchAttr buildArch(GetFn &&get, MLIRContext *ctx, StringRef name,
                   const ArchFields &f) {
  return get(ctx, name, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8],
             f[9], f[10], f[11], f[12], f[13], f[14], f[15], f[16], f[17],
             f[18]);
}

struct BuiltinArch {
  StringRef name;
  StringRef alias;
  ArchFields fields;
};

// Figures from NVIDIA's public data sheets and the CUDA C Programming Guide
// (compute capability tables); see docs/Dialects/RTile.md for the sources.
constexpr int64_t KiB = 1024, MiB = 1024 * 1024;
const BuiltinArch kBuiltinArchs[] = {
    // Tesla V100 SXM2 16 GB.
    {"sm_70", "v100",
     {80, 32, 4, 1024, 2048, 32, 96 * KiB, 96 * KiB, 65536, 65536, 255, 32, 32,
      6 * MiB, 900, 1530, 15700, 125000, 0}},
    // A100 SXM4 40 GB.
    {"sm_80", "a100",
     {108, 32, 4, 1024, 2048, 32, 164 * KiB, 163 * KiB, 65536, 65536, 255, 32,
      32, 40 * MiB, 1555, 1410, 19500, 312000, 312000}},
    // H100 SXM5 80 GB.
    {"sm_90", "h100",
     {132, 32, 4, 1024, 2048, 32, 228 * KiB, 227 * KiB, 65536, 65536, 255, 32,
      32, 50 * MiB, 3352, 1980, 66900, 989400, 989400}},
};

const BuiltinArch *lookupBuiltinArch(StringRef name) {
  for (const BuiltinArch &arch : kBuiltinArchs)
    if (name.equals_insensitive(arch.name) ||
        name.equals_insensitive(arch.alias))
      return &arch;
  return nullptr;
}
} // namespace

ArchAttr mlir::hm::rtile::getBuiltinArch(MLIRContext *context,
                                         StringRef name) {
  const BuiltinArch *arch = lookupBuiltinArch(name);
  if (!arch)
    return {};
  return buildArch(
      [](auto &&...args) { return ArchAttr::get(args...); }, context,
      arch->name, arch->fields);
}

ArrayRef<StringRef> mlir::hm::rtile::getBuiltinArchNames() {
  static const StringRef names[] = {"sm_70", "v100", "sm_80",
                                    "a100",  "sm_90", "h100"};
  return names;
}

//===----------------------------------------------------------------------===//
// ArchAttr
//===----------------------------------------------------------------------===//

LogicalResult
ArchAttr::verify(function_ref<InFlightDiagnostic()> emitError, StringRef name,
                 int64_t sms, int64_t warpSize, int64_t subPartitions,
                 int64_t maxThreadsPerBlock, int64_t maxThreadsPerSM,
                 int64_t maxBlocksPerSM, int64_t smemPerSM,
                 int64_t smemPerBlock, int64_t regsPerSM, int64_t regsPerBlock,
                 int64_t maxRegsPerThread, int64_t transactionBytes,
                 int64_t smemBanks, int64_t l2Bytes, int64_t dramGBps,
                 int64_t clockMHz, int64_t fp32GFlops, int64_t fp16GFlops,
                 int64_t bf16GFlops) {
  if (name.empty())
    return emitError() << "architecture name must not be empty";
  ArchFields fields = {sms,           warpSize,         subPartitions,
                       maxThreadsPerBlock, maxThreadsPerSM, maxBlocksPerSM,
                       smemPerSM,     smemPerBlock,     regsPerSM,
                       regsPerBlock,  maxRegsPerThread, transactionBytes,
                       smemBanks,     l2Bytes,          dramGBps,
                       clockMHz,      fp32GFlops,       fp16GFlops,
                       bf16GFlops};
  // Peak rates of f16/bf16 may be 0 (no such unit); everything else is a size
  // or a count that must be positive.
  for (size_t i = 0; i + 2 < kNumArchFields; ++i)
    if (fields[i] <= 0)
      return emitError() << "'" << kArchFieldNames[i]
                         << "' must be positive, got " << fields[i];
  if (fp16GFlops < 0 || bf16GFlops < 0)
    return emitError() << "peak rates must not be negative";
  if (!llvm::isPowerOf2_64(warpSize))
    return emitError() << "'warp_size' must be a power of two, got "
                       << warpSize;
  if (maxThreadsPerBlock % warpSize != 0)
    return emitError() << "'max_threads_per_block' (" << maxThreadsPerBlock
                       << ") must be a multiple of 'warp_size' (" << warpSize
                       << ")";
  if (maxThreadsPerBlock > maxThreadsPerSM)
    return emitError() << "'max_threads_per_block' (" << maxThreadsPerBlock
                       << ") exceeds 'max_threads_per_sm' (" << maxThreadsPerSM
                       << ")";
  if (smemPerBlock > smemPerSM)
    return emitError() << "'smem_per_block' (" << smemPerBlock
                       << ") exceeds 'smem_per_sm' (" << smemPerSM << ")";
  if (regsPerBlock > regsPerSM)
    return emitError() << "'regs_per_block' (" << regsPerBlock
                       << ") exceeds 'regs_per_sm' (" << regsPerSM << ")";
  return success();
}

Attribute ArchAttr::parse(AsmParser &parser, Type) {
  MLIRContext *ctx = parser.getContext();
  if (parser.parseLess())
    return {};
  SMLoc loc = parser.getCurrentLocation();
  std::string shortName;
  if (succeeded(parser.parseOptionalString(&shortName))) {
    if (parser.parseGreater())
      return {};
    if (ArchAttr arch = getBuiltinArch(ctx, shortName))
      return arch;
    parser.emitError(loc) << "unknown built-in architecture '" << shortName
                          << "'; expected one of: "
                          << llvm::join(getBuiltinArchNames(), ", ");
    return {};
  }

  std::optional<std::string> name;
  ArchFields fields;
  std::array<bool, kNumArchFields> seen{};
  auto parseField = [&]() -> ParseResult {
    SMLoc keyLoc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return failure();
    if (key == "name") {
      if (name)
        return parser.emitError(keyLoc, "duplicate field 'name'");
      name.emplace();
      return parser.parseString(&*name);
    }
    const auto *it = llvm::find(kArchFieldNames, key);
    if (it == std::end(kArchFieldNames))
      return parser.emitError(keyLoc) << "unknown #rtile.arch field '" << key
                                      << "'";
    size_t index = it - std::begin(kArchFieldNames);
    if (seen[index])
      return parser.emitError(keyLoc) << "duplicate field '" << key << "'";
    seen[index] = true;
    return parser.parseInteger(fields[index]);
  };
  if (parser.parseCommaSeparatedList(parseField) || parser.parseGreater())
    return {};
  if (!name) {
    parser.emitError(loc, "#rtile.arch is missing field 'name'");
    return {};
  }
  for (size_t i = 0; i < kNumArchFields; ++i) {
    if (!seen[i]) {
      parser.emitError(loc) << "#rtile.arch is missing field '"
                            << kArchFieldNames[i] << "'";
      return {};
    }
  }
  return buildArch(
      [&](auto &&...args) {
        return ArchAttr::getChecked([&] { return parser.emitError(loc); },
                                    args...);
      },
      ctx, *name, fields);
}

void ArchAttr::print(AsmPrinter &printer) const {
  ArchAttr self = *this;
  if (getBuiltinArch(getContext(), getName()) == self) {
    printer << "<\"" << getName() << "\">";
    return;
  }
  printer << "<name = \"" << getName() << "\"";
  ArchFields fields = getArchFields(self);
  for (size_t i = 0; i < kNumArchFields; ++i)
    printer << ", " << kArchFieldNames[i] << " = " << fields[i];
  printer << ">";
}

double ArchAttr::getSmemGBpsPerSM() const {
  // Each bank delivers 4 bytes per clock.
  return static_cast<double>(getSmemBanks()) * 4.0 *
         static_cast<double>(getClockMHz()) / 1000.0;
}

int64_t ArchAttr::getPeakGFlops(Type elementType) const {
  if (elementType.isF16())
    return getFp16GFlops();
  if (elementType.isBF16())
    return getBf16GFlops();
  return getFp32GFlops();
}

//===----------------------------------------------------------------------===//
// ConfigAttr
//===----------------------------------------------------------------------===//

static bool allPositive(ArrayRef<int64_t> values) {
  return llvm::all_of(values, [](int64_t v) { return v > 0; });
}

LogicalResult ConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ArrayRef<int64_t> block,
                                 ArrayRef<int64_t> warp,
                                 ArrayRef<int64_t> thread,
                                 ArrayRef<int64_t> reduction, int64_t padding,
                                 int64_t vector, bool doubleBuffer) {
  constexpr int64_t kWarpSize = 32, kMaxThreads = 1024;
  if (block.empty())
    return emitError() << "'block' must have one extent per parallel loop";
  if (!allPositive(block) || !allPositive(thread) || !allPositive(warp) ||
      !allPositive(reduction))
    return emitError() << "tile extents must be positive";
  if (thread.size() != block.size())
    return emitError() << "'thread' has " << thread.size()
                       << " extents but 'block' has " << block.size();
  if (!warp.empty() && warp.size() != block.size())
    return emitError() << "'warp' has " << warp.size()
                       << " extents but 'block' has " << block.size();
  int64_t threads = 1;
  for (size_t i = 0; i < block.size(); ++i) {
    if (block[i] % thread[i] != 0)
      return emitError() << "block extent " << block[i] << " of loop " << i
                         << " is not a multiple of the thread extent "
                         << thread[i];
    if (!warp.empty() && (block[i] % warp[i] != 0 || warp[i] % thread[i] != 0))
      return emitError() << "warp extent " << warp[i] << " of loop " << i
                         << " must divide the block extent " << block[i]
                         << " and be a multiple of the thread extent "
                         << thread[i];
    threads *= block[i] / thread[i];
  }
  if (threads % kWarpSize != 0)
    return emitError() << "the tile needs " << threads
                       << " threads per block, which is not a multiple of the "
                          "warp size ("
                       << kWarpSize << ")";
  if (threads > kMaxThreads)
    return emitError() << "the tile needs " << threads
                       << " threads per block, more than " << kMaxThreads;
  if (padding < 0)
    return emitError() << "'padding' must not be negative, got " << padding;
  if (vector != 1 && vector != 2 && vector != 4 && vector != 8)
    return emitError() << "'vector' must be 1, 2, 4 or 8, got " << vector;
  if (vector > thread.back())
    return emitError() << "'vector' (" << vector
                       << ") exceeds the innermost thread extent ("
                       << thread.back() << ")";
  return success();
}

static ParseResult parseIntegerList(AsmParser &parser,
                                    SmallVectorImpl<int64_t> &values) {
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        return parser.parseInteger(values.emplace_back());
      });
}

Attribute ConfigAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  SmallVector<int64_t> block, warp, thread, reduction;
  int64_t padding = 0, vector = 1;
  bool doubleBuffer = false;
  llvm::StringSet<> seen;
  auto parseField = [&]() -> ParseResult {
    SMLoc keyLoc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key))
      return failure();
    if (!seen.insert(key).second)
      return parser.emitError(keyLoc) << "duplicate field '" << key << "'";
    if (key == "double_buffer") {
      doubleBuffer = true;
      return success();
    }
    if (parser.parseEqual())
      return failure();
    if (key == "block")
      return parseIntegerList(parser, block);
    if (key == "warp")
      return parseIntegerList(parser, warp);
    if (key == "thread")
      return parseIntegerList(parser, thread);
    if (key == "reduction")
      return parseIntegerList(parser, reduction);
    if (key == "padding")
      return parser.parseInteger(padding);
    if (key == "vector")
      return parser.parseInteger(vector);
    return parser.emitError(keyLoc)
           << "unknown #rtile.config field '" << key
           << "'; expected block, warp, thread, reduction, padding, vector or "
              "double_buffer";
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::LessGreater,
                                     parseField))
    return {};
  if (!seen.contains("block") || !seen.contains("thread")) {
    parser.emitError(loc, "#rtile.config requires 'block' and 'thread'");
    return {};
  }
  return ConfigAttr::getChecked([&] { return parser.emitError(loc); },
                                parser.getContext(), block, warp, thread,
                                reduction, padding, vector, doubleBuffer);
}

void ConfigAttr::print(AsmPrinter &printer) const {
  auto printList = [&](StringRef key, ArrayRef<int64_t> values) {
    printer << key << " = [";
    llvm::interleaveComma(values, printer);
    printer << "]";
  };
  printer << "<";
  printList("block", getBlock());
  if (!getWarp().empty())
    printList(", warp", getWarp());
  printList(", thread", getThread());
  if (!getReduction().empty())
    printList(", reduction", getReduction());
  if (getPadding() != 0)
    printer << ", padding = " << getPadding();
  if (getVector() != 1)
    printer << ", vector = " << getVector();
  if (getDoubleBuffer())
    printer << ", double_buffer";
  printer << ">";
}

int64_t ConfigAttr::getThreadsPerBlock() const {
  int64_t threads = 1;
  for (auto [block, thread] : llvm::zip_equal(getBlock(), getThread()))
    threads *= block / thread;
  return threads;
}

int64_t ConfigAttr::getGridSize(ArrayRef<int64_t> parallelExtents) const {
  assert(parallelExtents.size() == getBlock().size() &&
         "one extent per parallel loop");
  int64_t blocks = 1;
  for (auto [extent, block] : llvm::zip_equal(parallelExtents, getBlock()))
    blocks *= llvm::divideCeil(extent, block);
  return blocks;
}

//===----------------------------------------------------------------------===//
// Dialect attribute verification
//===----------------------------------------------------------------------===//

/// Checks that `config`, held by `op`'s attribute `attrName`, describes the
/// loops of a linalg operation.
static LogicalResult verifyConfigMatchesOp(Operation *op, StringRef attrName,
                                           ConfigAttr config) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return op->emitError() << "'" << attrName
                           << "' can only be attached to a linalg operation";
  unsigned parallel = linalgOp.getNumParallelLoops();
  unsigned reductions = linalgOp.getNumReductionLoops();
  if (config.getBlock().size() != parallel)
    return op->emitError() << "'" << attrName << "' has "
                           << config.getBlock().size()
                           << " block extents but the operation has "
                           << parallel << " parallel loops";
  if (config.getReduction().size() != reductions)
    return op->emitError() << "'" << attrName << "' has "
                           << config.getReduction().size()
                           << " reduction steps but the operation has "
                           << reductions << " reduction loops";
  return success();
}

LogicalResult RTileDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == kArchAttrName) {
    if (!isa<ArchAttr>(attr.getValue()))
      return op->emitError()
             << "'" << kArchAttrName << "' must be an #rtile.arch attribute";
    return success();
  }
  if (name == kConfigAttrName) {
    auto config = dyn_cast<ConfigAttr>(attr.getValue());
    if (!config)
      return op->emitError() << "'" << kConfigAttrName
                             << "' must be an #rtile.config attribute";
    return verifyConfigMatchesOp(op, kConfigAttrName, config);
  }
  if (name == kCandidatesAttrName) {
    // Roller's ranked alternates (top-k > 1): configurations of the op.
    auto candidates = dyn_cast<ArrayAttr>(attr.getValue());
    if (!candidates || !llvm::all_of(candidates, llvm::IsaPred<ConfigAttr>))
      return op->emitError() << "'" << kCandidatesAttrName
                             << "' must be an array of #rtile.config";
    for (Attribute candidate : candidates)
      if (failed(verifyConfigMatchesOp(op, kCandidatesAttrName,
                                       cast<ConfigAttr>(candidate))))
        return failure();
    return success();
  }
  return op->emitError() << "unknown rtile attribute '" << name << "'";
}
