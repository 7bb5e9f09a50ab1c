//===- ModelSummary.cpp - Modelled traffic, time and launches of a model --===//
//
// --hm-model-summary: sums, over a whole module, what the micro-performance
// model (Analysis/CostModel) predicts for every linalg operation, and counts
// the kernel launches of host code, each weighted by how often it runs per
// call (the static trip counts of enclosing scf.for loops). hm-bench reads
// its JSON output; no second cost model lives here.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Transforms/Passes.h"

#include "RollerReport.h"

#include "HeavyMetal/Analysis/CostModel.h"
#include "HeavyMetal/Analysis/OpFootprint.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraph.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace mlir::hm {
#define GEN_PASS_DEF_MODELSUMMARY
#include "HeavyMetal/Transforms/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm;

#define DEBUG_TYPE "hm-model-summary"

namespace {

/// How often `op` runs per call of its function: the product of the static
/// trip counts of the enclosing scf.for loops. A loop without a static trip
/// count (scf.while, dynamic bounds) counts once and is recorded in
/// `dynamicLoops`; an enclosing scf.if is assumed taken (`inBranch`).
struct Multiplicity {
  double times = 1;
  bool dynamicLoop = false;
  bool inBranch = false;
};

Multiplicity getMultiplicity(Operation *op) {
  Multiplicity m;
  for (Operation *parent = op->getParentOp(); parent;
       parent = parent->getParentOp()) {
    if (auto forOp = dyn_cast<scf::ForOp>(parent)) {
      if (std::optional<APInt> trips = forOp.getStaticTripCount())
        m.times *= static_cast<double>(trips->getZExtValue());
      else
        m.dynamicLoop = true;
    } else if (isa<scf::WhileOp, scf::ParallelOp, scf::ForallOp>(parent)) {
      m.dynamicLoop = true;
    } else if (isa<scf::IfOp, scf::IndexSwitchOp>(parent)) {
      m.inBranch = true;
    }
  }
  return m;
}

/// The configuration that describes the baseline mapping of
/// convert-linalg-to-gpu (one kernel per operation: the parallel loops
/// flattened row-major, `blockSize` consecutive points per block, one point
/// per thread, reduction loops sequential in the thread) as a tile the cost
/// model understands: block extents are powers of two taken from the
/// innermost parallel loop outwards until they cover `blockSize` points (an
/// extent is rounded up, the overhanging threads idle as the baseline's
/// guard does), thread tile 1, reduction step 1, no padding, no vectors.
TileConfig getNaiveConfig(const OpFootprint &op, int64_t blockSize,
                          int64_t warpSize) {
  TileConfig config;
  unsigned numParallel = op.parallelLoops.size();
  config.block.assign(numParallel, 1);
  config.thread.assign(numParallel, 1);
  config.reduction.assign(op.reductionLoops.size(), 1);
  int64_t remaining = blockSize;
  for (unsigned i = numParallel; i > 0 && remaining > 1; --i) {
    int64_t extent = op.loopExtents[op.parallelLoops[i - 1]];
    int64_t b = std::min<int64_t>(llvm::PowerOf2Ceil(extent), remaining);
    config.block[i - 1] = b;
    remaining /= b;
  }
  // A block is at least one warp (a partial warp still occupies a warp).
  int64_t threads = config.getThreadsPerBlock();
  if (numParallel > 0 && threads < warpSize)
    config.block.back() *= llvm::divideCeil(warpSize, threads);
  return config;
}

struct Totals {
  double globalBytes = 0, compulsoryBytes = 0, flops = 0, timeUs = 0;
  double computeUs = 0, dramUs = 0, smemUs = 0;
  double opInstances = 0, launches = 0;
  int64_t ops = 0, configured = 0, naive = 0, unmodelled = 0, unfit = 0;
  int64_t launchSites = 0, dynamicLoops = 0, inBranches = 0;
  /// Fused groups (tilegraph.kernel with two or more operations) counted as
  /// one kernel each, the operations inside them, and the modelled kernels
  /// in all (fused groups + operations modelled alone), per call.
  int64_t fusedKernels = 0, fusedOps = 0;
  double kernels = 0;
  llvm::StringMap<int64_t> unmodelledReasons;
  llvm::StringMap<double> timeByOpName;
};

struct ModelSummary final : hm::impl::ModelSummaryBase<ModelSummary> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// Counts a fused group (a tilegraph.kernel of two or more operations,
  /// fills recomputed in it not counted) as one kernel with the traffic and
  /// time --hm-welder modelled for its tile (`tilegraph.modelled`: the
  /// group's inputs and output, internal edges on chip). Returns false when
  /// the kernel is to be walked as separate operations instead: a singleton,
  /// naive mode, or no modelled cost for this arch.
  bool summarizeFusedKernel(tilegraph::KernelOp kernel, const CostModel &model,
                            Totals &totals) const;
  void printJson(llvm::raw_ostream &os, const Totals &totals,
                 rtile::ArchAttr target) const;
  void printText(llvm::raw_ostream &os, const Totals &totals,
                 rtile::ArchAttr target) const;
};

