// RUN: hm-opt %s --hm-welder="arch=sm_90" | FileCheck %s

// A convolution as the ONNX importer writes it: the bias broadcast into the
// accumulator, the convolution accumulating into it, then a ReLU.
// The bias broadcast initialises the accumulator in registers; the ReLU
// reads the accumulator where it is.
// CHECK-LABEL: func.func @conv_bias_relu
// CHECK-SAME: (%[[X:.+]]: tensor<1x64x58x58xf32>, %[[W:.+]]: tensor<64x64x3x3xf32>, %[[B:.+]]: tensor<64xf32>)
// CHECK: %[[K:.+]] = tilegraph.kernel "conv_bias_relu_k0" (%[[B]], %[[X]], %[[W]]) tile [1, 2, 7, 14]
// CHECK: %[[INIT:.+]] = linalg.broadcast
// CHECK: %[[INITR:.+]] = tilegraph.connect %[[INIT]] at register
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nchw_fchw {{.+}} outs(%[[INITR]] :
// CHECK: %[[CONVR:.+]] = tilegraph.connect %[[CONV]] at register
// CHECK: %[[RELU:.+]] = linalg.generic {{.+}} ins(%[[CONVR]] :
// CHECK: tilegraph.yield %[[RELU]]
// CHECK: return %[[K]]
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @conv_bias_relu(%x: tensor<1x64x58x58xf32>, %w: tensor<64x64x3x3xf32>, %b: tensor<64xf32>) -> tensor<1x64x56x56xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x56x56xf32>
  %init = linalg.broadcast ins(%b : tensor<64xf32>) outs(%e : tensor<1x64x56x56xf32>) dimensions = [0, 2, 3]
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x64x58x58xf32>, tensor<64x64x3x3xf32>) outs(%init : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  %relu = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x64x56x56xf32>) outs(%e : tensor<1x64x56x56xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x64x56x56xf32>
  return %relu : tensor<1x64x56x56xf32>
}
