// Groups whose contractions the block computes whole into shared memory
// (test/Integration/Emu/welder-tiled-shared.test): a matmul read by a row
// reduction (BERT's projection + bias + residual + layer normalisation) and a
// matmul read transposed. Sizes are not multiples of the tiles.
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
#row = affine_map<(d0, d1) -> (d0)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
#id1 = affine_map<(d0) -> (d0)>
func.func @matmul_layernorm(%x: tensor<24x40xf32>, %w: tensor<40x256xf32>, %b: tensor<256xf32>, %res: tensor<24x256xf32>, %gamma: tensor<256xf32>, %beta: tensor<256xf32>) -> tensor<24x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<24x256xf32>) -> tensor<24x256xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<24x40xf32>, tensor<40x256xf32>) outs(%f : tensor<24x256xf32>) -> tensor<24x256xf32>
  %eh = tensor.empty() : tensor<24x256xf32>
  %h = linalg.generic {indexing_maps = [#id, #col, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b, %res : tensor<24x256xf32>, tensor<256xf32>, tensor<24x256xf32>) outs(%eh : tensor<24x256xf32>) {
  ^bb0(%m: f32, %bv: f32, %rv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    %t = arith.addf %s, %rv : f32
    linalg.yield %t : f32
  } -> tensor<24x256xf32>
  %e1 = tensor.empty() : tensor<24xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<24xf32>) -> tensor<24xf32>
  %sum = linalg.reduce ins(%h : tensor<24x256xf32>) outs(%f1 : tensor<24xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %em = tensor.empty() : tensor<24xf32>
  %mean = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%sum : tensor<24xf32>) outs(%em : tensor<24xf32>) {
  ^bb0(%s: f32, %o: f32):
    %n = arith.constant 256.0 : f32
    %m = arith.divf %s, %n : f32
    linalg.yield %m : f32
  } -> tensor<24xf32>
  %ev = tensor.empty() : tensor<24xf32>
  %fv = linalg.fill ins(%zero : f32) outs(%ev : tensor<24xf32>) -> tensor<24xf32>
  %var = linalg.generic {indexing_maps = [#id, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%h, %mean : tensor<24x256xf32>, tensor<24xf32>) outs(%fv : tensor<24xf32>) {
  ^bb0(%v: f32, %m: f32, %acc: f32):
    %d = arith.subf %v, %m : f32
    %d2 = arith.mulf %d, %d : f32
    %a = arith.addf %acc, %d2 : f32
    linalg.yield %a : f32
  } -> tensor<24xf32>
  %eo = tensor.empty() : tensor<24x256xf32>
  %out = linalg.generic {indexing_maps = [#id, #row, #row, #col, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %mean, %var, %gamma, %beta : tensor<24x256xf32>, tensor<24xf32>, tensor<24xf32>, tensor<256xf32>, tensor<256xf32>) outs(%eo : tensor<24x256xf32>) {
  ^bb0(%v: f32, %m: f32, %s: f32, %g: f32, %bb: f32, %o: f32):
    %n = arith.constant 256.0 : f32
    %eps = arith.constant 1.0e-5 : f32
    %d = arith.subf %v, %m : f32
    %q = arith.divf %s, %n : f32
    %qe = arith.addf %q, %eps : f32
    %r = math.rsqrt %qe : f32
    %y = arith.mulf %d, %r : f32
    %yg = arith.mulf %y, %g : f32
    %yb = arith.addf %yg, %bb : f32
    linalg.yield %yb : f32
  } -> tensor<24x256xf32>
  return %out : tensor<24x256xf32>
}

func.func @matmul_transpose(%x: tensor<40x24xf32>, %w: tensor<24x36xf32>, %b: tensor<36xf32>) -> tensor<36x40xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<40x36xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<40x36xf32>) -> tensor<40x36xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<40x24xf32>, tensor<24x36xf32>) outs(%f : tensor<40x36xf32>) -> tensor<40x36xf32>
  %et = tensor.empty() : tensor<36x40xf32>
  %t = linalg.generic {indexing_maps = [#tr, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<40x36xf32>, tensor<36xf32>) outs(%et : tensor<36x40xf32>) {
  ^bb0(%m: f32, %bv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    linalg.yield %s : f32
  } -> tensor<36x40xf32>
  return %t : tensor<36x40xf32>
}

func.func @matmul_matmul(%x: tensor<40x24xf32>, %w1: tensor<24x36xf32>, %w2: tensor<36x20xf32>) -> tensor<40x20xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<40x36xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<40x36xf32>) -> tensor<40x36xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<40x24xf32>, tensor<24x36xf32>) outs(%f1 : tensor<40x36xf32>) -> tensor<40x36xf32>
  %e2 = tensor.empty() : tensor<40x20xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<40x20xf32>) -> tensor<40x20xf32>
  %m2 = linalg.matmul ins(%m1, %w2 : tensor<40x36xf32>, tensor<36x20xf32>) outs(%f2 : tensor<40x20xf32>) -> tensor<40x20xf32>
  return %m2 : tensor<40x20xf32>
}

func.func @matmul_transpose_large(%x: tensor<96x64xf32>, %w: tensor<64x128xf32>, %b: tensor<128xf32>) -> tensor<128x96xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<96x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<96x128xf32>) -> tensor<96x128xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<96x64xf32>, tensor<64x128xf32>) outs(%f : tensor<96x128xf32>) -> tensor<96x128xf32>
  %et = tensor.empty() : tensor<128x96xf32>
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<96x128xf32>, tensor<128xf32>) outs(%et : tensor<128x96xf32>) {
  ^bb0(%m: f32, %bv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    linalg.yield %s : f32
  } -> tensor<128x96xf32>
  return %t : tensor<128x96xf32>
}
