// bf16 operations for the tensor-core-bf16-*.test emulator tests and the
// bf16 ptxas test: configurations written here (hm-run's GPU pipeline with
// Roller keeps them) that run on tensor cores, lowered to nvvm.mma.sync
// m16n8k16 kernels (docs/TensorCores.md).

// 64x96x64, bf16 -> f32; tiles divide every loop.
func.func @matmul_aligned(%a: tensor<64x96xbf16>, %b: tensor<96x64xbf16>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<64x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<64x64xf32>) -> tensor<64x64xf32>
  %r = linalg.matmul {rtile.config = #rtile.config<block = [32, 64], warp = [16, 32], thread = [4, 4], reduction = [32], padding = 2>}
    ins(%a, %b : tensor<64x96xbf16>, tensor<96x64xbf16>) outs(%init : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// 90x70x75 into an f32 output with an initial value: 64x64 blocks with a
// K step of 32 overhang M, N and K.
func.func @matmul_unaligned(%a: tensor<90x75xbf16>, %b: tensor<75x70xbf16>, %c: tensor<90x70xf32>) -> tensor<90x70xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [32]>}
    ins(%a, %b : tensor<90x75xbf16>, tensor<75x70xbf16>) outs(%c : tensor<90x70xf32>) -> tensor<90x70xf32>
  return %r : tensor<90x70xf32>
}

// bf16 output: the kernel adds the initial value in f32 and rounds once.
func.func @matmul_bf16_out(%a: tensor<48x64xbf16>, %b: tensor<64x40xbf16>, %c: tensor<48x40xbf16>) -> tensor<48x40xbf16> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [32, 32], warp = [16, 16], thread = [4, 2], reduction = [32]>}
    ins(%a, %b : tensor<48x64xbf16>, tensor<64x40xbf16>) outs(%c : tensor<48x40xbf16>) -> tensor<48x40xbf16>
  return %r : tensor<48x40xbf16>
}

// 3x40x56x48 -> f32: 2 batches per block (the second block overhangs the
// batch loop), 2 per warp; tiles overhang M and K.
func.func @batch_matmul(%a: tensor<3x40x56xbf16>, %b: tensor<3x56x48xbf16>) -> tensor<3x40x48xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x40x48xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x40x48xf32>) -> tensor<3x40x48xf32>
  %r = linalg.batch_matmul {rtile.config = #rtile.config<block = [2, 32, 48], warp = [2, 16, 16], thread = [1, 2, 8], reduction = [32], padding = 2>}
    ins(%a, %b : tensor<3x40x56xbf16>, tensor<3x56x48xbf16>) outs(%init : tensor<3x40x48xf32>) -> tensor<3x40x48xf32>
  return %r : tensor<3x40x48xf32>
}

// 3x3 NHWC convolution as an implicit GEMM: warp tiles of 2x8 output pixels
// by 16 filters, K = 3*3*24 in steps of 3*3*16 (the channel loop overhangs).
func.func @conv_nhwc(%i: tensor<2x10x10x24xbf16>, %k: tensor<3x3x24x32xbf16>) -> tensor<2x8x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<2x8x8x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<2x8x8x32xf32>) -> tensor<2x8x8x32xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>,
                                 rtile.config = #rtile.config<block = [1, 4, 8, 32], warp = [1, 2, 8, 16], thread = [1, 1, 2, 4], reduction = [3, 3, 16], padding = 2>}
    ins(%i, %k : tensor<2x10x10x24xbf16>, tensor<3x3x24x32xbf16>) outs(%init : tensor<2x8x8x32xf32>) -> tensor<2x8x8x32xf32>
  return %r : tensor<2x8x8x32xf32>
}

// Stride 2, output pixels overhanging the block tiles.
func.func @conv_nhwc_stride2(%i: tensor<1x13x13x16xbf16>, %k: tensor<3x3x16x16xbf16>, %o: tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>,
                                 rtile.config = #rtile.config<block = [1, 4, 8, 16], warp = [1, 2, 8, 16], thread = [1, 1, 2, 4], reduction = [3, 3, 16]>}
    ins(%i, %k : tensor<1x13x13x16xbf16>, tensor<3x3x16x16xbf16>) outs(%o : tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32>
  return %r : tensor<1x6x6x16xf32>
}
