//===- ControlFlowOps.cpp - If, Loop and Scan -----------------------------===//
//
// ONNX's subgraph operators become scf on tensors, the input Grinder moves
// onto the device: If -> scf.if (or the taken branch, when the condition is
// known at import time); Loop -> scf.for when it runs exactly its trip count
// M, scf.while otherwise, scan outputs accumulated with tensor.insert_slice;
// Scan -> scf.for over the sequence with tensor.extract_slice /
// insert_slice. Loop-carried values keep one static type across
// iterations, or the loop is rejected.
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Importer.h"
#include "Tensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

/// Imports subgraph `graph` at `b`'s insertion point with its inputs bound
/// to `inputs`; returns its outputs, checked against `expected` types.
FailureOr<SmallVector<Value>> importSubgraph(NodeImporter &n,
                                             const onnx::GraphProto &graph,
                                             ValueRange inputs,
                                             TypeRange expected, OpBuilder &b) {
  if (static_cast<size_t>(graph.input_size()) != inputs.size())
    return n.emitError() << "subgraph '" << graph.name() << "' has "
                         << graph.input_size() << " inputs, expected "
                         << inputs.size();
  GraphScope scope(&n.scope);
  scope.addTypesOf(graph);
  for (auto [info, value] : llvm::zip_equal(graph.input(), inputs))
    scope.values[info.name()] = value;
  FailureOr<SmallVector<Value>> outputs =
      n.importer.importGraphBody(graph, scope, b);
  if (failed(outputs))
    return failure();
  if (outputs->size() != expected.size())
    return n.emitError() << "subgraph '" << graph.name() << "' has "
                         << outputs->size() << " outputs, expected "
                         << expected.size();
  for (auto [i, value, type] : llvm::enumerate(*outputs, expected))
    if (value.getType() != type)
      return n.emitError() << "output " << i << " of subgraph '" << graph.name()
                           << "' is " << value.getType() << " where " << type
                           << " is needed (values whose shape changes "
                              "across branches or iterations are not "
                              "supported)";
  return outputs;
}

/// Drops the terminator that scf builders add to bodies without results:
/// the imported subgraph goes at the end of the block, then its yield.
void dropTerminator(Block *block) {
  if (!block->empty() && block->back().hasTrait<OpTrait::IsTerminator>())
    block->back().erase();
}

/// The value of a constant scalar input, if it is one.
std::optional<int64_t> constantScalar(NodeImporter &n, unsigned i) {
  const onnx::TensorProto *c = n.constantInput(i);
  if (!c || numElements(*c) != 1)
    return std::nullopt;
  std::string error;
  std::optional<SmallVector<int64_t>> v = tensorToInts(*c, error);
  if (!v)
    return std::nullopt;
  return (*v)[0];
}

/// The node's output types, all required to be known and static.
FailureOr<SmallVector<Type>> outputTypes(NodeImporter &n, unsigned begin,
                                         unsigned end) {
  SmallVector<Type> types;
  for (unsigned i = begin; i < end; ++i) {
    FailureOr<RankedTensorType> t = n.outputType(i);
    if (failed(t))
      return failure();
    types.push_back(*t);
  }
  return types;
}

LogicalResult convertIf(NodeImporter &n) {
  const onnx::GraphProto *thenGraph = n.getGraph("then_branch");
  const onnx::GraphProto *elseGraph = n.getGraph("else_branch");
  if (!thenGraph || !elseGraph)
    return n.emitError() << "missing then_branch or else_branch";
  FailureOr<SmallVector<Type>> types = outputTypes(n, 0, n.numOutputs());
  if (failed(types))
    return failure();
  // A condition known at import time selects the branch now.
  if (std::optional<int64_t> cond = constantScalar(n, 0)) {
    FailureOr<SmallVector<Value>> results =
        importSubgraph(n, *cond ? *thenGraph : *elseGraph, {}, *types, n.b);
    if (failed(results))
      return failure();
    return n.setOutputs(*results);
  }
  FailureOr<Value> cond = n.input(0);
  if (failed(cond))
    return failure();
  if (cast<RankedTensorType>(cond->getType()).getNumElements() != 1)
    return n.emitError() << "the condition must hold one element";
  Value predicate = extractScalar(n.b, n.loc, *cond);
  auto ifOp = scf::IfOp::create(n.b, n.loc, *types, predicate,
                                /*withElseRegion=*/true);
  for (auto [graph, block] : {std::pair(thenGraph, ifOp.thenBlock()),
                              std::pair(elseGraph, ifOp.elseBlock())}) {
    dropTerminator(block);
    OpBuilder b = OpBuilder::atBlockEnd(block);
    FailureOr<SmallVector<Value>> results =
        importSubgraph(n, *graph, {}, *types, b);
    if (failed(results))
      return failure();
    b.setInsertionPointToEnd(block);
    scf::YieldOp::create(b, n.loc, *results);
  }
  return n.setOutputs(ifOp.getResults());
}