void ModelSummary::runOnOperation() {
  ModuleOp module = getOperation();
  if (format != "json" && format != "text") {
    module.emitError() << "hm-model-summary: unknown format '" << format
                       << "'; expected 'text' or 'json'";
    return signalPassFailure();
  }
  if (blockSize <= 0) {
    module.emitError() << "hm-model-summary: 'block-size' must be positive";
    return signalPassFailure();
  }
  FailureOr<rtile::ArchAttr> optionArch =
      roller::parseArchOption(module, "hm-model-summary", arch);
  if (failed(optionArch))
    return signalPassFailure();
  rtile::ArchAttr target = *optionArch;
  if (!target)
    target = roller::getNearestArch(module);
  if (!target)
    target = roller::getDefaultArch(&getContext());
  CostModel model(target);

  Totals totals;
  module.walk<WalkOrder::PreOrder>([&](Operation *op) {
    // Device code is what the launches run, not host work of its own.
    if (isa<gpu::GPUModuleOp>(op))
      return WalkResult::skip();
    if (isa<gpu::LaunchFuncOp, gpu::LaunchOp>(op)) {
      Multiplicity m = getMultiplicity(op);
      ++totals.launchSites;
      totals.launches += m.times;
      totals.dynamicLoops += m.dynamicLoop;
      totals.inBranches += m.inBranch;
      return isa<gpu::LaunchOp>(op) ? WalkResult::skip()
                                    : WalkResult::advance();
    }
    if (auto kernel = dyn_cast<tilegraph::KernelOp>(op))
      return summarizeFusedKernel(kernel, model, totals)
                 ? WalkResult::skip()
                 : WalkResult::advance();
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp)
      return WalkResult::advance();
    Multiplicity m = getMultiplicity(op);
    ++totals.ops;
    totals.opInstances += m.times;
    totals.dynamicLoops += m.dynamicLoop;
    totals.inBranches += m.inBranch;
    std::string whyNot;
    FailureOr<OpFootprint> footprint =
        OpFootprint::fromLinalgOp(linalgOp, whyNot);
    if (failed(footprint)) {
      ++totals.unmodelled;
      ++totals.unmodelledReasons[(op->getName().getStringRef() + ": " +
                                  whyNot)
                                     .str()];
      return WalkResult::advance();
    }
    auto config = op->getAttrOfType<rtile::ConfigAttr>(
        rtile::RTileDialect::kConfigAttrName);
    TileConfig tile;
    if (config && !naive) {
      tile = TileConfig::fromAttr(config);
      ++totals.configured;
    } else {
      tile = getNaiveConfig(*footprint, blockSize, target.getWarpSize());
      ++totals.naive;
    }
    CostEstimate e = model.estimate(*footprint, tile);
    totals.kernels += m.times;
    // An unfit configuration still has its traffic and time modelled (the
    // numbers are partial); it is counted so that the reader knows.
    totals.unfit += !e.fits;
    totals.globalBytes += e.globalBytes * m.times;
    totals.compulsoryBytes += e.compulsoryBytes * m.times;
    totals.flops += e.flops * m.times;
    totals.timeUs += e.timeUs * m.times;
    totals.computeUs += e.computeUs * m.times;
    totals.dramUs += e.dramUs * m.times;
    totals.smemUs += e.smemUs * m.times;
    totals.timeByOpName[op->getName().getStringRef()] += e.timeUs * m.times;
    return WalkResult::advance();
  });

  llvm::raw_ostream &os = llvm::outs();
  if (format == "json")
    printJson(os, totals, target);
  else
    printText(os, totals, target);
  os.flush();
}

