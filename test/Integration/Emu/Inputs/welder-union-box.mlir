// Groups written as tilegraph.kernel ops (so that the tile is fixed) whose
// shared intermediates are read at different origins.
//
// A group whose shared intermediate is read over whole rows by a row
// reduction and over the block's 64 columns by the element-wise output
// (test/Integration/Emu/welder-union-box.test): the tile [2, 64] splits the
// rows, so the squares are computed over the union, whole rows, per block.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @normalize_columns(%x: tensor<8x256xf32>) -> tensor<8x256xf32> {
  %r = tilegraph.kernel "normalize_columns" (%x) tile [2, 64]
      : (tensor<8x256xf32>) -> tensor<8x256xf32> {
  ^bb0(%a: tensor<8x256xf32>):
    %zero = arith.constant 0.0 : f32
    %one = arith.constant 1.0 : f32
    %empty = tensor.empty() : tensor<8x256xf32>
    %sq = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%a : tensor<8x256xf32>) outs(%empty : tensor<8x256xf32>) {
    ^bb0(%v: f32, %o: f32):
      %m = arith.mulf %v, %v : f32
      %p = arith.addf %m, %one : f32
      linalg.yield %p : f32
    } -> tensor<8x256xf32>
    %sq_smem = tilegraph.connect %sq at shared : tensor<8x256xf32>
    %rows = tensor.empty() : tensor<8xf32>
    %init = linalg.fill ins(%zero : f32) outs(%rows : tensor<8xf32>) -> tensor<8xf32>
    %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
        ins(%sq_smem : tensor<8x256xf32>) outs(%init : tensor<8xf32>) {
    ^bb0(%v: f32, %acc: f32):
      %s = arith.addf %v, %acc : f32
      linalg.yield %s : f32
    } -> tensor<8xf32>
    %sum_smem = tilegraph.connect %sum at shared : tensor<8xf32>
    %out = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
        ins(%sq_smem, %sum_smem : tensor<8x256xf32>, tensor<8xf32>) outs(%empty : tensor<8x256xf32>) {
    ^bb0(%v: f32, %s: f32, %o: f32):
      %q = arith.divf %v, %s : f32
      linalg.yield %q : f32
    } -> tensor<8x256xf32>
    tilegraph.yield %out : tensor<8x256xf32>
  }
  return %r : tensor<8x256xf32>
}

// A shared intermediate read at two origins a constant apart (the even and
// the odd columns): the block computes their hull, 32 columns for a
// 16-column tile.
#left = affine_map<(d0, d1) -> (d0, d1)>
#even = affine_map<(d0, d1) -> (d0, d1 * 2)>
#odd = affine_map<(d0, d1) -> (d0, d1 * 2 + 1)>
func.func @pair_difference(%x: tensor<8x128xf32>, %w: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %r = tilegraph.kernel "pair_difference" (%x, %w) tile [2, 16]
      : (tensor<8x128xf32>, tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x128xf32>, %b: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x128xf32>
    %t = linalg.generic {indexing_maps = [#left, #left], iterator_types = ["parallel", "parallel"]}
        ins(%a : tensor<8x128xf32>) outs(%e : tensor<8x128xf32>) {
    ^bb0(%v: f32, %o: f32):
      %m = math.exp %v : f32
      linalg.yield %m : f32
    } -> tensor<8x128xf32>
    %t_smem = tilegraph.connect %t at shared : tensor<8x128xf32>
    %empty = tensor.empty() : tensor<8x64xf32>
    %out = linalg.generic {indexing_maps = [#left, #even, #odd, #left], iterator_types = ["parallel", "parallel"]}
        ins(%b, %t_smem, %t_smem : tensor<8x64xf32>, tensor<8x128xf32>, tensor<8x128xf32>) outs(%empty : tensor<8x64xf32>) {
    ^bb0(%wv: f32, %l: f32, %rr: f32, %o: f32):
      %s = arith.subf %rr, %l : f32
      %p = arith.mulf %s, %wv : f32
      linalg.yield %p : f32
    } -> tensor<8x64xf32>
    tilegraph.yield %out : tensor<8x64xf32>
  }
  return %r : tensor<8x64xf32>
}
