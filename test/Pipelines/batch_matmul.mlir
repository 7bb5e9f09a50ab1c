// RUN: rm -rf %t && hm-opt %s --hm-lower-to-nvvm-pipeline --hm-dump-gpu-binaries=output-dir=%t | FileCheck %s --check-prefix=HOST
// RUN: FileCheck %s --check-prefix=PTX < %t/batch_matmul_kernel_0.ptx

// HOST-LABEL: llvm.func @batch_matmul
// HOST: gpu.launch_func {{.*}}@batch_matmul_kernel::@batch_matmul_kernel
// HOST: gpu.launch_func {{.*}}@batch_matmul_kernel_0::@batch_matmul_kernel

// PTX: .version 7.8
// PTX: .target sm_90
// PTX: .visible .entry batch_matmul_kernel(
// PTX: mul.rn.f32
// PTX: add.rn.f32
func.func @batch_matmul(%a: tensor<4x32x16xf32>, %b: tensor<4x16x64xf32>) -> tensor<4x32x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x32x64xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<4x32x64xf32>) -> tensor<4x32x64xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<4x32x16xf32>, tensor<4x16x64xf32>)
                           outs(%c : tensor<4x32x64xf32>) -> tensor<4x32x64xf32>
  return %r : tensor<4x32x64xf32>
}
