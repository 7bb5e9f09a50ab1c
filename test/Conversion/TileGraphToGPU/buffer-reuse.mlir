// RUN: hm-opt %s --split-input-file --convert-tilegraph-to-gpu="remarks=true" -verify-diagnostics | FileCheck %s

// Reduced from NeRF's MLP under welder=true: bufferization reuses the dead
// intermediate of a fused Gemm + ReLU group for the broadcast bias of the
// next layer. The fused kernel never writes the intermediate, and the
// broadcast overwrites it whole without reading it, so the group is still
// lowered to one kernel and the allocation kept for the broadcast.
// CHECK-LABEL: func.func @reused_by_later_overwrite
// CHECK: %[[T:.+]] = memref.alloc() : memref<64x16xf32>
// CHECK: gpu.launch
// CHECK-NOT: linalg.generic
// CHECK: linalg.broadcast ins(%{{.+}} : memref<16xf32>) outs(%[[T]] : memref<64x16xf32>)
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @reused_by_later_overwrite(%x: memref<64x16xf32>, %y: memref<64x16xf32>, %b: memref<16xf32>) {
  %t = memref.alloc() : memref<64x16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : memref<64x16xf32>) outs(%t : memref<64x16xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "register"}} {
  ^bb0(%a: f32, %o: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  }
  // expected-remark @+1 {{group 'k' lowered to one gpu.launch}}
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x16xf32>) outs(%y : memref<64x16xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "none"}, tilegraph.root = {name = "k", tile = array<i64: 16, 16>}} {
  ^bb0(%a: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  }
  linalg.broadcast ins(%b : memref<16xf32>) outs(%t : memref<64x16xf32>) dimensions = [0]
  return
}

// -----

// The same, but the later operation accumulates into the buffer (reads the
// intermediate's value): the value escapes, the group is left unfused.
// CHECK-LABEL: func.func @reused_by_later_read
// CHECK-NOT: gpu.launch
// CHECK-COUNT-3: linalg.generic
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @reused_by_later_read(%x: memref<64x16xf32>, %y: memref<64x16xf32>) {
  %t = memref.alloc() : memref<64x16xf32>
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : memref<64x16xf32>) outs(%t : memref<64x16xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "register"}} {
  ^bb0(%a: f32, %o: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  }
  // expected-remark @+1 {{group 'k2' left unfused: an intermediate is also used by 'linalg.generic' outside the group}}
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x16xf32>) outs(%y : memref<64x16xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "none"}, tilegraph.root = {name = "k2", tile = array<i64: 16, 16>}} {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : memref<64x16xf32>) outs(%t : memref<64x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  }
  return
}
