// Weights held as constants are copied from a host global into device memory
// once per call, on the same stream, before the kernel that reads them.
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline | FileCheck %s
// RUN: hm-opt %s --hm-lower-to-nvvm-pipeline | FileCheck %s --check-prefix=LLVM

// CHECK: memref.global "private" constant @[[W:.+]] : memref<4xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]>
// CHECK-LABEL: func.func @scale_by_weights
// CHECK: %[[DEV:.+]], %[[T0:.+]] = gpu.alloc async [%{{.+}}] () : memref<4xf32>
// CHECK: %[[HOST:.+]] = memref.get_global @[[W]] : memref<4xf32>
// CHECK: %[[T1:.+]] = gpu.memcpy async [%[[T0]]] %[[DEV]], %[[HOST]]
// CHECK: %[[OUT:.+]], %[[T2:.+]] = gpu.alloc async [%[[T1]]] () : memref<4xf32>
// CHECK: %[[T3:.+]] = gpu.launch_func async [%[[T2]]] @scale_by_weights_kernel::@scale_by_weights_kernel {{.*}} args(%[[DEV]] : memref<4xf32>, %{{.+}} : memref<4xf32>, %[[OUT]] : memref<4xf32>)
// CHECK: gpu.wait [%[[T3]]]
// CHECK: return %[[OUT]]
// LLVM: llvm.call @mgpuMemcpy
func.func @scale_by_weights(%x: tensor<4xf32>) -> tensor<4xf32> {
  %w = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.mul ins(%w, %x : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
