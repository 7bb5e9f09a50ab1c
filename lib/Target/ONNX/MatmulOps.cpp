//===- MatmulOps.cpp - MatMul, Gemm and Einsum ----------------------------===//
//
// MatMul becomes linalg.matmul (2-D, or batch dimensions of the left operand
// folded into its rows) or linalg.batch_matmul (broadcast batch dimensions
// materialized with linalg.broadcast and collapsed into one); Gemm a
// linalg.matmul accumulating into the broadcast bias; Einsum one
// linalg.generic with the equation's indexing maps.
//
//===----------------------------------------------------------------------===//

#include "EmitUtils.h"
#include "Importer.h"
#include "Tensors.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/StringExtras.h"

#include <cstring>
#include <map>

using namespace mlir;
using namespace mlir::hm::onnx_import;

namespace {

/// The product of `dims`.
int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

/// C = A x B for A [M, K], B [K, N] with a zero accumulator.
Value matmul2D(OpBuilder &b, Location loc, Value lhs, Value rhs,
               Value init = nullptr) {
  int64_t m = shapeOf(lhs)[0], n = shapeOf(rhs)[1];
  if (!init)
    init = filledTensor(b, loc, {m, n},
                        scalarConstant(b, loc, elementTypeOf(lhs), 0));
  return linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                  ValueRange{lhs, rhs}, ValueRange{init})
      .getResult(0);
}

LogicalResult convertMatMul(NodeImporter &n) {
  FailureOr<Value> lhsOr = n.input(0), rhsOr = n.input(1);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(lhsOr) || failed(rhsOr) || failed(type))
    return failure();
  OpBuilder &b = n.b;
  Location loc = n.loc;
  Value lhs = *lhsOr, rhs = *rhsOr;
  if (shapeOf(lhs).empty() || shapeOf(rhs).empty())
    return n.emitError() << "MatMul operands must have rank >= 1";
  // Vectors become matrices; the inferred result shape drops the unit dims.
  if (shapeOf(lhs).size() == 1)
    lhs = reshapeTo(b, loc, lhs, {1, shapeOf(lhs)[0]});
  if (shapeOf(rhs).size() == 1)
    rhs = reshapeTo(b, loc, rhs, {shapeOf(rhs)[0], 1});
  ArrayRef<int64_t> lhsShape = shapeOf(lhs), rhsShape = shapeOf(rhs);
  int64_t m = lhsShape[lhsShape.size() - 2], k = lhsShape.back(),
          nn = rhsShape.back();
  if (rhsShape[rhsShape.size() - 2] != k)
    return n.emitError() << "contraction sizes differ: " << lhs.getType()
                         << " x " << rhs.getType();
  ArrayRef<int64_t> lhsBatch = lhsShape.drop_back(2),
                    rhsBatch = rhsShape.drop_back(2);
  std::optional<SmallVector<int64_t>> batch =
      broadcastShapes({lhsBatch, rhsBatch});
  if (!batch)
    return n.emitError() << "batch dimensions do not broadcast";

  Value result;
  if (rhsBatch.empty()) {
    // [..., M, K] x [K, N]: the batch folds into the rows of one matmul.
    int64_t rows = product(lhsBatch) * m;
    Value flat = reshapeTo(b, loc, lhs, {rows, k});
    result = matmul2D(b, loc, flat, rhs);
  } else {
    SmallVector<int64_t> lhsTarget(*batch), rhsTarget(*batch);
    lhsTarget.append({m, k});
    rhsTarget.append({k, nn});
    int64_t batchSize = product(*batch);
    Value l = reshapeTo(b, loc, broadcastTo(b, loc, lhs, lhsTarget),
                        {batchSize, m, k});
    Value r = reshapeTo(b, loc, broadcastTo(b, loc, rhs, rhsTarget),
                        {batchSize, k, nn});
    Value init = filledTensor(b, loc, {batchSize, m, nn},
                              scalarConstant(b, loc, elementTypeOf(lhs), 0));
    result = linalg::BatchMatmulOp::create(b, loc, TypeRange{init.getType()},
                                           ValueRange{l, r}, ValueRange{init})
                 .getResult(0);
  }
  return n.setOutput(0, reshapeTo(b, loc, result, type->getShape()));
}

