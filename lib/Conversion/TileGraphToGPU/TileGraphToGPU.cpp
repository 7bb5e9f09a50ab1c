//===- TileGraphToGPU.cpp - One gpu.launch per fused Welder group ---------===//
//
// Gathers the operations of each group tagged by --hm-inline-tilegraph-kernels
// (now on buffers) into one gpu.launch: shared-level intermediates computed
// by the block into workgroup memory, the others recomputed in registers.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Conversion/Passes.h"
#include "HeavyMetal/Dialect/RTile/IR/RTile.h"
#include "GroupLowering.h"
#include "TileGraphTags.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SetVector.h"

#include <map>
#include <numeric>

namespace mlir::hm {
#define GEN_PASS_DEF_CONVERTTILEGRAPHTOGPU
#include "HeavyMetal/Conversion/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;
using namespace mlir::hm;

#define DEBUG_TYPE "convert-tilegraph-to-gpu"

using namespace mlir::hm::welder_lowering;

std::pair<Value, AffineMap>
mlir::hm::welder_lowering::traceToRootBuffer(Value value) {
  MLIRContext *ctx = value.getContext();
  auto rank = cast<MemRefType>(value.getType()).getRank();
  AffineMap map = AffineMap::getMultiDimIdentityMap(rank, ctx);
  while (Operation *def = value.getDefiningOp()) {
    SmallVector<AffineExpr> exprs;
    Value source;
    bool unitOnly = true;
    if (auto expand = dyn_cast<memref::ExpandShapeOp>(def)) {
      ArrayRef<int64_t> shape = expand.getResultType().getShape();
      // The source index is row-major within each group: linear.
      for (ReassociationIndices group : expand.getReassociationIndices()) {
        AffineExpr expr = getAffineConstantExpr(0, ctx);
        for (int64_t d : group)
          if (shape[d] != 1)
            expr = expr * shape[d] + getAffineDimExpr(d, ctx);
        exprs.push_back(expr);
      }
      source = expand.getSrc();
    } else if (auto collapse = dyn_cast<memref::CollapseShapeOp>(def)) {
      ArrayRef<int64_t> shape = collapse.getSrcType().getShape();
      for (auto [r, group] :
           llvm::enumerate(collapse.getReassociationIndices())) {
        int nonUnit = 0;
        for (int64_t d : group) {
          bool isNonUnit = shape[d] != 1;
          nonUnit += isNonUnit;
          exprs.push_back(isNonUnit ? getAffineDimExpr(r, ctx)
                                    : getAffineConstantExpr(0, ctx));
        }
        unitOnly &= nonUnit <= 1;
      }
      source = collapse.getSrc();
    } else {
      break;
    }
    if (!unitOnly)
      break;
    AffineMap step =
        AffineMap::get(cast<MemRefType>(def->getResult(0).getType()).getRank(),
                       0, exprs, ctx);
    map = step.compose(map);
    value = source;
  }
  return {value, map};
}

namespace {

/// `expr` as sum(coeffs[i] * d_i) + constant; fails for anything else.
LogicalResult getLinearForm(AffineExpr expr, SmallVectorImpl<int64_t> &coeffs,
                            int64_t &constant, int64_t scale = 1) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
    coeffs[dim.getPosition()] += scale;
    return success();
  }
  if (auto cst = dyn_cast<AffineConstantExpr>(expr)) {
    constant += scale * cst.getValue();
    return success();
  }
  auto bin = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!bin)
    return failure();
  if (bin.getKind() == AffineExprKind::Add)
    return success(succeeded(getLinearForm(bin.getLHS(), coeffs, constant,
                                           scale)) &&
                   succeeded(getLinearForm(bin.getRHS(), coeffs, constant,
                                           scale)));
  if (bin.getKind() == AffineExprKind::Mul) {
    if (auto cst = dyn_cast<AffineConstantExpr>(bin.getRHS()))
      return getLinearForm(bin.getLHS(), coeffs, constant,
                           scale * cst.getValue());
    if (auto cst = dyn_cast<AffineConstantExpr>(bin.getLHS()))
      return getLinearForm(bin.getRHS(), coeffs, constant,
                           scale * cst.getValue());
  }
  return failure();
}

