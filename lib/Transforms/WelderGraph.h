//===- WelderGraph.h - Welder's tile graph of a function --------*- C++ -*-===//
//
// The tile graph --hm-welder schedules: linalg operations on tensors as
// nodes, the tensors between them as edges (looking through reshapes that
// only add or drop unit dimensions), each edge's on-chip connection level,
// and the fusion groups the connecting algorithm forms.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_TRANSFORMS_WELDERGRAPH_H
#define HEAVYMETAL_LIB_TRANSFORMS_WELDERGRAPH_H

#include "HeavyMetal/Analysis/FusedCost.h"
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace mlir::hm::welder {

/// An operator of the tile graph.
struct Node {
  linalg::LinalgOp op;
  /// The operation's name and location, kept for the reports (the operation
  /// itself is moved into a kernel).
  std::string name, location;
  /// The cost model's description; absent when the operation cannot be
  /// fused (`whyNotFusable` says why).
  std::optional<OpFootprint> footprint;
  std::string whyNotFusable;
  /// All loops parallel and every input read through a projected
  /// permutation (the element-wise policy fuses only these).
  bool elementwise = false;
  /// The operation compiled alone with Roller's configuration (its
  /// `rtile.config` when it has one, else the constructed best).
  TileConfig separateConfig;
  CostEstimate separate;
  /// Index of its group in WelderSchedule::groups, or -1.
  int group = -1;
};

/// A tensor from one node to another.
struct Edge {
  unsigned producer, consumer;
  OpResult value;
  /// The consumer's operand (the value itself or a unit reshape of it).
  OpOperand *use;
  /// The consumer's loops to the dimensions of `value`.
  AffineMap map;
  /// The unit reshapes between `value` and `use`, from the use's side.
  SmallVector<Operation *> reshapes;
  /// The level the edge is connected at when both ends share a group, and
  /// why that level.
  tilegraph::Level level = tilegraph::Level::Register;
  std::string levelReason;
  /// Why the edge stayed in global memory (set when a fusion across it was
  /// rejected).
  std::string notFusedReason;
};

/// `file:line:col` (the file's base name) for reports and remarks.
std::string locationText(Location loc);

/// The tile graph of one function.
struct Graph {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  llvm::DenseMap<Operation *, unsigned> nodeIndex;
  /// Edges leaving / entering each node.
  SmallVector<SmallVector<unsigned>> outEdges, inEdges;

  /// Builds the graph of the linalg operations directly in `func`'s body.
  /// Fills that only initialise other operations' outputs are not nodes:
  /// every tile recomputes them.
  static Graph build(func::FuncOp func, const CostModel &model);
};

/// The level an edge read by `consumer` through `map` is connected at when
/// fused, and why: registers when every thread reads exactly the elements it
/// produced (element-wise chains, a reduction or contraction followed by an
/// element-wise operator over its parallel loops); shared memory when the
/// consumer reads a window, reduces over the edge's elements, broadcasts it
/// along a parallel loop (threads reuse elements) or reads it transposed.
std::pair<tilegraph::Level, std::string>
classifyEdgeLevel(linalg::LinalgOp consumer, AffineMap map);

/// A fusion group: one kernel.
struct Group {
  /// Node indices in topological order; the last is the output.
  SmallVector<unsigned> members;
  /// Output tile (per dimension of the output's result #0) and the model's
  /// estimate for it.
  SmallVector<int64_t> tile;
  FusedCostEstimate cost;
  /// The sum of the members compiled separately.
  double separateUs = 0, separateBytes = 0;
  /// Tiles the scheduling search evaluated.
  int64_t tilesVisited = 0;
  std::string name;
  /// The emitted kernel (null until emitted).
  tilegraph::KernelOp kernel;
};

/// Emits `group` as a tilegraph.kernel in place of its members.
tilegraph::KernelOp emitKernel(Graph &graph, Group &group);

/// Writes the tile graphs of `funcs` (with their groups) as Graphviz DOT.
void printDot(llvm::raw_ostream &os,
              ArrayRef<std::tuple<func::FuncOp, const Graph *,
                                  ArrayRef<Group>>> funcs);

/// Prints the per-function summary of --hm-welder{report=true}.
void printReport(llvm::raw_ostream &os, StringRef funcName,
                 const Graph &graph, ArrayRef<Group> groups);

} // namespace mlir::hm::welder

#endif // HEAVYMETAL_LIB_TRANSFORMS_WELDERGRAPH_H
