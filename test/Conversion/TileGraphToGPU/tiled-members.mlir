// RUN: hm-opt %s --split-input-file --convert-tilegraph-to-gpu="remarks=true" -verify-diagnostics | FileCheck %s

// Members a group's block computes whole (shared-level intermediates, the
// output) that have reduction loops, or are the element-wise epilogue of a
// register-level contraction, go through Roller's tiled kernel inside the
// group's launch: the member's box is the block tile, split into the
// launch's threads; the staged inputs are views of the launch's dynamic
// shared memory after the intermediates; the accumulators are private
// attributions of the launch.

// A register-level matmul whose epilogue (the bias) is a shared-level
// intermediate read transposed by the output: the matmul's tiled kernel
// (32 x 32 box, 2 x 2 points per thread, A and B staged with vector loads)
// applies the bias per register-tile point and stores into the shared
// buffer; a barrier; the transpose per point from shared memory.
// CHECK-LABEL: func.func @epilogue_into_shared
// CHECK-SAME: (%[[A:.+]]: memref<64x48xf32>, %[[B:.+]]: memref<48x64xf32>, %[[BIAS:.+]]: memref<64xf32>, %[[OUT:.+]]: memref<64x64xf32>)
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch
// CHECK-SAME: threads(%{{.+}}, %{{.+}}, %{{.+}}) in (%{{.+}} = %c256,
// CHECK-SAME: dynamic_shared_memory_size %c6304_i32 private(%[[ACC:.+]] : memref<2x2xf32, #gpu.address_space<private>>)
// CHECK: %[[RAW:.+]] = gpu.dynamic_shared_memory
// CHECK: %[[H:.+]] = memref.view %[[RAW]][%{{.+}}][] : {{.+}} to memref<32x32xf32, #gpu.address_space<workgroup>>
// CHECK: %[[SA:.+]] = memref.view %[[RAW]][%c4096][] : {{.+}} to memref<32x9xf32, #gpu.address_space<workgroup>>
// CHECK: %[[SB:.+]] = memref.view %[[RAW]][%c5248][] : {{.+}} to memref<8x33xf32, #gpu.address_space<workgroup>>
// CHECK: memref.store %{{.+}}, %[[ACC]]
// CHECK: scf.for
// CHECK: vector.load %[[A]]
// CHECK: vector.load %[[B]]
// CHECK: vector.store %{{.+}}, %[[SA]]
// CHECK: vector.store %{{.+}}, %[[SB]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[SA]]
// CHECK: memref.load %[[SB]]
// CHECK: arith.mulf
// CHECK: gpu.barrier
// CHECK: memref.load %[[ACC]]
// CHECK: memref.load %[[BIAS]]
// CHECK: arith.addf
// CHECK: memref.store %{{.+}}, %[[H]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[H]]
// CHECK: arith.maximumf
// CHECK: memref.store %{{.+}}, %[[OUT]]
// CHECK-NOT: gpu.launch
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @epilogue_into_shared(%a: memref<64x48xf32>, %b: memref<48x64xf32>, %bias: memref<64xf32>, %out: memref<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<64x64xf32>
  %h = memref.alloc() : memref<64x64xf32>
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "none"}} ins(%zero : f32) outs(%t : memref<64x64xf32>)
  linalg.matmul {tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "register"}}
      ins(%a, %b : memref<64x48xf32>, memref<48x64xf32>) outs(%t : memref<64x64xf32>)
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t, %bias : memref<64x64xf32>, memref<64xf32>) outs(%h : memref<64x64xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "shared"}} {
  ^bb0(%m: f32, %bv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    linalg.yield %s : f32
  }
  // expected-remark @+1 {{group 'epi' lowered to one gpu.launch: 4 operations, 4 blocks of 256 threads, 1 intermediates in 4096 bytes of shared memory; through the tiled kernel in the launch: 'linalg.matmul' block 32x32 thread 2x2 step 8 with its epilogue up to 'linalg.generic' (2208 bytes of shared memory for staged inputs); not one tiled kernel: the epilogue 'linalg.generic' reads 'linalg.matmul''s result at other points}}
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h : memref<64x64xf32>) outs(%out : memref<64x64xf32>)
      attrs = {tilegraph.member = {group = 0 : i64, index = 3 : i64, level = "none"}, tilegraph.root = {name = "epi", tile = array<i64: 32, 32>}} {
  ^bb0(%m: f32, %o: f32):
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Two chained matmuls: the first a shared-level intermediate (its 16 x 40
// box), the second the group's output with reduction loops; both through
// the tiled kernel (one private accumulator buffer each, the staging region
// reused), the second reading the first's result where it is in shared
// memory (only its B is staged) and storing straight into the output.
// CHECK-LABEL: func.func @two_contractions
// CHECK-SAME: %[[OUT:[^:]+]]: memref<64x32xf32>)
// CHECK: gpu.launch
// CHECK-SAME: private(%[[ACC1:.+]] : memref<2x2xf32, #gpu.address_space<private>>, %[[ACC2:.+]] : memref<1x2xf32, #gpu.address_space<private>>)
// CHECK: %[[RAW:.+]] = gpu.dynamic_shared_memory
// CHECK: %[[T:.+]] = memref.view %[[RAW]][%{{.+}}][] : {{.+}} to memref<16x40xf32, #gpu.address_space<workgroup>>
// CHECK: memref.view %[[RAW]][%c2560][] : {{.+}} to memref<16x9xf32, #gpu.address_space<workgroup>>
// CHECK: memref.view %[[RAW]][%c3136][] : {{.+}} to memref<8x41xf32, #gpu.address_space<workgroup>>
// CHECK: memref.store %{{.+}}, %[[ACC1]]
// CHECK: gpu.barrier
// CHECK: memref.store %{{.+}}, %[[T]]
// CHECK: gpu.barrier
// CHECK-NOT: memref<16x9xf32
// CHECK: memref.view %[[RAW]][%c2560{{.*}}][] : {{.+}} to memref<8x33xf32, #gpu.address_space<workgroup>>
// CHECK-NOT: memref<16x9xf32
// CHECK: memref.store %{{.+}}, %[[ACC2]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[T]]
// CHECK: memref.load %[[ACC2]]
// CHECK: memref.store %{{.+}}, %[[OUT]]
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @two_contractions(%x: memref<64x48xf32>, %w1: memref<48x40xf32>, %w2: memref<40x32xf32>, %out: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<64x40xf32>
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "none"}} ins(%zero : f32) outs(%t : memref<64x40xf32>)
  linalg.matmul {tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "shared"}}
      ins(%x, %w1 : memref<64x48xf32>, memref<48x40xf32>) outs(%t : memref<64x40xf32>)
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "none"}} ins(%zero : f32) outs(%out : memref<64x32xf32>)
  // expected-remark @+1 {{group 'mm2' lowered to one gpu.launch: 4 operations, 4 blocks of 256 threads, 1 intermediates in 2560 bytes of shared memory; through the tiled kernel in the launch: 'linalg.matmul' block 16x40 thread 2x2 step 8, 'linalg.matmul' block 16x32 thread 1x2 step 8 (1888 bytes of shared memory for staged inputs); not one tiled kernel: 2 operations have reduction loops}}
  linalg.matmul {tilegraph.member = {group = 0 : i64, index = 3 : i64, level = "none"}, tilegraph.root = {name = "mm2", tile = array<i64: 16, 32>}}
      ins(%t, %w2 : memref<64x40xf32>, memref<40x32xf32>) outs(%out : memref<64x32xf32>)
  return
}

