// RUN: hm-opt %s --split-input-file --hm-welder="arch=sm_90 remarks=true" -verify-diagnostics | FileCheck %s

// Groups Welder must not form, each with the remark that explains why.

#id = affine_map<(d0, d1) -> (d0, d1)>
// An intermediate that is also used outside the group: the ReLU's input is
// returned too, so fusing the ReLU would need %sum both on chip and in
// global memory. The matmul and its bias add are fused; the ReLU is alone.
// CHECK-LABEL: func.func @negative_escaping_intermediate
// CHECK: %[[K0:.+]] = tilegraph.kernel "negative_escaping_intermediate_k0"
// CHECK: %[[K1:.+]] = tilegraph.kernel "negative_escaping_intermediate_k1" (%[[K0]])
// CHECK-NOT: tilegraph.connect
// CHECK: return %[[K1]], %[[K0]]
func.func @negative_escaping_intermediate(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>, %c: tensor<256x256xf32>) -> (tensor<256x256xf32>, tensor<256x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x256xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<256x256xf32>) -> tensor<256x256xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%i : tensor<256x256xf32>) -> tensor<256x256xf32>
  // expected-remark @below {{hm-welder: negative_escaping_intermediate_k0 fuses 2 operator(s)}}
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %c : tensor<256x256xf32>, tensor<256x256xf32>) outs(%e : tensor<256x256xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<256x256xf32>
  // expected-remark @below {{hm-welder: negative_escaping_intermediate_k1 fuses 1 operator(s)}}
  // expected-remark @below {{hm-welder: not fused with the linalg.generic at negative.mlir:20:10: the intermediate of linalg.generic at negative.mlir:20:10 is also used outside the group, by func.return}}
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%sum : tensor<256x256xf32>) outs(%e : tensor<256x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  } -> tensor<256x256xf32>
  return %relu, %sum : tensor<256x256xf32>, tensor<256x256xf32>
}

// -----

// Over the shared-memory limit: a softmax-like chain over rows of 65536
// floats. The row sum reduces over the exponentials, which other threads
// produced, so that edge is in shared memory: a whole row, 256 KiB per
// block, over the H100's 227 KiB. The exponentials cannot join the sum and
// the quotient (every tile is rejected). Nor does the quotient fuse with
// the sum alone: every block would recompute whole row sums, 272 MB of
// global traffic against 12.6 MB separately.
// CHECK-LABEL: func.func @negative_over_shared_memory
// CHECK: %[[EX:.+]] = tilegraph.kernel "negative_over_shared_memory_k0"
// CHECK-NOT: tilegraph.connect
// CHECK: %[[SUM:.+]] = tilegraph.kernel "negative_over_shared_memory_k1" (%[[EX]])
// CHECK: linalg.reduce
// CHECK-NOT: tilegraph.connect
// CHECK: tilegraph.kernel "negative_over_shared_memory_k2" (%[[EX]], %[[SUM]])
// CHECK-NOT: tilegraph.connect
// CHECK: return
#sm = affine_map<(d0, d1) -> (d0, d1)>
#sr = affine_map<(d0, d1) -> (d0)>
func.func @negative_over_shared_memory(%x: tensor<16x65536xf32>) -> tensor<16x65536xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x65536xf32>
  // expected-remark @below {{hm-welder: negative_over_shared_memory_k0 fuses 1 operator(s)}}
  %ex = linalg.generic {indexing_maps = [#sm, #sm], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x65536xf32>) outs(%e : tensor<16x65536xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<16x65536xf32>
  %er = tensor.empty() : tensor<16xf32>
  %iz = linalg.fill ins(%zero : f32) outs(%er : tensor<16xf32>) -> tensor<16xf32>
  // expected-remark @below {{hm-welder: not fused with the linalg.generic at negative.mlir:61:9: the intermediate of linalg.generic at negative.mlir:61:9 is also used outside the group, by linalg.generic}}
  // expected-remark @below {{hm-welder: negative_over_shared_memory_k1 fuses 1 operator(s)}}
  %sum = linalg.reduce ins(%ex : tensor<16x65536xf32>) outs(%iz : tensor<16xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  // expected-remark @below {{hm-welder: negative_over_shared_memory_k2 fuses 1 operator(s)}}
  // expected-remark @below {{hm-welder: not fused with the linalg.reduce at negative.mlir:71:10: every tile that fits moves more global memory than the operators separately}}
  // expected-remark @below {{hm-welder: not fused with the linalg.generic at negative.mlir:61:9: no output tile of the group fits: its on-chip intermediates need 262148 bytes of shared memory per block, over the arch's 232448}}
  %y = linalg.generic {indexing_maps = [#sm, #sr, #sm], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %sum : tensor<16x65536xf32>, tensor<16xf32>) outs(%e : tensor<16x65536xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %p = arith.divf %a, %s : f32
    linalg.yield %p : f32
  } -> tensor<16x65536xf32>
  return %y : tensor<16x65536xf32>
}

// -----

// A reduction dimension mismatch: the row sums r[i] = sum_j x[i, j] feed a
// product that reduces over i (s[k] = sum_i r[i] * w[i, k]). Every tile of
// the product needs all of r, so a fused kernel would recompute all the row
// sums in every block (tile propagation: recomputation = the number of
// tiles); the model rejects it.
// CHECK-LABEL: func.func @negative_reduction_mismatch
// CHECK-COUNT-2: tilegraph.kernel
// CHECK-NOT: tilegraph.connect
#x2 = affine_map<(d0, d1) -> (d0, d1)>
#r2 = affine_map<(d0, d1) -> (d0)>
#w2 = affine_map<(d0, d1) -> (d1, d0)>
#o2 = affine_map<(d0, d1) -> (d0)>
#ri = affine_map<(d0, d1) -> (d1)>
func.func @negative_reduction_mismatch(%x: tensor<1024x1024xf32>, %w: tensor<1024x4096xf32>) -> tensor<4096xf32> {
  %zero = arith.constant 0.0 : f32
  %er = tensor.empty() : tensor<1024xf32>
  %ir = linalg.fill ins(%zero : f32) outs(%er : tensor<1024xf32>) -> tensor<1024xf32>
  // expected-remark @below {{hm-welder: negative_reduction_mismatch_k0 fuses 1 operator(s)}}
  %r = linalg.generic {indexing_maps = [#x2, #r2], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<1024x1024xf32>) outs(%ir : tensor<1024xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1024xf32>
  %es = tensor.empty() : tensor<4096xf32>
  %is = linalg.fill ins(%zero : f32) outs(%es : tensor<4096xf32>) -> tensor<4096xf32>
  // expected-remark @below {{hm-welder: negative_reduction_mismatch_k1 fuses 1 operator(s)}}
  // expected-remark @below {{hm-welder: not fused with the linalg.generic at negative.mlir:108:8: fusing is not faster in the model}}
  %s = linalg.generic {indexing_maps = [#ri, #w2, #o2], iterator_types = ["parallel", "reduction"]}
      ins(%r, %w : tensor<1024xf32>, tensor<1024x4096xf32>) outs(%is : tensor<4096xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  } -> tensor<4096xf32>
  return %s : tensor<4096xf32>
}
