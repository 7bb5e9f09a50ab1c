//===- EmulatorRuntime.cpp - Building calls into the emulator runtime -----===//

#include "EmulatorRuntime.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::hm::emulator;

func::FuncOp RuntimeBuilder::getFunction(StringRef name, FunctionType type) {
  auto it = functions.find(name);
  if (it != functions.end())
    return it->second;
  auto existing = module.lookupSymbol<func::FuncOp>(name);
  if (existing && existing.getFunctionType() == type) {
    functions[name] = existing;
    return existing;
  }
  OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
  auto decl = func::FuncOp::create(builder, module.getLoc(), name, type);
  decl.setPrivate();
  functions[name] = decl;
  return decl;
}

func::CallOp RuntimeBuilder::call(OpBuilder &builder, Location loc,
                                  StringRef name, TypeRange results,
                                  ValueRange operands) {
  func::FuncOp callee =
      getFunction(name, builder.getFunctionType(operands.getTypes(), results));
  return func::CallOp::create(builder, loc, callee, operands);
}

Value RuntimeBuilder::getString(OpBuilder &builder, Location loc,
                                StringRef text) {
  LLVM::GlobalOp &global = strings[text];
  if (!global) {
    OpBuilder moduleBuilder = OpBuilder::atBlockBegin(module.getBody());
    std::string contents = text.str();
    contents.push_back('\0');
    auto type =
        LLVM::LLVMArrayType::get(moduleBuilder.getI8Type(), contents.size());
    std::string name = "__hm_emu_str_" + std::to_string(strings.size() - 1);
    while (module.lookupSymbol(name))
      name += "_";
    global =
        LLVM::GlobalOp::create(moduleBuilder, module.getLoc(), type,
                               /*isConstant=*/true, LLVM::Linkage::Internal,
                               name, moduleBuilder.getStringAttr(contents));
  }
  return LLVM::AddressOfOp::create(builder, loc, global);
}

std::string hm::emulator::describeLocation(Location loc) {
  std::string text;
  loc->walk([&](Location nested) {
    if (auto file = dyn_cast<FileLineColLoc>(nested)) {
      text = (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
              ":" + Twine(file.getColumn()))
                 .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return text.empty() ? "unknown location" : text;
}

Value hm::emulator::loadContextSlot(OpBuilder &builder, Location loc,
                                    Value context, int64_t slot) {
  Type i64 = builder.getI64Type();
  Value address = LLVM::GEPOp::create(
      builder, loc, LLVM::LLVMPointerType::get(builder.getContext()), i64,
      context, ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(slot)});
  return LLVM::LoadOp::create(builder, loc, i64, address);
}

Value hm::emulator::loadContextIndex(OpBuilder &builder, Location loc,
                                     Value context, int64_t slot) {
  return arith::IndexCastOp::create(
      builder, loc, builder.getIndexType(),
      loadContextSlot(builder, loc, context, slot));
}

FailureOr<int64_t> hm::emulator::getElementBytes(Type type) {
  if (type.isIndex())
    return 8;
  if (type.isIntOrFloat())
    return (type.getIntOrFloatBitWidth() + 7) / 8;
  if (auto complex = dyn_cast<ComplexType>(type)) {
    FailureOr<int64_t> part = getElementBytes(complex.getElementType());
    if (failed(part))
      return failure();
    return 2 * *part;
  }
  if (auto vector = dyn_cast<VectorType>(type)) {
    if (vector.isScalable())
      return failure();
    FailureOr<int64_t> part = getElementBytes(vector.getElementType());
    if (failed(part))
      return failure();
    return vector.getNumElements() * *part;
  }
  return failure();
}

Type hm::emulator::stripMemorySpace(Type type) {
  if (auto memref = dyn_cast<MemRefType>(type)) {
    if (!memref.getMemorySpace())
      return type;
    return MemRefType::get(memref.getShape(), memref.getElementType(),
                           memref.getLayout(), Attribute());
  }
  if (auto unranked = dyn_cast<UnrankedMemRefType>(type)) {
    if (!unranked.getMemorySpace())
      return type;
    return UnrankedMemRefType::get(unranked.getElementType(), Attribute());
  }
  return type;
}

bool hm::emulator::isWorkgroupMemRef(Type type) {
  auto memref = dyn_cast<BaseMemRefType>(type);
  if (!memref)
    return false;
  if (auto space =
          dyn_cast_or_null<gpu::AddressSpaceAttr>(memref.getMemorySpace()))
    return space.getValue() == gpu::AddressSpace::Workgroup;
  // NVVM's numbering, as written by hand or by other lowerings.
  if (auto space = dyn_cast_or_null<IntegerAttr>(memref.getMemorySpace()))
    return space.getInt() == 3;
  return false;
}

FailureOr<Value> hm::emulator::packToI64(OpBuilder &builder, Location loc,
                                         Value value) {
  Type type = value.getType();
  Type i64 = builder.getI64Type();
  if (type.isIndex())
    return Value(arith::IndexCastOp::create(builder, loc, i64, value));
  if (!type.isIntOrFloat() || type.getIntOrFloatBitWidth() > 64)
    return failure();
  unsigned width = type.getIntOrFloatBitWidth();
  if (isa<FloatType>(type))
    value = arith::BitcastOp::create(builder, loc,
                                     builder.getIntegerType(width), value);
  if (width < 64)
    value = arith::ExtUIOp::create(builder, loc, i64, value);
  return value;
}

Value hm::emulator::unpackFromI64(OpBuilder &builder, Location loc, Value bits,
                                  Type type) {
  if (type.isIndex())
    return arith::IndexCastOp::create(builder, loc, type, bits);
  unsigned width = type.getIntOrFloatBitWidth();
  Type integer = builder.getIntegerType(width);
  if (width < 64)
    bits = arith::TruncIOp::create(builder, loc, integer, bits);
  if (isa<FloatType>(type))
    bits = arith::BitcastOp::create(builder, loc, type, bits);
  return bits;
}
