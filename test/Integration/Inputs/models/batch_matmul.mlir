// C[b] = A[b] B[b]: 3 batches of 8x16 by 16x12, f32.
func.func @batch_matmul(%a: tensor<3x8x16xf32>, %b: tensor<3x16x12xf32>) -> tensor<3x8x12xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x8x12xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<3x8x12xf32>) -> tensor<3x8x12xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<3x8x16xf32>, tensor<3x16x12xf32>)
                           outs(%c : tensor<3x8x12xf32>) -> tensor<3x8x12xf32>
  return %r : tensor<3x8x12xf32>
}