// -----

// The first matmul's staged tiles (224080 bytes) fit sm_90 alone but not
// beside the 28000-byte intermediate: it is computed per point, the remark
// says why. The second matmul still goes through the tiled kernel: its one
// output's 7000-long reduction split over the launch's 256 threads (steps
// of 2048: 8 iterations per thread; the first matmul's row read where it is
// in shared memory, only the second's B staged), the partials combined by a
// tree in workgroup memory (a barrier per level), lane 0 storing.
// CHECK-LABEL: func.func @staging_does_not_fit
// CHECK-SAME: %[[OUT:[^:]+]]: memref<1x1xf32>)
// CHECK: gpu.launch
// CHECK-SAME: dynamic_shared_memory_size %c37216_i32 private(%[[ACC:.+]] : memref<1x1xf32, #gpu.address_space<private>>)
// CHECK: %[[RAW:.+]] = gpu.dynamic_shared_memory
// CHECK: %[[T:.+]] = memref.view %[[RAW]][%{{.+}}][] : {{.+}} to memref<1x7000xf32, #gpu.address_space<workgroup>>
// CHECK: memref.store %{{.+}}, %[[T]]
// CHECK: gpu.barrier
// CHECK: memref.view %[[RAW]][%c28000][] : {{.+}} to memref<2048x1xf32, #gpu.address_space<workgroup>>
// CHECK: %[[LANE:.+]] = arith.remui %{{.+}}, %c256
// CHECK: %[[PARTIALS:.+]] = memref.view %[[RAW]][%c36192][] : {{.+}} to memref<256xf32, #gpu.address_space<workgroup>>
// CHECK: arith.select
// CHECK: memref.store %{{.+}}, %[[ACC]]
// CHECK: scf.for %{{.+}} = %c0{{.*}} to %c4{{.*}} step %c1
// CHECK: scf.for %{{.+}} = %[[LANE]] to %c2048{{.*}} step %c256
// CHECK: memref.load %[[ACC]]
// CHECK: memref.store %{{.+}}, %[[PARTIALS]]
// CHECK: gpu.barrier
// CHECK: arith.cmpi ult, %[[LANE]], %c128
// CHECK: arith.addf
// CHECK: memref.store %{{.+}}, %[[PARTIALS]]
// CHECK: gpu.barrier
// CHECK: arith.cmpi ult, %[[LANE]], %c1
// CHECK: gpu.barrier
// CHECK: arith.cmpi eq, %[[LANE]], %c0
// CHECK: memref.load %[[PARTIALS]]
// CHECK: memref.store %{{.+}}, %[[OUT]]
// CHECK-NOT: gpu.launch
func.func @staging_does_not_fit(%x: memref<1x8xf32>, %w1: memref<8x7000xf32>, %w2: memref<7000x1xf32>, %out: memref<1x1xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<1x7000xf32>
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "none"}} ins(%zero : f32) outs(%t : memref<1x7000xf32>)
  linalg.matmul {tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "shared"}}
      ins(%x, %w1 : memref<1x8xf32>, memref<8x7000xf32>) outs(%t : memref<1x7000xf32>)
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "none"}} ins(%zero : f32) outs(%out : memref<1x1xf32>)
  // expected-remark @+1 {{group 'big' lowered to one gpu.launch: 4 operations, 1 blocks of 256 threads, 1 intermediates in 28000 bytes of shared memory; through the tiled kernel in the launch: 'linalg.matmul' block 1x1 thread 1x1 step 2048 split over 256 threads per output (9216 bytes of shared memory for staged inputs); not one tiled kernel: 2 operations have reduction loops; per point: 'linalg.matmul': its staged inputs (224080 bytes) do not fit beside the intermediates}}
  linalg.matmul {tilegraph.member = {group = 0 : i64, index = 3 : i64, level = "none"}, tilegraph.root = {name = "big", tile = array<i64: 1, 1>}}
      ins(%t, %w2 : memref<1x7000xf32>, memref<7000x1xf32>) outs(%out : memref<1x1xf32>)
  return
}

