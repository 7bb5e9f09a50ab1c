// RUN: hm-opt %s --split-input-file --convert-rtile-to-gpu | FileCheck %s --implicit-check-not=nvvm.mma.sync --implicit-check-not=gpu.subgroup_mma

// Configured bf16 operations that stay on CUDA cores (the tiled kernel:
// private accumulators, no nvvm.mma.sync): the arch has no bf16 tensor cores,
// or the operation does not fit the bf16 tensor-core kernel.

// sm_70 (V100) has f16 tensor cores only: its bf16 rate is 0.
// CHECK-LABEL: func.func @negative_bf16_sm70
// CHECK:         gpu.launch
// CHECK-SAME:      private(
func.func @negative_bf16_sm70(%a: memref<64x64xbf16>, %b: memref<64x64xbf16>, %c: memref<64x64xf32>) attributes {rtile.arch = #rtile.arch<"sm_70">} {
  linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [32]>}
    ins(%a, %b : memref<64x64xbf16>, memref<64x64xbf16>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// One bf16 and one f16 input: neither kernel's fragments fit.
// CHECK-LABEL: func.func @negative_mixed_inputs
// CHECK:         gpu.launch
// CHECK-SAME:      private(
func.func @negative_mixed_inputs(%a: memref<64x64xbf16>, %b: memref<64x64xf16>, %c: memref<64x64xf32>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [32]>}
    ins(%a, %b : memref<64x64xbf16>, memref<64x64xf16>) outs(%c : memref<64x64xf32>)
  return
}
