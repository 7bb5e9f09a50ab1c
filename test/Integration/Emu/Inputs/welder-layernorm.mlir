// layernorm at sizes the emulator runs quickly (test/Integration/Emu/welder-layernorm.test).
#lmap = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#lmap1 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#lmap2 = affine_map<(d0, d1, d2) -> (d0, d1)>
#lmap3 = affine_map<(d0, d1, d2) -> (d2)>
func.func @layernorm(%arg0: tensor<2x8x32xf32>, %gamma: tensor<32xf32>, %beta: tensor<32xf32>) -> tensor<2x8x32xf32> {
  %cst_1 = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<2x8xf32>
  %1 = linalg.fill ins(%cst_1 : f32) outs(%0 : tensor<2x8xf32>) -> tensor<2x8xf32>
  %reduced = linalg.reduce ins(%arg0 : tensor<2x8x32xf32>) outs(%1 : tensor<2x8xf32>) dimensions = [2]
    (%in: f32, %init: f32) {
      %13 = arith.addf %in, %init : f32
      linalg.yield %13 : f32
    }
  %expanded = tensor.expand_shape %reduced [[0], [1, 2]] output_shape [2, 8, 1] : tensor<2x8xf32> into tensor<2x8x1xf32>
  %2 = tensor.empty() : tensor<2x8x1xf32>
  %3 = linalg.generic {indexing_maps = [#lmap, #lmap], iterator_types = ["parallel", "parallel", "parallel"]} ins(%expanded : tensor<2x8x1xf32>) outs(%2 : tensor<2x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %cst_3 = arith.constant 3.200000e+01 : f32
    %13 = arith.divf %in, %cst_3 : f32
    linalg.yield %13 : f32
  } -> tensor<2x8x1xf32>
  %5 = linalg.fill ins(%cst_1 : f32) outs(%0 : tensor<2x8xf32>) -> tensor<2x8xf32>
  %6 = linalg.generic {indexing_maps = [#lmap, #lmap1, #lmap2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %3 : tensor<2x8x32xf32>, tensor<2x8x1xf32>) outs(%5 : tensor<2x8xf32>) {
  ^bb0(%in: f32, %in_3: f32, %out: f32):
    %13 = arith.subf %in, %in_3 : f32
    %14 = arith.mulf %13, %13 : f32
    %15 = arith.addf %out, %14 : f32
    linalg.yield %15 : f32
  } -> tensor<2x8xf32>
  %expanded_2 = tensor.expand_shape %6 [[0], [1, 2]] output_shape [2, 8, 1] : tensor<2x8xf32> into tensor<2x8x1xf32>
  %8 = linalg.generic {indexing_maps = [#lmap, #lmap], iterator_types = ["parallel", "parallel", "parallel"]} ins(%expanded_2 : tensor<2x8x1xf32>) outs(%2 : tensor<2x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %cst_3 = arith.constant 3.200000e+01 : f32
    %13 = arith.divf %in, %cst_3 : f32
    linalg.yield %13 : f32
  } -> tensor<2x8x1xf32>
  %10 = linalg.generic {indexing_maps = [#lmap, #lmap], iterator_types = ["parallel", "parallel", "parallel"]} ins(%8 : tensor<2x8x1xf32>) outs(%2 : tensor<2x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %cst_3 = arith.constant 1.000000e+00 : f32
    %cst_4 = arith.constant 9.99999974E-6 : f32
    %13 = arith.addf %in, %cst_4 : f32
    %14 = math.sqrt %13 : f32
    %15 = arith.divf %cst_3, %14 : f32
    linalg.yield %15 : f32
  } -> tensor<2x8x1xf32>
  %11 = tensor.empty() : tensor<2x8x32xf32>
  %12 = linalg.generic {indexing_maps = [#lmap, #lmap1, #lmap1, #lmap3, #lmap3, #lmap], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %3, %10, %gamma, %beta : tensor<2x8x32xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>, tensor<32xf32>, tensor<32xf32>) outs(%11 : tensor<2x8x32xf32>) {
  ^bb0(%in: f32, %in_3: f32, %in_4: f32, %in_5: f32, %in_6: f32, %out: f32):
    %13 = arith.subf %in, %in_3 : f32
    %14 = arith.mulf %13, %in_4 : f32
    %15 = arith.mulf %14, %in_5 : f32
    %16 = arith.addf %15, %in_6 : f32
    linalg.yield %16 : f32
  } -> tensor<2x8x32xf32>
  return %12 : tensor<2x8x32xf32>
}
