// attention at sizes the emulator runs quickly (test/Integration/Emu/welder-attention.test).
#s3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#r3 = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @attention(%q: tensor<2x16x8xf32>, %kt: tensor<2x8x16xf32>, %v: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %es = tensor.empty() : tensor<2x16x16xf32>
  %is = linalg.fill ins(%zero : f32) outs(%es : tensor<2x16x16xf32>) -> tensor<2x16x16xf32>
  %scores = linalg.batch_matmul ins(%q, %kt : tensor<2x16x8xf32>, tensor<2x8x16xf32>) outs(%is : tensor<2x16x16xf32>) -> tensor<2x16x16xf32>
  %scaled = linalg.generic {indexing_maps = [#s3, #s3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scores : tensor<2x16x16xf32>) outs(%es : tensor<2x16x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.125 : f32
    %y = arith.mulf %x, %c : f32
    linalg.yield %y : f32
  } -> tensor<2x16x16xf32>
  %er = tensor.empty() : tensor<2x16xf32>
  %im = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x16xf32>) -> tensor<2x16xf32>
  %max = linalg.reduce ins(%scaled : tensor<2x16x16xf32>) outs(%im : tensor<2x16xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %m = arith.maximumf %in, %acc : f32
      linalg.yield %m : f32
    }
  %iz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x16xf32>) -> tensor<2x16xf32>
  %sum = linalg.generic {indexing_maps = [#s3, #r3, #r3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%scaled, %max : tensor<2x16x16xf32>, tensor<2x16xf32>) outs(%iz : tensor<2x16xf32>) {
  ^bb0(%x: f32, %m: f32, %acc: f32):
    %d = arith.subf %x, %m : f32
    %e = math.exp %d : f32
    %s = arith.addf %acc, %e : f32
    linalg.yield %s : f32
  } -> tensor<2x16xf32>
  %probs = linalg.generic {indexing_maps = [#s3, #r3, #r3, #s3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scaled, %max, %sum : tensor<2x16x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) outs(%es : tensor<2x16x16xf32>) {
  ^bb0(%x: f32, %m: f32, %s: f32, %o: f32):
    %d = arith.subf %x, %m : f32
    %e = math.exp %d : f32
    %p = arith.divf %e, %s : f32
    linalg.yield %p : f32
  } -> tensor<2x16x16xf32>
  %ec = tensor.empty() : tensor<2x16x8xf32>
  %ic = linalg.fill ins(%zero : f32) outs(%ec : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  %ctx = linalg.batch_matmul ins(%probs, %v : tensor<2x16x16xf32>, tensor<2x16x8xf32>) outs(%ic : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return %ctx : tensor<2x16x8xf32>
}
