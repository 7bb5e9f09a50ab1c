// RUN: hm-opt %s --split-input-file --convert-rtile-to-gpu | FileCheck %s

// COM: Reproducer for issue 5: a configured linalg.fill stored its scalar
// COM: into itself (memref.store of an f32 into an f32) because the footprint
// COM: (shaped operands only) and the op's operands were indexed alike.
// The value is stored into the output; no staging, no barrier.
// CHECK-LABEL: func.func @fill
// CHECK-SAME:    (%[[OUT:.+]]: memref<64x48xf32>)
// CHECK:         %[[V:.+]] = arith.constant 1.500000e+00 : f32
// CHECK:         gpu.launch
// CHECK-NOT:       gpu.barrier
// CHECK:           memref.store %[[V]], %[[OUT]][%{{.+}}, %{{.+}}] : memref<64x48xf32>
// CHECK-NOT:     linalg.fill
func.func @fill(%out: memref<64x48xf32>) {
  %v = arith.constant 1.5 : f32
  linalg.fill {rtile.config = #rtile.config<block = [8, 48], thread = [1, 1]>} ins(%v : f32) outs(%out : memref<64x48xf32>)
  return
}

// -----

// A scalar input before a shaped one in a generic: the shaped input is read
// from its own buffer.
// CHECK-LABEL: func.func @scalar_then_buffer
// CHECK-SAME:    (%[[S:.+]]: f32, %[[X:.+]]: memref<256xf32>, %[[O:.+]]: memref<256xf32>)
// CHECK:         gpu.launch
// CHECK:           %[[L:.+]] = memref.load %[[X]]
// CHECK:           %[[M:.+]] = arith.mulf %[[L]], %[[S]]
// CHECK:           memref.store %[[M]], %[[O]]
func.func @scalar_then_buffer(%s: f32, %x: memref<256xf32>, %o: memref<256xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> ()>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                  iterator_types = ["parallel"]}
      ins(%s, %x : f32, memref<256xf32>) outs(%o : memref<256xf32>) attrs = {rtile.config = #rtile.config<block = [128], thread = [1]>} {
  ^bb0(%a: f32, %b: f32, %unused: f32):
    %m = arith.mulf %b, %a : f32
    linalg.yield %m : f32
  }
  return
}
