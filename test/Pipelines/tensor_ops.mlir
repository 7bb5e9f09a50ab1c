// Tensor data movement bufferizes to views and copies; the copies become
// kernels, the views stay metadata on the host.
// RUN: hm-opt %s --split-input-file --hm-linalg-to-gpu-pipeline | FileCheck %s
// RUN: hm-opt %s --split-input-file --hm-lower-to-nvvm-pipeline -o /dev/null

// Concatenation: two copy kernels into slices of one device buffer.
// CHECK-LABEL: func.func @concat
// CHECK: gpu.alloc async {{.*}} : memref<8x16xf32>
// CHECK: memref.subview
// CHECK: gpu.launch_func async {{.*}}@concat_kernel::@concat_kernel
// CHECK: memref.subview
// CHECK: gpu.launch_func async {{.*}}@concat_kernel_0::@concat_kernel
func.func @concat(%a: tensor<8x6xf32>, %b: tensor<8x10xf32>) -> tensor<8x16xf32> {
  %r = tensor.concat dim(1) %a, %b : (tensor<8x6xf32>, tensor<8x10xf32>) -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

// Reshapes are views: no kernel, no copy.
// CHECK-LABEL: func.func @reshape
// CHECK: memref.expand_shape
// CHECK-NOT: gpu.launch_func
// CHECK: return
func.func @reshape(%x: tensor<64xf32>) -> tensor<4x16xf32> {
  %r = tensor.expand_shape %x [[0, 1]] output_shape [4, 16] : tensor<64xf32> into tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// Padding: a fill kernel and a copy kernel into the interior.
// CHECK-LABEL: func.func @pad
// CHECK: gpu.launch_func async {{.*}}@pad_kernel::@pad_kernel
// CHECK: gpu.launch_func async {{.*}}@pad_kernel_0::@pad_kernel
// CHECK: gpu.module @pad_kernel
// CHECK: gpu.module @pad_kernel_0
func.func @pad(%x: tensor<4x4xf32>) -> tensor<6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %r = tensor.pad %x low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<4x4xf32> to tensor<6x6xf32>
  return %r : tensor<6x6xf32>
}

// -----

// Slicing then computing reads through a strided view inside the kernel.
// CHECK-LABEL: func.func @slice_then_negate
// CHECK: %[[V:.+]] = memref.subview %{{.+}}[2, 0] [4, 8] [1, 1]
// CHECK: gpu.launch_func async {{.*}}args(%[[V]] : memref<4x8xf32, strided<[8, 1], offset: 16>>
func.func @slice_then_negate(%x: tensor<8x8xf32>) -> tensor<4x8xf32> {
  %s = tensor.extract_slice %x[2, 0] [4, 8] [1, 1] : tensor<8x8xf32> to tensor<4x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.negf ins(%s : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
