//===- WelderGraph.cpp - Welder's tile graph of a function ----------------===//
//
// Builds the tile graph (nodes, edges, connection levels) and prints it:
// Graphviz DOT and the per-function report of --hm-welder.
//
//===----------------------------------------------------------------------===//

#include "WelderGraph.h"

#include "HeavyMetal/Analysis/TileConstruction.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"

#include "mlir/IR/Location.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::welder;

/// A linalg.fill whose every use initialises another operation's output:
/// each tile recomputes it, so it is not a node.
static bool isInitOnlyFill(Operation *op) {
  if (!isa<linalg::FillOp>(op))
    return false;
  for (OpOperand &use : op->getResult(0).getUses()) {
    auto user = dyn_cast<linalg::LinalgOp>(use.getOwner());
    if (!user || !user.isDpsInit(&use))
      return false;
  }
  return true;
}

std::string mlir::hm::welder::locationText(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    StringRef path = file.getFilename().getValue();
    return llvm::formatv("{0}:{1}:{2}", path.rsplit('/').second.empty()
                                            ? path
                                            : path.rsplit('/').second,
                         file.getLine(), file.getColumn());
  }
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      return locationText(fused.getLocations().front());
  return "?";
}

static bool isElementwiseNode(linalg::LinalgOp op) {
  if (op.getNumLoops() != op.getNumParallelLoops())
    return false;
  return llvm::all_of(op.getDpsInputOperands(), [&](OpOperand *operand) {
    return op.getMatchingIndexingMap(operand).isProjectedPermutation(
        /*allowZeroInResults=*/true);
  });
}

Graph Graph::build(func::FuncOp func, const CostModel &model) {
  Graph graph;
  if (func.getBody().empty())
    return graph;
  for (Operation &op : func.getBody().front()) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(&op);
    if (!linalgOp || op.getNumResults() == 0 || isInitOnlyFill(&op))
      continue;
    Node node;
    node.op = linalgOp;
    node.name = op.getName().getStringRef().str();
    node.location = locationText(op.getLoc());
    node.elementwise = isElementwiseNode(linalgOp);
    std::string whyNot;
    FailureOr<OpFootprint> footprint;
    if (!linalgOp.hasPureTensorSemantics())
      whyNot = "it operates on buffers";
    else
      footprint = OpFootprint::fromLinalgOp(linalgOp, whyNot);
    if (succeeded(footprint)) {
      // Individually tuned: the configuration Roller attached, else
      // Roller's construction.
      std::optional<CostEstimate> separate;
      if (auto config = op.getAttrOfType<rtile::ConfigAttr>(
              rtile::RTileDialect::kConfigAttrName)) {
        node.separateConfig = TileConfig::fromAttr(config);
        CostEstimate e = model.estimate(*footprint, node.separateConfig);
        if (e.fits)
          separate = e;
      }
      if (!separate) {
        FailureOr<RankedConfigs> ranked =
            TileConstructor(model).construct(*footprint, whyNot);
        if (succeeded(ranked)) {
          node.separateConfig = ranked->front().config;
          separate = ranked->front().estimate;
        }
      }
      if (separate) {
        node.separate = *separate;
        node.footprint = std::move(*footprint);
      }
    }
    if (!node.footprint)
      node.whyNotFusable = whyNot;
    graph.nodeIndex[&op] = graph.nodes.size();
    graph.nodes.push_back(std::move(node));
  }
  graph.outEdges.resize(graph.nodes.size());
  graph.inEdges.resize(graph.nodes.size());
  for (auto [c, node] : llvm::enumerate(graph.nodes)) {
    linalg::LinalgOp op = node.op;
    for (OpOperand &operand : op->getOpOperands()) {
      if (op.isDpsInit(&operand) && !op.payloadUsesValueFromOperand(&operand))
        continue;
      TracedAccess traced = traceThroughUnitReshapes(
          operand.get(), op.getMatchingIndexingMap(&operand));
      auto value = dyn_cast<OpResult>(traced.source);
      if (!value)
        continue;
      auto it = graph.nodeIndex.find(value.getOwner());
      if (it == graph.nodeIndex.end())
        continue;
      Edge edge;
      edge.producer = it->second;
      edge.consumer = c;
      edge.value = value;
      edge.use = &operand;
      edge.map = traced.map;
      edge.reshapes = traced.reshapes;
      std::tie(edge.level, edge.levelReason) =
          classifyEdgeLevel(op, traced.map);
      graph.outEdges[edge.producer].push_back(graph.edges.size());
      graph.inEdges[c].push_back(graph.edges.size());
      graph.edges.push_back(std::move(edge));
    }
  }
  return graph;
}

