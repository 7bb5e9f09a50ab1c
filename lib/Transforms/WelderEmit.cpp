//===- WelderEmit.cpp - Fusion groups as tilegraph.kernel ops -------------===//
//
// Moves the members of a fusion group into a tilegraph.kernel: values from
// outside become the kernel's operands (empty tensors, scalar and splat
// constants and the fills of accumulators are recomputed inside), every
// internal edge goes through a tilegraph.connect at its level, and the
// group's output becomes the kernel's result.
//
//===----------------------------------------------------------------------===//

#include "WelderGraph.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::hm;
using namespace mlir::hm::welder;

/// True when `value` is cheaper to recompute in the kernel than to read:
/// an empty tensor, a scalar or splat constant, a fill of those.
static bool isRecomputable(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (isa<tensor::EmptyOp>(def))
    return true;
  if (auto constant = dyn_cast<arith::ConstantOp>(def)) {
    if (!isa<ShapedType>(constant.getType()))
      return true;
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    return dense && dense.isSplat();
  }
  if (auto fill = dyn_cast<linalg::FillOp>(def))
    return llvm::all_of(fill->getOperands(), isRecomputable);
  return false;
}

/// Values `op` (and the operations nested in it) use that are defined
/// outside it.
static void collectUsedValues(Operation *op, llvm::SetVector<Value> &used) {
  op->walk([&](Operation *nested) {
    for (Value operand : nested->getOperands())
      if (!op->isAncestor(operand.getParentRegion()->getParentOp()))
        used.insert(operand);
  });
}

tilegraph::KernelOp mlir::hm::welder::emitKernel(Graph &graph, Group &group) {
  SmallVector<Operation *> members;
  llvm::SmallPtrSet<Operation *, 8> memberSet;
  for (unsigned n : group.members) {
    members.push_back(graph.nodes[n].op);
    memberSet.insert(graph.nodes[n].op);
  }
  Operation *sink = members.back();
  // Internal edges, per consumer operand.
  llvm::DenseMap<OpOperand *, const Edge *> internalEdges;
  llvm::SetVector<Operation *> internalReshapes;
  // By node index: edges of groups emitted before this one name erased
  // operations, which must not be dereferenced.
  llvm::SmallDenseSet<unsigned, 8> memberNodes(group.members.begin(),
                                               group.members.end());
  for (const Edge &edge : graph.edges) {
    if (!memberNodes.contains(edge.producer) ||
        !memberNodes.contains(edge.consumer))
      continue;
    internalEdges[edge.use] = &edge;
    internalReshapes.insert(edge.reshapes.begin(), edge.reshapes.end());
  }

  // Kernel operands: what the members read from outside, except what is
  // recomputed inside.
  llvm::SetVector<Value> inputs;
  llvm::SetVector<Operation *> recomputed;
  std::function<void(Value)> addOutside = [&](Value value) {
    if (!isRecomputable(value)) {
      inputs.insert(value);
      return;
    }
    Operation *def = value.getDefiningOp();
    for (Value operand : def->getOperands())
      addOutside(operand);
    recomputed.insert(def);
  };
  for (Operation *member : members) {
    llvm::SetVector<Value> used;
    collectUsedValues(member, used);
    for (Value value : used) {
      OpOperand *use = nullptr;
      for (OpOperand &operand : member->getOpOperands())
        if (operand.get() == value && internalEdges.count(&operand))
          use = &operand;
      if (use)
        continue; // Reaches the member on chip.
      if (Operation *def = value.getDefiningOp())
        if (memberSet.contains(def))
          continue;
      addOutside(value);
    }
  }
  // Results: what leaves the group (only the sink's results pass
  // checkGroup).
  SmallVector<Value> escaping;
  for (Value result : sink->getResults())
    if (!result.use_empty())
      escaping.push_back(result);
  if (escaping.empty())
    escaping.push_back(sink->getResult(0));

  OpBuilder builder(sink);
  Location loc = sink->getLoc();
  SmallVector<Type> resultTypes;
  for (Value v : escaping)
    resultTypes.push_back(v.getType());
  auto kernel = tilegraph::KernelOp::create(builder, loc, resultTypes,
                                            inputs.getArrayRef(), group.tile,
                                            group.name);
  Block &body = kernel.getBodyBlock();
  builder.setInsertionPointToStart(&body);
  IRMapping mapping;
  for (auto [input, argument] :
       llvm::zip_equal(inputs, kernel.getInputArguments()))
    mapping.map(input, argument);
  // Recomputed values in their original order (topologically sorted).
  SmallVector<Operation *> recomputedOps(recomputed.begin(), recomputed.end());
  llvm::sort(recomputedOps, [](Operation *a, Operation *b) {
    return a->isBeforeInBlock(b);
  });
  for (Operation *op : recomputedOps)
    builder.clone(*op, mapping);

  // Members, with each internal edge through a connect at its level (and
  // the unit reshapes on the edge re-created after it).
  llvm::DenseMap<std::pair<Value, unsigned>, Value> connected;
  IRMapping clones;
  for (Operation *member : members) {
    for (OpOperand &operand : member->getOpOperands()) {
      auto it = internalEdges.find(&operand);
      if (it == internalEdges.end())
        continue;
      const Edge &edge = *it->second;
      Value &onChip = connected[{edge.value, static_cast<unsigned>(
                                                 edge.level)}];
      if (!onChip)
        onChip = tilegraph::ConnectOp::create(builder, edge.value.getLoc(),
                                              clones.lookup(edge.value),
                                              edge.level);
      Value current = onChip;
      for (Operation *reshape : llvm::reverse(edge.reshapes)) {
        IRMapping step;
        step.map(reshape->getOperand(0), current);
        current = builder.clone(*reshape, step)->getResult(0);
      }
      mapping.map(operand.get(), current);
    }
    Operation *clone = builder.clone(*member, mapping);
    // `mapping` maps operands to what each consumer reads (a connect);
    // `clones` keeps the members' own results.
    for (auto [result, cloned] :
         llvm::zip_equal(member->getResults(), clone->getResults()))
      clones.map(result, cloned);
  }
  SmallVector<Value> yielded;
  for (Value v : escaping)
    yielded.push_back(clones.lookup(v));
  tilegraph::YieldOp::create(builder, loc, yielded);

  for (auto [value, result] : llvm::zip_equal(escaping, kernel.getResults()))
    value.replaceAllUsesWith(result);
  // The members, and what only the members used (the reshapes on internal
  // edges, the recomputed values), users before their operands: a reshape
  // sits between its producer and consumer members.
  SmallVector<Operation *> leftovers(internalReshapes.begin(),
                                     internalReshapes.end());
  leftovers.append(recomputedOps.rbegin(), recomputedOps.rend());
  leftovers.append(members.begin(), members.end());
  llvm::sort(leftovers, [](Operation *a, Operation *b) {
    return b->isBeforeInBlock(a);
  });
  leftovers.erase(llvm::unique(leftovers), leftovers.end());
  for (Operation *op : leftovers)
    if (memberSet.contains(op) || op->use_empty())
      op->erase();
  return kernel;
}
