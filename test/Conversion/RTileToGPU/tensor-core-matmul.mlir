// RUN: hm-opt %s --split-input-file --convert-rtile-to-gpu | FileCheck %s

// Tensor-core kernels of --convert-rtile-to-gpu (docs/TensorCores.md): a
// configured f16 matmul whose config runs on tensor cores on the arch (warp
// tile and reduction step multiples of 16, an arch with f16 tensor cores)
// becomes a gpu.launch over 16x16x16 gpu.subgroup_mma_* fragments.
// Numerically checked under the emulator by
// test/Integration/Emu/tensor-core-*.mlir.

// 128x128x64 f16 -> f32, block 64x64, warp 32x32, K step 32, padding 2
// (rounded up to 8 halves): 2 x 2 = 4 blocks of 2 x 2 warps = 128 threads.
// A's tile 64 x (32 + 8) halves at byte 0, B's 32 x (64 + 8) at byte 5120:
// 9728 bytes of workgroup memory, viewed three ways (the epilogue's 4 warps x
// 16x16 f32 tiles reuse the staging bytes). Each warp holds 2 x 2 f32
// accumulators through the K loop, a loop of cf branches (upstream's
// convert-nvgpu-to-nvvm cannot convert an scf.for carrying fragments); 2
// fragment steps per reduction step.
// CHECK-LABEL: func.func @matmul_f16_f32
// CHECK-DAG:     %[[C4:[a-zA-Z0-9_]+]] = arith.constant 4 : index
// CHECK-DAG:     %[[C128:[a-zA-Z0-9_]+]] = arith.constant 128 : index
// CHECK:         gpu.launch blocks(%[[BX:[a-zA-Z0-9_]+]], %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) in (%{{[a-z0-9]+}} = %[[C4]],
// CHECK-SAME:      threads(%[[TX:[a-zA-Z0-9_]+]], %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) in (%{{[a-z0-9]+}} = %[[C128]],
// CHECK-SAME:      workgroup(%[[RAW:[a-zA-Z0-9_]+]] : memref<9728xi8, #gpu.address_space<workgroup>>)
// CHECK-DAG:       %[[A:.+]] = memref.view %[[RAW]][%{{.+}}][] : memref<9728xi8, #gpu.address_space<workgroup>> to memref<1x64x40xf16, #gpu.address_space<workgroup>>
// CHECK-DAG:       %[[B:.+]] = memref.view %[[RAW]][%{{.+}}][] : memref<9728xi8, #gpu.address_space<workgroup>> to memref<1x32x72xf16, #gpu.address_space<workgroup>>
// CHECK-DAG:       %[[EPI:.+]] = memref.view %[[RAW]][%{{.+}}][] : memref<9728xi8, #gpu.address_space<workgroup>> to memref<4x16x16xf32, #gpu.address_space<workgroup>>
// CHECK:           %[[ZERO:.+]] = gpu.subgroup_mma_constant_matrix %{{.+}} : !gpu.mma_matrix<16x16xf32, "COp">
// CHECK:           cf.br ^[[HEAD:.+]](%{{.+}}, %[[ZERO]], %[[ZERO]], %[[ZERO]], %[[ZERO]] : index, !gpu.mma_matrix<16x16xf32, "COp">, !gpu.mma_matrix<16x16xf32, "COp">, !gpu.mma_matrix<16x16xf32, "COp">, !gpu.mma_matrix<16x16xf32, "COp">)
// CHECK:         ^[[HEAD]](%{{.+}}: index, %[[ACC:[a-zA-Z0-9_]+]]: !gpu.mma_matrix<16x16xf32, "COp">, %{{.+}}: !gpu.mma_matrix<16x16xf32, "COp">, %{{.+}}: !gpu.mma_matrix<16x16xf32, "COp">, %{{.+}}: !gpu.mma_matrix<16x16xf32, "COp">):
// CHECK:           cf.cond_br %{{.+}}, ^[[BODY:.+]], ^[[EXIT:[a-zA-Z0-9_]+]]
// CHECK:         ^[[BODY]]:
// Staging: every thread copies elements of A's and B's tiles; they divide
// the loops, so no guard.
// CHECK:             scf.for %{{.+}} = %[[TX]] to %{{.+}} step %{{.+}} {
// CHECK-NOT:           scf.if
// CHECK:               memref.load %{{.+}} : memref<128x64xf16>
// CHECK:               memref.store %{{.+}}, %[[A]]
// CHECK:             scf.for %{{.+}} = %[[TX]] to %{{.+}} step %{{.+}} {
// CHECK:               memref.load %{{.+}} : memref<64x128xf16>
// CHECK:               memref.store %{{.+}}, %[[B]]
// CHECK:             gpu.barrier
// CHECK-COUNT-2:     gpu.subgroup_mma_load_matrix %[[A]][{{.+}}] {leadDimension = 40 : index} : memref<1x64x40xf16, #gpu.address_space<workgroup>> -> !gpu.mma_matrix<16x16xf16, "AOp">
// CHECK-COUNT-2:     gpu.subgroup_mma_load_matrix %[[B]][{{.+}}] {leadDimension = 72 : index} : memref<1x32x72xf16, #gpu.address_space<workgroup>> -> !gpu.mma_matrix<16x16xf16, "BOp">
// CHECK-COUNT-4:     gpu.subgroup_mma_compute {{.+}} : !gpu.mma_matrix<16x16xf16, "AOp">, !gpu.mma_matrix<16x16xf16, "BOp"> -> !gpu.mma_matrix<16x16xf32, "COp">
// CHECK-COUNT-2:     gpu.subgroup_mma_load_matrix %[[A]]
// CHECK-COUNT-2:     gpu.subgroup_mma_load_matrix %[[B]]
// CHECK-COUNT-4:     gpu.subgroup_mma_compute
// CHECK:             gpu.barrier
// CHECK:             cf.br ^[[HEAD]]
// Epilogue: per accumulator, store to the warp's tile, barrier, 8 elements
// per lane added to the output's initial value, barrier.
// CHECK:         ^[[EXIT]]:
// CHECK:           gpu.subgroup_mma_store_matrix %[[ACC]], %[[EPI]][{{.+}}] {leadDimension = 16 : index} : !gpu.mma_matrix<16x16xf32, "COp">, memref<4x16x16xf32, #gpu.address_space<workgroup>>
// CHECK-NEXT:      gpu.barrier
// CHECK:           scf.for
// CHECK:             memref.load %[[EPI]]
// CHECK:             memref.load %{{.+}} : memref<128x128xf32>
// CHECK:             arith.addf
// CHECK:             memref.store %{{.+}} : memref<128x128xf32>
// CHECK:           gpu.barrier
// CHECK-COUNT-3:   gpu.subgroup_mma_store_matrix
// CHECK-NOT:     linalg.matmul
func.func @matmul_f16_f32(%a: memref<128x64xf16>, %b: memref<64x128xf16>, %c: memref<128x128xf32>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [32], padding = 2>}
    ins(%a, %b : memref<128x64xf16>, memref<64x128xf16>) outs(%c : memref<128x128xf32>)
  return
}

