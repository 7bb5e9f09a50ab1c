// RUN: hm-opt %s --hm-welder="arch=sm_90" | FileCheck %s

// A matmul over a batch folded into its rows, expanded back before the
// epilogue: the expand_shape (row = 8 * b + s) is a linear map, so the tile
// graph has the matmul -> epilogue edge and Welder fuses them; the edge is
// at shared level (a thread's point of the epilogue is not the matmul
// point the same thread computes).
// CHECK-LABEL: func.func @batched_rows
// CHECK: tensor.collapse_shape
// CHECK: %[[K:.+]] = tilegraph.kernel "batched_rows_k0"
// CHECK: %[[MM:.+]] = linalg.matmul
// CHECK: %[[C:.+]] = tilegraph.connect %[[MM]] at shared : tensor<32x48xf32>
// CHECK: %[[E:.+]] = tensor.expand_shape %[[C]] {{\[\[}}0, 1], [2]] output_shape [4, 8, 48]
// CHECK: linalg.generic {{.+}} ins(%[[E]],
// CHECK: tilegraph.yield
// CHECK-NOT: tilegraph.kernel
// CHECK: return %[[K]]
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#col = affine_map<(d0, d1, d2) -> (d2)>
func.func @batched_rows(%x: tensor<4x8x32xf32>, %w: tensor<32x48xf32>, %bias: tensor<48xf32>) -> tensor<4x8x48xf32> {
  %zero = arith.constant 0.0 : f32
  %rows = tensor.collapse_shape %x [[0, 1], [2]] : tensor<4x8x32xf32> into tensor<32x32xf32>
  %empty = tensor.empty() : tensor<32x48xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<32x48xf32>) -> tensor<32x48xf32>
  %mm = linalg.matmul ins(%rows, %w : tensor<32x32xf32>, tensor<32x48xf32>) outs(%init : tensor<32x48xf32>) -> tensor<32x48xf32>
  %batched = tensor.expand_shape %mm [[0, 1], [2]] output_shape [4, 8, 48] : tensor<32x48xf32> into tensor<4x8x48xf32>
  %out = tensor.empty() : tensor<4x8x48xf32>
  %relu = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%batched, %bias : tensor<4x8x48xf32>, tensor<48xf32>) outs(%out : tensor<4x8x48xf32>) {
  ^bb0(%m: f32, %b: f32, %o: f32):
    %s = arith.addf %m, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x8x48xf32>
  return %relu : tensor<4x8x48xf32>
}
