//===- TilePropagation.cpp - Welder's tile propagation --------------------===//
//
// Backwards propagation of output tiles through indexing maps, evaluated as
// ranges of affine expressions over boxes of loops (no IR is built, so the
// sub-graph scheduling search can propagate thousands of candidate tiles).
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Analysis/TilePropagation.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::hm;

//===----------------------------------------------------------------------===//
// TileBox
//===----------------------------------------------------------------------===//

TileBox TileBox::getWhole(ArrayRef<int64_t> shape) {
  TileBox box;
  box.offsets.assign(shape.size(), 0);
  box.sizes.assign(shape.begin(), shape.end());
  return box;
}

int64_t TileBox::getNumElements() const {
  int64_t n = 1;
  for (int64_t s : sizes)
    n *= s;
  return n;
}

void TileBox::unionWith(const TileBox &other) {
  for (unsigned d = 0; d < getRank(); ++d) {
    int64_t lo = std::min(offsets[d], other.offsets[d]);
    int64_t hi = std::max(offsets[d] + sizes[d], other.offsets[d] +
                                                     other.sizes[d]);
    offsets[d] = lo;
    sizes[d] = hi - lo;
  }
}

//===----------------------------------------------------------------------===//
// Ranges of affine expressions
//===----------------------------------------------------------------------===//

namespace {
/// A closed integer range [lo, hi].
struct IndexRange {
  int64_t lo, hi;
};
} // namespace

static int64_t floorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/// The range `expr` takes over `loops`, or std::nullopt when it is not
/// monotone in a way this evaluation knows (symbols, products of dims, a
/// mod that wraps).
static std::optional<IndexRange> getRange(AffineExpr expr, const TileBox &loops) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
    unsigned d = dim.getPosition();
    return IndexRange{loops.offsets[d], loops.offsets[d] + loops.sizes[d] - 1};
  }
  if (auto cst = dyn_cast<AffineConstantExpr>(expr))
    return IndexRange{cst.getValue(), cst.getValue()};
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return std::nullopt;
  std::optional<IndexRange> lhs = getRange(binary.getLHS(), loops);
  if (!lhs)
    return std::nullopt;
  auto rhsConst = dyn_cast<AffineConstantExpr>(binary.getRHS());
  switch (binary.getKind()) {
  case AffineExprKind::Add: {
    std::optional<IndexRange> rhs = getRange(binary.getRHS(), loops);
    if (!rhs)
      return std::nullopt;
    return IndexRange{lhs->lo + rhs->lo, lhs->hi + rhs->hi};
  }
  case AffineExprKind::Mul: {
    // Affine: one side is a constant (canonically the right one).
    if (!rhsConst)
      return std::nullopt;
    int64_t k = rhsConst.getValue();
    return k >= 0 ? IndexRange{lhs->lo * k, lhs->hi * k}
                  : IndexRange{lhs->hi * k, lhs->lo * k};
  }
  case AffineExprKind::FloorDiv:
  case AffineExprKind::CeilDiv: {
    if (!rhsConst || rhsConst.getValue() <= 0)
      return std::nullopt;
    int64_t k = rhsConst.getValue();
    if (binary.getKind() == AffineExprKind::FloorDiv)
      return IndexRange{floorDiv(lhs->lo, k), floorDiv(lhs->hi, k)};
    return IndexRange{-floorDiv(-lhs->lo, k), -floorDiv(-lhs->hi, k)};
  }
  case AffineExprKind::Mod: {
    if (!rhsConst || rhsConst.getValue() <= 0)
      return std::nullopt;
    int64_t k = rhsConst.getValue();
    if (floorDiv(lhs->lo, k) != floorDiv(lhs->hi, k))
      return IndexRange{0, k - 1}; // It wraps.
    return IndexRange{lhs->lo - floorDiv(lhs->lo, k) * k,
                 lhs->hi - floorDiv(lhs->hi, k) * k};
  }
  default:
    return std::nullopt;
  }
}

TileBox mlir::hm::getImageTile(AffineMap map, const TileBox &loops,
                               ArrayRef<int64_t> shape) {
  TileBox box;
  for (auto [expr, size] : llvm::zip_equal(map.getResults(), shape)) {
    std::optional<IndexRange> range = getRange(expr, loops);
    if (!range) {
      box.offsets.push_back(0);
      box.sizes.push_back(size);
      continue;
    }
    int64_t lo = std::clamp<int64_t>(range->lo, 0, size);
    int64_t hi = std::clamp<int64_t>(range->hi + 1, 0, size);
    box.offsets.push_back(lo);
    box.sizes.push_back(std::max<int64_t>(hi - lo, 0));
  }
  return box;
}

//===----------------------------------------------------------------------===//
// Single operations
//===----------------------------------------------------------------------===//