bool ModelSummary::summarizeFusedKernel(tilegraph::KernelOp kernel,
                                        const CostModel &model,
                                        Totals &totals) const {
  if (naive)
    return false;
  SmallVector<linalg::LinalgOp> members;
  kernel.getBodyBlock().walk([&](linalg::LinalgOp op) {
    if (!isa<linalg::FillOp>(op))
      members.push_back(op);
  });
  if (members.size() < 2)
    return false;
  auto modelled = kernel->getAttrOfType<DictionaryAttr>("tilegraph.modelled");
  auto arch = modelled ? modelled.getAs<StringAttr>("arch") : StringAttr();
  auto number = [&](StringRef key) {
    auto attr = modelled.getAs<FloatAttr>(key);
    return attr ? attr.getValueAsDouble() : 0.0;
  };
  if (!arch || arch.getValue() != model.getArch().getName()) {
    ++totals.unmodelledReasons
          [(Twine("tilegraph.kernel: no modelled cost for ") +
            model.getArch().getName() + " (its members modelled alone)")
               .str()];
    return false;
  }
  Multiplicity m = getMultiplicity(kernel);
  totals.ops += members.size();
  totals.opInstances += members.size() * m.times;
  totals.dynamicLoops += m.dynamicLoop;
  totals.inBranches += m.inBranch;
  ++totals.fusedKernels;
  totals.fusedOps += members.size();
  totals.kernels += m.times;
  if (auto fits = modelled.getAs<BoolAttr>("fits"); fits && !fits.getValue())
    ++totals.unfit;
  totals.globalBytes += number("global_bytes") * m.times;
  totals.timeUs += number("time_us") * m.times;
  totals.computeUs += number("compute_us") * m.times;
  totals.dramUs += number("dram_us") * m.times;
  totals.smemUs += number("smem_us") * m.times;
  totals.timeByOpName["tilegraph.kernel"] += number("time_us") * m.times;
  // Compulsory: the group's inputs and results, each once.
  double compulsory = 0;
  auto addTensor = [&](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (shaped && shaped.hasStaticShape() &&
        shaped.getElementType().isIntOrFloat())
      compulsory += static_cast<double>(shaped.getNumElements()) *
                    llvm::divideCeil(
                        shaped.getElementType().getIntOrFloatBitWidth(), 8);
  };
  for (Value input : kernel.getInputs())
    addTensor(input.getType());
  for (Value result : kernel.getResults())
    addTensor(result.getType());
  totals.compulsoryBytes += compulsory * m.times;
  // Flops: every member's, computed once (recomputation not counted).
  for (linalg::LinalgOp member : members) {
    std::string whyNot;
    FailureOr<OpFootprint> footprint =
        OpFootprint::fromLinalgOp(member, whyNot);
    if (failed(footprint))
      continue;
    TileConfig tile = getNaiveConfig(*footprint, blockSize,
                                     model.getArch().getWarpSize());
    totals.flops += model.estimate(*footprint, tile).flops * m.times;
  }
  return true;
}

void ModelSummary::printJson(llvm::raw_ostream &os, const Totals &totals,
                             rtile::ArchAttr target) const {
  llvm::json::Object reasons, byOp;
  for (const auto &entry : totals.unmodelledReasons)
    reasons[entry.getKey()] = entry.getValue();
  for (const auto &entry : totals.timeByOpName)
    byOp[entry.getKey()] = entry.getValue();
  llvm::json::Object root{
      {"arch", target.getName()},
      {"mode", naive ? "naive" : "configured"},
      {"modelled", true},
      {"linalg_ops", totals.ops},
      {"linalg_op_instances", totals.opInstances},
      {"configured_ops", totals.configured},
      {"naive_ops", totals.naive},
      {"unmodelled_ops", totals.unmodelled},
      {"unfit_ops", totals.unfit},
      {"unmodelled_reasons", std::move(reasons)},
      {"global_bytes", totals.globalBytes},
      {"compulsory_bytes", totals.compulsoryBytes},
      {"flops", totals.flops},
      {"time_us", totals.timeUs},
      {"compute_us", totals.computeUs},
      {"dram_us", totals.dramUs},
      {"smem_us", totals.smemUs},
      {"time_us_by_op", std::move(byOp)},
      {"fused_kernels", totals.fusedKernels},
      {"fused_ops", totals.fusedOps},
      {"kernels", totals.kernels},
      {"launch_sites", totals.launchSites},
      {"launches", totals.launches},
      {"in_dynamic_loops", totals.dynamicLoops},
      {"in_branches", totals.inBranches},
  };
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

void ModelSummary::printText(llvm::raw_ostream &os, const Totals &totals,
                             rtile::ArchAttr target) const {
  os << "model summary on " << target.getName() << " ("
     << (naive ? "every op as the baseline kernel" : "configured ops") << ")"
     << ", modelled, not measured:\n";
  os << "  linalg ops: " << totals.ops << " ("
     << llvm::formatv("{0:f0}", totals.opInstances) << " per call; " << totals.configured << " configured, " << totals.naive
     << " baseline, " << totals.unmodelled << " not modelled, "
     << totals.unfit << " unfit)\n";
  for (const auto &entry : totals.unmodelledReasons)
    os << "    not modelled: " << entry.getKey() << " (x" << entry.getValue()
       << ")\n";
  if (totals.fusedKernels)
    os << "  fused kernels: " << totals.fusedKernels << " (of "
       << totals.fusedOps << " ops); modelled kernels per call: "
       << llvm::formatv("{0:f0}", totals.kernels) << "\n";
  os << llvm::formatv("  global bytes: {0:f0} (compulsory {1:f0})\n",
                      totals.globalBytes, totals.compulsoryBytes);
  os << llvm::formatv("  flops: {0:f0}\n", totals.flops);
  os << llvm::formatv(
      "  time: {0:f3} us (compute {1:f3}, dram {2:f3}, smem {3:f3})\n",
      totals.timeUs, totals.computeUs, totals.dramUs, totals.smemUs);
  os << "  launches: " << llvm::formatv("{0:f0}", totals.launches)
     << " per call from "
     << totals.launchSites << " sites\n";
  if (totals.dynamicLoops || totals.inBranches)
    os << "  counted once: " << totals.dynamicLoops
       << " in loops without a static trip count; " << totals.inBranches
       << " in branches (assumed taken)\n";
}

} // namespace
