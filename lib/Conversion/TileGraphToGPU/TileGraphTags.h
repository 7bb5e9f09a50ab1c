//===- TileGraphTags.h - Welder groups as discardable attributes -*- C++ -*-===//
//
// The attributes --hm-inline-tilegraph-kernels leaves on the operations of a
// fused group so that the group survives bufferization, read back by
// --convert-tilegraph-to-gpu.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_LIB_CONVERSION_TILEGRAPHTOGPU_TILEGRAPHTAGS_H
#define HEAVYMETAL_LIB_CONVERSION_TILEGRAPHTOGPU_TILEGRAPHTAGS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

namespace mlir::hm {

/// `tilegraph.member = {group, index, level}` on every operation of a group.
constexpr llvm::StringLiteral kMemberTag = "tilegraph.member";
/// `tilegraph.root = {name, tile}` on the operation computing the output.
constexpr llvm::StringLiteral kRootTag = "tilegraph.root";

inline void setMemberTag(Operation *op, int64_t group, int64_t index,
                         StringRef level) {
  Builder b(op->getContext());
  op->setAttr(kMemberTag,
              b.getDictionaryAttr({b.getNamedAttr("group", b.getI64IntegerAttr(group)),
                                   b.getNamedAttr("index", b.getI64IntegerAttr(index)),
                                   b.getNamedAttr("level", b.getStringAttr(level))}));
}

inline void setRootTag(Operation *op, StringRef name, ArrayRef<int64_t> tile) {
  Builder b(op->getContext());
  op->setAttr(kRootTag,
              b.getDictionaryAttr({b.getNamedAttr("name", b.getStringAttr(name)),
                                   b.getNamedAttr("tile", b.getDenseI64ArrayAttr(tile))}));
}

} // namespace mlir::hm

#endif // HEAVYMETAL_LIB_CONVERSION_TILEGRAPHTOGPU_TILEGRAPHTAGS_H
