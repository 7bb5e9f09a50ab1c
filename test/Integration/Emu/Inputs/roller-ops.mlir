// Operations for the Roller integration tests (roller-*.test): each entry is
// configured by --hm-roller inside the GPU pipeline and lowered by
// --convert-rtile-to-gpu; the shapes are small enough for the emulator and
// chosen so that tiles overhang some loops.

// Tiled matmul: 96x80 by 80x72.
func.func @matmul(%a: tensor<96x80xf32>, %b: tensor<80x72xf32>) -> tensor<96x72xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<96x72xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<96x72xf32>) -> tensor<96x72xf32>
  %r = linalg.matmul ins(%a, %b : tensor<96x80xf32>, tensor<80x72xf32>)
                     outs(%c : tensor<96x72xf32>) -> tensor<96x72xf32>
  return %r : tensor<96x72xf32>
}

// A matmul whose K (37) and N (50) are not multiples of the vector width:
// the staging falls back to scalar loads where alignment fails.
func.func @matmul_unaligned(%a: tensor<45x37xf32>, %b: tensor<37x50xf32>) -> tensor<45x50xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<45x50xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<45x50xf32>) -> tensor<45x50xf32>
  %r = linalg.matmul ins(%a, %b : tensor<45x37xf32>, tensor<37x50xf32>)
                     outs(%c : tensor<45x50xf32>) -> tensor<45x50xf32>
  return %r : tensor<45x50xf32>
}

// conv_2d NHWC/HWCF, stride 1: 2x10x10x8 input, 3x3x8x16 filter.
func.func @conv_nhwc_hwcf(%x: tensor<2x10x10x8xf32>, %w: tensor<3x3x8x16xf32>) -> tensor<2x8x8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x8x16xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x8x16xf32>) -> tensor<2x8x8x16xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<2x10x10x8xf32>, tensor<3x3x8x16xf32>)
         outs(%c : tensor<2x8x8x16xf32>) -> tensor<2x8x8x16xf32>
  return %r : tensor<2x8x8x16xf32>
}

// Depthwise conv NHWC/HWC, stride 2: 1x13x13x24 input, 3x3x24 filter.
func.func @depthwise(%x: tensor<1x13x13x24xf32>, %w: tensor<3x3x24xf32>) -> tensor<1x6x6x24xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x6x6x24xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x6x24xf32>) -> tensor<1x6x6x24xf32>
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x13x13x24xf32>, tensor<3x3x24xf32>)
         outs(%c : tensor<1x6x6x24xf32>) -> tensor<1x6x6x24xf32>
  return %r : tensor<1x6x6x24xf32>
}

// Max pooling NCHW, 3x3 window, stride 2.
func.func @maxpool(%x: tensor<2x8x15x15xf32>) -> tensor<2x8x7x7xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %win = tensor.empty() : tensor<3x3xf32>
  %e = tensor.empty() : tensor<2x8x7x7xf32>
  %c = linalg.fill ins(%ninf : f32) outs(%e : tensor<2x8x7x7xf32>) -> tensor<2x8x7x7xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %win : tensor<2x8x15x15xf32>, tensor<3x3xf32>)
         outs(%c : tensor<2x8x7x7xf32>) -> tensor<2x8x7x7xf32>
  return %r : tensor<2x8x7x7xf32>
}

// A sum along the middle (non-innermost) axis of a 6x50x40 tensor.
func.func @reduce_middle(%x: tensor<6x50x40xf32>) -> tensor<6x40xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6x40xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<6x40xf32>) -> tensor<6x40xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x : tensor<6x50x40xf32>) outs(%c : tensor<6x40xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<6x40xf32>
  return %r : tensor<6x40xf32>
}

// Element-wise with a broadcast: relu(x + bias[c]) over 4x64x36.
func.func @bias_relu(%x: tensor<4x64x36xf32>, %bias: tensor<36xf32>) -> tensor<4x64x36xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x64x36xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                       iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %bias : tensor<4x64x36xf32>, tensor<36xf32>) outs(%e : tensor<4x64x36xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x64x36xf32>
  return %r : tensor<4x64x36xf32>
}