FailureOr<TileBox>
mlir::hm::getIterationTileForResultTile(linalg::LinalgOp op,
                                        unsigned resultIndex,
                                        const TileBox &resultTile,
                                        std::string &whyNot) {
  SmallVector<int64_t> extents = op.getStaticLoopRanges();
  if (llvm::any_of(extents, ShapedType::isDynamic)) {
    whyNot = "it has dynamic loop extents";
    return failure();
  }
  TileBox loops = TileBox::getWhole(extents);
  AffineMap map = op.getIndexingMapMatchingResult(
      cast<OpResult>(op->getResult(resultIndex)));
  for (auto [d, expr] : llvm::enumerate(map.getResults())) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      loops.offsets[dim.getPosition()] = resultTile.offsets[d];
      loops.sizes[dim.getPosition()] = resultTile.sizes[d];
      continue;
    }
    if (isa<AffineConstantExpr>(expr))
      continue;
    whyNot = "its result #" + std::to_string(resultIndex) +
             " is not indexed by a projected permutation of its loops";
    return failure();
  }
  return loops;
}

//===----------------------------------------------------------------------===//
// Unit-dimension reshapes
//===----------------------------------------------------------------------===//

/// The source-side expressions of a reshape between `collapsedShape` and
/// `expandedShape` with `groups` (one per collapsed dimension), given the
/// expressions on one side. `toCollapsed`: the expressions index the expanded
/// side and are mapped to the collapsed one (always linear: row-major within
/// each group); otherwise the reverse, which fails when a group has more
/// than one non-unit dimension (it would need floordiv/mod).
static std::optional<SmallVector<AffineExpr>>
mapThroughUnitReshape(ArrayRef<ReassociationIndices> groups,
                      ArrayRef<int64_t> expandedShape,
                      ArrayRef<AffineExpr> exprs, bool toCollapsed,
                      unsigned numCollapsed, unsigned numExpanded,
                      MLIRContext *context) {
  AffineExpr zero = getAffineConstantExpr(0, context);
  SmallVector<AffineExpr> out(toCollapsed ? numCollapsed : numExpanded, zero);
  for (auto [c, group] : llvm::enumerate(groups)) {
    SmallVector<int64_t> nonUnit;
    for (int64_t e : group) {
      if (ShapedType::isDynamic(expandedShape[e]))
        return std::nullopt;
      if (expandedShape[e] != 1)
        nonUnit.push_back(e);
    }
    if (toCollapsed) {
      // Row-major within the group: a linear expression whatever the
      // number of non-unit dimensions (an expand_shape's source index).
      AffineExpr index = zero;
      for (int64_t e : nonUnit)
        index = index * expandedShape[e] + exprs[e];
      out[c] = index;
      continue;
    }
    // The expanded index of a collapsed one needs floordiv/mod unless at
    // most one dimension of the group is not a unit.
    if (nonUnit.size() > 1)
      return std::nullopt;
    if (toCollapsed)
      out[c] = nonUnit.empty() ? zero : exprs[nonUnit.front()];
    else if (!nonUnit.empty())
      out[nonUnit.front()] = exprs[c];
  }
  return out;
}

TracedAccess mlir::hm::traceThroughUnitReshapes(Value value, AffineMap map) {
  TracedAccess traced{value, map, {}};
  MLIRContext *context = map.getContext();
  while (Operation *def = traced.source.getDefiningOp()) {
    std::optional<SmallVector<AffineExpr>> exprs;
    Value next;
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
      // The map indexes the expanded result; its source is collapsed.
      exprs = mapThroughUnitReshape(
          expand.getReassociationIndices(), expand.getResultType().getShape(),
          traced.map.getResults(), /*toCollapsed=*/true,
          expand.getSrcType().getRank(), expand.getResultType().getRank(),
          context);
      next = expand.getSrc();
    } else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def)) {
      exprs = mapThroughUnitReshape(
          collapse.getReassociationIndices(), collapse.getSrcType().getShape(),
          traced.map.getResults(), /*toCollapsed=*/false,
          collapse.getResultType().getRank(), collapse.getSrcType().getRank(),
          context);
      next = collapse.getSrc();
    } else {
      break;
    }
    if (!exprs)
      break;
    traced.map = AffineMap::get(map.getNumDims(), map.getNumSymbols(), *exprs,
                                context);
    traced.source = next;
    traced.reshapes.push_back(def);
  }
  return traced;
}

/// True when `op` is a reshape traceThroughUnitReshapes looks through.
static bool isUnitReshape(Operation *op) {
  if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
    return false;
  // Trace an identity access of the result; it walks the op iff it only
  // inserts or drops unit dimensions.
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  AffineMap id = AffineMap::getMultiDimIdentityMap(type.getRank(),
                                                   op->getContext());
  return !traceThroughUnitReshapes(op->getResult(0), id).reshapes.empty();
}

SmallVector<OpOperand *>
mlir::hm::getUsesThroughUnitReshapes(Value value,
                                     SmallVectorImpl<Operation *> *reshapes) {
  SmallVector<OpOperand *> uses;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isUnitReshape(user)) {
        if (reshapes)
          reshapes->push_back(user);
        worklist.push_back(user->getResult(0));
        continue;
      }
      uses.push_back(&use);
    }
  }
  return uses;
}

