//===- InitAll.h - Register all HeavyMetal dialects and passes --*- C++ -*-===//
//
// One place that registers everything HeavyMetal provides; used by hm-opt,
// the mlir-opt plugin and the other tools.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_INITALL_H
#define HEAVYMETAL_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::hm {

/// Adds the rtask, rtile, tilegraph and uctl dialects to `registry`.
void registerAllDialects(DialectRegistry &registry);

/// Registers every HeavyMetal pass (conversions and transforms).
void registerAllPasses();

/// Registers the named HeavyMetal pipelines.
void registerAllPipelines();

} // namespace mlir::hm

#endif // HEAVYMETAL_INITALL_H
