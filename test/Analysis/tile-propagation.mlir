// RUN: hm-opt %s --split-input-file --hm-print-tile-propagation -o /dev/null | FileCheck %s

// Welder's tile propagation (Analysis/TilePropagation): from the tile of the
// annotated operation's result, the iteration tile of every producer, the
// tiles it reads and its recomputation over the grid of such tiles. Tiles
// print as [begin:end] per dimension. Every number is derived by hand in the
// comments.

// matmul -> bias add. The epilogue's 32x16 tile reads the same 32x16 tile of
// the matmul and 16 bias values (the broadcast dimension d0 is dropped). The
// matmul computes that tile with its reduction loop whole: A rows 0:32 x all
// of K, B all of K x columns 0:16, 32*16*256 = 131072 points. The 4x4 tiles
// partition both iteration spaces: no recomputation.
// CHECK-LABEL: tile propagation from linalg.generic
// CHECK-SAME: result tile [0:32, 0:16], 2 operation(s)
// CHECK-NEXT:   linalg.matmul
// CHECK-NEXT:     loops [0:32, 0:16, 0:256] (131072 points)
// CHECK-NEXT:     operand #0 [0:32, 0:256] (8192 elements)
// CHECK-NEXT:     operand #1 [0:256, 0:16] (4096 elements)
// CHECK-NEXT:     operand #2 [0:32, 0:16] (512 elements)
// CHECK-NEXT:     recomputation 1.000
// CHECK-NEXT:   linalg.generic
// CHECK-NEXT:     loops [0:32, 0:16] (512 points)
// CHECK-NEXT:     operand #0 [0:32, 0:16] (512 elements)
// CHECK-NEXT:     operand #1 [0:16] (16 elements)
// CHECK-NEXT:     recomputation 1.000
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @matmul_bias(%a: tensor<128x256xf32>, %b: tensor<256x64xf32>, %bias: tensor<64xf32>) -> tensor<128x64xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<128x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<128x64xf32>) -> tensor<128x64xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<128x256xf32>, tensor<256x64xf32>) outs(%init : tensor<128x64xf32>) -> tensor<128x64xf32>
  %out = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<128x64xf32>, tensor<64xf32>) outs(%empty : tensor<128x64xf32>) attrs = {hm.tile = array<i64: 32, 16>} {
  ^bb0(%m: f32, %bv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    linalg.yield %s : f32
  } -> tensor<128x64xf32>
  return %out : tensor<128x64xf32>
}

// -----

// conv -> conv. The second convolution (3x3, stride 2) computes a 4x4
// output tile of 16 filters over loops (n, f, oh, ow, c, kh, kw); it reads
// rows 2*oh + kh = 0 .. 2*3 + 2 of the first's output: a 9x9 tile with its
// halo, all 8 channels. The first convolution (3x3, stride 1) computes that
// 9x9 tile of 8 filters over 4 channels and a 3x3 window
// (8*9*9*4*9 = 23328 points) from an 11x11 input tile.
// Recomputation of the first: along each of oh and ow the 4 tiles of
// 4, 4, 4, 3 output rows need 9, 9, 9, 7 rows (34 for 32, overlapping by
// one row at each tile boundary): 34*34 / (32*32) = 1.129.
// CHECK-LABEL: tile propagation from linalg.conv_2d_nchw_fchw
// CHECK-SAME: result tile [0:1, 0:16, 0:4, 0:4], 2 operation(s)
// CHECK-NEXT:   linalg.conv_2d_nchw_fchw
// CHECK-NEXT:     loops [0:1, 0:8, 0:9, 0:9, 0:4, 0:3, 0:3] (23328 points)
// CHECK-NEXT:     operand #0 [0:1, 0:4, 0:11, 0:11] (484 elements)
// CHECK-NEXT:     operand #1 [0:8, 0:4, 0:3, 0:3] (288 elements)
// CHECK-NEXT:     operand #2 [0:1, 0:8, 0:9, 0:9] (648 elements)
// CHECK-NEXT:     recomputation 1.129
// CHECK-NEXT:   linalg.conv_2d_nchw_fchw
// CHECK-NEXT:     loops [0:1, 0:16, 0:4, 0:4, 0:8, 0:3, 0:3] (18432 points)
// CHECK-NEXT:     operand #0 [0:1, 0:8, 0:9, 0:9] (648 elements)
// CHECK-NEXT:     operand #1 [0:16, 0:8, 0:3, 0:3] (1152 elements)
// CHECK-NEXT:     operand #2 [0:1, 0:16, 0:4, 0:4] (256 elements)
// CHECK-NEXT:     recomputation 1.000
func.func @conv_conv(%x: tensor<1x4x34x34xf32>, %w1: tensor<8x4x3x3xf32>, %w2: tensor<16x8x3x3xf32>) -> tensor<1x16x15x15xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x8x32x32xf32>
  %i1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x8x32x32xf32>) -> tensor<1x8x32x32xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w1 : tensor<1x4x34x34xf32>, tensor<8x4x3x3xf32>) outs(%i1 : tensor<1x8x32x32xf32>) -> tensor<1x8x32x32xf32>
  %e2 = tensor.empty() : tensor<1x16x15x15xf32>
  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16x15x15xf32>) -> tensor<1x16x15x15xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, hm.tile = array<i64: 1, 16, 4, 4>}
      ins(%c1, %w2 : tensor<1x8x32x32xf32>, tensor<16x8x3x3xf32>) outs(%i2 : tensor<1x16x15x15xf32>) -> tensor<1x16x15x15xf32>
  return %c2 : tensor<1x16x15x15xf32>
}

