// RUN: hm-opt %s --convert-rtile-to-gpu --canonicalize | FileCheck %s

// double_buffer: each staged input gets two buffers (a leading 2); step 0 is
// copied into buffer 0 before the loop; in step s the payload reads buffer
// s mod 2, the next step is copied into the other buffer when there is one,
// and one barrier ends the step.
// CHECK-LABEL: func.func @matmul_double_buffer
// CHECK:         gpu.launch {{.*}} workgroup(%[[A:.+]] : memref<2x32x9xf32, #gpu.address_space<workgroup>>, %[[B:.+]] : memref<2x8x17xf32, #gpu.address_space<workgroup>>)
// CHECK:           vector.store %{{.+}}, %[[A]][%c0, %{{.+}}, %{{.+}}]
// CHECK:           vector.store %{{.+}}, %[[B]][%c0, %{{.+}}, %{{.+}}]
// CHECK:           gpu.barrier
// CHECK:           scf.for %[[S:.+]] = %c0 to %c4 step %c1 {
// CHECK:             %[[CUR:.+]] = arith.remui %[[S]], %c2 : index
// CHECK:             %[[NEXT:.+]] = arith.subi %c1, %[[CUR]] : index
// CHECK:             %[[S1:.+]] = arith.addi %[[S]], %c1 : index
// CHECK:             %[[HAS:.+]] = arith.cmpi ult, %[[S1]], %c4 : index
// CHECK-NOT:         gpu.barrier
// CHECK:             memref.load %[[A]][%[[CUR]],
// CHECK:             memref.load %[[B]][%[[CUR]],
// CHECK-NOT:         gpu.barrier
// CHECK:             vector.store %{{.+}}, %[[A]][%[[NEXT]],
// CHECK-NOT:         gpu.barrier
// CHECK:             vector.store %{{.+}}, %[[B]][%[[NEXT]],
// CHECK:             gpu.barrier
// CHECK-NEXT:      }
// CHECK-NOT:       gpu.barrier
// CHECK:           gpu.terminator
func.func @matmul_double_buffer(%a: memref<64x32xf32>, %b: memref<32x48xf32>, %c: memref<64x48xf32>) {
  linalg.matmul {rtile.config = #rtile.config<block = [32, 16], thread = [2, 4], reduction = [8], padding = 1, double_buffer>}
    ins(%a, %b : memref<64x32xf32>, memref<32x48xf32>) outs(%c : memref<64x48xf32>)
  return
}
