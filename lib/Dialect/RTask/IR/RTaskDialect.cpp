//===- RTaskDialect.cpp - rtask dialect, attributes and operations --------===//
//
// Parsing, printing and verification of #rtask.vdevice and the rtask
// operations, including the whole-program checks of an rtask.program's
// schedule (every rTask placed once, every wait satisfiable).
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Dialect/RTask/IR/RTask.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::hm::rtask;

#include "HeavyMetal/Dialect/RTask/IR/RTaskDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "HeavyMetal/Dialect/RTask/IR/RTaskAttrs.cpp.inc"

void RTaskDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "HeavyMetal/Dialect/RTask/IR/RTaskAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "HeavyMetal/Dialect/RTask/IR/RTaskOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// A count with its noun, singular or plural: "1 vEU", "4 vEUs".
static std::string count(int64_t value, StringRef noun) {
  return llvm::formatv("{0} {1}{2}", value, noun, value == 1 ? "" : "s");
}

namespace {
/// A half-open range [begin, end) of task or vEU numbers.
struct HalfOpen {
  int64_t begin, end;
  std::string str() const { return llvm::formatv("[{0}, {1})", begin, end); }
};
} // namespace

/// The number of vEUs of the rtask.program directly holding `op`, or nullopt
/// when `op` is not directly in a program (HasParent reports that).
static std::optional<int64_t> getVeusOfParentProgram(Operation *op) {
  if (auto program = dyn_cast_if_present<ProgramOp>(op->getParentOp()))
    return program.getNumVeus();
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// VDeviceAttr
//===----------------------------------------------------------------------===//

LogicalResult VDeviceAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  int64_t veus) {
  if (veus <= 0)
    return emitError() << "a vDevice needs a positive number of vEUs, got "
                       << veus;
  return success();
}

//===----------------------------------------------------------------------===//
// ProgramOp
//===----------------------------------------------------------------------===//

void ProgramOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                      VDeviceAttr vdevice, TypeRange argumentTypes) {
  Properties &props = state.getOrAddProperties<Properties>();
  props.sym_name = builder.getStringAttr(name);
  props.vdevice = vdevice;
  Block *body = new Block();
  state.addRegion()->push_back(body);
  body->addArguments(argumentTypes, SmallVector<Location>(argumentTypes.size(),
                                                          state.location));
}

// rtask.program @name vdevice<veus = N> (%arg: type, ...)
//     attributes {...} { body }
ParseResult ProgramOp::parse(OpAsmParser &parser, OperationState &result) {
  StringAttr name;
  if (parser.parseSymbolName(name, getSymNameAttrName(result.name),
                             result.attributes))
    return failure();

  VDeviceAttr vdevice;
  if (parser.parseKeyword("vdevice") ||
      parser.parseCustomAttributeWithFallback(vdevice))
    return failure();
  result.addAttribute(getVdeviceAttrName(result.name), vdevice);

  SmallVector<OpAsmParser::Argument> arguments;
  if (parser.parseArgumentList(arguments, OpAsmParser::Delimiter::OptionalParen,
                               /*allowType=*/true) ||
      parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();

  Region *body = result.addRegion();
  if (parser.parseRegion(*body, arguments))
    return failure();
  if (body->empty())
    body->emplaceBlock();
  return success();
}

void ProgramOp::print(OpAsmPrinter &printer) {
  printer << ' ';
  printer.printSymbolName(getSymName());
  printer << " vdevice";
  printer.printStrippedAttrOrType(getVdevice());
  Block &body = getBody().front();
  if (body.getNumArguments() != 0) {
    printer << " (";
    llvm::interleaveComma(body.getArguments(), printer, [&](BlockArgument arg) {
      printer.printRegionArgument(arg);
    });
    printer << ")";
  }
  printer.printOptionalAttrDictWithKeyword(
      (*this)->getAttrs(), {getSymNameAttrName(), getVdeviceAttrName()});
  printer << ' ';
  printer.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                      /*printBlockTerminators=*/false);
}

namespace {
/// Walks the schedule entries of a program in program order and checks the
/// properties the program as a whole must have.
class ScheduleChecker {
public:
  explicit ScheduleChecker(ProgramOp program)
      : program(program), operators(program) {}

