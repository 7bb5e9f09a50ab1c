// matmul + bias + ReLU with an element-wise prologue (A scaled by 0.5) as
// one Welder group whose tile [32, 32] is the block tile of the matmul's
// rtile.config (test/Integration/Emu/welder-tiled-matmul-bias-relu.test):
// lowered through Roller's tiled kernel of the matmul, the prologue computed
// while staging A, bias and ReLU applied per register-tile point.
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @tiled_matmul_bias_relu(%a: tensor<64x48xf32>, %b: tensor<48x96xf32>, %bias: tensor<96xf32>) -> tensor<64x96xf32> {
  %r = tilegraph.kernel "tiled_matmul_bias_relu" (%a, %b, %bias) tile [32, 32]
      : (tensor<64x48xf32>, tensor<48x96xf32>, tensor<96xf32>) -> tensor<64x96xf32> {
  ^bb0(%x: tensor<64x48xf32>, %y: tensor<48x96xf32>, %z: tensor<96xf32>):
    %zero = arith.constant 0.0 : f32
    %half = arith.constant 0.5 : f32
    %ea = tensor.empty() : tensor<64x48xf32>
    %scaled = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<64x48xf32>) outs(%ea : tensor<64x48xf32>) {
    ^bb0(%v: f32, %o: f32):
      %s = arith.mulf %v, %half : f32
      linalg.yield %s : f32
    } -> tensor<64x48xf32>
    %scaled_smem = tilegraph.connect %scaled at shared : tensor<64x48xf32>
    %empty = tensor.empty() : tensor<64x96xf32>
    %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<64x96xf32>) -> tensor<64x96xf32>
    %mm = linalg.matmul {rtile.config = #rtile.config<block = [32, 32], warp = [8, 32], thread = [4, 4], reduction = [8], padding = 1, vector = 4, double_buffer>}
        ins(%scaled_smem, %y : tensor<64x48xf32>, tensor<48x96xf32>) outs(%init : tensor<64x96xf32>) -> tensor<64x96xf32>
    %mm_reg = tilegraph.connect %mm at register : tensor<64x96xf32>
    %e1 = tensor.empty() : tensor<64x96xf32>
    %biased = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
        ins(%mm_reg, %z : tensor<64x96xf32>, tensor<96xf32>) outs(%e1 : tensor<64x96xf32>) {
    ^bb0(%m: f32, %bv: f32, %o: f32):
      %s = arith.addf %m, %bv : f32
      linalg.yield %s : f32
    } -> tensor<64x96xf32>
    %biased_reg = tilegraph.connect %biased at register : tensor<64x96xf32>
    %e2 = tensor.empty() : tensor<64x96xf32>
    %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%biased_reg : tensor<64x96xf32>) outs(%e2 : tensor<64x96xf32>) {
    ^bb0(%m: f32, %o: f32):
      %v = arith.maximumf %m, %zero : f32
      linalg.yield %v : f32
    } -> tensor<64x96xf32>
    tilegraph.yield %relu : tensor<64x96xf32>
  }
  return %r : tensor<64x96xf32>
}