/// The transpose of a constant matrix, computed at import time.
const onnx::TensorProto *transposedConstant(NodeImporter &n,
                                            const onnx::TensorProto &t) {
  if (t.dims_size() != 2)
    return nullptr;
  std::string storage, error;
  std::optional<ArrayRef<char>> bytes =
      getTensorBytes(t, n.importer.getModelDirectory(), storage, error);
  int64_t size = dataTypeByteSize(t.data_type());
  if (!bytes || size == 0)
    return nullptr;
  int64_t rows = t.dims(0), cols = t.dims(1);
  std::string out(bytes->size(), '\0');
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      std::memcpy(&out[(c * rows + r) * size],
                  bytes->data() + (r * cols + c) * size, size);
  onnx::TensorProto transposed;
  transposed.set_name(t.name() + ".T");
  transposed.set_data_type(t.data_type());
  transposed.add_dims(cols);
  transposed.add_dims(rows);
  transposed.set_raw_data(std::move(out));
  return n.importer.ownTensor(std::move(transposed));
}

LogicalResult convertGemm(NodeImporter &n) {
  FailureOr<Value> a = n.input(0);
  FailureOr<RankedTensorType> type = n.outputType(0);
  if (failed(a) || failed(type))
    return failure();
  OpBuilder &b = n.b;
  Location loc = n.loc;
  double alpha = n.getFloat("alpha", 1.0f), beta = n.getFloat("beta", 1.0f);
  bool transA = n.getInt("transA", 0) != 0;
  bool transB = n.getInt("transB", 0) != 0;
  if (shapeOf(*a).size() != 2)
    return n.emitError() << "operand A must be 2-D";

  Value lhs = transA ? transposeTensor(b, loc, *a, {1, 0}) : *a;
  Value rhs;
  const onnx::TensorProto *constantB = n.constantInput(1);
  if (transB && constantB && constantB->dims_size() == 2) {
    // PyTorch's Linear: transpose the weights once, at import.
    const onnx::TensorProto *t = transposedConstant(n, *constantB);
    if (!t)
      return n.emitError() << "cannot read the constant operand B";
    FailureOr<Value> v = n.importer.materializeConstant(*t, loc);
    if (failed(v))
      return failure();
    rhs = *v;
  } else {
    FailureOr<Value> bv = n.input(1);
    if (failed(bv))
      return failure();
    if (shapeOf(*bv).size() != 2)
      return n.emitError() << "operand B must be 2-D";
    rhs = transB ? transposeTensor(b, loc, *bv, {1, 0}) : *bv;
  }
  ArrayRef<int64_t> shape = type->getShape();
  Type elementType = type->getElementType();
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(0));

  Value bias;
  if (n.hasInput(2) && beta != 0) {
    FailureOr<Value> c = n.input(2);
    if (failed(c))
      return failure();
    if (!broadcastShapes({shapeOf(*c), shape}) ||
        *broadcastShapes({shapeOf(*c), shape}) != SmallVector<int64_t>(shape))
      return n.emitError() << "C does not broadcast to the result";
    bias = *c;
  }
  if (alpha == 1.0 && (!bias || beta == 1.0)) {
    // Y = A B + C: the matmul accumulates into the broadcast bias.
    Value init = bias ? broadcastTo(b, loc, bias, shape) : Value();
    return n.setOutput(0, matmul2D(b, loc, lhs, rhs, init));
  }
  Value product = matmul2D(b, loc, lhs, rhs);
  SmallVector<Value> operands = {product};
  if (bias)
    operands.push_back(bias);
  Value result = buildElementwise(
      b, loc, operands, *type, [&](OpBuilder &nb, Location nl, ValueRange x) {
        ScalarMath m(nb, nl, elementType, isUnsigned);
        Value y = m.mul(m.constant(alpha), x[0]);
        if (x.size() > 1)
          y = m.add(y, m.mul(m.constant(beta), x[1]));
        return y;
      });
  return n.setOutput(0, result);
}