  LogicalResult check() {
    for (Operation &op : program.getBody().front()) {
      LogicalResult result =
          llvm::TypeSwitch<Operation *, LogicalResult>(&op)
              .Case([&](OperatorOp) { return success(); })
              .Case([&](PlaceOp place) { return checkPlace(place); })
              .Case([&](StepToOp stepTo) { return checkStepTo(stepTo); })
              .Case([&](WaitForOp waitFor) { return checkWaitFor(waitFor); })
              .Default([](Operation *other) {
                return other->emitOpError()
                       << "cannot appear in an rtask.program, which holds "
                          "only rtask.operator, rtask.place, rtask.step_to "
                          "and rtask.wait_for";
              });
      if (failed(result))
        return failure();
    }
    for (auto op : program.getBody().front().getOps<OperatorOp>())
      if (failed(checkAllTasksPlaced(op)))
        return failure();
    return success();
  }

private:
  /// Placements come in wave order, and no rTask is placed twice.
  LogicalResult checkPlace(PlaceOp place) {
    if (lastPlace && place.getWave() < lastPlace.getWave())
      return place.emitOpError()
             << "is in wave " << place.getWave()
             << " but follows a placement in wave " << lastPlace.getWave()
             << "; placements appear in wave order";
    lastPlace = place;

    auto op = operators.lookup<OperatorOp>(place.getOperatorName());
    // verifySymbolUses has reported a bad reference.
    if (!op)
      return success();
    HalfOpen tasks{place.getTaskBegin(), place.getTaskEnd()};
    SmallVector<HalfOpen> &earlier = placedTasks[op];
    for (HalfOpen other : earlier)
      if (tasks.begin < other.end && other.begin < tasks.end)
        return place.emitOpError()
               << "places tasks " << tasks.str() << " of "
               << place.getOperatorNameAttr() << ", which overlap tasks "
               << other.str()
               << " placed earlier; every rTask is placed exactly once";
    earlier.push_back(tasks);
    return success();
  }

  /// A vEU's published progress never moves backwards.
  LogicalResult checkStepTo(StepToOp stepTo) {
    int64_t veu = stepTo.getVeu();
    // The op's own verifier has reported a vEU outside the vDevice.
    if (veu < 0 || veu >= program.getNumVeus())
      return success();
    int64_t &reached = reachedStep[veu];
    if (stepTo.getStep() < reached)
      return stepTo.emitOpError()
             << "moves vEU " << veu << " back to step " << stepTo.getStep()
             << " after it reached step " << reached;
    reached = stepTo.getStep();
    return success();
  }

  /// Every awaited vEU has reached the step earlier in program order.
  LogicalResult checkWaitFor(WaitForOp waitFor) {
    for (int64_t veu : waitFor.getAwaited()) {
      if (veu < 0 || veu >= program.getNumVeus())
        continue;
      int64_t reached = reachedStep.lookup(veu);
      if (reached >= waitFor.getStep())
        continue;
      InFlightDiagnostic diag = waitFor.emitOpError()
                                << "vEU " << veu << " never reaches step "
                                << waitFor.getStep() << " before this wait";
      if (reached == 0)
        diag << "; no rtask.step_to of vEU " << veu << " precedes it";
      else
        diag << "; vEU " << veu << " reaches only step " << reached
             << " before it";
      return diag;
    }
    return success();
  }

  /// Every rTask of `op` is placed (overlaps were rejected in checkPlace).
  LogicalResult checkAllTasksPlaced(OperatorOp op) {
    SmallVector<HalfOpen> placed = placedTasks.lookup(op);
    llvm::sort(placed,
               [](HalfOpen a, HalfOpen b) { return a.begin < b.begin; });
    int64_t covered = 0;
    for (HalfOpen range : placed) {
      if (range.begin > covered)
        break;
      covered = std::max(covered, range.end);
    }
    if (covered >= op.getTasks())
      return success();
    int64_t gapEnd = op.getTasks();
    for (HalfOpen range : placed)
      if (range.begin > covered) {
        gapEnd = range.begin;
        break;
      }
    return op.emitOpError() << "has " << count(op.getTasks(), "task")
                            << " but tasks " << HalfOpen{covered, gapEnd}.str()
                            << " are never placed; every rTask is placed "
                               "exactly once";
  }

  ProgramOp program;
  SymbolTable operators;
  /// The highest step each vEU has published so far in program order; a
  /// map, since the vDevice may be large and few vEUs step.
  llvm::DenseMap<int64_t, int64_t> reachedStep;
  /// The task ranges placed so far, per operator.
  llvm::DenseMap<Operation *, SmallVector<HalfOpen>> placedTasks;
  PlaceOp lastPlace;
};
} // namespace

LogicalResult ProgramOp::verifyRegions() {
  return ScheduleChecker(*this).check();
}

//===----------------------------------------------------------------------===//
// OperatorOp
//===----------------------------------------------------------------------===//