// -----

// An f16 output: f32 accumulators, the output's initial value extended and
// the sum rounded to f16. Tiles that overhang the loops (M 40, N 24, K 40 with
// 32x32 blocks and K step 32): staged elements outside the loops are zero,
// stores are guarded.
// CHECK-LABEL: func.func @matmul_f16_overhang
// CHECK:         gpu.launch
// CHECK:           cf.cond_br
// CHECK:           scf.for
// CHECK:             arith.cmpi ult
// CHECK:             scf.if %{{.+}} -> (f16) {
// CHECK:               memref.load %{{.+}} : memref<40x40xf16>
// CHECK:             } else {
// CHECK:               arith.constant 0.000000e+00 : f16
// CHECK:           gpu.subgroup_mma_store_matrix
// CHECK:           scf.for
// CHECK:             arith.cmpi ult
// CHECK:             scf.if
// CHECK:               arith.extf %{{.+}} : f16 to f32
// CHECK:               arith.addf
// CHECK:               arith.truncf %{{.+}} : f32 to f16
// CHECK:               memref.store %{{.+}} : memref<40x24xf16>
func.func @matmul_f16_overhang(%a: memref<40x40xf16>, %b: memref<40x24xf16>, %c: memref<40x24xf16>) attributes {rtile.arch = #rtile.arch<"sm_80">} {
  linalg.matmul {rtile.config = #rtile.config<block = [32, 32], warp = [16, 16], thread = [4, 2], reduction = [32]>}
    ins(%a, %b : memref<40x40xf16>, memref<40x24xf16>) outs(%c : memref<40x24xf16>)
  return
}

// -----

// Over 48 KiB of workgroup memory (Roller's 128x256 tiles with a K step of 64:
// 128 x 72 + 64 x 264 halves = 52224 bytes): dynamic shared memory, whose
// size the launch passes (a GPU needs the kernel's maximum raised to
// launch it).
// CHECK-LABEL: func.func @matmul_dynamic_shared
// CHECK:         %[[BYTES:.+]] = arith.constant 52224 : i32
// CHECK:         gpu.launch
// CHECK-SAME:      dynamic_shared_memory_size %[[BYTES]]
// CHECK-NOT:       workgroup(
// CHECK:           %[[RAW:.+]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:           memref.view %[[RAW]]
// CHECK:           gpu.subgroup_mma_compute
func.func @matmul_dynamic_shared(%a: memref<256x256xf16>, %b: memref<256x256xf16>, %c: memref<256x256xf16>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.matmul {rtile.config = #rtile.config<block = [128, 256], warp = [32, 64], thread = [8, 8], reduction = [64], padding = 2, vector = 8>}
    ins(%a, %b : memref<256x256xf16>, memref<256x256xf16>) outs(%c : memref<256x256xf16>)
  return
}
