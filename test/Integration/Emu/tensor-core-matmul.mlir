// Tensor-core kernels (docs/TensorCores.md) under the GPU emulator, checked
// against the cpu reference: hm-run's GPU pipeline with Roller
// (roller=true) keeps the configurations written here and
// --convert-rtile-to-gpu lowers them to gpu.subgroup_mma_* kernels, which the
// emulator runs with its race and bounds checks.
// REQUIRES: hm-emulator
//
// f16 x f16 -> f32: both sides accumulate in f32; only the order differs.
// RUN: hm-run %s --device=emu --entry=matmul_f32_out --random-inputs=3 --compare=cpu --gpu-pipeline-options="roller=true chip=sm_90" | FileCheck %s --check-prefix=F32
// F32: compare out0 (emu vs cpu): {{.*}} OK
//
// f16 output, tiles that overhang M, N and K (96x80x72 with 64x64 blocks and
// a K step of 32): the cpu reference accumulates in f16 (the payload's type),
// the kernel in f32, hence the wider tolerance.
// RUN: hm-run %s --device=emu --entry=matmul_f16_overhang --random-inputs=5 --compare=cpu --atol=0.05 --rtol=0.02 --gpu-pipeline-options="roller=true chip=sm_80" | FileCheck %s --check-prefix=F16
// F16: compare out0 (emu vs cpu): {{.*}} OK
//
// Roller's 128x256 tile with a K step of 64 (sm_90's choice for a 4096^3 f16
// matmul): 52,224 bytes of dynamic shared memory, 16 warps of 2x4
// accumulators.
// RUN: hm-run %s --device=emu --entry=matmul_dynamic_shared --random-inputs=13 --compare=cpu --atol=0.05 --rtol=0.02 --gpu-pipeline-options="roller=true chip=sm_90" | FileCheck %s --check-prefix=F16
//
// The kernels above are tensor-core kernels:
// RUN: hm-opt %s --hm-roller=arch=sm_90 --empty-tensor-to-alloc-tensor --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --convert-rtile-to-gpu | FileCheck %s --check-prefix=IR
// IR-LABEL: func.func @matmul_f32_out
// IR: gpu.subgroup_mma_compute
// IR-LABEL: func.func @matmul_f16_overhang
// IR: gpu.subgroup_mma_compute
// IR-LABEL: func.func @matmul_dynamic_shared
// IR: gpu.dynamic_shared_memory
// IR: gpu.subgroup_mma_compute

func.func @matmul_f32_out(%a: tensor<64x96xf16>, %b: tensor<96x64xf16>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<64x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<64x64xf32>) -> tensor<64x64xf32>
  %r = linalg.matmul {rtile.config = #rtile.config<block = [32, 64], warp = [16, 32], thread = [4, 4], reduction = [32], padding = 2>}
    ins(%a, %b : tensor<64x96xf16>, tensor<96x64xf16>) outs(%init : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

func.func @matmul_f16_overhang(%a: tensor<96x72xf16>, %b: tensor<72x80xf16>, %c: tensor<96x80xf16>) -> tensor<96x80xf16> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [32]>}
    ins(%a, %b : tensor<96x72xf16>, tensor<72x80xf16>) outs(%c : tensor<96x80xf16>) -> tensor<96x80xf16>
  return %r : tensor<96x80xf16>
}

func.func @matmul_dynamic_shared(%a: tensor<128x64xf16>, %b: tensor<64x256xf16>, %c: tensor<128x256xf16>) -> tensor<128x256xf16> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [128, 256], warp = [32, 64], thread = [8, 8], reduction = [64], padding = 2, vector = 8>}
    ins(%a, %b : tensor<128x64xf16>, tensor<64x256xf16>) outs(%c : tensor<128x256xf16>) -> tensor<128x256xf16>
  return %r : tensor<128x256xf16>
}
