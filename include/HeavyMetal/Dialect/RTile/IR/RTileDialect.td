//===- RTileDialect.td - Roller's hardware and tile dialect -*- tablegen -*-===//
//
// The rtile dialect describes GPUs (#rtile.arch) and Roller's hardware-aligned
// tile configurations (#rtile.config).
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_RTILE_IR_RTILEDIALECT_TD
#define HEAVYMETAL_DIALECT_RTILE_IR_RTILEDIALECT_TD

include "mlir/IR/OpBase.td"

def RTile_Dialect : Dialect {
  let name = "rtile";
  let cppNamespace = "::mlir::hm::rtile";
  let summary = "Hardware descriptions and Roller's rTile configurations";
  let description = [{
    The `rtile` dialect carries what Roller needs to construct kernels from
    hardware-aligned tiles: a description of the target GPU
    (`#rtile.arch`) and, per operation, the chosen tile at each level of the
    memory hierarchy (`#rtile.config`). It has no operations; its attributes
    are attached to `linalg` operations (`rtile.config`) and to modules or
    functions (`rtile.arch`).
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Name of the discardable attribute holding an op's tile configuration.
    static constexpr ::llvm::StringLiteral kConfigAttrName = "rtile.config";
    /// Name of the discardable attribute holding Roller's ranked alternates
    /// (an array of #rtile.config, best first after `rtile.config`).
    static constexpr ::llvm::StringLiteral kCandidatesAttrName =
        "rtile.candidates";
    /// Name of the discardable attribute holding the target description.
    static constexpr ::llvm::StringLiteral kArchAttrName = "rtile.arch";
  }];
}

#endif // HEAVYMETAL_DIALECT_RTILE_IR_RTILEDIALECT_TD