std::pair<tilegraph::Level, std::string>
mlir::hm::welder::classifyEdgeLevel(linalg::LinalgOp consumer,
                                    AffineMap map) {
  SmallVector<utils::IteratorType> iterators =
      consumer.getIteratorTypesArray();
  SmallVector<unsigned> used;
  for (AffineExpr expr : map.getResults()) {
    if (isa<AffineConstantExpr>(expr))
      continue; // A unit dimension.
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim)
      return {tilegraph::Level::Shared,
              "the consumer reads it through a window (" +
                  [&] {
                    std::string s;
                    llvm::raw_string_ostream os(s);
                    os << expr;
                    return s;
                  }() +
                  "), so neighbouring threads share elements"};
    if (iterators[dim.getPosition()] == utils::IteratorType::reduction)
      return {tilegraph::Level::Shared,
              llvm::formatv("the consumer reduces over it (loop d{0}), "
                            "reading elements other threads produced",
                            dim.getPosition())};
    used.push_back(dim.getPosition());
  }
  for (auto [l, iterator] : llvm::enumerate(iterators))
    if (iterator == utils::IteratorType::parallel &&
        !llvm::is_contained(used, l))
      return {tilegraph::Level::Shared,
              llvm::formatv("the consumer broadcasts it along parallel loop "
                            "d{0}, so several threads read each element",
                            l)};
  if (!llvm::is_sorted(used))
    return {tilegraph::Level::Shared,
            "the consumer reads it transposed, in another thread mapping"};
  return {tilegraph::Level::Register,
          "each thread reads the elements it produced"};
}

//===----------------------------------------------------------------------===//
// Reports
//===----------------------------------------------------------------------===//

static std::string formatList(ArrayRef<int64_t> values) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleave(values, os, ",");
  os << "]";
  return s;
}

