// RUN: hm-opt %s --convert-gpu-to-emulator="race-checks=false bounds-checks=false" | FileCheck %s

// Warp-collective matrix operations (docs/Emulator.md): a fragment becomes a
// vector holding the whole matrix in every lane; loads meet the warp in
// hm_emu_mma_sync and read every element, stores meet it and write the
// lane's share of 8 elements, compute calls hm_emu_mma_compute, constants
// are splats and element-wise operations arith on the vectors. Loops carry
// the vectors.

// CHECK-LABEL: func.func @host
// CHECK:         call @hm_emu_launch
// CHECK-LABEL: func.func private @__hm_emu_kernels_mma(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr, %[[A:.+]]: memref<16x32xf16>, %[[B:.+]]: memref<32x16xf16>, %[[C:.+]]: memref<16x16xf32>)
// CHECK-DAG:     %[[ASCR:.+]] = llvm.alloca %{{.+}} x vector<256xf16> {alignment = 64 : i64}
// CHECK-DAG:     %[[DSCR:.+]] = llvm.alloca %{{.+}} x vector<256xf32> {alignment = 64 : i64}
// CHECK:         %[[SPLAT:.+]] = llvm.shufflevector %{{.+}}, %{{.+}} [0, 0, {{.*}}] : vector<256xf32>
// CHECK:         scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[SPLAT]]) -> (vector<256xf32>)
// CHECK:           call @hm_emu_mma_sync(%[[CTX]], %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) : (!llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr) -> ()
// CHECK:           scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK:             memref.load %[[A]]
// CHECK:             llvm.store %{{.+}}, %{{.+}} : f16, !llvm.ptr
// CHECK:           llvm.load %{{.+}} : !llvm.ptr -> vector<256xf16>
// CHECK:           call @hm_emu_mma_sync
// CHECK:           memref.load %[[B]]
// CHECK:           call @hm_emu_mma_compute(%[[CTX]], %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, !llvm.ptr) -> ()
// CHECK:           %[[D:.+]] = llvm.load %{{.+}} : !llvm.ptr -> vector<256xf32>
// CHECK:           scf.yield %[[D]] : vector<256xf32>
// CHECK:         %[[RELU:.+]] = arith.maximumf %{{.+}}, %{{.+}} : vector<256xf32>
// The store: the lane's share, elements [8 * lane, 8 * lane + 8).
// CHECK:         llvm.store %[[RELU]], %{{.+}} : vector<256xf32>, !llvm.ptr
// CHECK:         call @hm_emu_mma_sync
// CHECK:         %[[LANE:.+]] = arith.index_cast %{{.+}} : i64 to index
// CHECK:         %[[FIRST:.+]] = arith.muli %[[LANE]], %{{.+}} : index
// CHECK:         scf.for %{{.+}} = %[[FIRST]] to %{{.+}} step %{{.+}} {
// CHECK:           memref.store %{{.+}}, %[[C]]
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @mma(%a: memref<16x32xf16>, %b: memref<32x16xf16>, %c: memref<16x16xf32>) kernel {
      %c0 = arith.constant 0 : index
      %c16 = arith.constant 16 : index
      %c32 = arith.constant 32 : index
      %zero = arith.constant 0.0 : f32
      %z = gpu.subgroup_mma_constant_matrix %zero : !gpu.mma_matrix<16x16xf32, "COp">
      %acc = scf.for %k = %c0 to %c32 step %c16 iter_args(%cur = %z) -> (!gpu.mma_matrix<16x16xf32, "COp">) {
        %af = gpu.subgroup_mma_load_matrix %a[%c0, %k] {leadDimension = 32 : index} : memref<16x32xf16> -> !gpu.mma_matrix<16x16xf16, "AOp">
        %bf = gpu.subgroup_mma_load_matrix %b[%k, %c0] {leadDimension = 16 : index} : memref<32x16xf16> -> !gpu.mma_matrix<16x16xf16, "BOp">
        %d = gpu.subgroup_mma_compute %af, %bf, %cur : !gpu.mma_matrix<16x16xf16, "AOp">, !gpu.mma_matrix<16x16xf16, "BOp"> -> !gpu.mma_matrix<16x16xf32, "COp">
        scf.yield %d : !gpu.mma_matrix<16x16xf32, "COp">
      }
      %relu = gpu.subgroup_mma_elementwise maxf %acc, %z : (!gpu.mma_matrix<16x16xf32, "COp">, !gpu.mma_matrix<16x16xf32, "COp">) -> !gpu.mma_matrix<16x16xf32, "COp">
      gpu.subgroup_mma_store_matrix %relu, %c[%c0, %c0] {leadDimension = 16 : index} : !gpu.mma_matrix<16x16xf32, "COp">, memref<16x16xf32>
      gpu.return
    }
  }
  func.func @host(%a: memref<16x32xf16>, %b: memref<32x16xf16>, %c: memref<16x16xf32>) {
    %c1 = arith.constant 1 : index
    %c32 = arith.constant 32 : index
    gpu.launch_func @kernels::@mma blocks in (%c1, %c1, %c1) threads in (%c32, %c1, %c1) args(%a : memref<16x32xf16>, %b : memref<32x16xf16>, %c : memref<16x16xf32>)
    return
  }
}
