//===- UCtlDialect.cpp - uctl dialect and operations ----------------------===//
//
// Builders, custom syntax, verifiers and control-flow interfaces of
// uctl.loop, uctl.if, uctl.grid_sync and uctl.yield.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Dialect/UCtl/IR/UCtl.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::hm::uctl;

#include "HeavyMetal/Dialect/UCtl/IR/UCtlDialect.cpp.inc"

void UCtlDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "HeavyMetal/Dialect/UCtl/IR/UCtlOps.cpp.inc"
      >();
}

/// Returns the value of `value` when it is an integer or index constant.
static std::optional<int64_t> getConstantInteger(Value value) {
  APInt constant;
  if (!matchPattern(value, m_ConstantInt(&constant)))
    return std::nullopt;
  return constant.getSExtValue();
}

/// Returns "s" unless `count` is one, for "1 result" / "2 results".
static StringRef plural(size_t count) { return count == 1 ? "" : "s"; }

/// Appends " ('t0', 't1')" to `diag` when `types` is not empty.
static void appendTypeList(InFlightDiagnostic &diag, TypeRange types) {
  if (types.empty())
    return;
  diag << " (";
  llvm::interleaveComma(types, diag);
  diag << ")";
}

//===----------------------------------------------------------------------===//
// LoopOp
//===----------------------------------------------------------------------===//

void LoopOp::build(
    OpBuilder &builder, OperationState &result, Value lowerBound,
    Value upperBound, Value step, ValueRange initArgs,
    function_ref<void(OpBuilder &, Location, Value, ValueRange)> bodyBuilder) {
  OpBuilder::InsertionGuard guard(builder);
  result.addOperands({lowerBound, upperBound, step});
  result.addOperands(initArgs);
  result.addTypes(initArgs.getTypes());
  Region *bodyRegion = result.addRegion();
  Block *body = builder.createBlock(bodyRegion);
  body->addArgument(builder.getIndexType(), result.location);
  for (Value init : initArgs)
    body->addArgument(init.getType(), init.getLoc());
  // Without loop-carried values the terminator is known; otherwise the body
  // builder (or the caller) yields the next values.
  if (bodyBuilder) {
    builder.setInsertionPointToStart(body);
    bodyBuilder(builder, result.location, body->getArgument(0),
                body->getArguments().drop_front());
  } else if (initArgs.empty()) {
    ensureTerminator(*bodyRegion, builder, result.location);
  }
}

// uctl.loop %iv = %lb to %ub step %s [max_trip_count(N)]
//     [iter_args(%a = %x, ...) -> (types)] region [attr-dict]
ParseResult LoopOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &builder = parser.getBuilder();
  Type indexType = builder.getIndexType();

  OpAsmParser::Argument inductionVar;
  OpAsmParser::UnresolvedOperand lowerBound, upperBound, step;
  if (parser.parseArgument(inductionVar) || parser.parseEqual() ||
      parser.parseOperand(lowerBound) || parser.parseKeyword("to") ||
      parser.parseOperand(upperBound) || parser.parseKeyword("step") ||
      parser.parseOperand(step))
    return failure();
  inductionVar.type = indexType;

  if (succeeded(parser.parseOptionalKeyword("max_trip_count"))) {
    int64_t maxTripCount;
    if (parser.parseLParen() || parser.parseInteger(maxTripCount) ||
        parser.parseRParen())
      return failure();
    result.getOrAddProperties<Properties>().max_trip_count =
        builder.getI64IntegerAttr(maxTripCount);
  }

  SmallVector<OpAsmParser::Argument> regionArgs{inductionVar};
  SmallVector<OpAsmParser::UnresolvedOperand> initArgs;
  SmallVector<Type> resultTypes;
  if (succeeded(parser.parseOptionalKeyword("iter_args"))) {
    SMLoc iterArgsLoc = parser.getCurrentLocation();
    if (parser.parseAssignmentList(regionArgs, initArgs) ||
        parser.parseArrowTypeList(resultTypes))
      return failure();
    if (resultTypes.size() != initArgs.size())
      return parser.emitError(iterArgsLoc)
             << "expected one result type per iter_arg: " << initArgs.size()
             << " iter_arg" << plural(initArgs.size()) << " but "
             << resultTypes.size() << " type" << plural(resultTypes.size());
    for (auto [arg, type] :
         llvm::zip_equal(llvm::drop_begin(regionArgs), resultTypes))
      arg.type = type;
  }

  if (parser.resolveOperand(lowerBound, indexType, result.operands) ||
      parser.resolveOperand(upperBound, indexType, result.operands) ||
      parser.resolveOperand(step, indexType, result.operands) ||
      parser.resolveOperands(initArgs, resultTypes, parser.getNameLoc(),
                             result.operands))
    return failure();
  result.addTypes(resultTypes);

  Region *body = result.addRegion();
  if (parser.parseRegion(*body, regionArgs))
    return failure();
  ensureTerminator(*body, builder, result.location);
  return parser.parseOptionalAttrDict(result.attributes);
}

