//===- Welder.cpp - Welder's tile-graph fusion ----------------------------===//
//
// --hm-welder: builds the tile graph of each function, forms fusion groups
// with Welder's connecting algorithm, schedules each group's output tile
// with the sub-graph scheduling search and emits every group as a
// tilegraph.kernel (see docs/Welder.md).
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Transforms/Passes.h"

#include "RollerReport.h"
#include "WelderGraph.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <queue>
#include <set>

namespace mlir::hm {
#define GEN_PASS_DEF_WELDER
#include "HeavyMetal/Transforms/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::welder;

#define DEBUG_TYPE "hm-welder"

namespace {

enum class Policy { Welder, Elementwise };

/// Tiles whose modelled time is within this factor of the fastest are
/// ranked by Welder's priority, (global traffic + 1) x waves.
constexpr double kTimeTolerance = 1.10;

/// The best output tile of a group found by the search.
struct Schedule {
  bool found = false;
  SmallVector<int64_t> tile;
  FusedCostEstimate cost;
  int64_t visited = 0;
  /// Why the first tile tried did not fit, when none did; or, when tiles
  /// fit but all moved too much global memory (`overTraffic`), why.
  std::string whyNot;
  bool overTraffic = false;
};

/// Candidate extents of an output dimension of size `extent`: its divisors
/// and 2, 4, 8, 16, 32 (Welder's sub-graph scheduling), at most `extent`.
SmallVector<int64_t> getCandidateExtents(int64_t extent) {
  SmallVector<int64_t> steps;
  for (int64_t d = 1; d * d <= extent; ++d) {
    if (extent % d)
      continue;
    steps.push_back(d);
    steps.push_back(extent / d);
  }
  for (int64_t p : {2, 4, 8, 16, 32})
    if (p <= extent)
      steps.push_back(p);
  llvm::sort(steps);
  steps.erase(llvm::unique(steps), steps.end());
  return steps;
}

/// Welder's sub-graph scheduling: a best-first search over output tiles
/// from the smallest, ordered by (global traffic + 1) x waves, growing one
/// dimension to its next candidate extent at a time, for at most
/// `maxTiles` tiles. The model stands in for Welder's measurements: among
/// the tiles within 10% of the least modelled time, the least priority wins.
/// Only tiles that move at most `maxGlobalBytes` count: a group must not
/// move more global memory than its operators do separately (Welder fuses
/// to save memory traffic; a smaller tile that re-reads the weights more
/// often can model faster and still cost traffic).
Schedule scheduleGroup(const FusedCostModel &model, const FusedGroup &group,
                       ArrayRef<SmallVector<int64_t>> seeds, int64_t maxTiles,
                       double maxGlobalBytes) {
  Schedule best;
  auto shape =
      cast<ShapedType>(group.root->getResult(0).getType()).getShape();
  SmallVector<SmallVector<int64_t>> candidates;
  for (auto [d, extent] : llvm::enumerate(shape)) {
    candidates.push_back(getCandidateExtents(extent));
    for (const SmallVector<int64_t> &seed : seeds)
      candidates.back().push_back(std::min(seed[d], extent));
    llvm::sort(candidates.back());
    candidates.back().erase(llvm::unique(candidates.back()),
                            candidates.back().end());
  }
  using Entry = std::pair<double, SmallVector<unsigned>>;
  auto greater = [](const Entry &a, const Entry &b) {
    return a.first > b.first;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(greater)> frontier(
      greater);
  std::set<SmallVector<unsigned>> seen;
  // Roller's tiles of the members first, then from the smallest tile up.
  for (const SmallVector<int64_t> &seed : seeds) {
    SmallVector<unsigned> position;
    for (auto [d, extent] : llvm::enumerate(seed))
      position.push_back(llvm::find(candidates[d], std::min(extent, shape[d])) -
                         candidates[d].begin());
    if (seen.insert(position).second)
      frontier.push({-1.0, position});
  }
  SmallVector<unsigned> start(shape.size(), 0);
  if (seen.insert(start).second)
    frontier.push({0.0, start});
  struct Visited {
    double priority;
    SmallVector<int64_t> tile;
    FusedCostEstimate cost;
  };
  std::vector<Visited> fitting;
  std::string overBytes;
  while (!frontier.empty() && best.visited < maxTiles) {
    SmallVector<unsigned> position = frontier.top().second;
    frontier.pop();
    SmallVector<int64_t> tile;
    for (auto [d, i] : llvm::enumerate(position))
      tile.push_back(candidates[d][i]);
    FusedCostEstimate cost = model.estimate(group, tile);
    ++best.visited;
    if (!cost.fits) {
      if (best.whyNot.empty())
        best.whyNot = cost.whyNot;
      continue;
    }
    double priority = (cost.globalBytes + 1) * cost.waves;
    if (cost.globalBytes <= maxGlobalBytes)
      fitting.push_back({priority, tile, cost});
    else if (overBytes.empty())
      overBytes = llvm::formatv(
          "every tile that fits moves more global memory than the "
          "operators separately (first: [{0}] {1:F0} bytes vs {2:F0})",
          llvm::make_range(tile.begin(), tile.end()), cost.globalBytes,
          maxGlobalBytes);
    for (unsigned d = 0; d < position.size(); ++d) {
      if (position[d] + 1 >= candidates[d].size())
        continue;
      SmallVector<unsigned> next = position;
      ++next[d];
      if (seen.insert(next).second)
        frontier.push({priority, next});
    }
  }
  // Welder measures its best tiles by priority; the model stands in for the
  // measurement: among the tiles within kTimeTolerance of the least modelled
  // time, the least priority wins.
  double fastest = INFINITY;
  for (const Visited &v : fitting)
    fastest = std::min(fastest, v.cost.timeUs);
  double bestPriority = 0;
  for (const Visited &v : fitting) {
    if (v.cost.timeUs > fastest * kTimeTolerance)
      continue;
    if (!best.found || v.priority < bestPriority ||
        (v.priority == bestPriority && v.cost.timeUs < best.cost.timeUs)) {
      best.found = true;
      best.tile = v.tile;
      best.cost = v.cost;
      bestPriority = v.priority;
    }
  }
  if (!best.found && !overBytes.empty()) {
    best.whyNot = overBytes;
    best.overTraffic = true;
  }
  return best;
}

struct Welder final : hm::impl::WelderBase<Welder> {
  using Base::Base;
  void runOnOperation() override;

private:
  /// Groups the nodes of `graph`; returns the groups, scheduled.
  std::vector<Group> connect(Graph &graph, const CostModel &model,
                             Policy policy, StringRef funcName);
  /// Why `trial` cannot be a group, or empty when it can.
  std::string checkGroup(const Graph &graph, ArrayRef<unsigned> trial,
                         Policy policy) const;
  FusedGroup makeFusedGroup(const Graph &graph,
                            ArrayRef<unsigned> members) const;
};

FusedGroup Welder::makeFusedGroup(const Graph &graph,
                                  ArrayRef<unsigned> members) const {
  FusedGroup group;
  for (unsigned n : members) {
    group.members.push_back(graph.nodes[n].op);
    group.footprints.push_back(*graph.nodes[n].footprint);
  }
  group.root = group.members.back();
  for (unsigned n : members)
    group.separateConfigs.push_back(graph.nodes[n].separateConfig);
  for (const Edge &edge : graph.edges)
    if (edge.level == tilegraph::Level::Shared &&
        llvm::is_contained(members, edge.producer) &&
        llvm::is_contained(members, edge.consumer))
      group.sharedValues.insert(edge.value);
  return group;
}

std::string describe(const Node &node) {
  return node.name + " at " + node.location;
}

std::string Welder::checkGroup(const Graph &graph, ArrayRef<unsigned> trial,
                               Policy policy) const {
  if (static_cast<int64_t>(trial.size()) > maxGroupSize)
    return llvm::formatv("the group would have {0} operators, over "
                         "max-group-size={1}",
                         trial.size(), static_cast<int64_t>(maxGroupSize));
  for (unsigned n : trial) {
    const Node &node = graph.nodes[n];
    if (!node.footprint)
      return describe(node) + " cannot be fused: " + node.whyNotFusable;
    if (node.group >= 0)
      return describe(node) + " is already in another kernel";
    if (policy == Policy::Elementwise && !node.elementwise)
      return "policy=elementwise fuses element-wise operators only, and " +
             describe(node) + " is not one";
  }
  llvm::SmallPtrSet<Operation *, 8> ops;
  for (unsigned n : trial)
    ops.insert(graph.nodes[n].op);
  SmallVector<unsigned> sinks;
  for (unsigned n : trial) {
    bool consumedInside = llvm::any_of(graph.outEdges[n], [&](unsigned e) {
      return llvm::is_contained(trial, graph.edges[e].consumer);
    });
    if (!consumedInside) {
      sinks.push_back(n);
      continue;
    }
    for (Value result : graph.nodes[n].op->getResults())
      for (OpOperand *use : getUsesThroughUnitReshapes(result))
        if (!ops.contains(use->getOwner()))
          return "the intermediate of " + describe(graph.nodes[n]) +
                 " is also used outside the group, by " +
                 use->getOwner()->getName().getStringRef().str() +
                 " at " + locationText(use->getOwner()->getLoc());
  }
  if (sinks.size() > 1)
    return "the group would have two outputs (" +
           describe(graph.nodes[sinks[0]]) + " and " +
           describe(graph.nodes[sinks[1]]) +
           "); a group is scheduled by one output tile";
  return "";
}

/// The nodes on paths from `group` to `target` (both included), in order.
SmallVector<unsigned> getPathClosure(const Graph &graph,
                                     ArrayRef<unsigned> group,
                                     unsigned target) {
  llvm::DenseSet<unsigned> forward(group.begin(), group.end());
  // Node indices are in block order, hence topological.
  for (unsigned n = group.front(); n <= target; ++n) {
    if (!forward.contains(n))
      continue;
    for (unsigned e : graph.outEdges[n])
      if (graph.edges[e].consumer <= target)
        forward.insert(graph.edges[e].consumer);
  }
  llvm::DenseSet<unsigned> backward{target};
  for (int n = target; n >= static_cast<int>(group.front()); --n) {
    if (!backward.contains(n))
      continue;
    for (unsigned e : graph.inEdges[n])
      backward.insert(graph.edges[e].producer);
  }
  SmallVector<unsigned> closure(group.begin(), group.end());
  for (unsigned n = group.front(); n <= target; ++n)
    if (forward.contains(n) && backward.contains(n) &&
        !llvm::is_contained(closure, n))
      closure.push_back(n);
  llvm::sort(closure);
  return closure;
}

/// The output tile of an operation compiled alone: Roller's block tile on
/// the loops its result #0 is indexed by.
SmallVector<int64_t> getSeparateTile(const Node &node) {
  linalg::LinalgOp op = node.op;
  AffineMap map =
      op.getIndexingMapMatchingResult(cast<OpResult>(op->getResult(0)));
  const OpFootprint &fp = *node.footprint;
  SmallVector<int64_t> tile;
  for (AffineExpr expr : map.getResults()) {
    int64_t size = 1;
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      const auto *it = llvm::find(fp.parallelLoops, dim.getPosition());
      if (it != fp.parallelLoops.end())
        size = node.separateConfig.block[it - fp.parallelLoops.begin()];
      else
        size = fp.loopExtents[dim.getPosition()];
    }
    tile.push_back(size);
  }
  return tile;
}

std::vector<Group> Welder::connect(Graph &graph, const CostModel &model,
                                   Policy policy, StringRef funcName) {
  FusedCostModel fusedModel(model);
  std::vector<Group> groups;
  auto separateUs = [&](ArrayRef<unsigned> members) {
    double us = 0;
    for (unsigned n : members)
      us += graph.nodes[n].separate.timeUs;
    return us;
  };
  for (unsigned start = 0; start < graph.nodes.size(); ++start) {
    Node &first = graph.nodes[start];
    if (first.group >= 0 || !first.footprint)
      continue;
    Group group;
    group.members = {start};
    // Alone, the operator keeps Roller's configuration.
    group.tile = getSeparateTile(first);
    group.cost.gridBlocks = first.separate.gridBlocks;
    group.cost.threadsPerBlock = first.separate.threadsPerBlock;
    group.cost.smemBytesPerBlock = first.separate.smemBytesPerBlock;
    group.cost.globalBytes = first.separate.globalBytes;
    group.cost.timeUs = first.separate.timeUs;
    double gain = 0;
    bool grown = true;
    while (grown) {
      grown = false;
      // Candidate edges: from a member to a consumer outside the group.
      for (unsigned e = 0; e < graph.edges.size() && !grown; ++e) {
        Edge &edge = graph.edges[e];
        if (!llvm::is_contained(group.members, edge.producer) ||
            llvm::is_contained(group.members, edge.consumer))
          continue;
        SmallVector<unsigned> trial =
            getPathClosure(graph, group.members, edge.consumer);
        std::string whyNot = checkGroup(graph, trial, policy);
        if (!whyNot.empty()) {
          edge.notFusedReason = whyNot;
          continue;
        }
        FusedGroup fused = makeFusedGroup(graph, trial);
        // Seeds: the tiles members with the output's shape have alone.
        SmallVector<SmallVector<int64_t>> seeds;
        for (unsigned n : trial)
          if (graph.nodes[n].op->getResult(0).getType() ==
              fused.root->getResult(0).getType())
            seeds.push_back(getSeparateTile(graph.nodes[n]));
        double separateBytes = 0;
        for (unsigned n : trial)
          separateBytes += graph.nodes[n].separate.globalBytes;
        Schedule schedule =
            scheduleGroup(fusedModel, fused, seeds, maxTiles, separateBytes);
        if (!schedule.found) {
          edge.notFusedReason =
              schedule.overTraffic
                  ? schedule.whyNot
                  : "no output tile of the group fits: " + schedule.whyNot;
          continue;
        }
        double separate = separateUs(trial);
        double trialGain = separate - schedule.cost.timeUs;
        if (policy == Policy::Welder) {
          if (trialGain <= 0) {
            edge.notFusedReason = llvm::formatv(
                "fusing is not faster in the model: {0:F3} us fused (best "
                "tile [{1}]: compute {2:F3}, DRAM {3:F3}, shared memory "
                "{4:F3} us) vs {5:F3} us separately",
                schedule.cost.timeUs,
                llvm::make_range(schedule.tile.begin(), schedule.tile.end()),
                schedule.cost.computeUs, schedule.cost.dramUs,
                schedule.cost.smemUs, separate);
            continue;
          }
          if (trialGain < gain) {
            edge.notFusedReason = llvm::formatv(
                "the group with it gains {0:F3} us, less than the {1:F3} us "
                "without it",
                trialGain, gain);
            continue;
          }
        }
        LLVM_DEBUG(llvm::dbgs() << "[hm-welder] grew group of "
                                << first.name << " to " << trial.size()
                                << " ops, gain " << trialGain << " us\n");
        group.members = trial;
        group.tile = schedule.tile;
        group.cost = schedule.cost;
        group.tilesVisited = schedule.visited;
        gain = trialGain;
        grown = true;
      }
    }
    int index = groups.size();
    group.name = llvm::formatv("{0}_k{1}", funcName, index);
    group.separateUs = separateUs(group.members);
    for (unsigned n : group.members) {
      graph.nodes[n].group = index;
      group.separateBytes += graph.nodes[n].separate.globalBytes;
    }
    groups.push_back(std::move(group));
  }
  // Edges that stay in global memory without a recorded rejection joined
  // two groups formed from different starts.
  for (Edge &edge : graph.edges) {
    int p = graph.nodes[edge.producer].group;
    int c = graph.nodes[edge.consumer].group;
    if (p != c && edge.notFusedReason.empty())
      edge.notFusedReason =
          c >= 0 ? "the consumer was grouped first, into " + groups[c].name
                 : "the consumer cannot be fused: " +
                       graph.nodes[edge.consumer].whyNotFusable;
  }
  return groups;
}

void Welder::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<rtile::ArchAttr> optionArch =
      roller::parseArchOption(module, "hm-welder", arch);
  if (failed(optionArch))
    return signalPassFailure();
  Policy chosenPolicy;
  if (policy == "welder") {
    chosenPolicy = Policy::Welder;
  } else if (policy == "elementwise") {
    chosenPolicy = Policy::Elementwise;
  } else {
    module.emitError() << "hm-welder: unknown policy '" << policy
                       << "'; expected 'welder' or 'elementwise'";
    return signalPassFailure();
  }
  if (maxGroupSize < 1 || maxTiles < 1) {
    module.emitError() << "hm-welder: 'max-group-size' and 'max-tiles' must "
                          "be at least 1, got "
                       << static_cast<int64_t>(maxGroupSize) << " and "
                       << static_cast<int64_t>(maxTiles);
    return signalPassFailure();
  }
  std::unique_ptr<llvm::raw_fd_ostream> dotStream;
  if (!dotFile.empty()) {
    std::error_code error;
    dotStream = std::make_unique<llvm::raw_fd_ostream>(dotFile, error,
                                                       llvm::sys::fs::OF_Text);
    if (error) {
      module.emitError() << "hm-welder: cannot write dot-file '" << dotFile
                         << "': " << error.message();
      return signalPassFailure();
    }
  }

  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  std::vector<Graph> graphs;
  std::vector<std::vector<Group>> groupsPerFunc;
  SmallVector<rtile::ArchAttr> archPerFunc;
  graphs.reserve(funcs.size());
  for (func::FuncOp func : funcs) {
    rtile::ArchAttr target = *optionArch ? *optionArch
                                         : roller::getNearestArch(func);
    if (!target)
      target = roller::getDefaultArch(&getContext());
    CostModel model(target);
    archPerFunc.push_back(target);
    graphs.push_back(Graph::build(func, model));
    groupsPerFunc.push_back(
        connect(graphs.back(), model, chosenPolicy, func.getSymName()));
  }

