//===- TileGraphDialect.cpp - tilegraph dialect and operations ------------===//
//
// Parsing, printing and verification of #tilegraph.level and the tilegraph
// operations: a kernel's signature, body and output tile, and the rules for
// on-chip edges inside it.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Dialect/TileGraph/IR/TileGraph.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::hm::tilegraph;

#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphDialect.cpp.inc"

#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphAttrs.cpp.inc"

void TileGraphDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// A count with its noun, singular or plural: "1 result", "3 operands".
static std::string count(size_t value, StringRef noun) {
  return llvm::formatv("{0} {1}{2}", value, noun, value == 1 ? "" : "s");
}

/// The connection level as a bare keyword (`shared`), for the custom form of
/// tilegraph.connect; the attribute alone prints as #tilegraph.level<shared>.
static ParseResult parseLevel(OpAsmParser &parser, LevelAttr &level) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  std::optional<Level> value = symbolizeLevel(keyword);
  if (!value)
    return parser.emitError(loc) << "unknown connection level '" << keyword
                                 << "'; expected register, shared or global";
  level = LevelAttr::get(parser.getContext(), *value);
  return success();
}

static void printLevel(OpAsmPrinter &printer, Operation *, LevelAttr level) {
  printer << stringifyLevel(level.getValue());
}

#define GET_OP_CLASSES
#include "HeavyMetal/Dialect/TileGraph/IR/TileGraphOps.cpp.inc"

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

void KernelOp::build(OpBuilder &builder, OperationState &state,
                     TypeRange resultTypes, ValueRange inputs,
                     ArrayRef<int64_t> outputTile, StringRef name) {
  state.addOperands(inputs);
  state.addTypes(resultTypes);
  Properties &props = state.getOrAddProperties<Properties>();
  props.output_tile = builder.getDenseI64ArrayAttr(outputTile);
  if (!name.empty())
    props.name = builder.getStringAttr(name);
  Block *body = new Block();
  state.addRegion()->push_back(body);
  for (Value input : inputs)
    body->addArgument(input.getType(), input.getLoc());
}

// tilegraph.kernel "name"? (%in, ...) tile [e0, e1, ...]
//     : (input types) -> result types attributes {...}? {
// ^bb0(%arg: type, ...):
//   ...
// }
ParseResult KernelOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &builder = parser.getBuilder();
  std::string name;
  if (succeeded(parser.parseOptionalString(&name)))
    result.addAttribute(getNameAttrName(result.name),
                        builder.getStringAttr(name));

  SmallVector<OpAsmParser::UnresolvedOperand> inputs;
  SMLoc inputsLoc = parser.getCurrentLocation();
  if (parser.parseOperandList(inputs, OpAsmParser::Delimiter::Paren))
    return failure();

  SmallVector<int64_t> outputTile;
  if (parser.parseKeyword("tile") ||
      parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Square, [&]() -> ParseResult {
            return parser.parseInteger(outputTile.emplace_back());
          }))
    return failure();
  result.addAttribute(getOutputTileAttrName(result.name),
                      builder.getDenseI64ArrayAttr(outputTile));

  FunctionType type;
  if (parser.parseColonType(type) ||
      parser.resolveOperands(inputs, type.getInputs(), inputsLoc,
                             result.operands))
    return failure();
  result.addTypes(type.getResults());

  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();

  // The entry block spells its arguments (`^bb0(%x: type, ...)`), so that
  // the body reads on its own; the verifier matches them to the operands.
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, /*arguments=*/{}))
    return failure();
  if (body->empty())
    body->emplaceBlock();
  return success();
}

void KernelOp::print(OpAsmPrinter &printer) {
  if (std::optional<StringRef> name = getName()) {
    printer << ' ';
    printer.printString(*name);
  }
  printer << " (" << getInputs() << ") tile [";
  llvm::interleaveComma(getOutputTile(), printer);
  printer << "] : ";
  printer.printFunctionalType(getInputs().getTypes(), getResultTypes());
  printer.printOptionalAttrDictWithKeyword(
      (*this)->getAttrs(), {getNameAttrName(), getOutputTileAttrName()});
  printer << ' ';
  printer.printRegion(getBody(), /*printEntryBlockArgs=*/true,
                      /*printBlockTerminators=*/true);
}

