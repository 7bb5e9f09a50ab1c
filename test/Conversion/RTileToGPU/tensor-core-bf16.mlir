// RUN: hm-opt %s --split-input-file --convert-rtile-to-gpu | FileCheck %s --implicit-check-not=gpu.subgroup_mma

// bf16 tensor-core kernels of --convert-rtile-to-gpu (docs/TensorCores.md):
// upstream's !gpu.mma_matrix has no bf16, so each lane loads its fragment
// registers (two bf16 along K per i32) from the staged tiles and calls
// nvvm.mma.sync m16n8k16 with f32 accumulators. Numerically checked under
// the emulator by test/Integration/Emu/tensor-core-bf16-*.test.

// 128x128x64 bf16 -> f32, block 64x64, warp 32x32, K step 32, padding 2
// (rounded up to 8): A's tile 64 x (32 + 8) at byte 0, B's transposed tile
// (columns x K, K fastest like A) 64 x 40 at byte 5120, both also viewed as
// i32 words (20 per row). No epilogue tile: 10240 bytes.
// CHECK-LABEL: func.func @matmul_bf16_f32
// CHECK:         gpu.launch
// CHECK-SAME:      threads(%[[TX:[a-zA-Z0-9_]+]], %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) in
// CHECK-SAME:      workgroup(%[[RAW:[a-zA-Z0-9_]+]] : memref<10240xi8, #gpu.address_space<workgroup>>)
// CHECK-DAG:       %[[A:.+]] = memref.view %[[RAW]][%{{.+}}][] : memref<10240xi8, #gpu.address_space<workgroup>> to memref<1x64x40xbf16, #gpu.address_space<workgroup>>
// CHECK-DAG:       %[[B:.+]] = memref.view %[[RAW]][%[[C5120:.+]]][] : memref<10240xi8, #gpu.address_space<workgroup>> to memref<1x64x40xbf16, #gpu.address_space<workgroup>>
// CHECK-DAG:       %[[LANE:.+]] = arith.remui %[[TX]], %{{.+}} : index
// CHECK-DAG:       %[[AW:.+]] = memref.view %[[RAW]][%{{.+}}][] : memref<10240xi8, #gpu.address_space<workgroup>> to memref<1x64x20xi32, #gpu.address_space<workgroup>>
// CHECK-DAG:       %[[BW:.+]] = memref.view %[[RAW]][%{{.+}}][] : memref<10240xi8, #gpu.address_space<workgroup>> to memref<1x64x20xi32, #gpu.address_space<workgroup>>
// 2 x 4 tiles of 16x8 per warp: 32 f32 accumulators per lane, carried by a
// plain scf.for.
// CHECK:           %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %{{.+}}:32 = scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC0:[a-zA-Z0-9_]+]] = %[[ZERO]], %[[ACC1:[a-zA-Z0-9_]+]] = %[[ZERO]], %[[ACC2:[a-zA-Z0-9_]+]] = %[[ZERO]], %[[ACC3:[a-zA-Z0-9_]+]] = %[[ZERO]],
// CHECK-SAME:        -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// Staging: B is read with its columns fastest and stored transposed.
// CHECK:             scf.for
// CHECK:               memref.load %{{.+}} : memref<128x64xbf16>
// CHECK:               memref.store %{{.+}}, %[[A]]
// CHECK:             scf.for
// CHECK:               memref.load %{{.+}} : memref<64x128xbf16>
// CHECK:               memref.store %{{.+}}, %[[B]][%{{.+}}, %[[COLUMN:.+]], %[[K:.+]]] :
// CHECK:             gpu.barrier
// Fragments: g = lane / 4 picks the row (and row + 8) or column, t = lane %
// 4 the word (and word + 4) of K.
// CHECK:             %[[G:.+]] = arith.divui %[[LANE]], %[[C4:.+]] : index
// CHECK:             %[[T:.+]] = arith.remui %[[LANE]], %[[C4]] : index
// CHECK:             %[[TH:.+]] = arith.addi %[[T]], %[[C4B:.+]] : index
// CHECK:             %[[ROW:.+]] = arith.addi %{{.+}}, %[[G]] : index
// CHECK:             %[[ROW8:.+]] = arith.addi %[[ROW]], %{{.+}} : index
// CHECK:             %[[A0:.+]] = memref.load %[[AW]][%{{.+}}, %[[ROW]], %[[T]]]
// CHECK:             %[[A1:.+]] = memref.load %[[AW]][%{{.+}}, %[[ROW8]], %[[T]]]
// CHECK:             %[[A2:.+]] = memref.load %[[AW]][%{{.+}}, %[[ROW]], %[[TH]]]
// CHECK:             %[[A3:.+]] = memref.load %[[AW]][%{{.+}}, %[[ROW8]], %[[TH]]]
// CHECK-COUNT-4:     memref.load %[[AW]]
// CHECK:             %[[COL:.+]] = arith.addi %{{.+}}, %[[G]] : index
// CHECK:             %[[B0:.+]] = memref.load %[[BW]][%{{.+}}, %[[COL]], %[[T]]]
// CHECK:             %[[B1:.+]] = memref.load %[[BW]][%{{.+}}, %[[COL]], %[[TH]]]
// CHECK-COUNT-6:     memref.load %[[BW]]
// CHECK:             %[[D:.+]] = nvvm.mma.sync A[%[[A0]], %[[A1]], %[[A2]], %[[A3]]]  B[%[[B0]], %[[B1]]]  C[%[[ACC0]], %[[ACC1]], %[[ACC2]], %[[ACC3]]]
// CHECK-SAME:          layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>
// CHECK-SAME:          : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK:             %[[D0:.+]] = llvm.extractvalue %[[D]][0]
// CHECK-COUNT-7:     nvvm.mma.sync
// The second 16-deep slice of the step, chained on the first's results.
// CHECK:             nvvm.mma.sync {{.+}} C[%[[D0]],
// CHECK-COUNT-7:     nvvm.mma.sync
// CHECK:             gpu.barrier
// CHECK:             scf.yield
// Epilogue: every lane stores its accumulators straight to the output (the
// tiles divide the loops: no guard), adding the initial value.
// CHECK-NOT:       gpu.barrier
// CHECK:           memref.load %{{.+}} : memref<128x128xf32>
// CHECK:           arith.addf
// CHECK:           memref.store %{{.+}} : memref<128x128xf32>
// CHECK-NOT:       scf.if
// CHECK:           gpu.terminator
func.func @matmul_bf16_f32(%a: memref<128x64xbf16>, %b: memref<64x128xbf16>, %c: memref<128x128xf32>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [32], padding = 2>}
    ins(%a, %b : memref<128x64xbf16>, memref<64x128xbf16>) outs(%c : memref<128x128xf32>)
  return
}

