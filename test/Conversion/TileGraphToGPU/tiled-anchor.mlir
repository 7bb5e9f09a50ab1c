// RUN: hm-opt %s --split-input-file --convert-tilegraph-to-gpu="remarks=true" -verify-diagnostics | FileCheck %s

// A group around a matmul whose rtile.config block tile is the group's tile:
// one launch, Roller's tiled kernel of the matmul (A and B staged in
// workgroup memory, double buffered; a 4 x 4 register tile of private
// accumulators initialised from the fill), the bias added per point before
// the store into the group's output; the intermediate buffer goes.
// CHECK-LABEL: func.func @tiled_matmul_bias
// CHECK-SAME: (%[[A:.+]]: memref<64x48xf32>, %[[B:.+]]: memref<48x96xf32>, %[[BIAS:.+]]: memref<96xf32>, %[[OUT:.+]]: memref<64x96xf32>)
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%[[SA:.+]] : memref<2x32x9xf32, #gpu.address_space<workgroup>>, %[[SB:.+]] : memref<2x8x33xf32, #gpu.address_space<workgroup>>)
// CHECK-SAME: private(%[[ACC:.+]] : memref<4x4xf32, #gpu.address_space<private>>)
// CHECK: memref.store %[[ZERO:.+]], %[[ACC]]
// CHECK: vector.load %[[A]]
// CHECK: vector.load %[[B]]
// CHECK: vector.store %{{.+}}, %[[SA]]
// CHECK: vector.store %{{.+}}, %[[SB]]
// CHECK: gpu.barrier
// CHECK: scf.for
// CHECK: memref.load %[[SA]]
// CHECK: memref.load %[[SB]]
// CHECK: arith.mulf
// CHECK: gpu.barrier
// CHECK: memref.load %[[ACC]]
// CHECK: memref.load %[[BIAS]]
// CHECK: arith.addf
// CHECK: memref.store %{{.+}}, %[[OUT]]
// CHECK-NOT: gpu.launch
// CHECK-NOT: linalg.
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @tiled_matmul_bias(%a: memref<64x48xf32>, %b: memref<48x96xf32>, %bias: memref<96xf32>, %out: memref<64x96xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<64x96xf32>
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "none"}} ins(%zero : f32) outs(%t : memref<64x96xf32>)
  linalg.matmul {rtile.config = #rtile.config<block = [32, 32], warp = [8, 32], thread = [4, 4], reduction = [8], padding = 1, vector = 4, double_buffer>,
                 tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "register"}}
      ins(%a, %b : memref<64x48xf32>, memref<48x96xf32>) outs(%t : memref<64x96xf32>)
  // expected-remark @+1 {{group 'mm' lowered to one gpu.launch: 3 operations through the tiled kernel of 'linalg.matmul', 6 blocks of 64 threads, 4416 bytes of shared memory for its staged inputs}}
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t, %bias : memref<64x96xf32>, memref<96xf32>) outs(%out : memref<64x96xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "none"}, tilegraph.root = {name = "mm", tile = array<i64: 32, 32>}} {
  ^bb0(%m: f32, %bv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The group's tile is not the matmul's block tile: the tiled kernel runs with
// the configuration the fused cost model priced the group with (the group's
// 16 x 32 tile split into 256 threads of 1 x 2 points), and the remark says
// so.
// CHECK-LABEL: func.func @tile_mismatch
// CHECK: gpu.launch
// CHECK-SAME: threads(%{{.+}}, %{{.+}}, %{{.+}}) in (%{{.+}} = %c256,
// CHECK-SAME: workgroup(%{{.+}} : memref<16x9xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<8x33xf32, #gpu.address_space<workgroup>>)
// CHECK-SAME: private(%{{.+}} : memref<1x2xf32, #gpu.address_space<private>>)
// CHECK: gpu.barrier
// CHECK: arith.maximumf
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @tile_mismatch(%a: memref<64x48xf32>, %b: memref<48x96xf32>, %out: memref<64x96xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<64x96xf32>
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "none"}} ins(%zero : f32) outs(%t : memref<64x96xf32>)
  linalg.matmul {rtile.config = #rtile.config<block = [32, 32], warp = [8, 32], thread = [4, 4], reduction = [8]>,
                 tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "register"}}
      ins(%a, %b : memref<64x48xf32>, memref<48x96xf32>) outs(%t : memref<64x96xf32>)
  // expected-remark @+1 {{group 'mismatch' lowered to one gpu.launch: 3 operations through the tiled kernel of 'linalg.matmul', 12 blocks of 256 threads, 1632 bytes of shared memory for its staged inputs; the group's tile split into threads (block 16x32 thread 1x2 step 8)}}
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t : memref<64x96xf32>) outs(%out : memref<64x96xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "none"}, tilegraph.root = {name = "mismatch", tile = array<i64: 16, 32>}} {
  ^bb0(%m: f32, %o: f32):
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// An epilogue that reads the matmul at other points (a transpose) cannot be
// applied per register-tile point: the group's launch computes the matmul's
// 32 x 32 box into shared memory with the tiled kernel (its staged tiles
// after the intermediate in dynamic shared memory, 2 x 2 accumulators per
// thread), then the transpose per point from shared memory.
// CHECK-LABEL: func.func @epilogue_transposes
// CHECK-SAME: (%[[A:.+]]: memref<64x48xf32>, %[[B:.+]]: memref<48x64xf32>, %[[OUT:.+]]: memref<64x64xf32>)
// CHECK: gpu.launch
// CHECK-SAME: dynamic_shared_memory_size %c6304_i32 private(%[[ACC:.+]] : memref<2x2xf32, #gpu.address_space<private>>)
// CHECK: %[[RAW:.+]] = gpu.dynamic_shared_memory
// CHECK: %[[T:.+]] = memref.view %[[RAW]][%{{.+}}][] : {{.+}} to memref<32x32xf32, #gpu.address_space<workgroup>>
// CHECK: %[[SA:.+]] = memref.view %[[RAW]][%c4096][] : {{.+}} to memref<32x9xf32, #gpu.address_space<workgroup>>
// CHECK: %[[SB:.+]] = memref.view %[[RAW]][%c5248][] : {{.+}} to memref<8x33xf32, #gpu.address_space<workgroup>>
// CHECK: memref.store %{{.+}}, %[[ACC]]
// CHECK: scf.for
// CHECK: vector.load %[[A]]
// CHECK: vector.store %{{.+}}, %[[SA]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[SA]]
// CHECK: memref.load %[[SB]]
// CHECK: memref.load %[[ACC]]
// CHECK: memref.store %{{.+}}, %[[T]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[T]]
// CHECK: memref.store %{{.+}}, %[[OUT]]
// CHECK-NOT: gpu.launch
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @epilogue_transposes(%a: memref<64x48xf32>, %b: memref<48x64xf32>, %out: memref<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<64x64xf32>
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "none"}} ins(%zero : f32) outs(%t : memref<64x64xf32>)
  linalg.matmul {rtile.config = #rtile.config<block = [32, 32], warp = [8, 32], thread = [4, 4], reduction = [8]>,
                 tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "shared"}}
      ins(%a, %b : memref<64x48xf32>, memref<48x64xf32>) outs(%t : memref<64x64xf32>)
  // expected-remark @+1 {{group 'tr' lowered to one gpu.launch: 3 operations, 4 blocks of 256 threads, 1 intermediates in 4096 bytes of shared memory; through the tiled kernel in the launch: 'linalg.matmul' block 32x32 thread 2x2 step 8 (2208 bytes of shared memory for staged inputs); not one tiled kernel: the epilogue 'linalg.generic' reads 'linalg.matmul''s result at other points}}
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t : memref<64x64xf32>) outs(%out : memref<64x64xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "none"}, tilegraph.root = {name = "tr", tile = array<i64: 32, 32>}} {
  ^bb0(%m: f32, %o: f32):
    linalg.yield %m : f32
  }
  return
}

