// A matmul whose configuration (fixed here; --hm-roller keeps it) stages
// 66816 bytes of double-buffered tiles: over 48 KiB, so dynamic shared memory.
func.func @mm(%a: tensor<256x64xf32>, %b: tensor<64x256xf32>) -> tensor<256x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<256x256xf32>) -> tensor<256x256xf32>
  %r = linalg.matmul {rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [32], padding = 1, vector = 4, double_buffer>}
    ins(%a, %b : tensor<256x64xf32>, tensor<64x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}
