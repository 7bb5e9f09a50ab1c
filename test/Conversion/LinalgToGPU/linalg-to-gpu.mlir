// RUN: hm-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(convert-linalg-to-gpu))' | FileCheck %s --check-prefixes=CHECK,B256
// RUN: hm-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(convert-linalg-to-gpu{block-size=128}))' | FileCheck %s --check-prefixes=CHECK,B128

// An element-wise op: 64x16 = 1024 points, one per thread, guarded.
// CHECK-LABEL: func.func @elementwise
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// B256-DAG: %[[GRID:.+]] = arith.constant 4 : index
// B256-DAG: %[[BLOCK:.+]] = arith.constant 256 : index
// B128-DAG: %[[GRID:.+]] = arith.constant 8 : index
// B128-DAG: %[[BLOCK:.+]] = arith.constant 128 : index
// CHECK: gpu.launch blocks(%[[BX:.+]], %{{.+}}, %{{.+}}) in (%{{.+}} = %[[GRID]], %{{.+}} = %[[C1]], %{{.+}} = %[[C1]]) threads(%[[TX:.+]], %{{.+}}, %{{.+}}) in (%[[BDX:.+]] = %[[BLOCK]], %{{.+}} = %[[C1]], %{{.+}} = %[[C1]])
// CHECK: %[[MUL:.+]] = arith.muli %[[BX]], %[[BDX]]
// CHECK: %[[LIN:.+]] = arith.addi %[[MUL]], %[[TX]]
// CHECK: %[[IN:.+]] = arith.cmpi ult, %[[LIN]], %{{.+}}
// CHECK: scf.if %[[IN]]
// CHECK: %[[IJ:.+]]:2 = affine.delinearize_index %[[LIN]] into (64, 16)
// CHECK: memref.load %{{.+}}[%[[IJ]]#0, %[[IJ]]#1]
// CHECK: arith.negf
// CHECK: memref.store %{{.+}}, %{{.+}}[%[[IJ]]#0, %[[IJ]]#1]
// CHECK: gpu.terminator
// CHECK-NOT: linalg.
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @elementwise(%x: memref<64x16xf32>, %y: memref<64x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<64x16xf32>) outs(%y : memref<64x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  return
}

// -----

// A matmul: the parallel (i, j) space is flattened, k stays a loop per thread.
// CHECK-LABEL: func.func @matmul
// CHECK: gpu.launch
// CHECK: %[[IJ:.+]]:2 = affine.delinearize_index %{{.+}} into (32, 64)
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step
// CHECK: memref.load %{{.+}}[%[[IJ]]#0, %[[K]]]
// CHECK: memref.load %{{.+}}[%[[K]], %[[IJ]]#1]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: memref.store %{{.+}}, %{{.+}}[%[[IJ]]#0, %[[IJ]]#1]
func.func @matmul(%a: memref<32x8xf32>, %b: memref<8x64xf32>, %c: memref<32x64xf32>) {
  linalg.matmul ins(%a, %b : memref<32x8xf32>, memref<8x64xf32>) outs(%c : memref<32x64xf32>)
  return
}

// -----

// A column reduction (the reduced loop is outermost): each thread owns one
// output column and walks all rows.
// CHECK-LABEL: func.func @column_reduction
// CHECK: gpu.launch
// CHECK: %[[J:.+]] = arith.addi
// CHECK-NOT: affine.delinearize_index
// CHECK: scf.for %[[I:.+]] =
// CHECK: memref.load %{{.+}}[%[[I]], %[[J]]]
// CHECK: memref.store %{{.+}}, %{{.+}}[%[[J]]]
func.func @column_reduction(%x: memref<100x48xf32>, %y: memref<48xf32>) {
  linalg.reduce ins(%x : memref<100x48xf32>) outs(%y : memref<48xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// Fewer points than the block size: one block of exactly that many threads.
// CHECK-LABEL: func.func @small_fill
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C10:.+]] = arith.constant 10 : index
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %[[C1]], {{.*}}) threads({{.*}}) in ({{.*}} = %[[C10]],
func.func @small_fill(%y: memref<10xf32>) {
  %z = arith.constant 0.0 : f32
  linalg.fill ins(%z : f32) outs(%y : memref<10xf32>)
  return
}

// -----

// A reduction to a scalar has no parallel loop: one block of one thread.
// CHECK-LABEL: func.func @full_reduction
// CHECK: %[[C1:.+]] = arith.constant 1 : index
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %[[C1]], {{.*}} = %[[C1]], {{.*}} = %[[C1]]) threads({{.*}}) in ({{.*}} = %[[C1]], {{.*}} = %[[C1]], {{.*}} = %[[C1]])
// CHECK-NOT: affine.delinearize_index
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.store %{{.+}}, %{{.+}}[] : memref<f32>
func.func @full_reduction(%x: memref<8x8xf32>, %y: memref<f32>) {
  linalg.reduce ins(%x : memref<8x8xf32>) outs(%y : memref<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// memref.copy runs as a kernel too (it may copy strided views).
// CHECK-LABEL: func.func @copy
// CHECK-NOT: memref.copy
// CHECK: gpu.launch
// CHECK: %[[IJ:.+]]:2 = affine.delinearize_index %{{.+}} into (4, 8)
// CHECK: memref.load %{{.+}}[%[[IJ]]#0, %[[IJ]]#1] : memref<4x8xf32, strided<[16, 1]>>
func.func @copy(%x: memref<4x16xf32>, %y: memref<4x8xf32>) {
  %v = memref.subview %x[0, 0] [4, 8] [1, 1] : memref<4x16xf32> to memref<4x8xf32, strided<[16, 1]>>
  memref.copy %v, %y : memref<4x8xf32, strided<[16, 1]>> to memref<4x8xf32>
  return
}

// -----

// Two ops give two launches, in program order.
// CHECK-LABEL: func.func @two_ops
// CHECK: %[[ONE:.+]] = arith.constant 1.0
// CHECK: gpu.launch
// CHECK: memref.store %[[ONE]]
// CHECK: gpu.launch
// CHECK: arith.mulf
func.func @two_ops(%x: memref<128xf32>, %y: memref<128xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%x : memref<128xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                  iterator_types = ["parallel"]}
      ins(%x : memref<128xf32>) outs(%y : memref<128xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %a : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// An op with an empty iteration space computes nothing and is removed.
// CHECK-LABEL: func.func @empty_space
// CHECK-NOT: gpu.launch
// CHECK-NOT: linalg.fill
func.func @empty_space(%y: memref<0x4xf32>) {
  %z = arith.constant 0.0 : f32
  linalg.fill ins(%z : f32) outs(%y : memref<0x4xf32>)
  return
}

// -----

// Ops already inside a launch are not mapped again.
// CHECK-LABEL: func.func @negative_inside_launch
// CHECK: gpu.launch
// CHECK-NOT: gpu.launch
// CHECK: linalg.fill
func.func @negative_inside_launch(%y: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    linalg.fill ins(%z : f32) outs(%y : memref<4xf32>)
    gpu.terminator
  }
  return
}