/// A 0-d tensor holding `scalar`.
Value scalarTensor(OpBuilder &b, Location loc, Value scalar) {
  return tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({}, scalar.getType()), scalar);
}

/// Inserts `value` as slice `index` (an index value) along dim 0 of `acc`.
Value insertRow(OpBuilder &b, Location loc, Value acc, Value value,
                Value index) {
  ArrayRef<int64_t> shape = shapeOf(acc);
  SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0)), sizes,
      strides(shape.size(), b.getIndexAttr(1));
  offsets[0] = index;
  sizes.push_back(b.getIndexAttr(1));
  for (int64_t d : shape.drop_front())
    sizes.push_back(b.getIndexAttr(d));
  SmallVector<int64_t> rowShape = {1};
  rowShape.append(shape.begin() + 1, shape.end());
  Value row = reshapeTo(b, loc, value, rowShape);
  return tensor::InsertSliceOp::create(b, loc, row, acc, offsets, sizes,
                                       strides);
}

/// Whether the Loop body keeps its condition true: cond_out is cond_in, or
/// a constant true.
bool bodyKeepsGoing(NodeImporter &n, const onnx::GraphProto &body) {
  const std::string &out = body.output(0).name();
  if (body.input_size() > 1 && out == body.input(1).name())
    return true;
  for (const onnx::NodeProto &node : body.node()) {
    if (std::find(node.output().begin(), node.output().end(), out) ==
        node.output().end())
      continue;
    if (node.op_type() == "Identity" && body.input_size() > 1 &&
        node.input(0) == body.input(1).name())
      return true;
    if (node.op_type() == "Constant" && node.attribute_size() == 1 &&
        node.attribute(0).has_t()) {
      std::string error;
      auto v = tensorToInts(node.attribute(0).t(), error);
      return v && v->size() == 1 && (*v)[0] != 0;
    }
    return false;
  }
  return false;
}