  if (report) {
    llvm::outs() << "// hm-welder report: policy=" << policy
                 << "; traffic and times are modelled (docs/Welder.md), not "
                    "measured\n";
    for (auto [func, graph, groups] :
         llvm::zip_equal(funcs, graphs, groupsPerFunc))
      printReport(llvm::outs(), func.getSymName(), graph, groups);
    llvm::outs().flush();
  }
  if (dotStream) {
    SmallVector<std::tuple<func::FuncOp, const Graph *, ArrayRef<Group>>>
        entries;
    for (auto [func, graph, groups] :
         llvm::zip_equal(funcs, graphs, groupsPerFunc))
      entries.push_back({func, &graph, groups});
    printDot(*dotStream, entries);
  }
  if (remarks) {
    for (auto [graph, groups] : llvm::zip_equal(graphs, groupsPerFunc)) {
      for (const Group &group : groups)
        graph.nodes[group.members.back()].op->emitRemark()
            << "hm-welder: " << group.name << " fuses "
            << group.members.size() << " operator(s), tile ["
            << llvm::make_range(group.tile.begin(), group.tile.end())
            << "]: modelled "
            << llvm::formatv("{0:F3} us, {1} B of global traffic",
                             group.cost.timeUs,
                             static_cast<int64_t>(group.cost.globalBytes));
      for (const Edge &edge : graph.edges)
        if (graph.nodes[edge.producer].group !=
            graph.nodes[edge.consumer].group)
          graph.nodes[edge.consumer].op->emitRemark()
              << "hm-welder: not fused with the "
              << describe(graph.nodes[edge.producer]) << ": "
              << edge.notFusedReason;
      for (const Node &node : graph.nodes)
        if (!node.footprint)
          node.op->emitRemark() << "hm-welder: left alone: "
                                << node.whyNotFusable;
    }
  }

