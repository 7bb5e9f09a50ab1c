//===- MatrixOps.cpp - Warp-collective matrix operations in the emulator --===//
//
// gpu.subgroup_mma_* operations are warp-collective: on a GPU each lane holds
// an opaque share of a fragment. In the emulator each lane holds a private
// copy of the whole fragment, as a vector in row-major order, and the
// operations keep the copies equal: a load reads the whole tile in every lane
// (reads do not race), a store writes a disjoint share per lane (so no lane's
// write races with another's), compute calls the runtime, which multiplies
// natively. Loads, stores and compute are warp operations: the lanes meet in
// the runtime, which reports divergence and lanes that disagree on the
// address or the fragment (non-uniform operands, whose result a GPU leaves
// to its register layout).
//
// nvvm.mma.sync (the bf16 tensor-core kernels) works on per-lane registers
// in PTX's fragment layout: its operands go to the runtime as they are, and
// the lanes exchange them there.
//
//===----------------------------------------------------------------------===//

#include "EmulatorRuntime.h"

#include "HeavyMetal/Conversion/GPUToEmulator.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::hm::emulator;
namespace emu = mlir::hm::emu;

namespace {

/// The emulator's fragment element types, or std::nullopt.
std::optional<int64_t> getMatrixElementCode(Type type) {
  if (type.isF16())
    return emu::kMatrixF16;
  if (type.isF32())
    return emu::kMatrixF32;
  return std::nullopt;
}

/// The vector holding a whole fragment of `type`, row-major.
VectorType getFragmentVectorType(gpu::MMAMatrixType type) {
  ArrayRef<int64_t> shape = type.getShape();
  return VectorType::get({shape[0] * shape[1]}, type.getElementType());
}

Type convertFragmentType(Type type) {
  if (auto matrix = dyn_cast<gpu::MMAMatrixType>(type))
    return getFragmentVectorType(matrix);
  return type;
}

/// Whether the emulator runs nvvm.mma.sync `op`: m16n8k16, bf16 A (row)
/// and B (col), f32 C and D. If not, and `unsupported` is set, reports why
/// through it.
LogicalResult
checkMmaSync(Operation *op,
             function_ref<LogicalResult(const Twine &)> unsupported) {
  auto mma = cast<NVVM::MmaOp>(op);
  NVVM::MMAShapeAttr shape = mma.getShape();
  bool ok = shape.getM() == 16 && shape.getN() == 8 && shape.getK() == 16 &&
            mma.getLayoutA() == NVVM::MMALayout::row &&
            mma.getLayoutB() == NVVM::MMALayout::col &&
            mma.getMultiplicandAPtxType() == NVVM::MMATypes::bf16 &&
            mma.getMultiplicandBPtxType() == NVVM::MMATypes::bf16 &&
            mma.accumPtxType() == NVVM::MMATypes::f32 &&
            mma.resultPtxType() == NVVM::MMATypes::f32;
  if (ok || !unsupported)
    return success(ok);
  return unsupported("nvvm.mma.sync of shape m16n8k16 with bf16 A (row) and "
                     "B (col) and f32 C and D only");
}

class MatrixLowering {
public:
  MatrixLowering(func::FuncOp func, RuntimeBuilder &runtime)
      : func(func), runtime(runtime), context(func.getArgument(0)),
        ptrType(LLVM::LLVMPointerType::get(func.getContext())) {}