LogicalResult convertLoop(NodeImporter &n) {
  const onnx::GraphProto *body = n.getGraph("body");
  if (!body)
    return n.emitError() << "missing the body";
  OpBuilder &b = n.b;
  Location loc = n.loc;
  unsigned numCarried = n.numInputs() - 2;
  unsigned numScan = n.numOutputs() - numCarried;
  if (body->input_size() != static_cast<int>(2 + numCarried) ||
      body->output_size() != static_cast<int>(1 + numCarried + numScan))
    return n.emitError() << "the body's inputs and outputs do not match "
                            "the node's";
  SmallVector<Value> initial;
  SmallVector<Type> carriedTypes;
  for (unsigned i = 0; i < numCarried; ++i) {
    FailureOr<Value> v = n.input(2 + i);
    if (failed(v))
      return failure();
    initial.push_back(*v);
    carriedTypes.push_back(v->getType());
  }
  std::optional<int64_t> tripCount = constantScalar(n, 0);
  std::optional<int64_t> initialCond = constantScalar(n, 1);
  bool condAlwaysTrue =
      (!n.hasInput(1) || (initialCond && *initialCond != 0)) &&
      bodyKeepsGoing(n, *body);
  // Body results: cond_out, carried..., scan elements (types from the body).
  Type i1 = b.getI1Type(), i64 = b.getI64Type();
  SmallVector<Type> bodyTypes = {RankedTensorType::get({}, i1)};
  bodyTypes.append(carriedTypes);
  GraphScope bodyTypesScope(&n.scope);
  bodyTypesScope.addTypesOf(*body);
  SmallVector<RankedTensorType> scanTypes;
  for (unsigned i = 0; i < numScan; ++i) {
    const onnx::TypeProto *t =
        bodyTypesScope.lookupType(body->output(1 + numCarried + i).name());
    if (!t)
      return n.emitError() << "scan output " << i << " has no known type";
    FailureOr<RankedTensorType> type = n.importer.convertTensorType(
        *t, loc,
        "scan output '" + body->output(1 + numCarried + i).name() +
            "' of the body");
    if (failed(type))
      return failure();
    scanTypes.push_back(*type);
    bodyTypes.push_back(*type);
  }

  if (numScan > 0 && !(tripCount && condAlwaysTrue))
    return n.unsupported("Loop with scan outputs whose trip count is not "
                         "known at import time (M not constant, or a "
                         "data-dependent condition): the outputs' shapes "
                         "would be dynamic");
  if (condAlwaysTrue && n.hasInput(0)) {
    // Exactly M iterations: scf.for.
    Value ub;
    if (tripCount) {
      ub = arith::ConstantIndexOp::create(b, loc,
                                          std::max<int64_t>(0, *tripCount));
    } else {
      FailureOr<Value> m = n.input(0);
      if (failed(m))
        return failure();
      Value count = extractScalar(b, loc, *m);
      count =
          arith::MaxSIOp::create(b, loc, count, scalarConstant(b, loc, i64, 0));
      ub = arith::IndexCastOp::create(b, loc, b.getIndexType(), count);
    }
    SmallVector<Value> iterArgs(initial);
    for (RankedTensorType t : scanTypes) {
      SmallVector<int64_t> shape = {*tripCount};
      shape.append(t.getShape().begin(), t.getShape().end());
      iterArgs.push_back(emptyTensor(b, loc, shape, t.getElementType()));
    }
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto forOp = scf::ForOp::create(b, loc, zero, ub, one, iterArgs);
    dropTerminator(forOp.getBody());
    OpBuilder inner = OpBuilder::atBlockBegin(forOp.getBody());
    Value iv = forOp.getInductionVar();
    Value iteration = scalarTensor(
        inner, loc, arith::IndexCastOp::create(inner, loc, i64, iv));
    Value condIn = scalarTensor(inner, loc, scalarConstant(inner, loc, i1, 1));
    SmallVector<Value> bodyInputs = {iteration, condIn};
    for (unsigned i = 0; i < numCarried; ++i)
      bodyInputs.push_back(forOp.getRegionIterArgs()[i]);
    FailureOr<SmallVector<Value>> results =
        importSubgraph(n, *body, bodyInputs, bodyTypes, inner);
    if (failed(results))
      return failure();
    inner.setInsertionPointToEnd(forOp.getBody());
    SmallVector<Value> yields((*results).begin() + 1,
                              (*results).begin() + 1 + numCarried);
    for (unsigned i = 0; i < numScan; ++i)
      yields.push_back(insertRow(inner, loc,
                                 forOp.getRegionIterArgs()[numCarried + i],
                                 (*results)[1 + numCarried + i], iv));
    scf::YieldOp::create(inner, loc, yields);
    return n.setOutputs(forOp.getResults());
  }

  // Otherwise: scf.while over (i, cond, carried...).
  Value maxTrips;
  if (n.hasInput(0)) {
    FailureOr<Value> m = n.input(0);
    if (failed(m))
      return failure();
    maxTrips = extractScalar(b, loc, *m);
  }
  Value cond = scalarConstant(b, loc, i1, 1);
  if (n.hasInput(1)) {
    FailureOr<Value> c = n.input(1);
    if (failed(c))
      return failure();
    cond = extractScalar(b, loc, *c);
  }
  SmallVector<Value> whileInit = {scalarConstant(b, loc, i64, 0), cond};
  whileInit.append(initial);
  SmallVector<Type> whileTypes = {i64, i1};
  whileTypes.append(carriedTypes);
  SmallVector<Location> locs(whileTypes.size(), loc);
  auto whileOp = scf::WhileOp::create(b, loc, whileTypes, whileInit);
  Block *before = b.createBlock(&whileOp.getBefore(), {}, whileTypes, locs);
  {
    OpBuilder bb = OpBuilder::atBlockEnd(before);
    Value go = before->getArgument(1);
    if (maxTrips) {
      Value inRange = arith::CmpIOp::create(bb, loc, arith::CmpIPredicate::slt,
                                            before->getArgument(0), maxTrips);
      go = arith::AndIOp::create(bb, loc, go, inRange);
    }
    scf::ConditionOp::create(bb, loc, go, before->getArguments());
  }
  Block *after = b.createBlock(&whileOp.getAfter(), {}, whileTypes, locs);
  OpBuilder inner = OpBuilder::atBlockEnd(after);
  SmallVector<Value> bodyInputs = {
      scalarTensor(inner, loc, after->getArgument(0)),
      scalarTensor(inner, loc, after->getArgument(1))};
  for (unsigned i = 0; i < numCarried; ++i)
    bodyInputs.push_back(after->getArgument(2 + i));
  FailureOr<SmallVector<Value>> results =
      importSubgraph(n, *body, bodyInputs, bodyTypes, inner);
  if (failed(results))
    return failure();
  inner.setInsertionPointToEnd(after);
  Value next = arith::AddIOp::create(inner, loc, after->getArgument(0),
                                     scalarConstant(inner, loc, i64, 1));
  SmallVector<Value> yields = {next, extractScalar(inner, loc, (*results)[0])};
  yields.append((*results).begin() + 1, (*results).end());
  scf::YieldOp::create(inner, loc, yields);
  b.setInsertionPointAfter(whileOp);
  return n.setOutputs(whileOp.getResults().drop_front(2));
}