// -----

// A 33 x 33 box has no split into fewer than 1089 threads (odd extents): the
// first matmul is computed per point, and the remark says why.
// CHECK-LABEL: func.func @too_many_threads
// CHECK: gpu.launch
// CHECK-NOT: gpu.launch
func.func @too_many_threads(%x: memref<33x4xf32>, %w1: memref<4x33xf32>, %w2: memref<33x2xf32>, %out: memref<33x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<33x33xf32>
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "none"}} ins(%zero : f32) outs(%t : memref<33x33xf32>)
  linalg.matmul {tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "shared"}}
      ins(%x, %w1 : memref<33x4xf32>, memref<4x33xf32>) outs(%t : memref<33x33xf32>)
  linalg.fill {tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "none"}} ins(%zero : f32) outs(%out : memref<33x2xf32>)
  // expected-remark @+1 {{per point: 'linalg.matmul': for its box, its configuration needs 1089 threads per block, more than the 1024 a block can have}}
  linalg.matmul {tilegraph.member = {group = 0 : i64, index = 3 : i64, level = "none"}, tilegraph.root = {name = "odd", tile = array<i64: 33, 1>}}
      ins(%t, %w2 : memref<33x33xf32>, memref<33x2xf32>) outs(%out : memref<33x2xf32>)
  return
}