//===----------------------------------------------------------------------===//
// Groups
//===----------------------------------------------------------------------===//

static SmallVector<int64_t> getStaticShape(Value value) {
  if (auto shaped = dyn_cast<ShapedType>(value.getType()))
    return SmallVector<int64_t>(shaped.getShape());
  return {};
}

FailureOr<GroupTilePropagation>
GroupTilePropagation::propagate(ArrayRef<linalg::LinalgOp> members,
                                linalg::LinalgOp root, const TileBox &rootTile,
                                std::string &whyNot) {
  GroupTilePropagation result;
  llvm::SmallPtrSet<Operation *, 8> inGroup;
  for (linalg::LinalgOp m : members)
    inGroup.insert(m);
  // Required tile of each member result, accumulated from its consumers.
  llvm::DenseMap<Value, TileBox> required;
  required[root->getResult(0)] = rootTile;

  for (linalg::LinalgOp op : llvm::reverse(members)) {
    std::optional<TileBox> loops;
    for (auto [index, res] : llvm::enumerate(op->getResults())) {
      auto it = required.find(res);
      if (it == required.end())
        continue;
      FailureOr<TileBox> tile =
          getIterationTileForResultTile(op, index, it->second, whyNot);
      if (failed(tile))
        return failure();
      if (loops)
        loops->unionWith(*tile);
      else
        loops = *tile;
    }
    if (!loops) {
      whyNot = "no member of the group reads a result of " +
               op->getName().getStringRef().str();
      return failure();
    }
    // What this member reads from the other members.
    for (OpOperand &operand : op->getOpOperands()) {
      if (!op.payloadUsesValueFromOperand(&operand) &&
          !op.isDpsInput(&operand))
        continue;
      TracedAccess traced = traceThroughUnitReshapes(
          operand.get(), op.getMatchingIndexingMap(&operand));
      auto producer = dyn_cast<OpResult>(traced.source);
      if (!producer || !inGroup.contains(producer.getOwner()))
        continue;
      TileBox image = getImageTile(traced.map, *loops,
                                   getStaticShape(traced.source));
      auto [it, inserted] = required.try_emplace(traced.source, image);
      if (!inserted)
        it->second.unionWith(image);
    }
    result.iterationTiles[op] = std::move(*loops);
  }
  return result;
}

TileBox GroupTilePropagation::getOperandTile(linalg::LinalgOp op,
                                             unsigned operandIndex) const {
  OpOperand &operand = op->getOpOperand(operandIndex);
  return getImageTile(op.getMatchingIndexingMap(&operand),
                      getIterationTile(op), getStaticShape(operand.get()));
}

FailureOr<SmallVector<double>>
mlir::hm::computeRecomputation(ArrayRef<linalg::LinalgOp> members,
                               linalg::LinalgOp root,
                               ArrayRef<int64_t> rootTileSizes,
                               int64_t maxTiles, std::string &whyNot) {
  SmallVector<int64_t> shape = getStaticShape(root->getResult(0));
  if (shape.size() != rootTileSizes.size()) {
    whyNot = "the tile has " + std::to_string(rootTileSizes.size()) +
             " sizes for a result of rank " + std::to_string(shape.size());
    return failure();
  }
  SmallVector<int64_t> counts;
  int64_t numTiles = 1;
  for (auto [extent, size] : llvm::zip_equal(shape, rootTileSizes)) {
    if (ShapedType::isDynamic(extent) || size <= 0) {
      whyNot = "the result has dynamic dimensions or the tile a size < 1";
      return failure();
    }
    counts.push_back(llvm::divideCeil(extent, size));
    numTiles *= counts.back();
  }
  if (numTiles > maxTiles) {
    whyNot = "the grid has " + std::to_string(numTiles) + " tiles, over " +
             std::to_string(maxTiles);
    return failure();
  }
  SmallVector<double> computed(members.size(), 0.0);
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t t = 0; t < numTiles; ++t) {
    TileBox tile;
    for (auto [d, i] : llvm::enumerate(index)) {
      int64_t offset = i * rootTileSizes[d];
      tile.offsets.push_back(offset);
      tile.sizes.push_back(std::min(rootTileSizes[d], shape[d] - offset));
    }
    FailureOr<GroupTilePropagation> propagation =
        GroupTilePropagation::propagate(members, root, tile, whyNot);
    if (failed(propagation))
      return failure();
    for (auto [m, op] : llvm::enumerate(members))
      computed[m] += propagation->getIterationTile(op).getNumElements();
    // Next tile, last dimension fastest.
    for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < counts[d])
        break;
      index[d] = 0;
    }
  }
  for (auto [m, member] : llvm::enumerate(members)) {
    linalg::LinalgOp op = member;
    int64_t points = 1;
    for (int64_t e : op.getStaticLoopRanges())
      points *= e;
    computed[m] /= static_cast<double>(points);
  }
  return computed;
}