void OperatorOp::build(OpBuilder &builder, OperationState &state,
                       StringRef name, int64_t tasks) {
  Properties &props = state.getOrAddProperties<Properties>();
  props.sym_name = builder.getStringAttr(name);
  props.tasks = builder.getI64IntegerAttr(tasks);
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  block->addArgument(builder.getIndexType(), state.location);
  ensureTerminator(*body, builder, state.location);
}

LogicalResult OperatorOp::verify() {
  if (getTasks() <= 0)
    return emitOpError() << "must have a positive number of tasks, got "
                         << getTasks();
  Block &body = getBody().front();
  if (body.getNumArguments() != 1)
    return emitOpError()
           << "body must take exactly one argument, the task index, but takes "
           << body.getNumArguments();
  Type taskType = body.getArgument(0).getType();
  if (!taskType.isIndex())
    return emitOpError() << "task index must have type 'index', got "
                         << taskType;
  return success();
}

void OperatorOp::getAsmBlockArgumentNames(Region &region,
                                          OpAsmSetValueNameFn setNameFn) {
  if (region.empty() || region.getNumArguments() != 1)
    return;
  setNameFn(region.getArgument(0), "task");
}

//===----------------------------------------------------------------------===//
// PlaceOp
//===----------------------------------------------------------------------===//

LogicalResult PlaceOp::verify() {
  HalfOpen tasks{getTaskBegin(), getTaskEnd()};
  HalfOpen veus{getVeuBegin(), getVeuEnd()};
  if (tasks.begin < 0)
    return emitOpError() << "task range " << tasks.str() << " starts below 0";
  if (tasks.begin >= tasks.end)
    return emitOpError() << "task range " << tasks.str() << " is empty";
  if (veus.begin < 0)
    return emitOpError() << "vEU range " << veus.str() << " starts below 0";
  if (veus.begin >= veus.end)
    return emitOpError() << "vEU range " << veus.str() << " is empty";
  if (getWave() < 0)
    return emitOpError() << "wave must not be negative, got " << getWave();
  std::optional<int64_t> numVeus = getVeusOfParentProgram(*this);
  if (numVeus && veus.end > *numVeus)
    return emitOpError() << "vEU range " << veus.str()
                         << " exceeds the vDevice of "
                         << count(*numVeus, "vEU");
  return success();
}

LogicalResult PlaceOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto op = symbolTable.lookupNearestSymbolFrom<OperatorOp>(
      *this, getOperatorNameAttr());
  if (!op)
    return emitOpError() << getOperatorNameAttr()
                         << " does not name an rtask.operator of this "
                            "rtask.program";
  if (getTaskEnd() > op.getTasks())
    return emitOpError() << "task range "
                         << HalfOpen{getTaskBegin(), getTaskEnd()}.str()
                         << " exceeds the " << count(op.getTasks(), "task")
                         << " of " << getOperatorNameAttr();
  return success();
}

//===----------------------------------------------------------------------===//
// StepToOp
//===----------------------------------------------------------------------===//

LogicalResult StepToOp::verify() {
  if (getStep() <= 0)
    return emitOpError() << "step must be positive, got " << getStep();
  std::optional<int64_t> numVeus = getVeusOfParentProgram(*this);
  if (numVeus && (getVeu() < 0 || getVeu() >= *numVeus))
    return emitOpError() << "vEU " << getVeu() << " is outside the vDevice of "
                         << count(*numVeus, "vEU");
  return success();
}

//===----------------------------------------------------------------------===//
// WaitForOp
//===----------------------------------------------------------------------===//

LogicalResult WaitForOp::verify() {
  if (getStep() <= 0)
    return emitOpError() << "step must be positive, got " << getStep();
  if (getAwaited().empty())
    return emitOpError() << "must wait for at least one vEU";
  std::optional<int64_t> numVeus = getVeusOfParentProgram(*this);
  if (!numVeus)
    return success();
  int64_t waiter = getVeu();
  if (waiter < 0 || waiter >= *numVeus)
    return emitOpError() << "waiting vEU " << waiter
                         << " is outside the vDevice of "
                         << count(*numVeus, "vEU");
  llvm::SmallDenseSet<int64_t> seen;
  for (int64_t veu : getAwaited()) {
    if (veu < 0 || veu >= *numVeus)
      return emitOpError() << "waits for vEU " << veu
                           << " outside the vDevice of "
                           << count(*numVeus, "vEU");
    if (veu == waiter)
      return emitOpError() << "vEU " << waiter
                           << " waits for itself, which deadlocks";
    if (!seen.insert(veu).second)
      return emitOpError() << "waits for vEU " << veu << " twice";
  }
  return success();
}

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/RTask/IR/RTaskOps.cpp.inc"