  // Arch recorded as Roller does, then the kernels.
  if (*optionArch)
    module->setAttr(rtile::RTileDialect::kArchAttrName, *optionArch);
  Builder b(&getContext());
  for (auto [graph, groups, target] :
       llvm::zip_equal(graphs, groupsPerFunc, archPerFunc))
    for (Group &group : groups) {
      tilegraph::KernelOp kernel = emitKernel(graph, group);
      if (!kernel) {
        module.emitError() << "hm-welder: internal error: could not emit "
                           << group.name;
        return signalPassFailure();
      }
      // The model's prediction for the chosen tile, for --hm-model-summary
      // (which counts a fused group as one kernel with this traffic).
      const FusedCostEstimate &cost = group.cost;
      kernel->setAttr(
          "tilegraph.modelled",
          b.getDictionaryAttr({
              b.getNamedAttr("arch", b.getStringAttr(target.getName())),
              b.getNamedAttr("global_bytes", b.getF64FloatAttr(cost.globalBytes)),
              b.getNamedAttr("time_us", b.getF64FloatAttr(cost.timeUs)),
              b.getNamedAttr("compute_us", b.getF64FloatAttr(cost.computeUs)),
              b.getNamedAttr("dram_us", b.getF64FloatAttr(cost.dramUs)),
              b.getNamedAttr("smem_us", b.getF64FloatAttr(cost.smemUs)),
              b.getNamedAttr("fits", b.getBoolAttr(cost.fits)),
          }));
    }
}

} // namespace