LogicalResult convertScan(NodeImporter &n) {
  if (n.sinceVersion < 9)
    return n.unsupported("Scan before opset 9 (batch axis and "
                         "sequence_lens)");
  const onnx::GraphProto *body = n.getGraph("body");
  if (!body)
    return n.emitError() << "missing the body";
  OpBuilder &b = n.b;
  Location loc = n.loc;
  int64_t numScanIn = n.getInt("num_scan_inputs", 0);
  int64_t numState = static_cast<int64_t>(n.numInputs()) - numScanIn;
  int64_t numScanOut = static_cast<int64_t>(n.numOutputs()) - numState;
  if (numScanIn <= 0 || numState < 0 || numScanOut < 0)
    return n.emitError() << "inconsistent num_scan_inputs";
  auto listAttr = [&](llvm::StringRef name, int64_t count) {
    SmallVector<int64_t> v =
        n.getInts(name).value_or(SmallVector<int64_t>(count, 0));
    v.resize(count, 0);
    return v;
  };
  SmallVector<int64_t> inAxes = listAttr("scan_input_axes", numScanIn),
                       inDirs = listAttr("scan_input_directions", numScanIn),
                       outAxes = listAttr("scan_output_axes", numScanOut),
                       outDirs = listAttr("scan_output_directions", numScanOut);
  SmallVector<Value> states, scanInputs;
  for (int64_t i = 0; i < numState + numScanIn; ++i) {
    FailureOr<Value> v = n.input(i);
    if (failed(v))
      return failure();
    (i < numState ? states : scanInputs).push_back(*v);
  }
  int64_t length = -1;
  for (auto [i, v] : llvm::enumerate(scanInputs)) {
    int64_t rank = shapeOf(v).size();
    FailureOr<int64_t> axis = n.normalizeAxis(inAxes[i], rank, "scan axis");
    if (failed(axis))
      return failure();
    inAxes[i] = *axis;
    int64_t l = shapeOf(v)[*axis];
    if (length >= 0 && l != length)
      return n.emitError() << "scan inputs have different lengths";
    length = l;
  }
  FailureOr<SmallVector<Type>> resultTypes = outputTypes(n, 0, n.numOutputs());
  if (failed(resultTypes))
    return failure();
  SmallVector<Type> bodyTypes(resultTypes->begin(),
                              resultTypes->begin() + numState);
  SmallVector<Value> iterArgs(states);
  for (int64_t j = 0; j < numScanOut; ++j) {
    auto t = cast<RankedTensorType>((*resultTypes)[numState + j]);
    FailureOr<int64_t> axis =
        n.normalizeAxis(outAxes[j], t.getRank(), "scan output axis");
    if (failed(axis))
      return failure();
    outAxes[j] = *axis;
    SmallVector<int64_t> element(t.getShape());
    element.erase(element.begin() + *axis);
    bodyTypes.push_back(RankedTensorType::get(element, t.getElementType()));
    iterArgs.push_back(emptyTensor(b, loc, t.getShape(), t.getElementType()));
  }

  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value ub = arith::ConstantIndexOp::create(b, loc, length);
  auto forOp = scf::ForOp::create(b, loc, zero, ub, one, iterArgs);
  dropTerminator(forOp.getBody());
  OpBuilder inner = OpBuilder::atBlockBegin(forOp.getBody());
  Value iv = forOp.getInductionVar();
  Value last = arith::ConstantIndexOp::create(inner, loc, length - 1);
  Value reversed = arith::SubIOp::create(inner, loc, last, iv);
  SmallVector<Value> bodyInputs(forOp.getRegionIterArgs().begin(),
                                forOp.getRegionIterArgs().begin() + numState);
  for (auto [i, v] : llvm::enumerate(scanInputs)) {
    ArrayRef<int64_t> shape = shapeOf(v);
    SmallVector<OpFoldResult> offsets(shape.size(), inner.getIndexAttr(0)),
        sizes, strides(shape.size(), inner.getIndexAttr(1));
    for (int64_t d : shape)
      sizes.push_back(inner.getIndexAttr(d));
    offsets[inAxes[i]] = inDirs[i] ? reversed : iv;
    sizes[inAxes[i]] = inner.getIndexAttr(1);
    Value slice =
        tensor::ExtractSliceOp::create(inner, loc, v, offsets, sizes, strides);
    SmallVector<int64_t> element(shape);
    element.erase(element.begin() + inAxes[i]);
    bodyInputs.push_back(reshapeTo(inner, loc, slice, element));
  }
  FailureOr<SmallVector<Value>> results =
      importSubgraph(n, *body, bodyInputs, bodyTypes, inner);
  if (failed(results))
    return failure();
  inner.setInsertionPointToEnd(forOp.getBody());
  SmallVector<Value> yields((*results).begin(), (*results).begin() + numState);
  for (int64_t j = 0; j < numScanOut; ++j) {
    Value acc = forOp.getRegionIterArgs()[numState + j];
    ArrayRef<int64_t> shape = shapeOf(acc);
    SmallVector<OpFoldResult> offsets(shape.size(), inner.getIndexAttr(0)),
        sizes, strides(shape.size(), inner.getIndexAttr(1));
    for (int64_t d : shape)
      sizes.push_back(inner.getIndexAttr(d));
    offsets[outAxes[j]] = outDirs[j] ? reversed : iv;
    sizes[outAxes[j]] = inner.getIndexAttr(1);
    SmallVector<int64_t> rowShape(shape);
    rowShape[outAxes[j]] = 1;
    Value row = reshapeTo(inner, loc, (*results)[numState + j], rowShape);
    yields.push_back(tensor::InsertSliceOp::create(inner, loc, row, acc,
                                                   offsets, sizes, strides));
  }
  scf::YieldOp::create(inner, loc, yields);
  return n.setOutputs(forOp.getResults());
}

} // namespace

void mlir::hm::onnx_import::populateControlFlowConverters(
    ConverterMap &converters) {
  converters["If"] = convertIf;
  converters["Loop"] = convertLoop;
  converters["Scan"] = convertScan;
}
