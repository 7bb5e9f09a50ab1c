// conv (accumulating into the broadcast bias) + ReLU + residual add as one
// Welder group whose tile [1, 4, 4, 8] is the block tile of the
// convolution's rtile.config (test/Integration/Emu/welder-tiled-conv-residual.test):
// lowered through Roller's tiled kernel of the convolution, the bias
// broadcast initialising the accumulators, ReLU and the residual add
// applied per register-tile point before the store.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @tiled_conv_residual(%x: tensor<1x8x10x10xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>,
                               %res: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %r = tilegraph.kernel "tiled_conv_residual" (%x, %w, %b, %res) tile [1, 4, 4, 8]
      : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  ^bb0(%xi: tensor<1x8x10x10xf32>, %wi: tensor<16x8x3x3xf32>, %bi: tensor<16xf32>, %ri: tensor<1x16x8x8xf32>):
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<1x16x8x8xf32>
    %init = linalg.broadcast ins(%bi : tensor<16xf32>) outs(%e : tensor<1x16x8x8xf32>) dimensions = [0, 2, 3]
    %init_reg = tilegraph.connect %init at register : tensor<1x16x8x8xf32>
    %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>,
        rtile.config = #rtile.config<block = [1, 4, 4, 8], warp = [1, 4, 4, 2], thread = [1, 2, 2, 1], reduction = [4, 3, 3], padding = 1, double_buffer>}
        ins(%xi, %wi : tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>) outs(%init_reg : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
    %conv_reg = tilegraph.connect %conv at register : tensor<1x16x8x8xf32>
    %e1 = tensor.empty() : tensor<1x16x8x8xf32>
    %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%conv_reg : tensor<1x16x8x8xf32>) outs(%e1 : tensor<1x16x8x8xf32>) {
    ^bb0(%v: f32, %o: f32):
      %m = arith.maximumf %v, %zero : f32
      linalg.yield %m : f32
    } -> tensor<1x16x8x8xf32>
    %relu_reg = tilegraph.connect %relu at register : tensor<1x16x8x8xf32>
    %e2 = tensor.empty() : tensor<1x16x8x8xf32>
    %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%relu_reg, %ri : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) outs(%e2 : tensor<1x16x8x8xf32>) {
    ^bb0(%v: f32, %s: f32, %o: f32):
      %a = arith.addf %v, %s : f32
      linalg.yield %a : f32
    } -> tensor<1x16x8x8xf32>
    tilegraph.yield %sum : tensor<1x16x8x8xf32>
  }
  return %r : tensor<1x16x8x8xf32>
}
