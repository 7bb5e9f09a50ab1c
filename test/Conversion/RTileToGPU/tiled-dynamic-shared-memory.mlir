// RUN: hm-opt %s --split-input-file --convert-rtile-to-gpu | FileCheck %s

// Staged buffers over 48 KiB (2 x (128 x 33 + 32 x 129) floats = 66816 bytes,
// double buffered) are views into the launch's dynamic shared memory, at
// 16-byte aligned offsets; the launch asks for the total. (A kernel's static
// shared memory cannot exceed 48 KiB; the CUDA runtime opts into more with
// cuFuncSetAttribute.)
// CHECK-LABEL: func.func @matmul_dynamic_shared
// CHECK:         %[[BYTES:.+]] = arith.constant 66816 : i32
// CHECK:         gpu.launch
// CHECK-SAME:      dynamic_shared_memory_size %[[BYTES]]
// CHECK-NOT:       workgroup(
// CHECK:           %[[RAW:.+]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:           %[[A:.+]] = memref.view %[[RAW]][%{{.+}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<2x128x33xf32, #gpu.address_space<workgroup>>
// CHECK:           %[[B:.+]] = memref.view %[[RAW]][%{{.+}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<2x32x129xf32, #gpu.address_space<workgroup>>
// CHECK:           vector.store %{{.+}}, %[[A]]
// CHECK:           vector.store %{{.+}}, %[[B]]
func.func @matmul_dynamic_shared(%a: memref<256x64xf32>, %b: memref<64x256xf32>, %c: memref<256x256xf32>) {
  linalg.matmul {rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [32], padding = 1, vector = 4, double_buffer>}
    ins(%a, %b : memref<256x64xf32>, memref<64x256xf32>) outs(%c : memref<256x256xf32>)
  return
}

// -----

// At most 48 KiB: static workgroup attributions.
// CHECK-LABEL: func.func @negative_static_shared
// CHECK:         gpu.launch
// CHECK-NOT:       dynamic_shared_memory_size
// CHECK-SAME:      workgroup(
// CHECK-NOT:       gpu.dynamic_shared_memory
func.func @negative_static_shared(%a: memref<256x64xf32>, %b: memref<64x256xf32>, %c: memref<256x256xf32>) {
  linalg.matmul {rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [32], padding = 1, vector = 4>}
    ins(%a, %b : memref<256x64xf32>, memref<64x256xf32>) outs(%c : memref<256x256xf32>)
  return
}