/// Reads the tags of the function into groups; members whose group has no
/// root are left out (their tags are stripped at the end).
SmallVector<Group> collectGroups(func::FuncOp func) {
  std::map<int64_t, std::map<int64_t, Operation *>> tagged;
  func.walk([&](linalg::LinalgOp op) {
    auto tag = op->getAttrOfType<DictionaryAttr>(kMemberTag);
    if (!tag)
      return;
    auto group = tag.getAs<IntegerAttr>("group");
    auto index = tag.getAs<IntegerAttr>("index");
    if (group && index)
      tagged[group.getInt()][index.getInt()] = op;
  });
  SmallVector<Group> groups;
  for (auto &[id, ops] : tagged) {
    Group group;
    group.id = id;
    for (auto &[index, op] : ops) {
      Member member;
      member.op = cast<linalg::LinalgOp>(op);
      member.isFill = isa<linalg::FillOp>(op);
      auto tag = op->getAttrOfType<DictionaryAttr>(kMemberTag);
      auto level = tag.getAs<StringAttr>("level");
      member.shared = level && level.getValue() == "shared";
      if (auto root = op->getAttrOfType<DictionaryAttr>(kRootTag)) {
        group.root = group.members.size();
        if (auto name = root.getAs<StringAttr>("name"))
          group.name = name.str();
        if (auto tile = root.getAs<DenseI64ArrayAttr>("tile"))
          group.tile = llvm::to_vector(tile.asArrayRef());
      }
      group.members.push_back(member);
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

/// Builds the operand sources and the tiles of `group`; says why not when
/// the group cannot be lowered as one kernel.
LogicalResult analyzeGroup(Group &group, std::string &whyNot) {
  if (group.root < 0 || group.root != (int)group.members.size() - 1) {
    whyNot = "its output operation is not the last one of the group";
    return failure();
  }
  MLIRContext *ctx = group.members.front().op->getContext();
  Block *block = group.members.front().op->getBlock();
  DenseMap<Value, int> writers;
  for (auto [i, member] : llvm::enumerate(group.members)) {
    linalg::LinalgOp op = member.op;
    if (op->getBlock() != block) {
      whyNot = "its operations are not in one block";
      return failure();
    }
    if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
        op.hasDynamicShape()) {
      whyNot = "'" + op->getName().getStringRef().str() +
               "' is not an operation on static buffers with one output";
      return failure();
    }
    OpOperand *init = op.getDpsInitOperand(0);
    member.shape = llvm::to_vector(
        cast<MemRefType>(init->get().getType()).getShape());
    if (member.shape.empty()) {
      whyNot = "'" + op->getName().getStringRef().str() +
               "' reduces to a scalar";
      return failure();
    }
    if (!op.getMatchingIndexingMap(init).isProjectedPermutation()) {
      whyNot = "the output map of '" + op->getName().getStringRef().str() +
               "' is not a projected permutation";
      return failure();
    }
    for (OpOperand &operand : op->getOpOperands()) {
      OperandSource source;
      if (!isa<MemRefType>(operand.get().getType())) {
        member.sources.push_back(source);
        continue;
      }
      AffineMap map = op.getMatchingIndexingMap(&operand);
      auto [root, toRoot] = traceToRootBuffer(operand.get());
      auto writer = writers.find(root);
      if (writer != writers.end()) {
        source.producer = writer->second;
        source.map = toRoot.compose(map);
      } else {
        source.map = map;
      }
      member.sources.push_back(source);
    }
    AffineMap outMap = op.getMatchingIndexingMap(init);
    for (unsigned r = 0; r < outMap.getNumResults(); ++r)
      member.resultLoops.push_back(outMap.getDimPosition(r));
    auto [root, toRoot] = traceToRootBuffer(init->get());
    if (root != init->get() && (int)i != group.root) {
      // Written through unit reshapes (a convolution accumulating into the
      // broadcast bias through an expand_shape): the member's result is the
      // buffer; each of its dimensions a dimension of the view or unit.
      member.shape =
          llvm::to_vector(cast<MemRefType>(root.getType()).getShape());
      member.resultLoops.clear();
      for (AffineExpr expr : toRoot.getResults()) {
        auto dim = dyn_cast<AffineDimExpr>(expr);
        member.resultLoops.push_back(
            dim ? (int)outMap.getDimPosition(dim.getPosition()) : -1);
      }
    }
    writers[root] = i;
  }

  // Buffers: the intermediates must be allocations only the group touches,
  // and no operation may read the output buffer from global memory.
  Member &rootMember = group.members[group.root];
  Value output = traceToRootBuffer(
                     rootMember.op.getDpsInitOperand(0)->get()).first;
  DenseSet<Operation *> memberOps;
  Operation *firstMember = group.members.front().op;
  Operation *lastMember = firstMember;
  for (Member &member : group.members) {
    memberOps.insert(member.op);
    if (member.op->isBeforeInBlock(firstMember))
      firstMember = member.op;
    if (lastMember->isBeforeInBlock(member.op))
      lastMember = member.op;
  }
  for (auto [buffer, writer] : writers) {
    if (buffer == output)
      continue;
    if (!buffer.getDefiningOp<memref::AllocOp>()) {
      whyNot = "an intermediate is not a buffer of its own";
      return failure();
    }
    // Bufferization may reuse a dead intermediate's allocation for a later
    // operation (a broadcast of the next layer's bias). The fused kernel
    // never writes the intermediate, so a use outside the group is allowed
    // when it sees the same contents as in the unfused program: before the
    // group, or after it once an operation has overwritten the whole buffer
    // without reading it. Anything else means the value escapes.
    SmallVector<Operation *> after;
    SmallVector<Value> worklist = {buffer};
    Operation *escaping = nullptr;
    while (!worklist.empty() && !escaping) {
      Value value = worklist.pop_back_val();
      for (Operation *user : value.getUsers()) {
        if (memberOps.contains(user) || isa<memref::DeallocOp>(user))
          continue;
        if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(user)) {
          worklist.push_back(user->getResult(0));
          continue;
        }
        Operation *inBlock = block->findAncestorOpInBlock(*user);
        if (inBlock && inBlock->isBeforeInBlock(firstMember))
          continue;
        if (inBlock && lastMember->isBeforeInBlock(inBlock)) {
          after.push_back(inBlock == user ? user : nullptr);
          continue;
        }
        escaping = user;
        break;
      }
    }
    if (!escaping && !after.empty()) {
      // The first use after the group must overwrite it whole, unread.
      if (llvm::is_contained(after, nullptr)) {
        escaping = nullptr;
        whyNot = "an intermediate is also used inside a region after the group";
        return failure();
      }
      Operation *first = *llvm::min_element(
          after, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
      auto overwriter = dyn_cast<linalg::LinalgOp>(first);
      bool overwrites = overwriter && overwriter.hasPureBufferSemantics();
      if (overwrites) {
        for (OpOperand &operand : overwriter->getOpOperands()) {
          if (traceToRootBuffer(operand.get()).first != buffer)
            continue;
          if (!overwriter.isDpsInit(&operand) ||
              overwriter.payloadUsesValueFromOperand(&operand) ||
              !overwriter.getMatchingIndexingMap(&operand).isPermutation())
            overwrites = false;
        }
      }
      if (!overwrites)
        escaping = first;
    }
    if (escaping) {
      whyNot = "an intermediate is also used by '" +
               escaping->getName().getStringRef().str() +
               "' outside the group";
      return failure();
    }
  }
  for (auto [i, member] : llvm::enumerate(group.members))
    for (auto [k, source] : llvm::enumerate(member.sources)) {
      Value value = member.op->getOperand(k);
      // Only reads count: an init the payload ignores is only written.
      if (source.producer >= 0 || !isa<MemRefType>(value.getType()) ||
          member.op.getBlock()->getArgument(k).use_empty())
        continue;
      if ((int)i == group.root && k + 1 == member.sources.size())
        continue;
      if (traceToRootBuffer(value).first == output) {
        whyNot = "the output buffer is also an input of the group";
        return failure();
      }
    }

  // Tiles, from the output back: a member's box is what its consumers read.
  unsigned rank = rootMember.shape.size();
  if (group.tile.size() != rank) {
    whyNot = "the group's tile does not have the rank of its output";
    return failure();
  }
  rootMember.hasBox = true;
  for (unsigned r = 0; r < rank; ++r) {
    rootMember.lower.push_back(getAffineDimExpr(r, ctx));
    rootMember.sizes.push_back(
        std::max<int64_t>(1, std::min(group.tile[r], rootMember.shape[r])));
  }
  for (int i = group.root; i >= 0; --i) {
    Member &member = group.members[i];
    if (!member.hasBox || member.isFill)
      continue;
    SmallVector<int64_t> ranges = member.op.getStaticLoopRanges();
    SmallVector<AffineExpr> loopLower(ranges.size(),
                                      getAffineConstantExpr(0, ctx));
    SmallVector<int64_t> loopSize(ranges);
    for (auto [r, loop] : llvm::enumerate(member.resultLoops)) {
      if (loop < 0)
        continue;
      loopLower[loop] = member.lower[r];
      loopSize[loop] = member.sizes[r];
    }
    for (OperandSource &source : member.sources) {
      if (source.producer < 0)
        continue;
      Member &producer = group.members[source.producer];
      SmallVector<AffineExpr> lower;
      SmallVector<int64_t> sizes;
      for (auto [r, expr] : llvm::enumerate(source.map.getResults())) {
        SmallVector<int64_t> coeffs(ranges.size(), 0);
        int64_t constant = 0;
        if (failed(getLinearForm(expr, coeffs, constant)) ||
            llvm::any_of(coeffs, [](int64_t c) { return c < 0; })) {
          whyNot = "an intermediate is read through a non-linear index";
          return failure();
        }
        AffineExpr origin = getAffineConstantExpr(constant, ctx);
        int64_t size = 1;
        for (auto [d, c] : llvm::enumerate(coeffs)) {
          origin = origin + loopLower[d] * c;
          size += c * (loopSize[d] - 1);
        }
        lower.push_back(simplifyAffineExpr(origin, rank, 0));
        sizes.push_back(std::min(size, producer.shape[r]));
      }
      if (!producer.hasBox) {
        producer.hasBox = true;
        producer.lower = lower;
        producer.sizes = sizes;
        continue;
      }
      // Consumers reading different parts (a row reduction reading whole
      // rows, an element-wise consumer the block's columns): the producer
      // covers their union, per dimension — the hull when the origins are a
      // constant apart, else the whole extent.
      for (unsigned r = 0; r < lower.size(); ++r) {
        AffineExpr diff =
            simplifyAffineExpr(lower[r] - producer.lower[r], rank, 0);
        auto c = dyn_cast<AffineConstantExpr>(diff);
        if (!c) {
          producer.lower[r] = getAffineConstantExpr(0, ctx);
          producer.sizes[r] = producer.shape[r];
          continue;
        }
        int64_t offset = c.getValue();
        if (offset < 0)
          producer.lower[r] = lower[r];
        int64_t size = offset >= 0
                           ? std::max(producer.sizes[r], offset + sizes[r])
                           : std::max(sizes[r], producer.sizes[r] - offset);
        producer.sizes[r] = std::min(size, producer.shape[r]);
      }
    }
  }
  // Alignment of the boxes' origins: the output tile's origin along r is a
  // multiple of its size.
  for (Member &member : group.members) {
    if (!member.hasBox || member.isFill)
      continue;
    for (AffineExpr expr : member.lower) {
      SmallVector<int64_t> coeffs(rank, 0);
      int64_t constant = 0, alignment = 1;
      if (succeeded(getLinearForm(expr, coeffs, constant))) {
        alignment = std::abs(constant);
        for (auto [c, size] : llvm::zip_equal(coeffs, rootMember.sizes))
          alignment = std::gcd(alignment, std::abs(c * size));
      }
      member.originAlignment.push_back(alignment);
    }
  }
  return success();
}

} // namespace

namespace mlir::hm::welder_lowering {

SmallVector<Value> GroupEmitter::applyMap(AffineMap map, ArrayRef<Value> ivs) {
  SmallVector<Value> operands;
  for (Value iv : ivs)
    operands.push_back(iv ? iv : zero);
  SmallVector<Value> results;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      results.push_back(operands[dim.getPosition()]);
      continue;
    }
    if (auto c = dyn_cast<AffineConstantExpr>(expr)) {
      results.push_back(cst(c.getValue()));
      continue;
    }
    results.push_back(affine::AffineApplyOp::create(
        b, loc, AffineMap::get(map.getNumDims(), 0, expr), operands));
  }
  return results;
}

