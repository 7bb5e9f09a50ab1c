// RUN: hm-opt %s --split-input-file --hm-roller=arch=sm_70 | FileCheck %s --check-prefixes=CHECK,V100
// RUN: hm-opt %s --split-input-file --hm-roller=arch=sm_80 | FileCheck %s --check-prefixes=CHECK,A100
// RUN: hm-opt %s --split-input-file --hm-roller=arch=sm_90 | FileCheck %s --check-prefixes=CHECK,H100

// The configurations Roller constructs for matmuls on each arch, fixed here
// so that a change of the model or the construction shows in review.

// 4096^3 f32: CUDA cores. The B tile's innermost extent (N) and the A tile's
// (the K step) are multiples of 8 floats (32-byte transactions); padding 1
// breaks the bank conflicts of column reads; 128 threads on sm_80 and sm_90,
// 512 on sm_70, all multiples of 32 x 4.
// CHECK-LABEL: func.func @matmul_f32_4096
// V100:  linalg.matmul {rtile.config = #rtile.config<block = [128, 128], warp = [8, 128], thread = [4, 8], reduction = [8], padding = 1, vector = 4, double_buffer>}
// A100:  linalg.matmul {rtile.config = #rtile.config<block = [64, 128], warp = [16, 128], thread = [8, 8], reduction = [8], padding = 1, vector = 4, double_buffer>}
// H100:  linalg.matmul {rtile.config = #rtile.config<block = [128, 128], warp = [32, 128], thread = [8, 16], reduction = [8], padding = 1, vector = 4, double_buffer>}
func.func @matmul_f32_4096(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}

// -----

// 4096^3 f16: tensor cores on all three, so the K step is 64 and the warp
// tile's M and N extents are multiples of 16; 8 halves = 16 bytes per vector,
// and the padding is 8 halves (WMMA's 16-byte-aligned rows). Accumulators are
// f32 on tensor cores (4 bytes each in the register estimate although the
// output is f16). The compiled-register bound counts fragments on tensor
// cores (a 64x64 warp tile: 16 accumulator fragments, 128 + 32 + 48 = 208 of
// the 255 a 256-thread block gets): all three take the 128x256 block of 256
// threads (with the CUDA-core formula they took 128x128 blocks with 32x32 or
// 32x64 warp tiles); V100 without double buffering.
// CHECK-LABEL: func.func @matmul_f16_4096
// V100:  linalg.matmul {rtile.config = #rtile.config<block = [128, 256], warp = [64, 64], thread = [8, 16], reduction = [64], padding = 8, vector = 8>
// A100:  linalg.matmul {rtile.config = #rtile.config<block = [128, 256], warp = [64, 64], thread = [8, 16], reduction = [64], padding = 8, vector = 8, double_buffer>
// H100:  linalg.matmul {rtile.config = #rtile.config<block = [128, 256], warp = [64, 64], thread = [8, 16], reduction = [64], padding = 8, vector = 8, double_buffer>
func.func @matmul_f16_4096(%a: tensor<4096x4096xf16>, %b: tensor<4096x4096xf16>, %c: tensor<4096x4096xf16>) -> tensor<4096x4096xf16> {
  %r = linalg.matmul ins(%a, %b : tensor<4096x4096xf16>, tensor<4096x4096xf16>) outs(%c : tensor<4096x4096xf16>) -> tensor<4096x4096xf16>
  return %r : tensor<4096x4096xf16>
}

// -----

// bf16 with an f32 accumulator: sm_70 has no bf16 tensor cores, so its K step
// is the transaction width in bf16 elements (16) on CUDA cores; sm_80 and
// sm_90 run bf16 on tensor cores (nvvm.mma.sync, docs/TensorCores.md): a K
// step of 64 and rows padded by 8 elements, as for f16.
// CHECK-LABEL: func.func @matmul_bf16_f32_acc
// V100:  reduction = [16]
// A100:  reduction = [64], padding = 8
// H100:  reduction = [64], padding = 8
func.func @matmul_bf16_f32_acc(%a: tensor<1024x1024xbf16>, %b: tensor<1024x1024xbf16>, %c: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1024x1024xbf16>, tensor<1024x1024xbf16>) outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// -----

// batch_matmul: one block extent per parallel loop (batch, M, N).
// CHECK-LABEL: func.func @batch_matmul_f32
// V100:  linalg.batch_matmul {rtile.config = #rtile.config<block = [1, 128, 128], warp = [1, 8, 128], thread = [1, 4, 8], reduction = [8], padding = 1, vector = 4, double_buffer>}
// A100:  linalg.batch_matmul {rtile.config = #rtile.config<block = [1, 128, 128], warp = [1, 8, 128], thread = [1, 4, 8], reduction = [8], padding = 1, vector = 4, double_buffer>}
// H100:  linalg.batch_matmul {rtile.config = #rtile.config<block = [1, 128, 128], warp = [1, 32, 128], thread = [1, 8, 16], reduction = [8], padding = 1, vector = 4, double_buffer>}
func.func @batch_matmul_f32(%a: tensor<16x512x256xf32>, %b: tensor<16x256x1024xf32>, %c: tensor<16x512x1024xf32>) -> tensor<16x512x1024xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<16x512x256xf32>, tensor<16x256x1024xf32>) outs(%c : tensor<16x512x1024xf32>) -> tensor<16x512x1024xf32>
  return %r : tensor<16x512x1024xf32>
}

// -----

// A K of 2 is loaded whole (a step may not exceed the loop).
// CHECK-LABEL: func.func @matmul_short_k
// CHECK:  reduction = [2]
func.func @matmul_short_k(%a: tensor<65536x2xf32>, %b: tensor<2x1024xf32>, %c: tensor<65536x1024xf32>) -> tensor<65536x1024xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<65536x2xf32>, tensor<2x1024xf32>) outs(%c : tensor<65536x1024xf32>) -> tensor<65536x1024xf32>
  return %r : tensor<65536x1024xf32>
}
