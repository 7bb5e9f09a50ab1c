// Welder's fusion patterns at sizes the emulator runs quickly; used by
// test/Integration/Emu/welder-*.test (one function per pattern).



#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @matmul_bias_relu(%a: tensor<64x32xf32>, %b: tensor<32x48xf32>, %bias: tensor<48xf32>) -> tensor<64x48xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<64x48xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<64x48xf32>) -> tensor<64x48xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<64x32xf32>, tensor<32x48xf32>) outs(%init : tensor<64x48xf32>) -> tensor<64x48xf32>
  %biased = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<64x48xf32>, tensor<48xf32>) outs(%empty : tensor<64x48xf32>) {
  ^bb0(%m: f32, %bv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    linalg.yield %s : f32
  } -> tensor<64x48xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%biased : tensor<64x48xf32>) outs(%empty : tensor<64x48xf32>) {
  ^bb0(%m: f32, %o: f32):
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  } -> tensor<64x48xf32>
  return %relu : tensor<64x48xf32>
}



#cid4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @conv_bias_relu(%x: tensor<1x8x10x10xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x8x8xf32>
  %init = linalg.broadcast ins(%b : tensor<16xf32>) outs(%e : tensor<1x16x8x8xf32>) dimensions = [0, 2, 3]
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>) outs(%init : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %relu = linalg.generic {indexing_maps = [#cid4, #cid4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x16x8x8xf32>) outs(%e : tensor<1x16x8x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x16x8x8xf32>
  return %relu : tensor<1x16x8x8xf32>
}


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


#did4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#dch = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @dw_bn_relu6_pw(%x: tensor<1x16x10x10xf32>, %wd: tensor<16x3x3xf32>, %scale: tensor<16xf32>, %shift: tensor<16xf32>, %wp: tensor<8x16x1x1xf32>) -> tensor<1x8x8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %ed = tensor.empty() : tensor<1x16x8x8xf32>
  %id = linalg.fill ins(%zero : f32) outs(%ed : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %dw = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %wd : tensor<1x16x10x10xf32>, tensor<16x3x3xf32>) outs(%id : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %bn = linalg.generic {indexing_maps = [#did4, #dch, #dch, #did4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%dw, %scale, %shift : tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>) outs(%ed : tensor<1x16x8x8xf32>) {
  ^bb0(%v: f32, %s: f32, %t: f32, %o: f32):
    %m = arith.mulf %v, %s : f32
    %a = arith.addf %m, %t : f32
    linalg.yield %a : f32
  } -> tensor<1x16x8x8xf32>
  %relu6 = linalg.generic {indexing_maps = [#did4, #did4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bn : tensor<1x16x8x8xf32>) outs(%ed : tensor<1x16x8x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %lo = arith.maximumf %v, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<1x16x8x8xf32>
  %ep = tensor.empty() : tensor<1x8x8x8xf32>
  %ip = linalg.fill ins(%zero : f32) outs(%ep : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %pw = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%relu6, %wp : tensor<1x16x8x8xf32>, tensor<8x16x1x1xf32>) outs(%ip : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %pw : tensor<1x8x8x8xf32>
}


#rid4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @residual(%x: tensor<1x8x8x8xf32>, %xp: tensor<1x8x10x10xf32>, %w: tensor<8x8x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xp, %w : tensor<1x8x10x10xf32>, tensor<8x8x3x3xf32>) outs(%init : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %sum = linalg.generic {indexing_maps = [#rid4, #rid4, #rid4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv, %x : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) outs(%e : tensor<1x8x8x8xf32>) {
  ^bb0(%c: f32, %r: f32, %o: f32):
    %s = arith.addf %c, %r : f32
    linalg.yield %s : f32
  } -> tensor<1x8x8x8xf32>
  %relu = linalg.generic {indexing_maps = [#rid4, #rid4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sum : tensor<1x8x8x8xf32>) outs(%e : tensor<1x8x8x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x8x8xf32>
  return %relu : tensor<1x8x8x8xf32>
}