Value GroupEmitter::valueAt(int index, ArrayRef<Value> coords) {
  if (index == anchor)
    return anchorValue;
  Member &member = group.members[index];
  if (member.isFill)
    return member.op.getDpsInputs()[0];
  if (member.available) {
    SmallVector<Value> local;
    for (auto [coord, origin] : llvm::zip_equal(coords, member.lowerValues))
      local.push_back(arith::SubIOp::create(b, loc, coord, origin));
    return memref::LoadOp::create(b, loc, member.buffer, local);
  }
  auto &cache = computed[b.getInsertionBlock()];
  for (auto &[i, at, value] : cache)
    if (i == index && ArrayRef<Value>(at) == coords)
      return value;
  Value value = computeAt(index, coords);
  computed[b.getInsertionBlock()].push_back(
      {index, SmallVector<Value>(coords), value});
  return value;
}

Value GroupEmitter::operandValue(int index, unsigned operand,
                                 ArrayRef<Value> ivs) {
  Member &member = group.members[index];
  Value value = member.op->getOperand(operand);
  const OperandSource &source = member.sources[operand];
  if (!isa<MemRefType>(value.getType()))
    return value;
  SmallVector<Value> coords = applyMap(source.map, ivs);
  if (source.producer >= 0)
    return valueAt(source.producer, coords);
  return memref::LoadOp::create(b, loc, value, coords);
}