  void run();

private:
  /// An llvm.alloca of one `type` at the start of the function: the scratch
  /// a fragment passes through on its way to memory or the runtime. Each
  /// operation uses its scratch only while it is lowered to, so operations
  /// share one per (type, operand `role`): a kernel with thousands of them
  /// must not overflow its fiber's stack.
  Value createScratch(Location loc, Type type, unsigned role = 0);
  Value site(OpBuilder &b, Operation *op) {
    return runtime.getString(b, op->getLoc(),
                             describeLocation(op->getLoc()) + " (" +
                                 op->getName().getStringRef().str() + ")");
  }
  Value constantI64(OpBuilder &b, Location loc, int64_t value) {
    return arith::ConstantIntOp::create(b, loc, value, 64);
  }
  /// The linear element index of `indices` in `memref` (row-major: the
  /// emulator admits identity layouts only) and the basis to delinearize
  /// with, outer bound dropped.
  Value linearize(OpBuilder &b, Location loc, Value memref, ValueRange indices,
                  SmallVectorImpl<OpFoldResult> &innerBasis);
  /// The byte address of element `linear` of `memref`, as an i64.
  Value getAddress(OpBuilder &b, Location loc, Value memref, Value linear);
  /// Calls the runtime's warp synchronisation for `op` with the address it
  /// accesses and the fragment it stores (null for loads).
  void synchronise(OpBuilder &b, Operation *op, Value address, Value fragment,
                   int64_t fragmentBytes);
  /// Calls `body(b, row, column)` for elements [first, first + count) of a
  /// rows x columns fragment.
  void forEachElement(
      OpBuilder &b, Location loc, Value first, int64_t count, int64_t columns,
      function_ref<void(OpBuilder &, Value element, Value row, Value column)>
          body);
  /// Indices of fragment element (row, column) in `memref` at `linear` with
  /// leading dimension `lead`, transposed or not.
  SmallVector<Value> elementIndices(OpBuilder &b, Location loc, Value linear,
                                    ArrayRef<OpFoldResult> innerBasis,
                                    Value row, Value column, int64_t lead,
                                    bool transpose);

  void lowerLoad(gpu::SubgroupMmaLoadMatrixOp op);
  void lowerStore(gpu::SubgroupMmaStoreMatrixOp op);
  void lowerCompute(gpu::SubgroupMmaComputeOp op);
  void lowerConstant(gpu::SubgroupMmaConstantMatrixOp op);
  void lowerElementwise(gpu::SubgroupMmaElementwiseOp op);
  void lowerMmaSync(NVVM::MmaOp op);

  func::FuncOp func;
  RuntimeBuilder &runtime;
  Value context;
  LLVM::LLVMPointerType ptrType;
  /// The fragment types of each operation before they became vectors: the
  /// loaded, stored or accumulated fragment, and compute's A.
  DenseMap<Operation *, gpu::MMAMatrixType> fragmentTypes, aTypes;
  DenseMap<std::pair<Type, unsigned>, Value> scratches;
};

Value MatrixLowering::createScratch(Location loc, Type type, unsigned role) {
  Value &scratch = scratches[{type, role}];
  if (scratch)
    return scratch;
  OpBuilder b = OpBuilder::atBlockBegin(&func.front());
  Value one = LLVM::ConstantOp::create(b, loc, b.getI64Type(), 1);
  scratch =
      LLVM::AllocaOp::create(b, loc, ptrType, type, one, /*alignment=*/64);
  return scratch;
}

Value MatrixLowering::linearize(OpBuilder &b, Location loc, Value memref,
                                ValueRange indices,
                                SmallVectorImpl<OpFoldResult> &innerBasis) {
  SmallVector<OpFoldResult> sizes = memref::getMixedSizes(b, loc, memref);
  innerBasis.assign(sizes.begin() + 1, sizes.end());
  if (indices.size() == 1)
    return indices.front();
  return affine::AffineLinearizeIndexOp::create(b, loc, indices, sizes,
                                                /*disjoint=*/false);
}

Value MatrixLowering::getAddress(OpBuilder &b, Location loc, Value memref,
                                 Value linear) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t elementBytes = *getElementBytes(type.getElementType());
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value element = arith::AddIOp::create(b, loc, metadata.getOffset(), linear);
  Value bytes = arith::MulIOp::create(
      b, loc, element, arith::ConstantIndexOp::create(b, loc, elementBytes));
  return arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                    arith::AddIOp::create(b, loc, base, bytes));
}

void MatrixLowering::synchronise(OpBuilder &b, Operation *op, Value address,
                                 Value fragment, int64_t fragmentBytes) {
  Location loc = op->getLoc();
  Value pointer = fragment ? fragment
                           : Value(LLVM::ZeroOp::create(b, loc, ptrType));
  runtime.call(b, loc, fn::kMatrixSync, {},
               {context, address, pointer,
                constantI64(b, loc, fragment ? fragmentBytes : 0),
                site(b, op)});
}

