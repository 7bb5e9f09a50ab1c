// RUN: hm-opt %s --convert-gpu-to-emulator | FileCheck %s --implicit-check-not=gpu.

// Host GPU operations run synchronously on the emulator: tokens and
// gpu.wait disappear; gpu.alloc is a memref.alloc registered with the
// runtime (named after its location, size in bytes); gpu.memcpy is
// memref.copy, gpu.memset a loop nest, gpu.dealloc unregisters and frees.
// gpu.launch_func packs its arguments like CUDA's kernelParams (an array of
// pointers to each value, memrefs as their LLVM descriptors) and calls
// hm_emu_launch with the kernel's entry, its name, the flags (1 when the
// kernel synchronises threads: barriers, warp operations, yields), the
// static and dynamic workgroup bytes, the grid and the block. The host
// function keeps its signature; the gpu.module and the container attribute
// go.

// CHECK-NOT:   gpu.container_module
// CHECK-DAG:   llvm.mlir.global internal constant @[[ALLOC_SITE:__hm_emu_str_[0-9]+]]("gpu.alloc at {{.*}}host.mlir:[[#@LINE+50]]:15\00")
// CHECK-DAG:   llvm.mlir.global internal constant @[[PLAIN:__hm_emu_str_[0-9]+]]("kernels::@plain\00")
// CHECK-DAG:   llvm.mlir.global internal constant @[[SYNCED:__hm_emu_str_[0-9]+]]("kernels::@synced\00")
// CHECK-LABEL: func.func @host(
// CHECK-SAME:      %[[IN:.+]]: memref<16xf32>, %[[N:.+]]: index) -> memref<?xf32>
// CHECK:         %[[THREE:.+]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-NEXT:    %[[ARGV:.+]] = llvm.alloca %[[THREE]] x !llvm.ptr : (i64) -> !llvm.ptr
// CHECK:         %[[M:.+]] = memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<?xf32>
// CHECK:         %[[BYTES:.+]] = arith.muli %c4, %[[N]] : index
// CHECK:         %[[PTR:.+]] = memref.extract_aligned_pointer_as_index %[[M]]
// CHECK:         %[[PTR64:.+]] = arith.index_cast %[[PTR]] : index to i64
// CHECK:         %[[BYTES64:.+]] = arith.index_cast %[[BYTES]] : index to i64
// CHECK:         %[[WHAT:.+]] = llvm.mlir.addressof @[[ALLOC_SITE]]
// CHECK:         call @hm_emu_register_alloc(%[[PTR64]], %[[BYTES64]], %[[WHAT]])
// CHECK:         %[[TMP:.+]] = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK:         memref.copy %[[IN]], %[[TMP]]
// CHECK:         scf.for %[[I:.+]] = %c0 to %{{.+}} step %c1
// CHECK-NEXT:      memref.store %{{.+}}, %[[M]][%[[I]]]
// CHECK:         %[[DESC:.+]] = builtin.unrealized_conversion_cast %[[M]] : memref<?xf32> to !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK:         llvm.store %[[DESC]], %[[SLOT0:.+]] : !llvm.struct
// CHECK:         %[[ARG0:.+]] = llvm.getelementptr %[[ARGV]][0]
// CHECK:         llvm.store %[[SLOT0]], %[[ARG0]] : !llvm.ptr, !llvm.ptr
// CHECK:         %[[N64:.+]] = arith.index_cast %[[N]] : index to i64
// CHECK:         llvm.store %[[N64]], %{{.+}} : i64, !llvm.ptr
// CHECK:         llvm.store %{{.+}}, %{{.+}} : f32, !llvm.ptr
// CHECK:         %[[ENTRY:.+]] = constant @__hm_emu_entry_kernels_plain : (!llvm.ptr, !llvm.ptr) -> ()
// CHECK:         %[[NAME:.+]] = llvm.mlir.addressof @[[PLAIN]]
// CHECK:         %[[NOFIBERS:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK:         call @hm_emu_launch(%[[ENTRY]], %[[NAME]], %[[NOFIBERS]], %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[ARGV]])
// CHECK:         %[[ENTRY2:.+]] = constant @__hm_emu_entry_kernels_synced
// CHECK:         %[[FIBERS:.+]] = llvm.mlir.constant(1 : i64) : i64
// CHECK:         call @hm_emu_launch(%[[ENTRY2]], %{{.+}}, %[[FIBERS]],
// CHECK:         %[[TMPPTR:.+]] = memref.extract_aligned_pointer_as_index %[[TMP]]
// CHECK:         call @hm_emu_unregister_alloc(
// CHECK:         memref.dealloc %[[TMP]]
// CHECK:         return %[[M]] : memref<?xf32>
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @plain(%m: memref<?xf32>, %n: index, %s: f32) kernel {
      gpu.return
    }
    gpu.func @synced() kernel {
      gpu.barrier
      gpu.return
    }
  }
  func.func @host(%in: memref<16xf32>, %n: index) -> memref<?xf32> {
    %c1 = arith.constant 1 : index
    %s = arith.constant 2.0 : f32
    %t0 = gpu.wait async
    %m, %t1 = gpu.alloc async [%t0] (%n) : memref<?xf32>
    %tmp, %t2 = gpu.alloc async [%t1] () : memref<16xf32>
    %t3 = gpu.memcpy async [%t2] %tmp, %in : memref<16xf32>, memref<16xf32>
    %t4 = gpu.memset async [%t3] %m, %s : memref<?xf32>, f32
    %t5 = gpu.launch_func async [%t4] @kernels::@plain blocks in (%n, %c1, %c1) threads in (%c1, %c1, %c1)
        args(%m : memref<?xf32>, %n : index, %s : f32)
    %t6 = gpu.launch_func async [%t5] @kernels::@synced blocks in (%c1, %c1, %c1) threads in (%n, %c1, %c1)
    %t7 = gpu.dealloc async [%t6] %tmp : memref<16xf32>
    gpu.wait [%t7]
    return %m : memref<?xf32>
  }
}