Value GroupEmitter::computeAt(int index, ArrayRef<Value> coords) {
  Member &member = group.members[index];
  linalg::LinalgOp op = member.op;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<Value> ivs(ranges.size());
  for (auto [r, loop] : llvm::enumerate(member.resultLoops))
    if (loop >= 0)
      ivs[loop] = coords[r];
  // Unit dimensions of a view the result is written through.
  for (unsigned r = 0; r < outMap.getNumResults(); ++r)
    if (!ivs[outMap.getDimPosition(r)])
      ivs[outMap.getDimPosition(r)] = zero;
  SmallVector<unsigned> loops;
  for (unsigned d = 0; d < ranges.size(); ++d)
    if (!ivs[d])
      loops.push_back(d);

  Block *payload = op.getBlock();
  unsigned numOperands = op->getNumOperands();
  IRMapping mapping;
  // Operands that do not depend on the sequential loops are read once.
  auto isHoistable = [&](unsigned k) {
    if (!isa<MemRefType>(op->getOperand(k).getType()))
      return true;
    AffineMap map = op.getMatchingIndexingMap(&op->getOpOperand(k));
    return llvm::none_of(loops,
                         [&](unsigned d) { return map.isFunctionOfDim(d); });
  };
  Value init;
  for (unsigned k = 0; k < numOperands; ++k) {
    BlockArgument arg = payload->getArgument(k);
    bool isInit = k + 1 == numOperands;
    if (!isInit && (arg.use_empty() || !isHoistable(k)))
      continue;
    if (isInit) {
      init = arg.use_empty()
                 ? arith::ConstantOp::create(b, loc, arg.getType(),
                                             b.getZeroAttr(arg.getType()))
                       .getResult()
                 : operandValue(index, k, ivs);
      continue;
    }
    mapping.map(arg, operandValue(index, k, ivs));
  }

  // The innermost body: the remaining operands, then the payload.
  auto emitPayload = [&](Value acc) -> Value {
    IRMapping inner = mapping;
    inner.map(payload->getArgument(numOperands - 1), acc);
    for (unsigned k = 0; k + 1 < numOperands; ++k) {
      BlockArgument arg = payload->getArgument(k);
      if (!arg.use_empty() && !inner.contains(arg))
        inner.map(arg, operandValue(index, k, ivs));
    }
    for (Operation &payloadOp : payload->without_terminator()) {
      if (auto indexOp = dyn_cast<linalg::IndexOp>(payloadOp)) {
        inner.map(indexOp.getResult(), ivs[indexOp.getDim()]);
        continue;
      }
      b.clone(payloadOp, inner);
    }
    return inner.lookup(payload->getTerminator()->getOperand(0));
  };
  std::function<Value(unsigned, Value)> emitLoops = [&](unsigned level,
                                                        Value acc) -> Value {
    if (level == loops.size())
      return emitPayload(acc);
    auto loop = scf::ForOp::create(b, loc, cst(0), cst(ranges[loops[level]]),
                                   cst(1), ValueRange{acc});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    ivs[loops[level]] = loop.getInductionVar();
    Value next = emitLoops(level + 1, loop.getRegionIterArgs()[0]);
    scf::YieldOp::create(b, loc, next);
    return loop.getResult(0);
  };
  Value result = emitLoops(0, init);
  for (unsigned d : loops)
    ivs[d] = Value();
  return result;
}