LogicalResult KernelOp::verify() {
  if (std::optional<StringRef> name = getName(); name && name->empty())
    return emitOpError("has an empty name; omit the name instead");

  Block &body = getBodyBlock();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "body has "
                         << count(body.getNumArguments(), "argument")
                         << " but the kernel has "
                         << count(getInputs().size(), "operand")
                         << "; each operand needs one body argument";
  for (auto [index, argument, input] :
       llvm::enumerate(body.getArguments(), getInputs()))
    if (argument.getType() != input.getType())
      return emitOpError() << "body argument #" << index << " has type "
                           << argument.getType() << " but operand #" << index
                           << " has type " << input.getType();

  if (getNumResults() == 0)
    return emitOpError("has no results; a kernel writes at least one value "
                       "to global memory and is scheduled by a tile of "
                       "result #0");

  ArrayRef<int64_t> outputTile = getOutputTile();
  for (auto [index, extent] : llvm::enumerate(outputTile))
    if (extent <= 0)
      return emitOpError() << "output_tile extent #" << index << " is "
                           << extent << "; extents must be positive";
  auto shaped = dyn_cast<ShapedType>(getResult(0).getType());
  if (shaped && shaped.hasRank() &&
      static_cast<int64_t>(outputTile.size()) != shaped.getRank())
    return emitOpError() << "output_tile has "
                         << count(outputTile.size(), "extent")
                         << " but result #0 has rank " << shaped.getRank();
  return success();
}

LogicalResult KernelOp::verifyRegions() {
  Block &body = getBodyBlock();
  // An empty body has already been reported as a block without terminator.
  if (body.empty())
    return failure();
  if (!isa<YieldOp>(body.back()))
    return emitOpError() << "body must end with 'tilegraph.yield', not '"
                         << body.back().getName() << "'";
  return success();
}

YieldOp KernelOp::getYieldOp() {
  return cast<YieldOp>(getBodyBlock().getTerminator());
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

LogicalResult YieldOp::verify() {
  auto kernel = cast<KernelOp>((*this)->getParentOp());
  if (getValues().size() != kernel.getNumResults())
    return emitOpError() << "yields " << count(getValues().size(), "value")
                         << " but the enclosing 'tilegraph.kernel' has "
                         << count(kernel.getNumResults(), "result");
  for (auto [index, value, resultType] :
       llvm::enumerate(getValues(), kernel.getResultTypes()))
    if (value.getType() != resultType)
      return emitOpError() << "operand #" << index << " has type "
                           << value.getType() << " but result #" << index
                           << " of the enclosing 'tilegraph.kernel' has type "
                           << resultType;
  return success();
}

//===----------------------------------------------------------------------===//
// ConnectOp
//===----------------------------------------------------------------------===//

LogicalResult ConnectOp::verify() {
  if (getLevel() == Level::Global)
    return emitOpError("connects at global level; an edge through global "
                       "memory is a result of the 'tilegraph.kernel' (yield "
                       "the value), not a 'tilegraph.connect'");

  auto kernel = cast<KernelOp>((*this)->getParentOp());
  Value input = getInput();
  if (auto argument = dyn_cast<BlockArgument>(input);
      argument && argument.getOwner()->getParentOp() == kernel)
    return emitOpError() << "connects kernel input #" << argument.getArgNumber()
                         << ", which is read from global memory; only values "
                            "produced inside the kernel can be connected";
  if (input.getParentRegion() != &kernel.getBody())
    return emitOpError("connects a value defined outside the enclosing "
                       "'tilegraph.kernel'; only values produced inside the "
                       "kernel can be connected");
  if (auto producer = input.getDefiningOp<ConnectOp>())
    return emitOpError() << "connects the result of another "
                            "'tilegraph.connect' (at "
                         << stringifyLevel(producer.getLevel())
                         << "); an edge has one level, so connect the "
                            "producer's value instead";
  return success();
}
