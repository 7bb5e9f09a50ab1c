// Upstream mlir-opt parses and prints the rtile dialect from the plugin.
// RUN: mlir-opt %s --load-dialect-plugin=%hm_plugin | FileCheck %s
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

// CHECK: module attributes {rtile.arch = #rtile.arch<"sm_90">}
// CHECK: linalg.matmul {rtile.config = #rtile.config<block = [64, 64], thread = [4, 4], reduction = [8]>}
// NOPLUGIN: error: #"rtile"<"arch<"h100">"> : 'none' attribute created with unregistered dialect
module attributes {rtile.arch = #rtile.arch<"h100">} {
  func.func @mm(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
    %r = linalg.matmul {rtile.config = #rtile.config<block = [64, 64], thread = [4, 4], reduction = [8]>}
        ins(%a, %b : tensor<64x32xf32>, tensor<32x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
    return %r : tensor<64x64xf32>
  }
}
