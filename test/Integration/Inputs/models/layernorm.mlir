// Layer normalisation over the last axis of 6x40, with scale and bias:
//   y = (x - mean) / sqrt(var + 1e-5) * gamma + beta
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @layernorm(%x: tensor<6x40xf32>, %gamma: tensor<40xf32>, %beta: tensor<40xf32>) -> tensor<6x40xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 40.0 : f32
  %eps = arith.constant 1.0e-5 : f32
  %e1 = tensor.empty() : tensor<6xf32>
  %e2 = tensor.empty() : tensor<6x40xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<6xf32>) -> tensor<6xf32>
  %sum = linalg.reduce ins(%x : tensor<6x40xf32>) outs(%s0 : tensor<6xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %centered = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %sum : tensor<6x40xf32>, tensor<6xf32>) outs(%e2 : tensor<6x40xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %mean = arith.divf %s, %n : f32
    %c = arith.subf %v, %mean : f32
    linalg.yield %c : f32
  } -> tensor<6x40xf32>
  %q0 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<6xf32>) -> tensor<6xf32>
  %sq = linalg.reduce ins(%centered : tensor<6x40xf32>) outs(%q0 : tensor<6xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %p = arith.mulf %in, %in : f32
      %s = arith.addf %p, %acc : f32
      linalg.yield %s : f32
    }
  %y = linalg.generic {indexing_maps = [#id, #row, #col, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%centered, %sq, %gamma, %beta : tensor<6x40xf32>, tensor<6xf32>, tensor<40xf32>, tensor<40xf32>)
      outs(%e2 : tensor<6x40xf32>) {
  ^bb0(%c: f32, %q: f32, %g: f32, %b: f32, %o: f32):
    %var = arith.divf %q, %n : f32
    %ve = arith.addf %var, %eps : f32
    %r = math.rsqrt %ve : f32
    %nrm = arith.mulf %c, %r : f32
    %sc = arith.mulf %nrm, %g : f32
    %out = arith.addf %sc, %b : f32
    linalg.yield %out : f32
  } -> tensor<6x40xf32>
  return %y : tensor<6x40xf32>
}
