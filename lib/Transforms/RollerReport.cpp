//===- RollerReport.cpp - Helpers shared by the Roller passes -------------===//
//
// Arch resolution and the --hm-roller report table.
//
//===----------------------------------------------------------------------===//

#include "RollerReport.h"

#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::roller;

FailureOr<rtile::ArchAttr>
roller::parseArchOption(ModuleOp module, StringRef passName, StringRef option) {
  if (option.empty())
    return rtile::ArchAttr();
  if (rtile::ArchAttr arch = rtile::getBuiltinArch(module.getContext(), option))
    return arch;
  module.emitError() << passName << ": unknown arch '" << option
                     << "'; expected one of: "
                     << llvm::join(rtile::getBuiltinArchNames(), ", ");
  return failure();
}

rtile::ArchAttr roller::getNearestArch(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto arch = op->getAttrOfType<rtile::ArchAttr>(
            rtile::RTileDialect::kArchAttrName))
      return arch;
  return {};
}

rtile::ArchAttr roller::getDefaultArch(MLIRContext *context) {
  return rtile::getBuiltinArch(context, "sm_90");
}

/// `file:line:col` of `op`, the name of a named location, or the printed
/// location otherwise.
static std::string formatLocation(Operation *op) {
  if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
    return loc.getName().str();
  if (auto loc = dyn_cast<FileLineColLoc>(op->getLoc()))
    return llvm::formatv(
               "{0}:{1}:{2}",
               llvm::sys::path::filename(loc.getFilename().getValue()),
               loc.getLine(), loc.getColumn())
        .str();
  std::string text;
  llvm::raw_string_ostream os(text);
  op->getLoc().print(os);
  return text;
}

static std::string formatList(ArrayRef<int64_t> values) {
  if (values.empty())
    return "-";
  return "[" +
         llvm::join(llvm::map_range(
                        values, [](int64_t v) { return std::to_string(v); }),
                    ",") +
         "]";
}

void RollerReport::addConfigured(Operation *op, rtile::ArchAttr arch,
                                 const TileConfig &chosen,
                                 const CostEstimate &estimate) {
  std::string extras;
  if (chosen.padding)
    extras += "pad=" + std::to_string(chosen.padding);
  if (chosen.vector > 1)
    extras += (extras.empty() ? "" : ",") + std::string("vec=") +
              std::to_string(chosen.vector);
  if (chosen.doubleBuffer)
    extras += (extras.empty() ? "" : ",") + std::string("db");
  if (estimate.tensorCores)
    extras += (extras.empty() ? "" : ",") + std::string("tc");
  double roofline =
      estimate.timeUs > 0 ? 100.0 * estimate.rooflineUs / estimate.timeUs : 0;
  rows.push_back({op->getName().getStringRef().str(), formatLocation(op),
                  arch.getName().str(), formatList(chosen.block),
                  formatList(chosen.warp), formatList(chosen.thread),
                  formatList(chosen.reduction), extras.empty() ? "-" : extras,
                  std::to_string(estimate.gridBlocks),
                  std::to_string(estimate.threadsPerBlock),
                  std::to_string(estimate.smemBytesPerBlock),
                  std::to_string(estimate.registersPerThread),
                  llvm::formatv("{0:F3}", estimate.timeUs).str(),
                  llvm::formatv("{0:F0}%", roofline).str(),
                  stringifyBound(estimate.bound).str()});
}

void RollerReport::addSkipped(Operation *op, StringRef why) {
  skipped.push_back(op->getName().getStringRef().str() + " at " +
                    formatLocation(op) + ": " + why.str());
}

void RollerReport::print(llvm::raw_ostream &os) const {
  static const char *const header[] = {
      "op",     "loc",       "arch",    "block",    "warp",
      "thread", "reduction", "options", "grid",     "threads",
      "smem_B", "regs",      "time_us", "roofline", "bound"};
  constexpr size_t numColumns = std::size(header);
  SmallVector<size_t> widths;
  for (const char *title : header)
    widths.push_back(StringRef(title).size());
  for (const SmallVector<std::string> &row : rows)
    for (size_t c = 0; c < numColumns; ++c)
      widths[c] = std::max(widths[c], row[c].size());
  auto printRow = [&](auto &&cell) {
    for (size_t c = 0; c < numColumns; ++c) {
      StringRef text = cell(c);
      os << text;
      if (c + 1 < numColumns)
        os.indent(widths[c] - text.size() + 2);
    }
    os << "\n";
  };
  os << "// hm-roller report: " << rows.size() << " configured, "
     << skipped.size()
     << " left alone; times are modelled (docs/CostModel.md), not measured\n";
  printRow([&](size_t c) { return StringRef(header[c]); });
  for (const SmallVector<std::string> &row : rows)
    printRow([&](size_t c) { return StringRef(row[c]); });
  for (const std::string &line : skipped)
    os << "left alone: " << line << "\n";
}
