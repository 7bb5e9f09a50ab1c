// depthwise-pointwise at sizes the emulator runs quickly (test/Integration/Emu/welder-depthwise-pointwise.test).
#did4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#dch = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @dw_bn_relu6_pw(%x: tensor<1x16x10x10xf32>, %wd: tensor<16x3x3xf32>, %scale: tensor<16xf32>, %shift: tensor<16xf32>, %wp: tensor<8x16x1x1xf32>) -> tensor<1x8x8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %ed = tensor.empty() : tensor<1x16x8x8xf32>
  %id = linalg.fill ins(%zero : f32) outs(%ed : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %dw = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %wd : tensor<1x16x10x10xf32>, tensor<16x3x3xf32>) outs(%id : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %bn = linalg.generic {indexing_maps = [#did4, #dch, #dch, #did4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%dw, %scale, %shift : tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>) outs(%ed : tensor<1x16x8x8xf32>) {
  ^bb0(%v: f32, %s: f32, %t: f32, %o: f32):
    %m = arith.mulf %v, %s : f32
    %a = arith.addf %m, %t : f32
    linalg.yield %a : f32
  } -> tensor<1x16x8x8xf32>
  %relu6 = linalg.generic {indexing_maps = [#did4, #did4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bn : tensor<1x16x8x8xf32>) outs(%ed : tensor<1x16x8x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %lo = arith.maximumf %v, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<1x16x8x8xf32>
  %ep = tensor.empty() : tensor<1x8x8x8xf32>
  %ip = linalg.fill ins(%zero : f32) outs(%ep : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %pw = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%relu6, %wp : tensor<1x16x8x8xf32>, tensor<8x16x1x1xf32>) outs(%ip : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %pw : tensor<1x8x8x8xf32>
}
