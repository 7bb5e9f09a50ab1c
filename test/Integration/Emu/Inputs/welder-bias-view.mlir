// A contraction accumulating into its broadcast bias through a unit reshape
// (Conformer's depthwise convolution after bufferization: the convolution
// writes the bias buffer through a memref.expand_shape), then ReLU
// (test/Integration/Emu/welder-bias-view.test).
#x = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
#w = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
#o = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @bias_through_view(%x: tensor<64x16xf32>, %w: tensor<16x32xf32>, %bias: tensor<32xf32>) -> tensor<64x32xf32> {
  %r = tilegraph.kernel "bias_through_view" (%x, %w, %bias) tile [16, 32]
      : (tensor<64x16xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<64x32xf32> {
  ^bb0(%a: tensor<64x16xf32>, %b: tensor<16x32xf32>, %c: tensor<32xf32>):
    %zero = arith.constant 0.0 : f32
    %e0 = tensor.empty() : tensor<64x32xf32>
    %bcast = linalg.broadcast ins(%c : tensor<32xf32>) outs(%e0 : tensor<64x32xf32>) dimensions = [0]
    %bcast_reg = tilegraph.connect %bcast at register : tensor<64x32xf32>
    %init = tensor.expand_shape %bcast_reg [[0, 1], [2]] output_shape [64, 1, 32] : tensor<64x32xf32> into tensor<64x1x32xf32>
    %mm = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
        ins(%a, %b : tensor<64x16xf32>, tensor<16x32xf32>) outs(%init : tensor<64x1x32xf32>) {
    ^bb0(%u: f32, %v: f32, %acc: f32):
      %m = arith.mulf %u, %v : f32
      %s = arith.addf %acc, %m : f32
      linalg.yield %s : f32
    } -> tensor<64x1x32xf32>
    %mm_reg = tilegraph.connect %mm at register : tensor<64x1x32xf32>
    %flat = tensor.collapse_shape %mm_reg [[0, 1], [2]] : tensor<64x1x32xf32> into tensor<64x32xf32>
    %e1 = tensor.empty() : tensor<64x32xf32>
    %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%flat : tensor<64x32xf32>) outs(%e1 : tensor<64x32xf32>) {
    ^bb0(%v: f32, %o: f32):
      %m = arith.maximumf %v, %zero : f32
      linalg.yield %m : f32
    } -> tensor<64x32xf32>
    tilegraph.yield %relu : tensor<64x32xf32>
  }
  return %r : tensor<64x32xf32>
}

// The same with the contraction at shared level: computed by the block into
// workgroup memory over the buffer's (not the view's) dimensions.
func.func @bias_through_view_shared(%x: tensor<64x16xf32>, %w: tensor<16x32xf32>, %bias: tensor<32xf32>) -> tensor<64x32xf32> {
  %r = tilegraph.kernel "bias_through_view_shared" (%x, %w, %bias) tile [16, 32]
      : (tensor<64x16xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<64x32xf32> {
  ^bb0(%a: tensor<64x16xf32>, %b: tensor<16x32xf32>, %c: tensor<32xf32>):
    %zero = arith.constant 0.0 : f32
    %e0 = tensor.empty() : tensor<64x32xf32>
    %bcast = linalg.broadcast ins(%c : tensor<32xf32>) outs(%e0 : tensor<64x32xf32>) dimensions = [0]
    %bcast_reg = tilegraph.connect %bcast at register : tensor<64x32xf32>
    %init = tensor.expand_shape %bcast_reg [[0, 1], [2]] output_shape [64, 1, 32] : tensor<64x32xf32> into tensor<64x1x32xf32>
    %mm = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
        ins(%a, %b : tensor<64x16xf32>, tensor<16x32xf32>) outs(%init : tensor<64x1x32xf32>) {
    ^bb0(%u: f32, %v: f32, %acc: f32):
      %m = arith.mulf %u, %v : f32
      %s = arith.addf %acc, %m : f32
      linalg.yield %s : f32
    } -> tensor<64x1x32xf32>
    %mm_reg = tilegraph.connect %mm at shared : tensor<64x1x32xf32>
    %flat = tensor.collapse_shape %mm_reg [[0, 1], [2]] : tensor<64x1x32xf32> into tensor<64x32xf32>
    %e1 = tensor.empty() : tensor<64x32xf32>
    %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%flat : tensor<64x32xf32>) outs(%e1 : tensor<64x32xf32>) {
    ^bb0(%v: f32, %o: f32):
      %m = arith.maximumf %v, %zero : f32
      linalg.yield %m : f32
    } -> tensor<64x32xf32>
    tilegraph.yield %relu : tensor<64x32xf32>
  }
  return %r : tensor<64x32xf32>
}
