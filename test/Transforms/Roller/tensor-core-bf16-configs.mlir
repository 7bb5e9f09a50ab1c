// bf16 multiply-accumulates get tensor-core configurations where the arch
// has bf16 tensor cores (sm_80, sm_90: warp tiles and the reduction product
// in multiples of 16, rows padded by 8 elements) and CUDA-core ones on sm_70
// (its bf16 rate is 0). The tiled lowering then emits nvvm.mma.sync m16n8k16
// kernels (docs/TensorCores.md).
// RUN: hm-opt %s --hm-roller=arch=sm_70 --hm-print-cost-model -o /dev/null | FileCheck %s --check-prefix=SM70
// RUN: hm-opt %s --hm-roller=arch=sm_80 --hm-print-cost-model -o /dev/null | FileCheck %s --check-prefixes=TC,SM80
// RUN: hm-opt %s --hm-roller=arch=sm_90 --hm-print-cost-model -o /dev/null | FileCheck %s --check-prefixes=TC,SM90
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline="chip=sm_90" | FileCheck %s --check-prefix=KERNELS
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline="chip=sm_70" | FileCheck %s --check-prefix=CUDA-CORES

// SM70: linalg.matmul at loc({{.*}}:[[@LINE+14]]:8)
// SM70: (CUDA cores)
// TC: linalg.matmul at loc({{.*}}:[[@LINE+12]]:8)
// TC-SAME: reduction = [64], padding = 8
// SM80: 312000 GFLOP/s (tensor cores)
// SM90: 989400 GFLOP/s (tensor cores)
// KERNELS-LABEL: gpu.func @matmul_bf16_kernel
// KERNELS-NOT: gpu.subgroup_mma
// KERNELS: nvvm.mma.sync
// KERNELS: gpu.return
// CUDA-CORES-LABEL: gpu.func @matmul_bf16_kernel
// CUDA-CORES-NOT: nvvm.mma.sync
// CUDA-CORES: gpu.return
func.func @matmul_bf16(%a: tensor<1024x1024xbf16>, %b: tensor<1024x1024xbf16>, %c: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1024x1024xbf16>, tensor<1024x1024xbf16>) outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// A conv with 8 input channels: the channel step is raised to 16 so that
// the reduction product is a multiple of 16 (3x3x16).
// SM70: linalg.conv_2d_nhwc_hwcf at loc({{.*}}:[[@LINE+12]]:8)
// SM70: (CUDA cores)
// TC: linalg.conv_2d_nhwc_hwcf at loc({{.*}}:[[@LINE+10]]:8)
// TC-SAME: reduction = [3, 3, 16]
// TC: (tensor cores)
// KERNELS-LABEL: gpu.func @conv_bf16_kernel
// KERNELS: nvvm.mma.sync
// KERNELS: gpu.return
// CUDA-CORES-LABEL: gpu.func @conv_bf16_kernel
// CUDA-CORES-NOT: nvvm.mma.sync
// CUDA-CORES: gpu.return
func.func @conv_bf16(%i: tensor<1x18x18x8xbf16>, %k: tensor<3x3x8x64xbf16>, %o: tensor<1x16x16x64xf32>) -> tensor<1x16x16x64xf32> {
  %r = linalg.conv_2d_nhwc_hwcf ins(%i, %k : tensor<1x18x18x8xbf16>, tensor<3x3x8x64xbf16>) outs(%o : tensor<1x16x16x64xf32>) -> tensor<1x16x16x64xf32>
  return %r : tensor<1x16x16x64xf32>
}
