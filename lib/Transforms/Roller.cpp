//===- Roller.cpp - Attach Roller's constructed tile configurations -------===//
//
// --hm-roller: for every linalg operation on tensors, construct rTile
// candidates with TileConstructor, rank them with the cost model and attach
// the best as `rtile.config` (the next ones as `rtile.candidates`).
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Transforms/Passes.h"

#include "RollerReport.h"

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/OpFootprint.h"
#include "HeavyMetal/Analysis/TileConstruction.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::hm {
#define GEN_PASS_DEF_ROLLER
#include "HeavyMetal/Transforms/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm;

#define DEBUG_TYPE "hm-roller"

namespace {

/// Name of the discardable attribute holding the alternates of top-k > 1.
constexpr StringLiteral kCandidatesAttrName =
    rtile::RTileDialect::kCandidatesAttrName;

std::string formatConfig(const TileConfig &config) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "#rtile.config<" << config << ">";
  return text;
}

struct Roller final : hm::impl::RollerBase<Roller> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// Leaves `op` alone: a remark with `remarks`, an error with
  /// `unsupported-is-error`. Returns failure in the latter case.
  LogicalResult leaveAlone(Operation *op, StringRef why, bool isUnsupported,
                           roller::RollerReport &table);
  /// Configures one operation on `arch`.
  LogicalResult configure(linalg::LinalgOp op, rtile::ArchAttr arch,
                          roller::RollerReport &table);
};

LogicalResult Roller::leaveAlone(Operation *op, StringRef why,
                                 bool isUnsupported,
                                 roller::RollerReport &table) {
  LLVM_DEBUG(llvm::dbgs() << "[hm-roller] left alone " << op->getName() << ": "
                          << why << "\n");
  table.addSkipped(op, why);
  if (isUnsupported && unsupportedIsError) {
    op->emitError() << "hm-roller: cannot configure this operation: " << why
                    << " (drop 'unsupported-is-error' to leave it alone)";
    return failure();
  }
  if (remarks)
    op->emitRemark() << "hm-roller: left alone: " << why;
  return success();
}

LogicalResult Roller::configure(linalg::LinalgOp op, rtile::ArchAttr arch,
                                roller::RollerReport &table) {
  if (op->hasAttr(rtile::RTileDialect::kConfigAttrName))
    return leaveAlone(op,
                      "it already has an rtile.config, which is kept as "
                      "written",
                      /*isUnsupported=*/false, table);
  if (!op.hasPureTensorSemantics())
    return leaveAlone(op,
                      "it operates on buffers; Roller configures linalg "
                      "operations on tensors (run it before bufferization)",
                      /*isUnsupported=*/true, table);
  std::string whyNot;
  FailureOr<OpFootprint> footprint = OpFootprint::fromLinalgOp(op, whyNot);
  if (failed(footprint))
    return leaveAlone(op, whyNot, /*isUnsupported=*/true, table);

  ConstructionOptions options;
  options.topK = static_cast<unsigned>(topK);
  CostModel model(arch);
  TileConstructor constructor(model, options);
  FailureOr<RankedConfigs> ranked = constructor.construct(*footprint, whyNot);
  if (failed(ranked))
    return leaveAlone(op, whyNot, /*isUnsupported=*/true, table);

  MLIRContext *context = op->getContext();
  SmallVector<Attribute> attrs;
  for (const RankedConfig &candidate : *ranked) {
    rtile::ConfigAttr attr = candidate.config.toAttr(context);
    if (!attr)
      return op->emitError()
             << "hm-roller: internal error: the constructed configuration "
             << formatConfig(candidate.config) << " does not verify";
    attrs.push_back(attr);
  }
  const RankedConfig &best = ranked->front();
  op->setAttr(rtile::RTileDialect::kConfigAttrName, attrs.front());
  if (attrs.size() > 1)
    op->setAttr(kCandidatesAttrName,
                ArrayAttr::get(context, ArrayRef(attrs).drop_front()));
  LLVM_DEBUG(llvm::dbgs() << "[hm-roller] " << op->getName() << ": "
                          << best.config << " (" << ranked->size()
                          << " kept)\n");
  table.addConfigured(op, arch, best.config, best.estimate);
  if (remarks)
    op->emitRemark() << "hm-roller: " << formatConfig(best.config) << " on "
                     << arch.getName() << ": grid " << best.estimate.gridBlocks
                     << " x " << best.estimate.threadsPerBlock << " threads, "
                     << best.estimate.smemBytesPerBlock << " B shared, "
                     << best.estimate.registersPerThread
                     << " registers; modelled "
                     << llvm::formatv("{0:F3}", best.estimate.timeUs) << " us, "
                     << stringifyBound(best.estimate.bound) << "-bound";
  return success();
}

void Roller::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<rtile::ArchAttr> optionArch =
      roller::parseArchOption(module, "hm-roller", arch);
  if (failed(optionArch))
    return signalPassFailure();
  if (topK < 1) {
    module.emitError() << "hm-roller: 'top-k' must be at least 1, got "
                       << static_cast<unsigned>(topK);
    return signalPassFailure();
  }

  StringRef archAttrName = rtile::RTileDialect::kArchAttrName;
  if (*optionArch) {
    // An explicit arch replaces whatever the IR named.
    module->walk([&](Operation *op) {
      if (op->hasAttr(archAttrName))
        op->setAttr(archAttrName, *optionArch);
    });
    module->setAttr(archAttrName, *optionArch);
  } else if (!roller::getNearestArch(module)) {
    module->setAttr(archAttrName, roller::getDefaultArch(&getContext()));
  }

  roller::RollerReport table;
  bool anyFailed = false;
  module.walk([&](linalg::LinalgOp op) {
    rtile::ArchAttr target = roller::getNearestArch(op);
    if (failed(configure(op, target, table)))
      anyFailed = true;
  });
  if (report) {
    table.print(llvm::outs());
    llvm::outs().flush();
  }
  if (anyFailed)
    signalPassFailure();
}

} // namespace