void MatrixLowering::forEachElement(
    OpBuilder &b, Location loc, Value first, int64_t count, int64_t columns,
    function_ref<void(OpBuilder &, Value, Value, Value)> body) {
  Value upper = arith::AddIOp::create(
      b, loc, first, arith::ConstantIndexOp::create(b, loc, count));
  auto loop = scf::ForOp::create(b, loc, first, upper,
                                 arith::ConstantIndexOp::create(b, loc, 1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value element = loop.getInductionVar();
  Value width = arith::ConstantIndexOp::create(b, loc, columns);
  body(b, element, arith::DivUIOp::create(b, loc, element, width),
       arith::RemUIOp::create(b, loc, element, width));
}

SmallVector<Value> MatrixLowering::elementIndices(
    OpBuilder &b, Location loc, Value linear, ArrayRef<OpFoldResult> innerBasis,
    Value row, Value column, int64_t lead, bool transpose) {
  // Element (r, c) lies at linear + r * lead + c, or + c * lead + r when
  // transposed; delinearized without outer bound, so that an access past
  // the end shows in the outermost index and the bounds check reports it.
  Value major = transpose ? column : row;
  Value minor = transpose ? row : column;
  Value offset = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, major,
                            arith::ConstantIndexOp::create(b, loc, lead)),
      minor);
  Value position = arith::AddIOp::create(b, loc, linear, offset);
  if (innerBasis.empty())
    return {position};
  auto delinearized = affine::AffineDelinearizeIndexOp::create(
      b, loc, position, innerBasis, /*hasOuterBound=*/false);
  return SmallVector<Value>(delinearized.getResults());
}

void MatrixLowering::lowerLoad(gpu::SubgroupMmaLoadMatrixOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  gpu::MMAMatrixType matrixType = fragmentTypes.lookup(op);
  VectorType vectorType = getFragmentVectorType(matrixType);
  Type elementType = matrixType.getElementType();
  Value source = op.getSrcMemref();
  SmallVector<OpFoldResult> innerBasis;
  Value linear = linearize(b, loc, source, op.getIndices(), innerBasis);
  synchronise(b, op, getAddress(b, loc, source, linear), Value(), 0);
  Value scratch = createScratch(loc, vectorType);
  int64_t lead = op.getLeadDimension().getSExtValue();
  bool transpose = op.getTranspose().has_value();
  int64_t columns = matrixType.getShape()[1];
  forEachElement(
      b, loc, arith::ConstantIndexOp::create(b, loc, 0),
      vectorType.getNumElements(), columns,
      [&](OpBuilder &nb, Value element, Value row, Value column) {
        Value value = memref::LoadOp::create(
            nb, loc, source,
            elementIndices(nb, loc, linear, innerBasis, row, column, lead,
                           transpose));
        Value slot = LLVM::GEPOp::create(
            nb, loc, ptrType, elementType, scratch,
            ArrayRef<LLVM::GEPArg>{LLVM::GEPArg(arith::IndexCastOp::create(
                nb, loc, nb.getI64Type(), element))});
        LLVM::StoreOp::create(nb, loc, value, slot);
      });
  Value fragment = LLVM::LoadOp::create(b, loc, vectorType, scratch);
  op.getRes().replaceAllUsesWith(fragment);
  op.erase();
}

void MatrixLowering::lowerStore(gpu::SubgroupMmaStoreMatrixOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  // The fragment operand already has its vector type.
  auto vectorType = cast<VectorType>(op.getSrc().getType());
  Type elementType = vectorType.getElementType();
  int64_t elements = vectorType.getNumElements();
  int64_t elementBytes = *getElementBytes(elementType);
  Value destination = op.getDstMemref();
  SmallVector<OpFoldResult> innerBasis;
  Value linear = linearize(b, loc, destination, op.getIndices(), innerBasis);
  Value scratch = createScratch(loc, vectorType);
  LLVM::StoreOp::create(b, loc, op.getSrc(), scratch);
  synchronise(b, op, getAddress(b, loc, destination, linear), scratch,
              elements * elementBytes);
  // Lane l stores elements [l * share, (l + 1) * share).
  int64_t share = llvm::divideCeil(elements, emu::kWarpSize);
  Value lane = loadContextIndex(b, loc, context, emu::kLaneId);
  Value first = arith::MulIOp::create(
      b, loc, lane, arith::ConstantIndexOp::create(b, loc, share));
  int64_t lead = op.getLeadDimension().getSExtValue();
  bool transpose = op.getTranspose().has_value();
  int64_t columns = fragmentTypes.lookup(op).getShape()[1];
  forEachElement(
      b, loc, first, share, columns,
      [&](OpBuilder &nb, Value element, Value row, Value column) {
        Value inside = arith::CmpIOp::create(
            nb, loc, arith::CmpIPredicate::ult, element,
            arith::ConstantIndexOp::create(nb, loc, elements));
        auto guard = scf::IfOp::create(nb, loc, inside, false);
        OpBuilder gb = OpBuilder::atBlockBegin(guard.thenBlock());
        Value slot = LLVM::GEPOp::create(
            gb, loc, ptrType, elementType, scratch,
            ArrayRef<LLVM::GEPArg>{LLVM::GEPArg(arith::IndexCastOp::create(
                gb, loc, gb.getI64Type(), element))});
        Value value = LLVM::LoadOp::create(gb, loc, elementType, slot);
        memref::StoreOp::create(gb, loc, value, destination,
                                elementIndices(gb, loc, linear, innerBasis, row,
                                               column, lead, transpose));
      });
  op.erase();
}

