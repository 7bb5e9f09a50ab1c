// RUN: hm-opt %s --hm-welder="arch=sm_90" | FileCheck %s

// A residual connection: the block's input added to its last convolution's
// ReLU output.
// The skip connection is an input of the convolution's kernel; the add and
// the ReLU are epilogues in registers.
// CHECK-LABEL: func.func @residual
// CHECK-SAME: (%[[X:.+]]: tensor<1x64x56x56xf32>, %[[XP:.+]]: tensor<1x64x58x58xf32>, %[[W:.+]]: tensor<64x64x3x3xf32>)
// CHECK: %[[K:.+]] = tilegraph.kernel "residual_k0" (%[[XP]], %[[W]], %[[X]]) tile [1, 2, 7, 14]
// CHECK: ^bb0(%{{.+}}: tensor<1x64x58x58xf32>, %{{.+}}: tensor<64x64x3x3xf32>, %[[SKIP:.+]]: tensor<1x64x56x56xf32>):
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nchw_fchw
// CHECK: %[[CONVR:.+]] = tilegraph.connect %[[CONV]] at register
// CHECK: %[[SUM:.+]] = linalg.generic {{.+}} ins(%[[CONVR]], %[[SKIP]] :
// CHECK: tilegraph.connect %[[SUM]] at register
// CHECK: tilegraph.yield
// CHECK: return %[[K]]
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @residual(%x: tensor<1x64x56x56xf32>, %xp: tensor<1x64x58x58xf32>, %w: tensor<64x64x3x3xf32>) -> tensor<1x64x56x56xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x56x56xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xp, %w : tensor<1x64x58x58xf32>, tensor<64x64x3x3xf32>) outs(%init : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv, %x : tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) outs(%e : tensor<1x64x56x56xf32>) {
  ^bb0(%c: f32, %r: f32, %o: f32):
    %s = arith.addf %c, %r : f32
    linalg.yield %s : f32
  } -> tensor<1x64x56x56xf32>
  %relu = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sum : tensor<1x64x56x56xf32>) outs(%e : tensor<1x64x56x56xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x64x56x56xf32>
  return %relu : tensor<1x64x56x56xf32>
}
