// softmax at sizes the emulator runs quickly (test/Integration/Emu/welder-softmax.test).
#smap = affine_map<(d0, d1) -> (d0, d1)>
#smap1 = affine_map<(d0, d1) -> (d0, 0)>
#smap2 = affine_map<(d0, d1) -> (d0)>
func.func @softmax(%arg0: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %cst = arith.constant 0xFF800000 : f32
  %0 = tensor.empty() : tensor<16xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<16xf32>) -> tensor<16xf32>
  %reduced = linalg.reduce ins(%arg0 : tensor<16x64xf32>) outs(%1 : tensor<16xf32>) dimensions = [1]
    (%in: f32, %init: f32) {
      %7 = arith.maximumf %in, %init : f32
      linalg.yield %7 : f32
    }
  %expanded = tensor.expand_shape %reduced [[0, 1]] output_shape [16, 1] : tensor<16xf32> into tensor<16x1xf32>
  %cst_0 = arith.constant 0.000000e+00 : f32
  %2 = tensor.empty() : tensor<16xf32>
  %3 = linalg.fill ins(%cst_0 : f32) outs(%2 : tensor<16xf32>) -> tensor<16xf32>
  %4 = linalg.generic {indexing_maps = [#smap, #smap1, #smap2], iterator_types = ["parallel", "reduction"]} ins(%arg0, %expanded : tensor<16x64xf32>, tensor<16x1xf32>) outs(%3 : tensor<16xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %7 = arith.subf %in, %in_2 : f32
    %8 = math.exp %7 : f32
    %9 = arith.addf %out, %8 : f32
    linalg.yield %9 : f32
  } -> tensor<16xf32>
  %expanded_1 = tensor.expand_shape %4 [[0, 1]] output_shape [16, 1] : tensor<16xf32> into tensor<16x1xf32>
  %5 = tensor.empty() : tensor<16x64xf32>
  %6 = linalg.generic {indexing_maps = [#smap, #smap1, #smap1, #smap], iterator_types = ["parallel", "parallel"]} ins(%arg0, %expanded, %expanded_1 : tensor<16x64xf32>, tensor<16x1xf32>, tensor<16x1xf32>) outs(%5 : tensor<16x64xf32>) {
  ^bb0(%in: f32, %in_2: f32, %in_3: f32, %out: f32):
    %7 = arith.subf %in, %in_2 : f32
    %8 = math.exp %7 : f32
    %9 = arith.divf %8, %in_3 : f32
    linalg.yield %9 : f32
  } -> tensor<16x64xf32>
  return %6 : tensor<16x64xf32>
}
