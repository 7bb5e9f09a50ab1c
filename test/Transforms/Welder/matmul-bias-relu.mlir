// RUN: hm-opt %s --split-input-file --hm-welder="arch=sm_90" | FileCheck %s --check-prefix=WELDER
// RUN: hm-opt %s --split-input-file --hm-welder="arch=sm_90 policy=elementwise" | FileCheck %s --check-prefix=ELEMENTWISE
// RUN: hm-opt %s --split-input-file --hm-roller --hm-welder="arch=sm_90" | FileCheck %s --check-prefix=WELDER

// A linear layer: matmul, bias, ReLU. Welder fuses the epilogues into the
// matmul kernel, the accumulator and the biased value in registers; the
// element-wise policy keeps the matmul alone and fuses the bias and the ReLU.
// WELDER-LABEL: func.func @matmul_bias_relu
// WELDER: %[[K:.+]] = tilegraph.kernel "matmul_bias_relu_k0" (%{{.+}}, %{{.+}}, %{{.+}}) tile [128, 128]
// WELDER: %[[MM:.+]] = linalg.matmul
// WELDER: %[[MMR:.+]] = tilegraph.connect %[[MM]] at register
// WELDER: %[[B:.+]] = linalg.generic {{.+}} ins(%[[MMR]],
// WELDER: %[[BR:.+]] = tilegraph.connect %[[B]] at register
// WELDER: %[[R:.+]] = linalg.generic {{.+}} ins(%[[BR]] :
// WELDER: tilegraph.yield %[[R]]
// WELDER-NOT: tilegraph.kernel
// WELDER: return %[[K]]

// ELEMENTWISE-LABEL: func.func @matmul_bias_relu
// ELEMENTWISE: %[[K0:.+]] = tilegraph.kernel "matmul_bias_relu_k0" (%{{.+}}, %{{.+}})
// ELEMENTWISE: linalg.matmul
// ELEMENTWISE-NOT: tilegraph.connect
// ELEMENTWISE: %[[K1:.+]] = tilegraph.kernel "matmul_bias_relu_k1" (%[[K0]], %{{.+}})
// ELEMENTWISE: tilegraph.connect %{{.+}} at register
// ELEMENTWISE: return %[[K1]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @matmul_bias_relu(%a: tensor<512x256xf32>, %b: tensor<256x512xf32>, %bias: tensor<512xf32>) -> tensor<512x512xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<512x512xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<512x512xf32>) -> tensor<512x512xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<512x256xf32>, tensor<256x512xf32>) outs(%init : tensor<512x512xf32>) -> tensor<512x512xf32>
  %biased = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<512x512xf32>, tensor<512xf32>) outs(%empty : tensor<512x512xf32>) {
  ^bb0(%m: f32, %bv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    linalg.yield %s : f32
  } -> tensor<512x512xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%biased : tensor<512x512xf32>) outs(%empty : tensor<512x512xf32>) {
  ^bb0(%m: f32, %o: f32):
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  } -> tensor<512x512xf32>
  return %relu : tensor<512x512xf32>
}

// -----

// The element-wise policy leaves the reductions of a softmax alone: three
// kernels. (Welder's single kernel is in softmax.mlir.)
// ELEMENTWISE-LABEL: func.func @softmax_rows
// ELEMENTWISE-COUNT-3: tilegraph.kernel
// ELEMENTWISE-NOT: tilegraph.connect
// WELDER-LABEL: func.func @softmax_rows
// WELDER-COUNT-1: tilegraph.kernel
// WELDER-NOT: tilegraph.kernel
#sm = affine_map<(d0, d1) -> (d0, d1)>
#sr = affine_map<(d0, d1) -> (d0)>
func.func @softmax_rows(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64xf32>
  %im = linalg.fill ins(%ninf : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
  %max = linalg.reduce ins(%x : tensor<64x256xf32>) outs(%im : tensor<64xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %m = arith.maximumf %in, %acc : f32
      linalg.yield %m : f32
    }
  %iz = linalg.fill ins(%zero : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
  %sum = linalg.generic {indexing_maps = [#sm, #sr, #sr], iterator_types = ["parallel", "reduction"]}
      ins(%x, %max : tensor<64x256xf32>, tensor<64xf32>) outs(%iz : tensor<64xf32>) {
  ^bb0(%a: f32, %m: f32, %acc: f32):
    %d = arith.subf %a, %m : f32
    %ex = math.exp %d : f32
    %s = arith.addf %acc, %ex : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %eo = tensor.empty() : tensor<64x256xf32>
  %y = linalg.generic {indexing_maps = [#sm, #sr, #sr, #sm], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max, %sum : tensor<64x256xf32>, tensor<64xf32>, tensor<64xf32>) outs(%eo : tensor<64x256xf32>) {
  ^bb0(%a: f32, %m: f32, %s: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %ex = math.exp %d : f32
    %p = arith.divf %ex, %s : f32
    linalg.yield %p : f32
  } -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
