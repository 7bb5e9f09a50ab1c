// RUN: hm-opt %s --split-input-file --convert-tilegraph-to-gpu="remarks=true" -verify-diagnostics | FileCheck %s

// An intermediate also read after the group: the group is left to the
// ordinary lowerings, untagged.
// CHECK-LABEL: func.func @negative_escaping_intermediate
// CHECK-NOT: gpu.launch
// CHECK-NOT: tilegraph.
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK: memref.copy
#id = affine_map<(d0) -> (d0)>
func.func @negative_escaping_intermediate(%x: memref<64xf32>, %y: memref<64xf32>, %z: memref<64xf32>) {
  %t = memref.alloc() : memref<64xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<64xf32>) outs(%t : memref<64xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "register"}} {
  ^bb0(%a: f32, %o: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  }
  // expected-remark @+1 {{group 'k' left unfused: an intermediate is also used by 'memref.copy' outside the group}}
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%t : memref<64xf32>) outs(%y : memref<64xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "none"}, tilegraph.root = {name = "k", tile = array<i64: 32>}} {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  memref.copy %t, %z : memref<64xf32> to memref<64xf32>
  return
}

// -----

// A shared-level intermediate over sm_90's 227 KiB of shared memory per
// block (a whole 65536-wide row of the exponentials, read by the row sum and
// by the quotient): a warning, and the group left unfused.
// CHECK-LABEL: func.func @negative_shared_memory_over_limit
// CHECK-NOT: gpu.launch
// CHECK-COUNT-3: linalg.generic
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @negative_shared_memory_over_limit(%x: memref<64x65536xf32>, %y: memref<64x65536xf32>) {
  %t = memref.alloc() : memref<64x65536xf32>
  %s = memref.alloc() : memref<64xf32>
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : memref<64x65536xf32>) outs(%t : memref<64x65536xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "shared"}} {
  ^bb0(%a: f32, %o: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%t : memref<64x65536xf32>) outs(%s : memref<64xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "shared"}} {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  }
  // expected-warning @+1 {{group 'big' needs 262160 bytes of shared memory per block, over the}}
  linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%t, %s : memref<64x65536xf32>, memref<64xf32>) outs(%y : memref<64x65536xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "none"}, tilegraph.root = {name = "big", tile = array<i64: 1, 65536>}} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %q = arith.divf %a, %b : f32
    linalg.yield %q : f32
  }
  return
}

// -----

// A group whose root is not its last operation (tags out of order).
// CHECK-LABEL: func.func @negative_root_not_last
// CHECK-NOT: gpu.launch
#id3 = affine_map<(d0) -> (d0)>
func.func @negative_root_not_last(%x: memref<64xf32>, %y: memref<64xf32>) {
  %t = memref.alloc() : memref<64xf32>
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel"]} ins(%x : memref<64xf32>) outs(%t : memref<64xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "register"}, tilegraph.root = {name = "r", tile = array<i64: 32>}} {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  // expected-remark @+1 {{group 'r' left unfused: its output operation is not the last one of the group}}
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel"]} ins(%t : memref<64xf32>) outs(%y : memref<64xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "none"}} {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  return
}
