//===- OpFootprint.cpp - Iteration space and operand accesses -------------===//
//
// Builds OpFootprint from linalg operations and computes tile footprints.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Analysis/OpFootprint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/CastInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::hm;

/// Coefficients of `expr` per loop when it is affine-linear in the loops,
/// ignoring the constant term; std::nullopt otherwise.
static std::optional<SmallVector<int64_t>>
getLinearCoefficients(AffineExpr expr, unsigned numLoops) {
  SmallVector<int64_t> coefficients(numLoops, 0);
  // Walks sums of (constant x dim) terms.
  std::function<bool(AffineExpr, int64_t)> visit = [&](AffineExpr e,
                                                       int64_t scale) {
    if (auto dim = dyn_cast<AffineDimExpr>(e)) {
      coefficients[dim.getPosition()] += scale;
      return true;
    }
    if (isa<AffineConstantExpr>(e))
      return true;
    auto binary = dyn_cast<AffineBinaryOpExpr>(e);
    if (!binary)
      return false;
    if (binary.getKind() == AffineExprKind::Add)
      return visit(binary.getLHS(), scale) && visit(binary.getRHS(), scale);
    if (binary.getKind() == AffineExprKind::Mul) {
      if (auto c = dyn_cast<AffineConstantExpr>(binary.getRHS()))
        return visit(binary.getLHS(), scale * c.getValue());
      if (auto c = dyn_cast<AffineConstantExpr>(binary.getLHS()))
        return visit(binary.getRHS(), scale * c.getValue());
    }
    return false;
  };
  if (!visit(expr, 1))
    return std::nullopt;
  return coefficients;
}

/// Floating-point operations per iteration point of `op`'s payload: the
/// arith/math operations that are not casts or constants, at least 1.
static int64_t countPayloadFlops(linalg::LinalgOp op) {
  int64_t flops = 0;
  Block *body = op.getBlock();
  if (!body)
    return 1;
  for (Operation &inner : body->without_terminator()) {
    if (isa<CastOpInterface>(inner) || isa<arith::ConstantOp>(inner))
      continue;
    if (isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()))
      ++flops;
  }
  return std::max<int64_t>(flops, 1);
}

static std::string typeToString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

static bool isSupportedElementType(Type type) {
  return type.isF32() || type.isF16() || type.isBF16();
}

FailureOr<OpFootprint> OpFootprint::fromLinalgOp(linalg::LinalgOp op,
                                                 std::string &whyNot) {
  SmallVector<int64_t> extents = op.getStaticLoopRanges();
  if (llvm::any_of(extents, ShapedType::isDynamic)) {
    whyNot = "it has dynamic loop extents; Roller needs static shapes";
    return failure();
  }
  if (llvm::any_of(extents, [](int64_t e) { return e <= 0; })) {
    whyNot = "its iteration space is empty";
    return failure();
  }

  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<OperandAccess> accesses;
  Type computeType;
  for (OpOperand &operand : op->getOpOperands()) {
    auto shaped = dyn_cast<ShapedType>(operand.get().getType());
    if (!shaped) {
      // A scalar input (e.g. linalg.fill's value) is a kernel argument.
      if (!isSupportedElementType(operand.get().getType())) {
        whyNot = "its scalar operand has type " +
                 typeToString(operand.get().getType()) +
                 "; Roller configures f32, f16 and bf16 operations";
        return failure();
      }
      continue;
    }
    Type elementType = shaped.getElementType();
    if (!isSupportedElementType(elementType)) {
      whyNot = "operand #" + std::to_string(operand.getOperandNumber()) +
               " has element type " + typeToString(elementType) +
               "; Roller configures f32, f16 and bf16 operations";
      return failure();
    }
    OperandAccess access;
    access.indexingMap = maps[operand.getOperandNumber()];
    access.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
    access.elementType = elementType;
    access.elementBytes = elementType.getIntOrFloatBitWidth() / 8;
    access.isOutput = op.isDpsInit(&operand);
    access.isRead = op.payloadUsesValueFromOperand(&operand);
    if (!access.isOutput && access.isRead && !computeType)
      computeType = elementType;
    accesses.push_back(std::move(access));
  }
  if (!computeType) {
    // No tensor is read (linalg.fill): the output's type decides.
    for (const OperandAccess &access : accesses)
      if (access.isOutput)
        computeType = access.elementType;
  }
  if (!computeType) {
    whyNot = "it has no tensor operands";
    return failure();
  }
  bool multiplyAccumulate = linalg::isaContractionOpInterface(op) ||
                            linalg::isaConvolutionOpInterface(op);
  return get(extents, op.getIteratorTypesArray(), accesses,
             countPayloadFlops(op), computeType, multiplyAccumulate);
}

