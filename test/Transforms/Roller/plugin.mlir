// Upstream mlir-opt runs --hm-roller from the plugin (through -p).
// RUN: mlir-opt %s --load-dialect-plugin=%hm_plugin -p 'builtin.module(hm-roller{arch=sm_80})' | FileCheck %s

// CHECK-LABEL: module attributes {rtile.arch = #rtile.arch<"sm_80">}
// CHECK:         linalg.matmul {rtile.config = #rtile.config<block = [64, 128], warp = [16, 128], thread = [8, 8], reduction = [8], padding = 1, vector = 4, double_buffer>}
func.func @matmul(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}