void LoopOp::print(OpAsmPrinter &p) {
  p << " " << getInductionVar() << " = " << getLowerBound() << " to "
    << getUpperBound() << " step " << getStep();
  if (std::optional<uint64_t> maxTripCount = getMaxTripCount())
    p << " max_trip_count(" << *maxTripCount << ")";
  bool hasIterArgs = !getInitArgs().empty();
  if (hasIterArgs) {
    p << " iter_args(";
    llvm::interleaveComma(
        llvm::zip_equal(getRegionIterArgs(), getInitArgs()), p, [&](auto pair) {
          p << std::get<0>(pair) << " = " << std::get<1>(pair);
        });
    p << ") -> (" << getResultTypes() << ")";
  }
  p << " ";
  p.printRegion(getRegion(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/hasIterArgs);
  p.printOptionalAttrDict((*this)->getAttrs(),
                          /*elidedAttrs=*/{getMaxTripCountAttrName()});
}

std::optional<uint64_t> LoopOp::getConstantTripCount() {
  std::optional<int64_t> lowerBound = getConstantInteger(getLowerBound());
  std::optional<int64_t> upperBound = getConstantInteger(getUpperBound());
  std::optional<int64_t> step = getConstantInteger(getStep());
  if (!lowerBound || !upperBound || !step || *step <= 0)
    return std::nullopt;
  if (*upperBound <= *lowerBound)
    return 0;
  // The span fits in 64 unsigned bits even when upper - lower overflows int64.
  uint64_t span =
      static_cast<uint64_t>(*upperBound) - static_cast<uint64_t>(*lowerBound);
  return llvm::divideCeil(span, static_cast<uint64_t>(*step));
}

LogicalResult LoopOp::verify() {
  Block *body = getBody();
  size_t numIterArgs = getInitArgs().size();
  if (getNumResults() != numIterArgs)
    return emitOpError() << "has " << numIterArgs << " iter_arg"
                         << plural(numIterArgs) << " but " << getNumResults()
                         << " result" << plural(getNumResults())
                         << "; each loop-carried value is returned as a result";
  if (body->getNumArguments() != numIterArgs + 1)
    return emitOpError() << "body has " << body->getNumArguments()
                         << " argument" << plural(body->getNumArguments())
                         << " but needs " << numIterArgs + 1
                         << ": the induction variable and one per iter_arg";
  Type inductionVarType = getInductionVar().getType();
  if (!inductionVarType.isIndex())
    return emitOpError() << "induction variable (body argument #0) must be "
                            "'index', got "
                         << inductionVarType;
  for (auto [position, init, result, iterArg] : llvm::enumerate(
           getInitArgs(), getOperation()->getResults(), getRegionIterArgs())) {
    if (init.getType() != result.getType())
      return emitOpError() << "iter_arg #" << position
                           << " has an initial value of type " << init.getType()
                           << " but result #" << position << " has type "
                           << result.getType();
    if (iterArg.getType() != init.getType())
      return emitOpError() << "iter_arg #" << position << " (body argument #"
                           << position + 1 << ") has type " << iterArg.getType()
                           << " but its initial value has type "
                           << init.getType();
  }
  if (std::optional<int64_t> step = getConstantInteger(getStep());
      step && *step <= 0)
    return emitOpError() << "step must be positive, got the constant " << *step;
  if (std::optional<uint64_t> maxTripCount = getMaxTripCount())
    if (std::optional<uint64_t> tripCount = getConstantTripCount();
        tripCount && *tripCount > *maxTripCount)
      return emitOpError() << "max_trip_count (" << *maxTripCount
                           << ") is smaller than the constant trip count ("
                           << *tripCount << ") of the loop";
  return success();
}

SmallVector<Region *> LoopOp::getLoopRegions() { return {&getRegion()}; }

std::optional<SmallVector<Value>> LoopOp::getLoopInductionVars() {
  return SmallVector<Value>{getInductionVar()};
}

std::optional<SmallVector<OpFoldResult>> LoopOp::getLoopLowerBounds() {
  return SmallVector<OpFoldResult>{OpFoldResult(getLowerBound())};
}

std::optional<SmallVector<OpFoldResult>> LoopOp::getLoopUpperBounds() {
  return SmallVector<OpFoldResult>{OpFoldResult(getUpperBound())};
}

std::optional<SmallVector<OpFoldResult>> LoopOp::getLoopSteps() {
  return SmallVector<OpFoldResult>{OpFoldResult(getStep())};
}

std::optional<APInt> LoopOp::getStaticTripCount() {
  if (std::optional<uint64_t> tripCount = getConstantTripCount())
    return APInt(/*numBits=*/64, *tripCount);
  return std::nullopt;
}

MutableArrayRef<OpOperand> LoopOp::getInitsMutable() {
  return getInitArgsMutable();
}

Block::BlockArgListType LoopOp::getRegionIterArgs() {
  return getBody()->getArguments().drop_front();
}

std::optional<MutableArrayRef<OpOperand>> LoopOp::getYieldedValuesMutable() {
  return cast<YieldOp>(getBody()->getTerminator()).getResultsMutable();
}

std::optional<ResultRange> LoopOp::getLoopResults() {
  return getOperation()->getResults();
}

OperandRange LoopOp::getEntrySuccessorOperands(RegionSuccessor successor) {
  return getInitArgs();
}

void LoopOp::getSuccessorRegions(RegionBranchPoint point,
                                 SmallVectorImpl<RegionSuccessor> &regions) {
  // From the parent and from the body alike, control goes to the body (one
  // more iteration) or leaves the loop.
  regions.push_back(RegionSuccessor(&getRegion(), getRegionIterArgs()));
  regions.push_back(
      RegionSuccessor(getOperation(), getOperation()->getResults()));
}

//===----------------------------------------------------------------------===//
// IfOp
//===----------------------------------------------------------------------===//

void IfOp::build(OpBuilder &builder, OperationState &result,
                 TypeRange resultTypes, Value condition, bool withElseRegion) {
  OpBuilder::InsertionGuard guard(builder);
  result.addOperands(condition);
  result.addTypes(resultTypes);
  Region *thenRegion = result.addRegion();
  Region *elseRegion = result.addRegion();
  // With results the caller yields them; without, the terminator is known.
  builder.createBlock(thenRegion);
  if (resultTypes.empty())
    ensureTerminator(*thenRegion, builder, result.location);
  if (!withElseRegion && resultTypes.empty())
    return;
  builder.createBlock(elseRegion);
  if (resultTypes.empty())
    ensureTerminator(*elseRegion, builder, result.location);
}

LogicalResult IfOp::verify() {
  if (getNumResults() != 0 && getElseRegion().empty()) {
    InFlightDiagnostic diag = emitOpError()
                              << "has " << getNumResults() << " result"
                              << plural(getNumResults());
    appendTypeList(diag, getResultTypes());
    diag << " but no 'else' region; the results need a value when the "
            "predicate is false";
    return diag;
  }
  return success();
}

void IfOp::getSuccessorRegions(RegionBranchPoint point,
                               SmallVectorImpl<RegionSuccessor> &regions) {
  // Both regions return to the parent.
  if (!point.isParent()) {
    regions.push_back(
        RegionSuccessor(getOperation(), getOperation()->getResults()));
    return;
  }
  regions.push_back(RegionSuccessor(&getThenRegion()));
  if (getElseRegion().empty())
    regions.push_back(
        RegionSuccessor(getOperation(), getOperation()->getResults()));
  else
    regions.push_back(RegionSuccessor(&getElseRegion()));
}

//===----------------------------------------------------------------------===//
// GridSyncOp
//===----------------------------------------------------------------------===//

LogicalResult GridSyncOp::verify() {
  bool inDeviceLoop = false;
  Operation *scope = nullptr;
  for (Operation *parent = (*this)->getParentOp(); parent;
       parent = parent->getParentOp()) {
    if (auto ifOp = dyn_cast<IfOp>(parent)) {
      InFlightDiagnostic diag =
          emitOpError()
          << "must not be nested in a 'uctl.if': a grid-wide barrier under "
             "a device-side branch deadlocks when only some blocks of the "
             "kernel take the branch; hoist the barrier out of the branch";
      diag.attachNote(ifOp.getLoc()) << "the enclosing 'uctl.if'";
      return diag;
    }
    // The kernel itself (or a device function of it): blocks meet here.
    if (isa<gpu::GPUFuncOp>(parent))
      return success();
    if (isa<LoopOp>(parent))
      inDeviceLoop = true;
    // Nothing outside a function-like scope encloses this barrier's blocks.
    if (parent->hasTrait<OpTrait::IsIsolatedFromAbove>()) {
      scope = parent;
      break;
    }
  }
  if (inDeviceLoop)
    return success();
  InFlightDiagnostic diag =
      emitOpError() << "must be nested in a 'uctl.loop' or a 'gpu.func': a "
                       "grid-wide barrier synchronises the blocks of a "
                       "persistent kernel, and there is none around it";
  if (scope)
    diag << " (it is in '" << scope->getName().getStringRef() << "')";
  return diag;
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

LogicalResult YieldOp::verify() {
  Operation *parent = (*this)->getParentOp();
  TypeRange expected = parent->getResultTypes();
  // "the enclosing 'uctl.loop'" or "the 'else' region of the enclosing
  // 'uctl.if'": where the yielded values go.
  std::string owner;
  if (auto ifOp = dyn_cast<IfOp>(parent)) {
    bool inThen = (*this)->getParentRegion() == &ifOp.getThenRegion();
    owner = (Twine("the '") + (inThen ? "then" : "else") +
             "' region of the enclosing 'uctl.if'")
                .str();
  } else {
    owner = "the enclosing 'uctl.loop'";
  }

  if (getNumOperands() != expected.size()) {
    InFlightDiagnostic diag = emitOpError()
                              << "yields " << getNumOperands() << " value"
                              << plural(getNumOperands()) << " but " << owner
                              << " has " << expected.size() << " result"
                              << plural(expected.size());
    appendTypeList(diag, expected);
    return diag;
  }
  for (auto [position, value, type] : llvm::enumerate(getResults(), expected))
    if (value.getType() != type)
      return emitOpError() << "value #" << position << " has type "
                           << value.getType() << " but result #" << position
                           << " of " << owner << " has type " << type;
  return success();
}

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/UCtl/IR/UCtlOps.cpp.inc"
