// RUN: rm -rf %t && hm-opt %s --hm-lower-to-nvvm-pipeline --hm-dump-gpu-binaries=output-dir=%t | FileCheck %s --check-prefix=HOST
// RUN: FileCheck %s --check-prefix=FILL < %t/fill_kernel.ptx
// RUN: FileCheck %s --check-prefix=T2 < %t/transpose_2d_kernel.ptx
// RUN: FileCheck %s --check-prefix=T3 < %t/transpose_3d_kernel.ptx

// HOST-LABEL: llvm.func @fill
// HOST: gpu.launch_func {{.*}}@fill_kernel::@fill_kernel
// HOST-LABEL: llvm.func @transpose_2d
// HOST: gpu.launch_func {{.*}}@transpose_2d_kernel::@transpose_2d_kernel
// HOST-LABEL: llvm.func @transpose_3d
// HOST: gpu.launch_func {{.*}}@transpose_3d_kernel::@transpose_3d_kernel

// FILL: .target sm_90
// FILL: .visible .entry fill_kernel(
// FILL: st.global.b32
func.func @fill() -> tensor<33x65xf32> {
  %v = arith.constant 2.5 : f32
  %e = tensor.empty() : tensor<33x65xf32>
  %r = linalg.fill ins(%v : f32) outs(%e : tensor<33x65xf32>) -> tensor<33x65xf32>
  return %r : tensor<33x65xf32>
}

// T2: .target sm_90
// T2: .visible .entry transpose_2d_kernel(
// T2: ld.global
// T2: st.global
func.func @transpose_2d(%x: tensor<48x80xf32>) -> tensor<80x48xf32> {
  %e = tensor.empty() : tensor<80x48xf32>
  %r = linalg.transpose ins(%x : tensor<48x80xf32>) outs(%e : tensor<80x48xf32>) permutation = [1, 0]
  return %r : tensor<80x48xf32>
}

// T3: .target sm_90
// T3: .visible .entry transpose_3d_kernel(
func.func @transpose_3d(%x: tensor<2x3x4xf16>) -> tensor<4x2x3xf16> {
  %e = tensor.empty() : tensor<4x2x3xf16>
  %r = linalg.transpose ins(%x : tensor<2x3x4xf16>) outs(%e : tensor<4x2x3xf16>) permutation = [2, 0, 1]
  return %r : tensor<4x2x3xf16>
}