OpFootprint OpFootprint::get(ArrayRef<int64_t> loopExtents,
                             ArrayRef<utils::IteratorType> iterators,
                             ArrayRef<OperandAccess> operands,
                             int64_t flopsPerPoint, Type computeType,
                             bool isMultiplyAccumulate) {
  OpFootprint fp;
  fp.loopExtents.assign(loopExtents.begin(), loopExtents.end());
  fp.iterators.assign(iterators.begin(), iterators.end());
  fp.operands.assign(operands.begin(), operands.end());
  fp.flopsPerPoint = std::max<int64_t>(flopsPerPoint, 1);
  fp.computeType = computeType;
  unsigned numLoops = loopExtents.size();
  for (unsigned l = 0; l < numLoops; ++l) {
    if (iterators[l] == utils::IteratorType::parallel)
      fp.parallelLoops.push_back(l);
    else
      fp.reductionLoops.push_back(l);
  }
  for (OperandAccess &access : fp.operands) {
    access.coefficients.clear();
    for (AffineExpr result : access.indexingMap.getResults())
      access.coefficients.push_back(getLinearCoefficients(result, numLoops));
  }

  // Loop roles from the first two read (data) inputs.
  SmallVector<unsigned> dataInputs;
  for (auto [index, access] : llvm::enumerate(fp.operands))
    if (!access.isOutput && access.isRead)
      dataInputs.push_back(index);
  fp.loopRoles.assign(numLoops, LoopRole::Other);
  if (dataInputs.size() == 2) {
    const AffineMap &a = fp.operands[dataInputs[0]].indexingMap;
    const AffineMap &b = fp.operands[dataInputs[1]].indexingMap;
    for (unsigned l : fp.parallelLoops) {
      bool inA = a.isFunctionOfDim(l), inB = b.isFunctionOfDim(l);
      fp.loopRoles[l] = inA && inB ? LoopRole::Batch
                        : inA      ? LoopRole::A
                        : inB      ? LoopRole::B
                                   : LoopRole::Other;
    }
  }
  bool hasA = llvm::is_contained(fp.loopRoles, LoopRole::A);
  bool hasB = llvm::is_contained(fp.loopRoles, LoopRole::B);
  bool halfPrecision = computeType.isF16() || computeType.isBF16();
  fp.tensorCoreCandidate = isMultiplyAccumulate && halfPrecision &&
                           dataInputs.size() == 2 && hasA && hasB &&
                           !fp.reductionLoops.empty();

  // Staging decisions (see OperandAccess::staged).
  std::optional<unsigned> outputInnermost;
  for (unsigned i = 0; i < fp.operands.size(); ++i)
    if (fp.operands[i].isOutput && !outputInnermost)
      outputInnermost = fp.getInnermostLoop(i);
  for (unsigned i = 0; i < fp.operands.size(); ++i) {
    OperandAccess &access = fp.operands[i];
    if (access.isOutput || !access.isRead)
      continue;
    bool broadcast = llvm::any_of(fp.parallelLoops, [&](unsigned l) {
      return !access.indexingMap.isFunctionOfDim(l);
    });
    bool window = llvm::any_of(access.coefficients, [](const auto &c) {
      return !c || llvm::count_if(*c, [](int64_t v) { return v != 0; }) > 1;
    });
    bool transposed = fp.getInnermostLoop(i) != outputInnermost;
    access.staged = broadcast || window || transposed;
  }
  return fp;
}

int64_t OpFootprint::getNumPoints() const {
  int64_t points = 1;
  for (int64_t e : loopExtents)
    points *= e;
  return points;
}

SmallVector<int64_t>
OpFootprint::getLoopTile(ArrayRef<int64_t> parallel,
                         ArrayRef<int64_t> reduction) const {
  SmallVector<int64_t> tile(getNumLoops(), 1);
  for (auto [l, e] : llvm::zip_equal(parallelLoops, parallel))
    tile[l] = e;
  for (auto [l, e] : llvm::zip_equal(reductionLoops, reduction))
    tile[l] = e;
  return tile;
}

void OpFootprint::getTileExtents(unsigned operand, ArrayRef<int64_t> tile,
                                 SmallVectorImpl<int64_t> &extents) const {
  const OperandAccess &access = operands[operand];
  extents.clear();
  for (auto [dim, coefficients] : llvm::enumerate(access.coefficients)) {
    int64_t size = access.shape[dim];
    if (!coefficients) {
      extents.push_back(size);
      continue;
    }
    int64_t extent = 1;
    for (auto [c, t] : llvm::zip_equal(*coefficients, tile))
      extent += std::abs(c) * (t - 1);
    extents.push_back(std::min(extent, size));
  }
}

int64_t OpFootprint::getTileElements(unsigned operand,
                                     ArrayRef<int64_t> tile) const {
  SmallVector<int64_t, 6> extents;
  getTileExtents(operand, tile, extents);
  int64_t elements = 1;
  for (int64_t e : extents)
    elements *= e;
  return elements;
}

int64_t OpFootprint::getTransactionBytes(unsigned operand,
                                         ArrayRef<int64_t> tile,
                                         int64_t transactionBytes) const {
  const OperandAccess &access = operands[operand];
  SmallVector<int64_t, 6> extents;
  getTileExtents(operand, tile, extents);
  if (extents.empty()) // A 0-d tensor: one element.
    return llvm::alignTo(access.elementBytes, transactionBytes);
  // Merge trailing dimensions the tile covers whole into one contiguous run.
  int64_t k = extents.size() - 1;
  int64_t run = extents[k];
  while (k > 0 && extents[k] == access.shape[k]) {
    --k;
    run *= extents[k];
  }
  int64_t runs = 1;
  for (int64_t j = 0; j < k; ++j)
    runs *= extents[j];
  return runs * static_cast<int64_t>(
                    llvm::alignTo(run * access.elementBytes, transactionBytes));
}

std::optional<unsigned> OpFootprint::getInnermostLoop(unsigned operand) const {
  const OperandAccess &access = operands[operand];
  if (access.coefficients.empty() || !access.coefficients.back())
    return std::nullopt;
  const SmallVector<int64_t> &c = *access.coefficients.back();
  std::optional<unsigned> best;
  for (unsigned l = 0; l < c.size(); ++l) {
    if (c[l] == 0)
      continue;
    if (!best || std::abs(c[l]) > std::abs(c[*best]) ||
        (std::abs(c[l]) == std::abs(c[*best]) &&
         loopExtents[l] > loopExtents[*best]))
      best = l;
  }
  return best;
}

bool OpFootprint::hasStagedInputs() const {
  return llvm::any_of(operands,
                      [](const OperandAccess &a) { return a.staged; });
}