void GroupEmitter::emitTileLoop(
    ArrayRef<int64_t> sizes, ArrayRef<Value> origin, ArrayRef<int64_t> shape,
    function_ref<void(ArrayRef<Value>, ArrayRef<Value>)> body) {
  int64_t points = 1;
  for (int64_t size : sizes)
    points *= size;
  auto loop = scf::ForOp::create(b, loc, threadId, cst(points), numThreads);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  SmallVector<OpFoldResult> basis = llvm::map_to_vector(
      sizes, [&](int64_t e) -> OpFoldResult { return b.getIndexAttr(e); });
  auto local = affine::AffineDelinearizeIndexOp::create(
      b, loc, loop.getInductionVar(), basis, /*hasOuterBound=*/true);
  SmallVector<Value> global;
  Value inBounds;
  for (auto [l, o, extent, size] :
       llvm::zip_equal(local.getResults(), origin, shape, sizes)) {
    Value coord = arith::AddIOp::create(b, loc, o, l);
    global.push_back(coord);
    Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, coord,
                                     cst(extent));
    inBounds = inBounds ? arith::AndIOp::create(b, loc, inBounds, ok) : ok;
  }
  auto ifOp = scf::IfOp::create(b, loc, inBounds, /*withElseRegion=*/false);
  b.setInsertionPointToStart(ifOp.thenBlock());
  body(SmallVector<Value>(local.getResults()), global);
}

