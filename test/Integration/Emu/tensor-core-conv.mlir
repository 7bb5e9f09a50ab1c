// Tensor-core kernels of batch_matmul and of an NHWC convolution (an
// implicit GEMM: rows N*OH*OW, columns F, K = KH*KW*C staged as im2col
// tiles through the input's indexing map) under the GPU emulator, against
// the cpu reference. The configurations are written here; hm-run's GPU
// pipeline with Roller keeps them (docs/TensorCores.md).
// REQUIRES: hm-emulator
//
// batch_matmul 3x40x48x56 -> f32, 2 batches per block (the third block
// overhangs the batch loop), 2 per warp, tiles overhanging M and K.
// RUN: hm-run %s --device=emu --entry=batch_matmul --random-inputs=7 --compare=cpu --gpu-pipeline-options="roller=true chip=sm_90" | FileCheck %s
//
// 3x3 stride-1 convolution, f16 -> f32: warp tiles of 2x8 output pixels
// (rows) by 16 filters; K = 3*3*24 = 216 in steps of 3*3*16 = 144 (the
// channel loop overhangs its step: zero-filled).
// RUN: hm-run %s --device=emu --entry=conv_nhwc --random-inputs=9 --compare=cpu --gpu-pipeline-options="roller=true chip=sm_90" | FileCheck %s
//
// Stride 2, f16 output (the cpu reference accumulates in f16), output
// pixels overhanging the block tiles.
// RUN: hm-run %s --device=emu --entry=conv_nhwc_stride2_f16 --random-inputs=11 --compare=cpu --atol=0.05 --rtol=0.02 --gpu-pipeline-options="roller=true chip=sm_80" | FileCheck %s
// CHECK: compare out0 (emu vs cpu): {{.*}} OK
//
// All three run on tensor cores:
// RUN: hm-opt %s --hm-roller=arch=sm_90 --empty-tensor-to-alloc-tensor --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --convert-rtile-to-gpu | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @batch_matmul
// IR: gpu.subgroup_mma_compute
// IR-LABEL: func.func @conv_nhwc
// IR: gpu.subgroup_mma_compute
// IR-LABEL: func.func @conv_nhwc_stride2_f16
// IR: gpu.subgroup_mma_compute

func.func @batch_matmul(%a: tensor<3x40x56xf16>, %b: tensor<3x56x48xf16>) -> tensor<3x40x48xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x40x48xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x40x48xf32>) -> tensor<3x40x48xf32>
  %r = linalg.batch_matmul {rtile.config = #rtile.config<block = [2, 32, 48], warp = [2, 16, 16], thread = [1, 2, 8], reduction = [32], padding = 2>}
    ins(%a, %b : tensor<3x40x56xf16>, tensor<3x56x48xf16>) outs(%init : tensor<3x40x48xf32>) -> tensor<3x40x48xf32>
  return %r : tensor<3x40x48xf32>
}

func.func @conv_nhwc(%i: tensor<2x10x10x24xf16>, %k: tensor<3x3x24x32xf16>) -> tensor<2x8x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<2x8x8x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<2x8x8x32xf32>) -> tensor<2x8x8x32xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>,
                                 rtile.config = #rtile.config<block = [1, 4, 8, 32], warp = [1, 2, 8, 16], thread = [1, 1, 2, 4], reduction = [3, 3, 16], padding = 2>}
    ins(%i, %k : tensor<2x10x10x24xf16>, tensor<3x3x24x32xf16>) outs(%init : tensor<2x8x8x32xf32>) -> tensor<2x8x8x32xf32>
  return %r : tensor<2x8x8x32xf32>
}

func.func @conv_nhwc_stride2_f16(%i: tensor<1x13x13x16xf16>, %k: tensor<3x3x16x16xf16>, %o: tensor<1x6x6x16xf16>) -> tensor<1x6x6x16xf16> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>,
                                 rtile.config = #rtile.config<block = [1, 4, 8, 16], warp = [1, 2, 8, 16], thread = [1, 1, 2, 4], reduction = [3, 3, 16]>}
    ins(%i, %k : tensor<1x13x13x16xf16>, tensor<3x3x16x16xf16>) outs(%o : tensor<1x6x6x16xf16>) -> tensor<1x6x6x16xf16>
  return %r : tensor<1x6x6x16xf16>
}
