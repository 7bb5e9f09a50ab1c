// RUN: hm-opt %s --split-input-file --convert-rtile-to-gpu | FileCheck %s

// The experimental tiled lowering of configured operations (on buffers):
// grid and block from the tiles, staged inputs in padded workgroup memory
// per reduction step between barriers, private accumulators. Numerically
// checked under the GPU emulator by rtile-to-gpu-emu.test.

// 64x48 matmul, 32x16 block tiles, 2x4 per thread, K step 8, padding 1:
// 2 x 3 = 6 blocks of 16 x 4 = 64 threads; A's tile 32 x (8+1) and B's
// 8 x (16+1) in workgroup memory; a 2x4 accumulator per thread. Without a
// vector width, consecutive threads own consecutive columns (thread origin
// tx, points 4 apart). The staged tiles are copied with 16-byte loads (one
// of A's 64 and, in the first 32 threads, one of B's 32 per thread). Per
// step: stage, barrier, then for each K iteration of the step every point of
// the register tile (unrolled), barrier.
// CHECK-LABEL: func.func @matmul_even
// CHECK-DAG:     %[[C6:[a-zA-Z0-9_]+]] = arith.constant 6 : index
// CHECK-DAG:     %[[C64:[a-zA-Z0-9_]+]] = arith.constant 64 : index
// CHECK:         gpu.launch blocks(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) in (%{{[a-z0-9]+}} = %[[C6]],
// CHECK-SAME:      threads(%[[TX:[a-zA-Z0-9_]+]], %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) in (%{{[a-z0-9]+}} = %[[C64]],
// CHECK-SAME:      workgroup(%[[A:[a-zA-Z0-9_]+]] : memref<32x9xf32, #gpu.address_space<workgroup>>, %[[B:[a-zA-Z0-9_]+]] : memref<8x17xf32, #gpu.address_space<workgroup>>)
// CHECK-SAME:      private(%[[ACC:[a-zA-Z0-9_]+]] : memref<2x4xf32, #gpu.address_space<private>>)
// CHECK:           affine.delinearize_index %{{.+}} into (2, 3)
// CHECK:           affine.delinearize_index %[[TX]] into (16, 4)
// Accumulators start from the output.
// CHECK:           memref.load %{{.+}} : memref<64x48xf32>
// CHECK:           memref.store %{{.+}}, %[[ACC]]
// CHECK:           scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK:             affine.delinearize_index %[[TX]] into (32, 2)
// CHECK:             vector.load %{{.+}} {alignment = 16 : i64} : memref<64x32xf32>, vector<4xf32>
// CHECK:             arith.cmpi ult, %[[TX]], %{{.+}} : index
// CHECK:             affine.delinearize_index %[[TX]] into (8, 4)
// CHECK:             vector.load %{{.+}} {alignment = 16 : i64} : memref<32x48xf32>, vector<4xf32>
// CHECK:             vector.store %{{.+}}, %[[A]]
// CHECK:             vector.store %{{.+}}, %[[B]]
// CHECK:             gpu.barrier
// CHECK-NOT:         scf.for
// CHECK:             memref.load %[[ACC]]
// CHECK:             memref.load %[[A]]
// CHECK:             memref.load %[[B]]
// CHECK:             arith.mulf
// CHECK:             arith.addf
// CHECK:             memref.store %{{.+}}, %[[ACC]]
// CHECK:             gpu.barrier
// Written back once.
// CHECK:           memref.load %[[ACC]]
// CHECK:           memref.store %{{.+}} : memref<64x48xf32>
// CHECK-NOT:     linalg.matmul
func.func @matmul_even(%a: memref<64x32xf32>, %b: memref<32x48xf32>, %c: memref<64x48xf32>) {
  linalg.matmul {rtile.config = #rtile.config<block = [32, 16], thread = [2, 4], reduction = [8], padding = 1>}
    ins(%a, %b : memref<64x32xf32>, memref<32x48xf32>) outs(%c : memref<64x48xf32>)
  return
}

// -----

// Tiles that overhang the loops (70 x 50 with K = 37): every point and every
// reduction element is guarded, and so is every staged load.
// CHECK-LABEL: func.func @matmul_overhang
// CHECK:         gpu.launch
// CHECK:           arith.cmpi ult, %{{.+}}, %{{.+}} : index
// CHECK:           scf.if
// CHECK:           gpu.barrier
func.func @matmul_overhang(%a: memref<70x37xf32>, %b: memref<37x50xf32>, %c: memref<70x50xf32>) {
  linalg.matmul {rtile.config = #rtile.config<block = [32, 16], thread = [2, 4], reduction = [8], padding = 1>}
    ins(%a, %b : memref<70x37xf32>, memref<37x50xf32>) outs(%c : memref<70x50xf32>)
  return
}

// -----

// Element-wise: nothing staged, no barrier, no accumulator; the output is not
// read because the payload does not use it. With vector = 4 each thread
// loads and stores 4 consecutive elements with one 16-byte access.
// CHECK-LABEL: func.func @elementwise
// CHECK:         gpu.launch
// CHECK-NOT:       workgroup(
// CHECK-NOT:       private(
// CHECK-NOT:       gpu.barrier
// CHECK:           %[[X:[a-zA-Z0-9_]+]] = vector.load %{{.+}} {alignment = 16 : i64} : memref<256x128xf32>, vector<4xf32>
// CHECK:           %[[X0:[a-zA-Z0-9_]+]] = vector.extract %[[X]][0]
// CHECK-NEXT:      %[[M0:[a-zA-Z0-9_]+]] = arith.maximumf %[[X0]]
// CHECK-COUNT-3:   arith.maximumf
// CHECK:           %[[V:[a-zA-Z0-9_]+]] = vector.from_elements %[[M0]], %{{.+}}, %{{.+}}, %{{.+}} : vector<4xf32>
// CHECK:           vector.store %[[V]], %{{.+}} {alignment = 16 : i64} : memref<256x128xf32>, vector<4xf32>
// CHECK-NOT:       memref.load
// CHECK-NOT:       memref.store
func.func @elementwise(%a: memref<256x128xf32>, %o: memref<256x128xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<256x128xf32>) outs(%o : memref<256x128xf32>) attrs = {rtile.config = #rtile.config<block = [2, 128], thread = [1, 4], vector = 4>} {
  ^bb0(%x: f32, %unused: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// A transpose stages its input once (no reduction loop), then one barrier.
// CHECK-LABEL: func.func @transpose
// CHECK:         gpu.launch {{.*}} workgroup(%[[T:[a-zA-Z0-9_]+]] : memref<16x33xf32, #gpu.address_space<workgroup>>)
// CHECK:           vector.store %{{.+}}, %[[T]]
// CHECK:           gpu.barrier
// CHECK:           memref.load %[[T]]
// CHECK-NOT:       gpu.barrier
func.func @transpose(%a: memref<64x128xf32>, %o: memref<128x64xf32>) {
  linalg.transpose ins(%a : memref<64x128xf32>) outs(%o : memref<128x64xf32>) permutation = [1, 0]
    {rtile.config = #rtile.config<block = [32, 16], thread = [1, 4], padding = 1>}
  return
}

// -----

// Without rtile.config an operation is left for convert-linalg-to-gpu.
// CHECK-LABEL: func.func @negative_unconfigured
// CHECK-NOT:     gpu.launch
// CHECK:         linalg.matmul
func.func @negative_unconfigured(%a: memref<64x32xf32>, %b: memref<32x48xf32>, %c: memref<64x48xf32>) {
  linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x48xf32>) outs(%c : memref<64x48xf32>)
  return
}
