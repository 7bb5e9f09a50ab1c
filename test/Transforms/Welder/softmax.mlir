// RUN: hm-opt %s --hm-welder="arch=sm_90" | FileCheck %s

// A softmax as the ONNX importer writes it (keepdims maxima and sums
// expanded to 128x1) becomes one kernel. The maximum reaches the sum of
// exponentials in the registers of the thread that computed its row (the
// sum's parallel loop is the maximum's); the final quotient reads the
// maximum and the sum broadcast along its columns, so those edges go
// through shared memory. The reshapes travel with the edges.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<128x1024xf32>)
// CHECK: %[[K:.+]] = tilegraph.kernel "softmax_k0" (%[[X]]) tile [1, 1024]
// CHECK: %[[MAX:.+]] = linalg.reduce
// CHECK: %[[MAXR:.+]] = tilegraph.connect %[[MAX]] at register
// CHECK: tensor.expand_shape %[[MAXR]]
// CHECK: %[[SUM:.+]] = linalg.generic {{.+}}iterator_types = ["parallel", "reduction"]
// CHECK-DAG: tilegraph.connect %[[MAX]] at shared
// CHECK-DAG: tilegraph.connect %[[SUM]] at shared
// CHECK: %[[Y:.+]] = linalg.generic {{.+}}iterator_types = ["parallel", "parallel"]
// CHECK: tilegraph.yield %[[Y]]
// CHECK: return %[[K]]
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d0, 0)>
#map2 = affine_map<(d0, d1) -> (d0)>
func.func @softmax(%arg0: tensor<128x1024xf32>) -> tensor<128x1024xf32> {
  %cst = arith.constant 0xFF800000 : f32
  %0 = tensor.empty() : tensor<128xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<128xf32>) -> tensor<128xf32>
  %reduced = linalg.reduce ins(%arg0 : tensor<128x1024xf32>) outs(%1 : tensor<128xf32>) dimensions = [1]
    (%in: f32, %init: f32) {
      %7 = arith.maximumf %in, %init : f32
      linalg.yield %7 : f32
    }
  %expanded = tensor.expand_shape %reduced [[0, 1]] output_shape [128, 1] : tensor<128xf32> into tensor<128x1xf32>
  %cst_0 = arith.constant 0.000000e+00 : f32
  %2 = tensor.empty() : tensor<128xf32>
  %3 = linalg.fill ins(%cst_0 : f32) outs(%2 : tensor<128xf32>) -> tensor<128xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "reduction"]} ins(%arg0, %expanded : tensor<128x1024xf32>, tensor<128x1xf32>) outs(%3 : tensor<128xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %7 = arith.subf %in, %in_2 : f32
    %8 = math.exp %7 : f32
    %9 = arith.addf %out, %8 : f32
    linalg.yield %9 : f32
  } -> tensor<128xf32>
  %expanded_1 = tensor.expand_shape %4 [[0, 1]] output_shape [128, 1] : tensor<128xf32> into tensor<128x1xf32>
  %5 = tensor.empty() : tensor<128x1024xf32>
  %6 = linalg.generic {indexing_maps = [#map, #map1, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%arg0, %expanded, %expanded_1 : tensor<128x1024xf32>, tensor<128x1xf32>, tensor<128x1xf32>) outs(%5 : tensor<128x1024xf32>) {
  ^bb0(%in: f32, %in_2: f32, %in_3: f32, %out: f32):
    %7 = arith.subf %in, %in_2 : f32
    %8 = math.exp %7 : f32
    %9 = arith.divf %8, %in_3 : f32
    linalg.yield %9 : f32
  } -> tensor<128x1024xf32>
  return %6 : tensor<128x1024xf32>
}