void GroupEmitter::emit(int64_t threads, int64_t sharedBytes,
                        ArrayRef<int64_t> sharedOffsets,
                        int64_t stagingOffset) {
  Member &root = group.members[group.root];
  b.setInsertionPoint(root.op);
  SmallVector<int64_t> gridCounts;
  int64_t blocks = 1;
  for (auto [extent, size] : llvm::zip_equal(root.shape, root.sizes)) {
    gridCounts.push_back(llvm::divideCeil(extent, size));
    blocks *= gridCounts.back();
  }
  Value one = cst(1);
  // Private accumulators of the members computed by the tiled kernel.
  SmallVector<Type> privateTypes;
  for (Member &member : group.members)
    llvm::append_range(privateTypes, member.accumulatorTypes);
  auto launch = gpu::LaunchOp::create(
      b, loc, cst(blocks), one, one, cst(threads), one, one,
      sharedBytes ? arith::ConstantIntOp::create(b, loc, sharedBytes, 32)
                        .getResult()
                  : Value(),
      /*asyncTokenType=*/nullptr, /*asyncDependencies=*/ValueRange(),
      /*workgroupAttributions=*/TypeRange(), privateTypes);
  ValueRange privateBuffers = launch.getPrivateAttributions();
  for (Member &member : group.members) {
    unsigned n = member.accumulatorTypes.size();
    member.accumulators.assign(privateBuffers.begin(),
                               privateBuffers.begin() + n);
    privateBuffers = privateBuffers.drop_front(n);
  }
  Block &body = launch.getBody().front();
  b.setInsertionPointToStart(&body);
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&body);
  threadId = launch.getThreadIds().x;
  numThreads = cst(threads);
  zero = cst(0);

  SmallVector<OpFoldResult> gridBasis = llvm::map_to_vector(
      gridCounts, [&](int64_t e) -> OpFoldResult { return b.getIndexAttr(e); });
  auto blockCoords = affine::AffineDelinearizeIndexOp::create(
      b, loc, launch.getBlockIds().x, gridBasis, /*hasOuterBound=*/true);
  for (auto [coord, size] : llvm::zip_equal(blockCoords.getResults(),
                                            root.sizes))
    blockOrigin.push_back(arith::MulIOp::create(b, loc, coord, cst(size)));

  Value raw;
  if (sharedBytes)
    raw = gpu::DynamicSharedMemoryOp::create(
        b, loc,
        MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                        MemRefLayoutAttrInterface(),
                        gpu::AddressSpaceAttr::get(
                            b.getContext(), gpu::AddressSpace::Workgroup)));
  unsigned sharedIndex = 0;
  for (Member &member : group.members) {
    if (!member.hasBox || member.isFill)
      continue;
    AffineMap originMap =
        AffineMap::get(root.shape.size(), 0, member.lower, b.getContext());
    member.lowerValues = applyMap(originMap, blockOrigin);
    if (!member.shared || &member == &root)
      continue;
    auto type = MemRefType::get(
        member.sizes,
        cast<MemRefType>(member.op.getDpsInitOperand(0)->get().getType())
            .getElementType(),
        MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(b.getContext(),
                                   gpu::AddressSpace::Workgroup));
    member.buffer = memref::ViewOp::create(
        b, loc, type, raw, cst(sharedOffsets[sharedIndex++]), ValueRange());
  }

  // Shared-level members, in order, each followed by a barrier.
  for (int i = 0, e = group.members.size(); i < e; ++i) {
    Member &member = group.members[i];
    if (!member.buffer)
      continue;
    if (member.footprint)
      emitTiledMember(i, raw, stagingOffset);
    else
      emitTileLoop(member.sizes, member.lowerValues, member.shape,
                   [&](ArrayRef<Value> local, ArrayRef<Value> global) {
                     Value v = computeAt(i, global);
                     memref::StoreOp::create(b, loc, v, member.buffer, local);
                   });
    gpu::BarrierOp::create(b, loc);
    member.available = true;
    computed.clear();
  }
  if (root.footprint) {
    emitTiledMember(group.root, raw, stagingOffset);
    return;
  }
  Value output = root.op.getDpsInitOperand(0)->get();
  emitTileLoop(root.sizes, blockOrigin, root.shape,
               [&](ArrayRef<Value> local, ArrayRef<Value> global) {
                 Value v = computeAt(group.root, global);
                 memref::StoreOp::create(b, loc, v, output, global);
               });
}

} // namespace mlir::hm::welder_lowering