// -----

// reduction -> broadcast: x - max(x, axis 1), written as an ONNX import
// writes it (keepdims: the maximum is expanded to 64x1 and read through
// (d0, 0)). The 8x64 tile of the difference needs 8 maxima; each is a
// reduction over the whole row, so the reduction's tile is 8 rows x 1024.
// The 16 tiles along a row each recompute their rows' maxima: 16.000.
// CHECK-LABEL: tile propagation from linalg.generic
// CHECK-SAME: result tile [0:8, 0:64], 2 operation(s)
// CHECK-NEXT:   linalg.reduce
// CHECK-NEXT:     loops [0:8, 0:1024] (8192 points)
// CHECK-NEXT:     operand #0 [0:8, 0:1024] (8192 elements)
// CHECK-NEXT:     operand #1 [0:8] (8 elements)
// CHECK-NEXT:     recomputation 16.000
// CHECK-NEXT:   linalg.generic
// CHECK-NEXT:     loops [0:8, 0:64] (512 points)
// CHECK-NEXT:     operand #0 [0:8, 0:64] (512 elements)
// CHECK-NEXT:     operand #1 [0:8, 0:1] (8 elements)
// CHECK-NEXT:     recomputation 1.000
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row0 = affine_map<(d0, d1) -> (d0, 0)>
func.func @reduce_broadcast(%x: tensor<64x1024xf32>) -> tensor<64x1024xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<64xf32>
  %i = linalg.fill ins(%ninf : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
  %max = linalg.reduce ins(%x : tensor<64x1024xf32>) outs(%i : tensor<64xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %m = arith.maximumf %in, %acc : f32
      linalg.yield %m : f32
    }
  %maxk = tensor.expand_shape %max [[0, 1]] output_shape [64, 1] : tensor<64xf32> into tensor<64x1xf32>
  %eo = tensor.empty() : tensor<64x1024xf32>
  %d = linalg.generic {indexing_maps = [#id2, #row0, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %maxk : tensor<64x1024xf32>, tensor<64x1xf32>) outs(%eo : tensor<64x1024xf32>) attrs = {hm.tile = array<i64: 8, 64>} {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %s = arith.subf %a, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x1024xf32>
  return %d : tensor<64x1024xf32>
}

// -----

// The same chain with a tile placed by hm.tile_offsets: rows 8:16, columns
// 128:192 need the maxima of rows 8:16.
// CHECK-LABEL: tile propagation from linalg.generic
// CHECK-SAME: result tile [8:16, 128:192], 2 operation(s)
// CHECK-NEXT:   linalg.reduce
// CHECK-NEXT:     loops [8:16, 0:1024] (8192 points)
// CHECK:        linalg.generic
// CHECK-NEXT:     loops [8:16, 128:192] (512 points)
#id3 = affine_map<(d0, d1) -> (d0, d1)>
#row3 = affine_map<(d0, d1) -> (d0)>
func.func @placed_tile(%x: tensor<64x1024xf32>, %i: tensor<64xf32>) -> tensor<64x1024xf32> {
  %max = linalg.reduce ins(%x : tensor<64x1024xf32>) outs(%i : tensor<64xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %m = arith.maximumf %in, %acc : f32
      linalg.yield %m : f32
    }
  %eo = tensor.empty() : tensor<64x1024xf32>
  %d = linalg.generic {indexing_maps = [#id3, #row3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max : tensor<64x1024xf32>, tensor<64xf32>) outs(%eo : tensor<64x1024xf32>) attrs = {hm.tile = array<i64: 8, 64>, hm.tile_offsets = array<i64: 8, 128>} {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %s = arith.subf %a, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x1024xf32>
  return %d : tensor<64x1024xf32>
}