// -----

// bf16 output, tiles overhanging M, N and K: staging is guarded (zeros
// outside), each of a lane's 8 stores is guarded, and the f32 sum plus the
// initial value is rounded to bf16 once.
// CHECK-LABEL: func.func @matmul_bf16_overhang
// CHECK:         gpu.launch
// CHECK:           scf.for
// CHECK:             scf.if
// CHECK:               memref.load %{{.+}} : memref<40x40xbf16>
// CHECK:             } else {
// CHECK:               arith.constant 0.000000e+00 : bf16
// CHECK-COUNT-4:     nvvm.mma.sync
// CHECK:             scf.yield
// CHECK-COUNT-8:   scf.if
// CHECK:             memref.load %{{.+}} : memref<40x24xbf16>
// CHECK:             arith.extf %{{.+}} : bf16 to f32
// CHECK:             arith.addf
// CHECK:             arith.truncf %{{.+}} : f32 to bf16
// CHECK:             memref.store %{{.+}} : memref<40x24xbf16>
func.func @matmul_bf16_overhang(%a: memref<40x40xbf16>, %b: memref<40x24xbf16>, %c: memref<40x24xbf16>) attributes {rtile.arch = #rtile.arch<"sm_80">} {
  linalg.matmul {rtile.config = #rtile.config<block = [32, 32], warp = [16, 16], thread = [4, 2], reduction = [32]>}
    ins(%a, %b : memref<40x40xbf16>, memref<40x24xbf16>) outs(%c : memref<40x24xbf16>)
  return
}

// -----

// batch_matmul with 2 batch points per warp: each point loads its own
// fragments at its batch index; 2 points x 2 column tiles x 2 slices.
// CHECK-LABEL: func.func @batch_matmul_bf16
// CHECK:         memref.view {{.+}} to memref<2x32x20xi32, #gpu.address_space<workgroup>>
// CHECK:         memref.view {{.+}} to memref<2x48x20xi32, #gpu.address_space<workgroup>>
// CHECK:         scf.for
// CHECK-COUNT-8:   nvvm.mma.sync
// CHECK:           scf.yield
func.func @batch_matmul_bf16(%a: memref<4x32x64xbf16>, %b: memref<4x64x48xbf16>, %c: memref<4x32x48xf32>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.batch_matmul {rtile.config = #rtile.config<block = [2, 32, 48], warp = [2, 16, 16], thread = [1, 2, 8], reduction = [32], padding = 2>}
    ins(%a, %b : memref<4x32x64xbf16>, memref<4x64x48xbf16>) outs(%c : memref<4x32x48xf32>)
  return
}

// -----

// An NHWC convolution: the A tile is the im2col tile gathered through the
// image's indexing map, K = 3x3x16 = 144 = 9 slices of 16 (more than 4: a
// loop over the slices, 8 words apart, carrying the accumulators); warp
// tiles of 2x8 pixels by 16 filters: 2 mma.sync per slice.
// CHECK-LABEL: func.func @conv_bf16
// CHECK:         memref.view {{.+}} to memref<1x32x152xbf16, #gpu.address_space<workgroup>>
// CHECK:         scf.for
// CHECK:           memref.load %{{.+}} : memref<1x10x10x16xbf16>
// CHECK:           gpu.barrier
// CHECK:           %[[C72:.+]] = arith.constant 72 : index
// CHECK:           %[[C8:.+]] = arith.constant 8 : index
// CHECK:           scf.for %{{.+}} = %{{.+}} to %[[C72]] step %[[C8]] iter_args(
// CHECK-COUNT-2:     nvvm.mma.sync
// CHECK-NOT:         nvvm.mma.sync
// CHECK:             scf.yield
// CHECK:           gpu.barrier
// CHECK:           scf.yield
func.func @conv_bf16(%i: memref<1x10x10x16xbf16>, %k: memref<3x3x16x32xbf16>, %o: memref<1x8x8x32xf32>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>,
                            rtile.config = #rtile.config<block = [1, 4, 8, 32], warp = [1, 2, 8, 16], thread = [1, 1, 2, 4], reduction = [3, 3, 16], padding = 2>}
    ins(%i, %k : memref<1x10x10x16xbf16>, memref<3x3x16x32xbf16>) outs(%o : memref<1x8x8x32xf32>)
  return
}
