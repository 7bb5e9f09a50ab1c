// A linear layer over a batch folded into the matmul's rows (what the ONNX
// importer emits for MatMul [B, S, K] x [K, N]): collapse [4, 8] -> 32 rows,
// matmul, expand back to [4, 8, 48], then bias and ReLU.
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#col = affine_map<(d0, d1, d2) -> (d2)>
func.func @main(%x: tensor<4x8x32xf32>, %w: tensor<32x48xf32>, %bias: tensor<48xf32>) -> tensor<4x8x48xf32> {
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
