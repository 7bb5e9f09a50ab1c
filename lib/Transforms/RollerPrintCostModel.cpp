//===- RollerPrintCostModel.cpp - Print the cost model's predictions ------===//
//
// --hm-print-cost-model: for every linalg operation with an rtile.config,
// print what the micro-performance model predicts. Lets a user (and the
// tests) check the model on hand-written configurations.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Transforms/Passes.h"

#include "RollerReport.h"

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/OpFootprint.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::hm {
#define GEN_PASS_DEF_PRINTCOSTMODEL
#include "HeavyMetal/Transforms/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm;

#define DEBUG_TYPE "hm-print-cost-model"

namespace {

struct PrintCostModel final : hm::impl::PrintCostModelBase<PrintCostModel> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<rtile::ArchAttr> optionArch =
        roller::parseArchOption(module, "hm-print-cost-model", arch);
    if (failed(optionArch))
      return signalPassFailure();
    llvm::raw_ostream &os = llvm::outs();
    module.walk([&](linalg::LinalgOp op) {
      auto config = op->getAttrOfType<rtile::ConfigAttr>(
          rtile::RTileDialect::kConfigAttrName);
      if (!config)
        return;
      rtile::ArchAttr target = *optionArch;
      if (!target)
        target = roller::getNearestArch(op);
      if (!target)
        target = roller::getDefaultArch(&getContext());
      os << op->getName() << " at " << op->getLoc() << " on "
         << target.getName() << " with " << config << ":\n";
      std::string whyNot;
      FailureOr<OpFootprint> footprint = OpFootprint::fromLinalgOp(op, whyNot);
      if (failed(footprint)) {
        os << "  not modelled: " << whyNot << "\n";
        return;
      }
      CostModel model(target);
      printCostEstimate(
          os, model.estimate(*footprint, TileConfig::fromAttr(config)));
    });
    os.flush();
  }
};

} // namespace
