// RUN: rm -rf %t && hm-opt %s --split-input-file --hm-lower-to-nvvm-pipeline --hm-dump-gpu-binaries=output-dir=%t | FileCheck %s --check-prefix=HOST
// RUN: FileCheck %s --check-prefix=ROWS < %t/row_sum_kernel_0.ptx
// RUN: FileCheck %s --check-prefix=COLS < %t/column_max_kernel_0.ptx
// RUN: FileCheck %s --check-prefix=MID < %t/middle_sum_kernel_0.ptx
// RUN: FileCheck %s --check-prefix=ALL < %t/total_sum_kernel_0.ptx

// Reductions along the last, the first, a middle and every axis.
// HOST-LABEL: llvm.func @row_sum
// HOST: gpu.launch_func {{.*}}@row_sum_kernel_0::@row_sum_kernel
// HOST-LABEL: llvm.func @column_max
// HOST: gpu.launch_func {{.*}}@column_max_kernel_0::@column_max_kernel
// HOST-LABEL: llvm.func @middle_sum
// HOST: gpu.launch_func {{.*}}@middle_sum_kernel_0::@middle_sum_kernel
// HOST-LABEL: llvm.func @total_sum
// HOST: gpu.launch_func {{.*}}@total_sum_kernel_0::@total_sum_kernel

// ROWS: .target sm_90
// ROWS: .visible .entry row_sum_kernel(
// ROWS: add.rn.f32
func.func @row_sum(%x: tensor<32x100xf32>) -> tensor<32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<32xf32>) -> tensor<32xf32>
  %r = linalg.reduce ins(%x : tensor<32x100xf32>) outs(%init : tensor<32xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<32xf32>
}

// -----

// COLS: .target sm_90
// COLS: .visible .entry column_max_kernel(
// COLS: max.NaN.f32
func.func @column_max(%x: tensor<100x48xf32>) -> tensor<48xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<48xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<48xf32>) -> tensor<48xf32>
  %r = linalg.reduce ins(%x : tensor<100x48xf32>) outs(%init : tensor<48xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %m = arith.maximumf %in, %acc : f32
      linalg.yield %m : f32
    }
  return %r : tensor<48xf32>
}

// -----

// MID: .target sm_90
// MID: .visible .entry middle_sum_kernel(
func.func @middle_sum(%x: tensor<4x50x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %r = linalg.reduce ins(%x : tensor<4x50x8xf32>) outs(%init : tensor<4x8xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<4x8xf32>
}

// -----

// ALL: .target sm_90
// ALL: .visible .entry total_sum_kernel(
func.func @total_sum(%x: tensor<16x16xf32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.reduce ins(%x : tensor<16x16xf32>) outs(%init : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<f32>
}
