//===- RollerReport.h - Helpers shared by the Roller passes -----*- C++ -*-===//
//
// Arch resolution for --hm-roller and --hm-print-cost-model, and the table
// --hm-roller{report=true} prints.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TRANSFORMS_ROLLERREPORT_H
#define HEAVYMETAL_LIB_TRANSFORMS_ROLLERREPORT_H

#include "HeavyMetal/Analysis/CostModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir::hm::roller {

/// The arch a pass option names: the built-in description, or an error at
/// `module` listing the valid names (`passName: unknown arch ...`). Null
/// for an empty option (none given).
FailureOr<rtile::ArchAttr> parseArchOption(ModuleOp module, StringRef passName,
                                           StringRef option);

/// The `rtile.arch` of `op` or its nearest ancestor that has one, or null.
rtile::ArchAttr getNearestArch(Operation *op);

/// The default target when neither an option nor the IR names one.
rtile::ArchAttr getDefaultArch(MLIRContext *context);

/// Rows of --hm-roller's report, printed as an aligned text table.
class RollerReport {
public:
  /// An operation configured with `chosen` on `arch`.
  void addConfigured(Operation *op, rtile::ArchAttr arch,
                     const TileConfig &chosen, const CostEstimate &estimate);
  /// An operation left alone, and why.
  void addSkipped(Operation *op, StringRef why);
  void print(llvm::raw_ostream &os) const;

private:
  SmallVector<SmallVector<std::string>> rows;
  SmallVector<std::string> skipped;
};

} // namespace mlir::hm::roller

#endif // HEAVYMETAL_LIB_TRANSFORMS_ROLLERREPORT_H
