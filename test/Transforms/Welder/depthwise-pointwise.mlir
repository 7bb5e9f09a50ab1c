// RUN: hm-opt %s --hm-welder="arch=sm_90" | FileCheck %s

// A MobileNetV2 block: a 3x3 depthwise convolution, batch normalisation
// (inference: one per-channel scale and shift), ReLU6, then the 1x1
// pointwise convolution.
// One kernel: the depthwise convolution's epilogues in registers; the
// pointwise convolution reduces over the 96 channels of the ReLU6 output,
// which other threads produced, so that edge is in shared memory.
// CHECK-LABEL: func.func @dw_bn_relu6_pw
// CHECK: %[[K:.+]] = tilegraph.kernel "dw_bn_relu6_pw_k0" ({{.+}}) tile [1, 6, 7, 14]
// CHECK: %[[DW:.+]] = linalg.depthwise_conv_2d_nchw_chw
// CHECK: tilegraph.connect %[[DW]] at register
// CHECK: %[[BN:.+]] = linalg.generic
// CHECK: tilegraph.connect %[[BN]] at register
// CHECK: %[[R6:.+]] = linalg.generic
// CHECK: %[[R6S:.+]] = tilegraph.connect %[[R6]] at shared
// CHECK: %[[PW:.+]] = linalg.conv_2d_nchw_fchw {{.+}} ins(%[[R6S]],
// CHECK: tilegraph.yield %[[PW]]
// CHECK-NOT: tilegraph.kernel
// CHECK: return %[[K]]
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @dw_bn_relu6_pw(%x: tensor<1x96x58x58xf32>, %wd: tensor<96x3x3xf32>, %scale: tensor<96xf32>, %shift: tensor<96xf32>, %wp: tensor<24x96x1x1xf32>) -> tensor<1x24x56x56xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %ed = tensor.empty() : tensor<1x96x56x56xf32>
  %id = linalg.fill ins(%zero : f32) outs(%ed : tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  %dw = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %wd : tensor<1x96x58x58xf32>, tensor<96x3x3xf32>) outs(%id : tensor<1x96x56x56xf32>) -> tensor<1x96x56x56xf32>
  %bn = linalg.generic {indexing_maps = [#id4, #ch, #ch, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%dw, %scale, %shift : tensor<1x96x56x56xf32>, tensor<96xf32>, tensor<96xf32>) outs(%ed : tensor<1x96x56x56xf32>) {
  ^bb0(%v: f32, %s: f32, %t: f32, %o: f32):
    %m = arith.mulf %v, %s : f32
    %a = arith.addf %m, %t : f32
    linalg.yield %a : f32
  } -> tensor<1x96x56x56xf32>
  %relu6 = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bn : tensor<1x96x56x56xf32>) outs(%ed : tensor<1x96x56x56xf32>) {
  ^bb0(%v: f32, %o: f32):
    %lo = arith.maximumf %v, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<1x96x56x56xf32>
  %ep = tensor.empty() : tensor<1x24x56x56xf32>
  %ip = linalg.fill ins(%zero : f32) outs(%ep : tensor<1x24x56x56xf32>) -> tensor<1x24x56x56xf32>
  %pw = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%relu6, %wp : tensor<1x96x56x56xf32>, tensor<24x96x1x1xf32>) outs(%ip : tensor<1x24x56x56xf32>) -> tensor<1x24x56x56xf32>
  return %pw : tensor<1x24x56x56xf32>
}
