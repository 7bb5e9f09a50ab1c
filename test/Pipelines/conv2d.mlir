// RUN: rm -rf %t && hm-opt %s --split-input-file --hm-lower-to-nvvm-pipeline --hm-dump-gpu-binaries=output-dir=%t | FileCheck %s --check-prefix=HOST
// RUN: FileCheck %s --check-prefix=PTX < %t/conv_kernel_0.ptx
// RUN: FileCheck %s --check-prefix=STRIDED < %t/conv_strided_kernel_0.ptx

// HOST-LABEL: llvm.func @conv
// HOST: gpu.launch_func {{.*}}@conv_kernel_0::@conv_kernel
// HOST-LABEL: llvm.func @conv_strided
// HOST: gpu.launch_func {{.*}}@conv_strided_kernel_0::@conv_strided_kernel

// PTX: .version 7.8
// PTX: .target sm_90
// PTX: .visible .entry conv_kernel(
// PTX: mul.rn.f32
// PTX: add.rn.f32
func.func @conv(%x: tensor<1x3x16x16xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x14x14xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x14x14xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x14x14xf32>) -> tensor<1x8x14x14xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x16x16xf32>, tensor<8x3x3x3xf32>)
      outs(%c : tensor<1x8x14x14xf32>) -> tensor<1x8x14x14xf32>
  return %r : tensor<1x8x14x14xf32>
}

// -----

// Stride 2 and dilation 2.
// STRIDED: .target sm_90
// STRIDED: .visible .entry conv_strided_kernel(
func.func @conv_strided(%x: tensor<2x4x17x17xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<2x6x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x6x7x7xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<2x6x7x7xf32>) -> tensor<2x6x7x7xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<2x4x17x17xf32>, tensor<6x4x3x3xf32>)
      outs(%c : tensor<2x6x7x7xf32>) -> tensor<2x6x7x7xf32>
  return %r : tensor<2x6x7x7xf32>
}