void MatrixLowering::lowerCompute(gpu::SubgroupMmaComputeOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto aType = cast<VectorType>(op.getOpA().getType());
  auto bType = cast<VectorType>(op.getOpB().getType());
  auto cType = cast<VectorType>(op.getOpC().getType());
  ArrayRef<int64_t> cShape = fragmentTypes.lookup(op).getShape();
  int64_t shape[3] = {cShape[0], cShape[1], aTypes.lookup(op).getShape()[1]};
  auto store = [&](Value fragment, unsigned role) {
    Value scratch = createScratch(loc, fragment.getType(), role);
    LLVM::StoreOp::create(b, loc, fragment, scratch);
    return scratch;
  };
  Value a = store(op.getOpA(), 0), bb = store(op.getOpB(), 1),
        c = store(op.getOpC(), 2);
  Value d = createScratch(loc, cType, 3);
  int64_t types = *getMatrixElementCode(aType.getElementType()) |
                  *getMatrixElementCode(bType.getElementType()) << 8 |
                  *getMatrixElementCode(cType.getElementType()) << 16 |
                  *getMatrixElementCode(cType.getElementType()) << 24;
  runtime.call(b, loc, fn::kMatrixCompute, {},
               {context, d, a, bb, c, constantI64(b, loc, shape[0]),
                constantI64(b, loc, shape[1]), constantI64(b, loc, shape[2]),
                constantI64(b, loc, types), site(b, op)});
  op.getRes().replaceAllUsesWith(LLVM::LoadOp::create(b, loc, cType, d));
  op.erase();
}

void MatrixLowering::lowerConstant(gpu::SubgroupMmaConstantMatrixOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto vectorType = cast<VectorType>(op.getRes().getType());
  // A splat: insert into lane 0 of the vector, then broadcast it.
  Value poison = LLVM::PoisonOp::create(b, loc, vectorType);
  Value zero = LLVM::ConstantOp::create(b, loc, b.getI32Type(), 0);
  Value first =
      LLVM::InsertElementOp::create(b, loc, poison, op.getValue(), zero);
  SmallVector<int32_t> mask(vectorType.getNumElements(), 0);
  Value splat = LLVM::ShuffleVectorOp::create(b, loc, first, poison, mask);
  op.getRes().replaceAllUsesWith(splat);
  op.erase();
}

void MatrixLowering::lowerElementwise(gpu::SubgroupMmaElementwiseOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  ValueRange args = op.getArgs();
  Type resultType = op.getRes().getType();
  Value result;
  switch (op.getOpType()) {
  case gpu::MMAElementwiseOp::ADDF:
    result = arith::AddFOp::create(b, loc, args[0], args[1]);
    break;
  case gpu::MMAElementwiseOp::MULF:
    result = arith::MulFOp::create(b, loc, args[0], args[1]);
    break;
  case gpu::MMAElementwiseOp::SUBF:
    result = arith::SubFOp::create(b, loc, args[0], args[1]);
    break;
  case gpu::MMAElementwiseOp::MAXF:
    result = arith::MaximumFOp::create(b, loc, args[0], args[1]);
    break;
  case gpu::MMAElementwiseOp::MINF:
    result = arith::MinimumFOp::create(b, loc, args[0], args[1]);
    break;
  case gpu::MMAElementwiseOp::DIVF:
    result = arith::DivFOp::create(b, loc, args[0], args[1]);
    break;
  case gpu::MMAElementwiseOp::NEGATEF:
    result = arith::NegFOp::create(b, loc, args[0]);
    break;
  case gpu::MMAElementwiseOp::EXTF:
    result = arith::ExtFOp::create(b, loc, resultType, args[0]);
    break;
  default:
    llvm_unreachable("integer operations are rejected by checkSupported");
  }
  op.getRes().replaceAllUsesWith(result);
  op.erase();
}