namespace {

void stripTags(Operation *op) {
  op->removeAttr(kMemberTag);
  op->removeAttr(kRootTag);
}

struct ConvertTileGraphToGPU final
    : hm::impl::ConvertTileGraphToGPUBase<ConvertTileGraphToGPU> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    rtile::ArchAttr archAttr = rtile::getBuiltinArch(&getContext(), arch);
    if (!archAttr) {
      func.emitError() << "convert-tilegraph-to-gpu: unknown arch '" << arch
                       << "'; expected one of "
                       << llvm::join(rtile::getBuiltinArchNames(), ", ");
      return signalPassFailure();
    }
    if (blockSize <= 0 || blockSize > 1024 || blockSize % 32 != 0) {
      func.emitError() << "convert-tilegraph-to-gpu: 'block-size' must be a "
                          "positive multiple of 32 and at most 1024, got "
                       << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    OpBuilder b(&getContext());
    for (Group &group : collectGroups(func)) {
      std::string whyNot;
      Operation *anchor = group.members.back().op;
      if (failed(analyzeGroup(group, whyNot))) {
        if (remarks)
          anchor->emitRemark() << "group '" << group.name
                               << "' left unfused: " << whyNot;
        continue;
      }
      // Through Roller's tiled kernel of its contraction where the group's
      // tile is the contraction's block tile; else point by point.
      std::string tiledWhyNot, tiledSummary;
      if (succeeded(lowerThroughTiledAnchor(group, archAttr, tiledWhyNot,
                                            tiledSummary))) {
        if (remarks)
          anchor->emitRemark() << "group '" << group.name
                               << "' lowered to one gpu.launch: "
                               << tiledSummary;
      } else {
        // Workgroup memory: one buffer per shared-level member, 16-aligned.
        int64_t sharedBytes = 0, maxPoints = 1, sharedMembers = 0;
        SmallVector<int64_t> offsets;
        for (auto [i, member] : llvm::enumerate(group.members)) {
          if (!member.hasBox || member.isFill)
            continue;
          int64_t points = 1;
          for (int64_t size : member.sizes)
            points *= size;
          if ((int)i != group.root && !member.shared)
            continue;
          maxPoints = std::max(maxPoints, points);
          if ((int)i == group.root)
            continue;
          int64_t bits = cast<MemRefType>(
                             member.op.getDpsInitOperand(0)->get().getType())
                             .getElementTypeBitWidth();
          offsets.push_back(sharedBytes);
          sharedBytes += llvm::alignTo(points * llvm::divideCeil(bits, 8), 16);
          ++sharedMembers;
        }
        if (sharedBytes > archAttr.getSmemPerBlock()) {
          anchor->emitWarning()
              << "group '" << group.name << "' needs " << sharedBytes
              << " bytes of shared memory per block, over the "
              << archAttr.getSmemPerBlock() << " of " << arch
              << "; left unfused";
          continue;
        }
        int64_t threads =
            std::min<int64_t>(blockSize, llvm::alignTo(maxPoints, 32));
        // Contractions and reductions the block computes whole: Roller's
        // tiled kernel inside the launch, staging after the intermediates.
        int64_t intermediateBytes = sharedBytes;
        std::string tiledMembers, perPoint;
        int64_t stagingBytes = planTiledMembers(
            group, archAttr, blockSize, threads, intermediateBytes, tiledMembers,
            perPoint);
        int64_t stagingOffset = llvm::alignTo(intermediateBytes, 16);
        if (stagingBytes)
          sharedBytes = stagingOffset + stagingBytes;
        GroupEmitter(b, group).emit(threads, sharedBytes, offsets,
                                    stagingOffset);
        if (remarks) {
          int64_t blocks = 1;
          Member &root = group.members[group.root];
          for (auto [extent, size] : llvm::zip_equal(root.shape, root.sizes))
            blocks *= llvm::divideCeil(extent, size);
          InFlightDiagnostic remark = anchor->emitRemark();
          remark
              << "group '" << group.name << "' lowered to one gpu.launch: "
              << group.members.size() << " operations, " << blocks
              << " blocks of " << threads << " threads, " << sharedMembers
              << " intermediates in " << intermediateBytes
              << " bytes of shared memory";
          if (!tiledMembers.empty())
            remark << "; through the tiled kernel in the launch: "
                   << tiledMembers << " (" << stagingBytes
                   << " bytes of shared memory for staged inputs)";
          if (!tiledWhyNot.empty())
            remark << "; not one tiled kernel: " << tiledWhyNot;
          if (!perPoint.empty())
            remark << "; per point: " << perPoint;
        }
      }
      // The members and the intermediates nobody else reads go.
      llvm::SetVector<Value> buffers;
      for (Member &member : llvm::reverse(group.members)) {
        buffers.insert(
            traceToRootBuffer(member.op.getDpsInitOperand(0)->get()).first);
        member.op->erase();
      }
      for (Value buffer : buffers) {
        auto alloc = buffer.getDefiningOp<memref::AllocOp>();
        if (!alloc)
          continue;
        // Views of views included: collect users transitively.
        SmallVector<Operation *> deadUsers;
        SmallVector<Value> worklist = {alloc.getResult()};
        bool dead = true;
        while (!worklist.empty() && dead) {
          Value value = worklist.pop_back_val();
          for (Operation *user : value.getUsers()) {
            if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(user))
              worklist.push_back(user->getResult(0));
            else if (!isa<memref::DeallocOp>(user))
              dead = false;
            deadUsers.push_back(user);
          }
        }
        if (!dead)
          continue;
        for (Operation *user : llvm::reverse(deadUsers))
          user->erase();
        alloc->erase();
      }
    }
    func.walk([](linalg::LinalgOp op) { stripTags(op); });
  }
};

} // namespace