LogicalResult convertEinsum(NodeImporter &n) {
  std::string equation;
  for (char c : n.getString("equation", ""))
    if (c != ' ')
      equation.push_back(c);
  auto [lhsText, rhsText] = llvm::StringRef(equation).split("->");
  bool explicitOutput = llvm::StringRef(equation).contains("->");
  SmallVector<llvm::StringRef> terms;
  lhsText.split(terms, ',');
  if (terms.size() != n.numInputs())
    return n.emitError() << "equation '" << equation << "' has " << terms.size()
                         << " operands, the node " << n.numInputs();

  SmallVector<Value> operands;
  for (unsigned i = 0; i < n.numInputs(); ++i) {
    FailureOr<Value> v = n.input(i);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  // Letters of each operand; '...' becomes upper-case placeholders '0'..'9'
  // shared by all operands, right-aligned like numpy broadcasting.
  int64_t ellipsisRank = 0;
  for (auto [term, operand] : llvm::zip_equal(terms, operands))
    if (term.contains("..."))
      ellipsisRank = std::max<int64_t>(ellipsisRank, shapeOf(operand).size() -
                                                         (term.size() - 3));
  SmallVector<std::string> subscripts;
  for (auto [term, operand] : llvm::zip_equal(terms, operands)) {
    int64_t rank = shapeOf(operand).size();
    size_t dots = term.find("...");
    if (dots == llvm::StringRef::npos) {
      if (static_cast<int64_t>(term.size()) != rank)
        return n.emitError() << "term '" << term << "' does not match an "
                             << "operand of rank " << rank;
      subscripts.push_back(term.str());
      continue;
    }
    int64_t e = rank - static_cast<int64_t>(term.size() - 3);
    if (e < 0)
      return n.emitError() << "term '" << term << "' has too many letters";
    std::string expanded = term.substr(0, dots).str();
    for (int64_t i = 0; i < e; ++i)
      expanded.push_back(static_cast<char>('0' + (ellipsisRank - e + i)));
    expanded += term.substr(dots + 3).str();
    subscripts.push_back(expanded);
  }
  if (ellipsisRank > 10)
    return n.unsupported("ellipsis of more than 10 dimensions");
  std::string ellipsis;
  for (int64_t i = 0; i < ellipsisRank; ++i)
    ellipsis.push_back(static_cast<char>('0' + i));

  std::string output;
  if (explicitOutput) {
    std::string r = rhsText.str();
    size_t dots = r.find("...");
    output = dots == std::string::npos
                 ? r
                 : r.substr(0, dots) + ellipsis + r.substr(dots + 3);
  } else {
    // Implicit: the ellipsis, then the letters seen once, alphabetically.
    output = ellipsis;
    std::map<char, int> counts;
    for (const std::string &s : subscripts)
      for (char c : s)
        if (llvm::isAlpha(c))
          counts[c]++;
    for (auto [c, count] : counts)
      if (count == 1)
        output.push_back(c);
  }
  // Loop dimensions: output letters, then the reduced ones.
  std::string loops = output;
  for (const std::string &s : subscripts)
    for (char c : s)
      if (loops.find(c) == std::string::npos)
        loops.push_back(c);
  SmallVector<int64_t> loopSizes(loops.size(), 1);
  for (auto [s, operand] : llvm::zip_equal(subscripts, operands))
    for (auto [c, size] : llvm::zip_equal(s, shapeOf(operand))) {
      int64_t &l = loopSizes[loops.find(c)];
      if (l == 1)
        l = size;
      else if (size != 1 && size != l)
        return n.emitError()
               << "dimension '" << c << "' has sizes " << l << " and " << size;
    }

  MLIRContext *context = n.getContext();
  SmallVector<AffineMap> maps;
  for (auto [s, operand] : llvm::zip_equal(subscripts, operands)) {
    SmallVector<AffineExpr> exprs;
    for (auto [c, size] : llvm::zip_equal(s, shapeOf(operand))) {
      size_t d = loops.find(c);
      exprs.push_back(size == 1 && loopSizes[d] != 1
                          ? getAffineConstantExpr(0, context)
                          : getAffineDimExpr(d, context));
    }
    maps.push_back(AffineMap::get(loops.size(), 0, exprs, context));
  }
  SmallVector<AffineExpr> outExprs;
  for (size_t d = 0; d < output.size(); ++d)
    outExprs.push_back(getAffineDimExpr(d, context));
  maps.push_back(AffineMap::get(loops.size(), 0, outExprs, context));
  SmallVector<utils::IteratorType> iterators;
  for (size_t d = 0; d < loops.size(); ++d)
    iterators.push_back(d < output.size() ? utils::IteratorType::parallel
                                          : utils::IteratorType::reduction);
  SmallVector<int64_t> outShape(loopSizes.begin(),
                                loopSizes.begin() + output.size());
  Type elementType = elementTypeOf(operands[0]);
  bool isUnsigned = isUnsignedIntDataType(n.inputDataType(0));
  Value init = filledTensor(n.b, n.loc, outShape,
                            scalarConstant(n.b, n.loc, elementType, 0));
  auto generic = linalg::GenericOp::create(
      n.b, n.loc, TypeRange{init.getType()}, operands, ValueRange{init}, maps,
      iterators, [&](OpBuilder &b, Location loc, ValueRange args) {
        ScalarMath m(b, loc, elementType, isUnsigned);
        Value p = args[0];
        for (Value v : args.drop_front().drop_back())
          p = m.mul(p, v);
        linalg::YieldOp::create(b, loc, m.add(args.back(), p));
      });
  return n.setOutput(0, generic.getResult(0));
}

} // namespace

void mlir::hm::onnx_import::populateMatmulConverters(ConverterMap &converters) {
  converters["MatMul"] = convertMatMul;
  converters["Gemm"] = convertGemm;
  converters["Einsum"] = convertEinsum;
}