static std::string escapeDot(StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

static StringRef levelColor(tilegraph::Level level) {
  switch (level) {
  case tilegraph::Level::Register:
    return "darkgreen";
  case tilegraph::Level::Shared:
    return "blue";
  case tilegraph::Level::Global:
    return "gray40";
  }
  return "black";
}

void mlir::hm::welder::printDot(
    llvm::raw_ostream &os,
    ArrayRef<std::tuple<func::FuncOp, const Graph *, ArrayRef<Group>>> funcs) {
  os << "// hm-welder tile graph: boxes are operators, clusters kernels;\n"
        "// edges are labelled with the level they are connected at.\n";
  os << "digraph welder {\n  compound=true;\n  node [shape=box, "
        "fontname=\"monospace\"];\n";
  for (auto [f, entry] : llvm::enumerate(funcs)) {
    func::FuncOp func = std::get<0>(entry);
    const Graph *graph = std::get<1>(entry);
    ArrayRef<Group> groups = std::get<2>(entry);
    std::string prefix = "f" + std::to_string(f) + "_n";
    os << "  subgraph \"cluster_" << escapeDot(func.getSymName())
       << "\" {\n    label=\"@" << escapeDot(func.getSymName())
       << "\";\n    style=dotted;\n";
    auto printNode = [&](unsigned n, StringRef indent) {
      const Node &node = graph->nodes[n];
      os << indent << prefix << n << " [label=\"" << escapeDot(node.name)
         << "\\n" << escapeDot(node.location) << "\"";
      if (!node.footprint)
        os << ", style=dashed, tooltip=\"not fused: "
           << escapeDot(node.whyNotFusable) << "\"";
      os << "];\n";
    };
    for (const Group &group : groups) {
      os << "    subgraph \"cluster_" << escapeDot(group.name)
         << "\" {\n      label=\"" << escapeDot(group.name) << " tile "
         << formatList(group.tile) << "\\n"
         << llvm::formatv("{0:F3} us modelled", group.cost.timeUs)
         << "\";\n      style=rounded;\n";
      for (unsigned n : group.members)
        printNode(n, "      ");
      os << "    }\n";
    }
    for (auto [n, node] : llvm::enumerate(graph->nodes))
      if (node.group < 0)
        printNode(n, "    ");
    os << "  }\n";
    for (const Edge &edge : graph->edges) {
      const Node &p = graph->nodes[edge.producer];
      const Node &c = graph->nodes[edge.consumer];
      bool fused = p.group >= 0 && p.group == c.group;
      tilegraph::Level level = fused ? edge.level : tilegraph::Level::Global;
      os << "  " << prefix << edge.producer << " -> " << prefix
         << edge.consumer << " [label=\"" << tilegraph::stringifyLevel(level)
         << "\", color=" << levelColor(level);
      if (!fused)
        os << ", style=dashed";
      std::string why = fused ? edge.levelReason : edge.notFusedReason;
      if (!why.empty())
        os << ", tooltip=\"" << escapeDot(why) << "\"";
      os << "];\n";
    }
  }
  os << "}\n";
}

void mlir::hm::welder::printReport(llvm::raw_ostream &os, StringRef funcName,
                                   const Graph &graph, ArrayRef<Group> groups) {
  double unfusedBytes = 0, unfusedUs = 0, fusedBytes = 0, fusedUs = 0;
  int64_t operators = 0;
  for (const Node &node : graph.nodes) {
    if (!node.footprint)
      continue;
    ++operators;
    unfusedBytes += node.separate.globalBytes;
    unfusedUs += node.separate.timeUs;
  }
  for (const Group &group : groups) {
    fusedBytes += group.cost.globalBytes;
    fusedUs += group.cost.timeUs;
  }
  os << llvm::formatv("@{0}: {1} operators -> {2} kernels; global traffic "
                      "{3} B fused vs {4} B unfused ({5:F2}x); time {6:F3} us "
                      "fused vs {7:F3} us unfused\n",
                      funcName, operators, groups.size(),
                      static_cast<int64_t>(fusedBytes),
                      static_cast<int64_t>(unfusedBytes),
                      unfusedBytes > 0 ? fusedBytes / unfusedBytes : 1.0,
                      fusedUs, unfusedUs);
  os << llvm::formatv("  {0,-12} {1,-4} {2,-16} {3,-7} {4,-8} {5,-12} "
                      "{6,-10} {7,-10} {8}\n",
                      "kernel", "ops", "tile", "grid", "smem_B",
                      "traffic_B", "time_us", "sep_us", "levels");
  for (const Group &group : groups) {
    int64_t registers = 0, shared = 0;
    for (const Edge &edge : graph.edges) {
      if (graph.nodes[edge.producer].group != graph.nodes[edge.consumer].group ||
          graph.nodes[edge.consumer].group < 0 ||
          &groups[graph.nodes[edge.consumer].group] != &group)
        continue;
      (edge.level == tilegraph::Level::Register ? registers : shared) += 1;
    }
    os << llvm::formatv("  {0,-12} {1,-4} {2,-16} {3,-7} {4,-8} {5,-12} "
                        "{6,-10:F3} {7,-10:F3} register={8} shared={9}\n",
                        group.name, group.members.size(),
                        formatList(group.tile), group.cost.gridBlocks,
                        group.cost.smemBytesPerBlock,
                        static_cast<int64_t>(group.cost.globalBytes),
                        group.cost.timeUs, group.separateUs, registers,
                        shared);
  }
  for (const Node &node : graph.nodes)
    if (!node.footprint)
      os << "  left alone: " << node.name << " at " << node.location << ": "
         << node.whyNotFusable << "\n";
}