// -----

// The epilogue reads the matmul through a unit reshape and writes a 3-d
// output (BERT's 128x768 matmuls and their 1x128x768 bias adds): the tiles
// match once unit dimensions are dropped, and each point is stored at the
// output's coordinates (0 in the unit dimension).
// CHECK-LABEL: func.func @unit_reshaped_epilogue
// CHECK-SAME: %[[OUT:[^:]+]]: memref<1x64x96xf32>)
// CHECK: gpu.launch
// CHECK-SAME: workgroup(
// CHECK: arith.addf
// CHECK: memref.store %{{.+}}, %[[OUT]][%c0{{.*}}, %{{.+}}, %{{.+}}] : memref<1x64x96xf32>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#col3 = affine_map<(d0, d1, d2) -> (d2)>
func.func @unit_reshaped_epilogue(%a: memref<64x48xf32>, %b: memref<48x96xf32>, %bias: memref<96xf32>, %out: memref<1x64x96xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<64x96xf32>
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "none"}} ins(%zero : f32) outs(%t : memref<64x96xf32>)
  linalg.matmul {rtile.config = #rtile.config<block = [32, 32], warp = [8, 32], thread = [4, 4], reduction = [8]>,
                 tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "register"}}
      ins(%a, %b : memref<64x48xf32>, memref<48x96xf32>) outs(%t : memref<64x96xf32>)
  %t3 = memref.expand_shape %t [[0, 1], [2]] output_shape [1, 64, 96] : memref<64x96xf32> into memref<1x64x96xf32>
  // expected-remark @+1 {{group 'unit' lowered to one gpu.launch: 3 operations through the tiled kernel of 'linalg.matmul'}}
  linalg.generic {indexing_maps = [#id3, #col3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%t3, %bias : memref<1x64x96xf32>, memref<96xf32>) outs(%out : memref<1x64x96xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "none"}, tilegraph.root = {name = "unit", tile = array<i64: 1, 32, 32>}} {
  ^bb0(%m: f32, %bv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    linalg.yield %s : f32
  }
  return
}
