// RUN: hm-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(convert-host-buffers-to-gpu))' | FileCheck %s

// CHECK-LABEL: func.func @alloc_dealloc
// CHECK-NOT: memref.alloc
// CHECK: %[[M:.+]] = gpu.alloc () : memref<16xf32>
// CHECK: gpu.dealloc %[[M]] : memref<16xf32>
// CHECK-NOT: memref.dealloc
func.func @alloc_dealloc() {
  %m = memref.alloc() : memref<16xf32>
  memref.dealloc %m : memref<16xf32>
  return
}

// -----

// Dynamic sizes carry over.
// CHECK-LABEL: func.func @dynamic_alloc
// CHECK-SAME: (%[[N:.+]]: index)
// CHECK: gpu.alloc (%[[N]]) : memref<?x4xf32>
func.func @dynamic_alloc(%n: index) -> memref<?x4xf32> {
  %m = memref.alloc(%n) : memref<?x4xf32>
  return %m : memref<?x4xf32>
}

// -----

// A constant is copied from its host global into a device buffer, which
// replaces it for every user.
// CHECK-LABEL: func.func @constant
// CHECK: %[[DEV:.+]] = gpu.alloc () : memref<4xf32>
// CHECK: %[[HOST:.+]] = memref.get_global @weights : memref<4xf32>
// CHECK: gpu.memcpy %[[DEV]], %[[HOST]] : memref<4xf32>, memref<4xf32>
// CHECK: return %[[DEV]]
memref.global "private" constant @weights : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @constant() -> memref<4xf32> {
  %w = memref.get_global @weights : memref<4xf32>
  return %w : memref<4xf32>
}

// -----

// Allocations inside kernels (e.g. private scratch) are left alone.
// CHECK-LABEL: func.func @negative_alloc_in_launch
// CHECK: gpu.launch
// CHECK: memref.alloca() : memref<4xf32>
// CHECK: memref.alloc() : memref<4xf32>
func.func @negative_alloc_in_launch() {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %a = memref.alloca() : memref<4xf32>
    %b = memref.alloc() : memref<4xf32>
    gpu.terminator
  }
  return
}
