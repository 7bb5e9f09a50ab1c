// Upstream mlir-opt parses, verifies and prints the tilegraph dialect from the
// plugin, and rejects it without.
// RUN: mlir-opt %s --load-dialect-plugin=%hm_plugin | mlir-opt --load-dialect-plugin=%hm_plugin | FileCheck %s
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

// CHECK-LABEL: func.func @negate_exp
// CHECK: tilegraph.kernel "negate_exp" (%{{.+}}) tile [128] : (tensor<1024xf32>) -> tensor<1024xf32> {
// CHECK: %[[NEG:.+]] = linalg.negf
// CHECK: %[[NEG_REG:.+]] = tilegraph.connect %[[NEG]] at register : tensor<1024xf32>
// CHECK: linalg.exp ins(%[[NEG_REG]] :
// NOPLUGIN: error: Dialect `tilegraph' not found for custom op 'tilegraph.kernel'
func.func @negate_exp(%x: tensor<1024xf32>) -> tensor<1024xf32> {
  %r = tilegraph.kernel "negate_exp" (%x) tile [128] : (tensor<1024xf32>) -> tensor<1024xf32> {
  ^bb0(%in: tensor<1024xf32>):
    %empty = tensor.empty() : tensor<1024xf32>
    %neg = linalg.negf ins(%in : tensor<1024xf32>) outs(%empty : tensor<1024xf32>) -> tensor<1024xf32>
    %neg_reg = tilegraph.connect %neg at register : tensor<1024xf32>
    %exp = linalg.exp ins(%neg_reg : tensor<1024xf32>) outs(%empty : tensor<1024xf32>) -> tensor<1024xf32>
    tilegraph.yield %exp : tensor<1024xf32>
  }
  return %r : tensor<1024xf32>
}