void MatrixLowering::lowerMmaSync(NVVM::MmaOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  // The lane's registers in arrays: A and B words, C and D f32.
  auto spill = [&](ValueRange registers, unsigned role) {
    Type type = registers.front().getType();
    Value scratch = createScratch(
        loc, LLVM::LLVMArrayType::get(type, registers.size()), role);
    for (auto [i, value] : llvm::enumerate(registers)) {
      Value slot = LLVM::GEPOp::create(
          b, loc, ptrType, type, scratch,
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      LLVM::StoreOp::create(b, loc, value, slot);
    }
    return scratch;
  };
  Value a = spill(op.getOperandA(), 0), bb = spill(op.getOperandB(), 1),
        c = spill(op.getOperandC(), 2);
  auto resultType = cast<LLVM::LLVMStructType>(op.getRes().getType());
  ArrayRef<Type> fields = resultType.getBody();
  Value d = createScratch(
      loc, LLVM::LLVMArrayType::get(fields.front(), fields.size()), 3);
  NVVM::MMAShapeAttr shape = op.getShape();
  // Another configuration (which checkMatrixOpSupported rejects where it is
  // consulted) goes with no element types: the runtime reports it.
  int64_t types = emu::kMatrixLaneRegisters;
  if (succeeded(checkMmaSync(op, nullptr)))
    types |= emu::kMatrixBF16 | emu::kMatrixBF16 << 8 |
             emu::kMatrixF32 << 16 | emu::kMatrixF32 << 24;
  runtime.call(b, loc, fn::kMatrixCompute, {},
               {context, d, a, bb, c, constantI64(b, loc, shape.getM()),
                constantI64(b, loc, shape.getN()),
                constantI64(b, loc, shape.getK()), constantI64(b, loc, types),
                site(b, op)});
  Value result = LLVM::PoisonOp::create(b, loc, resultType);
  for (auto [i, field] : llvm::enumerate(fields)) {
    Value slot = LLVM::GEPOp::create(
        b, loc, ptrType, field, d,
        ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
    result = LLVM::InsertValueOp::create(
        b, loc, result, LLVM::LoadOp::create(b, loc, field, slot),
        ArrayRef<int64_t>{static_cast<int64_t>(i)});
  }
  op.getRes().replaceAllUsesWith(result);
  op.erase();
}

void MatrixLowering::run() {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (isa<gpu::SubgroupMmaLoadMatrixOp, gpu::SubgroupMmaStoreMatrixOp,
            gpu::SubgroupMmaComputeOp, gpu::SubgroupMmaConstantMatrixOp,
            gpu::SubgroupMmaElementwiseOp>(op) ||
        isa<NVVM::MmaOp>(op))
      ops.push_back(op);
  });
  if (ops.empty())
    return;
  // What the vector types forget.
  for (Operation *op : ops) {
    if (auto load = dyn_cast<gpu::SubgroupMmaLoadMatrixOp>(op)) {
      fragmentTypes[op] = cast<gpu::MMAMatrixType>(load.getRes().getType());
    } else if (auto store = dyn_cast<gpu::SubgroupMmaStoreMatrixOp>(op)) {
      fragmentTypes[op] = cast<gpu::MMAMatrixType>(store.getSrc().getType());
    } else if (auto compute = dyn_cast<gpu::SubgroupMmaComputeOp>(op)) {
      fragmentTypes[op] = cast<gpu::MMAMatrixType>(compute.getOpC().getType());
      aTypes[op] = cast<gpu::MMAMatrixType>(compute.getOpA().getType());
    }
  }
  // Fragments become vectors everywhere (loop-carried values, branches).
  func.walk([](Operation *op) {
    for (Value result : op->getResults())
      result.setType(convertFragmentType(result.getType()));
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument argument : block.getArguments())
          argument.setType(convertFragmentType(argument.getType()));
  });
  for (BlockArgument argument : func.front().getArguments())
    argument.setType(convertFragmentType(argument.getType()));
  for (Operation *op : ops)
    TypeSwitch<Operation *>(op)
        .Case([&](gpu::SubgroupMmaLoadMatrixOp load) { lowerLoad(load); })
        .Case([&](gpu::SubgroupMmaStoreMatrixOp store) { lowerStore(store); })
        .Case([&](gpu::SubgroupMmaComputeOp compute) { lowerCompute(compute); })
        .Case([&](gpu::SubgroupMmaConstantMatrixOp constant) {
          lowerConstant(constant);
        })
        .Case([&](gpu::SubgroupMmaElementwiseOp elementwise) {
          lowerElementwise(elementwise);
        })
        .Case([&](NVVM::MmaOp mma) { lowerMmaSync(mma); });
}

} // namespace

