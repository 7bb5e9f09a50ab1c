// f16 and bf16 multiply-accumulates get tensor-core configurations on archs
// with tensor cores for their type (warp tiles and the reduction product in
// multiples of 16, padding in multiples of 8 elements). A conv with 8 input
// channels gets a channel step of 16 (3x3x16 = 9 x 16). bf16 on sm_70 (no
// bf16 tensor cores) is in tensor-core-bf16-configs.mlir.
// RUN: hm-opt %s --hm-roller=arch=sm_80 --hm-print-cost-model -o /dev/null | FileCheck %s --check-prefixes=CHECK,SM80
// RUN: hm-opt %s --hm-roller=arch=sm_90 --hm-print-cost-model -o /dev/null | FileCheck %s --check-prefixes=CHECK,SM90
// The tiled lowering then really emits WMMA for the conv and the f16 matmul,
// and nvvm.mma.sync for bf16.
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline="chip=sm_90" | FileCheck %s --check-prefix=KERNELS

// CHECK: linalg.conv_2d_nhwc_hwcf at loc({{.*}}:[[@LINE+7]]:8)
// CHECK-SAME: reduction = [3, 3, 16]
// CHECK: (tensor cores)
// KERNELS-LABEL: gpu.func @conv_f16_kernel
// KERNELS: gpu.subgroup_mma_compute
// KERNELS: gpu.return
func.func @conv_f16(%i: tensor<1x18x18x8xf16>, %k: tensor<3x3x8x64xf16>, %o: tensor<1x16x16x64xf16>) -> tensor<1x16x16x64xf16> {
  %r = linalg.conv_2d_nhwc_hwcf ins(%i, %k : tensor<1x18x18x8xf16>, tensor<3x3x8x64xf16>) outs(%o : tensor<1x16x16x64xf16>) -> tensor<1x16x16x64xf16>
  return %r : tensor<1x16x16x64xf16>
}

// CHECK: linalg.matmul at loc({{.*}}:[[@LINE+8]]:8)
// CHECK-SAME: padding = 8
// SM80: 312000 GFLOP/s (tensor cores)
// SM90: 989400 GFLOP/s (tensor cores)
// KERNELS-LABEL: gpu.func @matmul_f16_kernel
// KERNELS: gpu.subgroup_mma_compute
// KERNELS: gpu.return
func.func @matmul_f16(%a: tensor<1024x1024xf16>, %b: tensor<1024x1024xf16>, %c: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1024x1024xf16>, tensor<1024x1024xf16>) outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// CHECK: linalg.matmul at loc({{.*}}:[[@LINE+8]]:8)
// SM80: 312000 GFLOP/s (tensor cores)
// SM90: 989400 GFLOP/s (tensor cores)
// KERNELS-LABEL: gpu.func @matmul_bf16_kernel
// KERNELS-NOT: gpu.subgroup_mma
// KERNELS: nvvm.mma.sync
// KERNELS: gpu.return
func.func @matmul_bf16(%a: tensor<1024x1024xbf16>, %b: tensor<1024x1024xbf16>, %c: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1024x1024xbf16>, tensor<1024x1024xbf16>) outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}
