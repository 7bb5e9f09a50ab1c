// RUN: hm-opt %s --hm-roller="arch=sm_90 top-k=3" | FileCheck %s
// RUN: hm-opt %s --hm-roller="arch=sm_90 top-k=1" | FileCheck %s --check-prefix=TOP1

// With top-k > 1 the next configurations in rank order are kept as
// rtile.candidates (for measuring on a GPU); the best stays rtile.config.
// Every candidate verifies against the operation like rtile.config does.
// (128x256 / 8x8 is not one: 512 threads get 128 registers from ptxas, less
// than its estimated compiled count; docs/CostModel.md.)

// CHECK-LABEL: func.func @matmul_top3
// CHECK:         linalg.matmul
// CHECK-SAME:      rtile.candidates = [#rtile.config<block = [128, 256], warp = [16, 256], thread = [8, 16], reduction = [8], padding = 1, vector = 4, double_buffer>, #rtile.config<block = [128, 128], warp = [16, 128], thread = [8, 8], reduction = [8], padding = 1, vector = 4, double_buffer>]
// CHECK-SAME:      rtile.config = #rtile.config<block = [128, 128], warp = [32, 128], thread = [8, 16], reduction = [8], padding = 1, vector = 4, double_buffer>
// TOP1-LABEL: func.func @matmul_top3
// TOP1-NOT:     rtile.candidates
// TOP1:         rtile.config =
func.func @matmul_top3(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}