LogicalResult hm::emulator::checkMatrixOpSupported(Operation *op) {
  auto unsupported = [&](const Twine &why) -> LogicalResult {
    return op->emitOpError("is not supported by the GPU emulator (")
           << why << ")";
  };
  auto checkFragment = [&](Type type) -> LogicalResult {
    auto matrix = cast<gpu::MMAMatrixType>(type);
    if (!getMatrixElementCode(matrix.getElementType()))
      return unsupported("fragments of f16 and f32 only");
    return success();
  };
  auto checkMemRef = [&](Value memref, Type fragmentElement) -> LogicalResult {
    auto type = cast<MemRefType>(memref.getType());
    if (!type.getLayout().isIdentity())
      return unsupported("memrefs with identity layout only");
    if (type.getElementType() != fragmentElement)
      return unsupported("the memref's element type must be the fragment's");
    return success();
  };
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](gpu::SubgroupMmaLoadMatrixOp load) {
        auto type = cast<gpu::MMAMatrixType>(load.getRes().getType());
        if (failed(checkFragment(type)))
          return failure();
        return checkMemRef(load.getSrcMemref(), type.getElementType());
      })
      .Case([&](gpu::SubgroupMmaStoreMatrixOp store) {
        auto type = cast<gpu::MMAMatrixType>(store.getSrc().getType());
        if (failed(checkFragment(type)))
          return failure();
        return checkMemRef(store.getDstMemref(), type.getElementType());
      })
      .Case([&](gpu::SubgroupMmaComputeOp compute) {
        auto a = cast<gpu::MMAMatrixType>(compute.getOpA().getType());
        auto b = cast<gpu::MMAMatrixType>(compute.getOpB().getType());
        if (!a.getElementType().isF16() || !b.getElementType().isF16())
          return unsupported("f16 A and B operands only");
        return checkFragment(compute.getOpC().getType());
      })
      .Case([&](gpu::SubgroupMmaConstantMatrixOp constant) {
        return checkFragment(constant.getRes().getType());
      })
      .Case([&](gpu::SubgroupMmaElementwiseOp elementwise) {
        switch (elementwise.getOpType()) {
        case gpu::MMAElementwiseOp::ADDI:
        case gpu::MMAElementwiseOp::MULI:
        case gpu::MMAElementwiseOp::SUBI:
        case gpu::MMAElementwiseOp::DIVS:
        case gpu::MMAElementwiseOp::DIVU:
        case gpu::MMAElementwiseOp::NEGATES:
          return unsupported("floating-point element-wise operations only");
        default:
          break;
        }
        if (!isa<FloatType>(
                cast<gpu::MMAMatrixType>(elementwise.getRes().getType())
                    .getElementType()))
          return unsupported("floating-point element-wise operations only");
        return checkFragment(elementwise.getRes().getType());
      })
      .Case([&](NVVM::MmaOp) { return checkMmaSync(op, unsupported); })
      .Default([&](Operation *) -> LogicalResult {
        return op->emitOpError("is not supported by the GPU emulator");
      });
}

void hm::emulator::lowerMatrixOps(func::FuncOp func, RuntimeBuilder &runtime) {
  MatrixLowering(func, runtime).run();
}
