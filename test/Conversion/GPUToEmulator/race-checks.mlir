// RUN: hm-opt %s --convert-gpu-to-emulator=bounds-checks=false | FileCheck %s
// RUN: hm-opt %s --convert-gpu-to-emulator="bounds-checks=false race-checks=false" | FileCheck %s --check-prefix=OFF

// Plain loads and stores of workgroup memory tell the race detector the
// byte address, the size and whether they write (the address: aligned
// pointer + (offset + index * stride) * element size); accesses to global
// memory and atomics do not.

// CHECK-LABEL: func.func private @__hm_emu_kernels_races(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr, %[[G:.+]]: memref<4xf32>, %[[I:.+]]: index
// CHECK:         %[[SHARED:.+]] = memref.view {{.*}} to memref<8xf16>
// CHECK:         %{{.+}}, %[[OFFSET:.+]], %{{.+}}, %[[STRIDE:.+]] = memref.extract_strided_metadata %[[SHARED]]
// CHECK:         %[[SCALED:.+]] = arith.muli %[[I]], %[[STRIDE]] : index
// CHECK:         %[[LINEAR:.+]] = arith.addi %[[OFFSET]], %[[SCALED]] : index
// CHECK:         %[[BYTES:.+]] = arith.muli %[[LINEAR]], %c2 : index
// CHECK:         %[[BASE:.+]] = memref.extract_aligned_pointer_as_index %[[SHARED]]
// CHECK:         %[[ADDR:.+]] = arith.addi %[[BASE]], %[[BYTES]] : index
// CHECK:         %[[ADDR64:.+]] = arith.index_cast %[[ADDR]] : index to i64
// CHECK:         call @hm_emu_shared_access(%[[CTX]], %[[ADDR64]], %c2_i64, %c1_i64, %{{.+}}) : (!llvm.ptr, i64, i64, i64, !llvm.ptr) -> ()
// CHECK-NEXT:    memref.store %{{.+}}, %[[SHARED]][%[[I]]]
// CHECK:         call @hm_emu_shared_access(%[[CTX]], %{{.+}}, %c2_i64{{.*}}, %c0_i64, %{{.+}})
// CHECK-NEXT:    memref.load %[[SHARED]]
// CHECK-NOT:     hm_emu_shared_access
// CHECK:         memref.store %{{.+}}, %[[G]]
// CHECK:         return

// OFF-NOT:     hm_emu_shared_access
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @races(%g: memref<4xf32>, %i: index)
        workgroup(%s : memref<8xf16, #gpu.address_space<workgroup>>) kernel {
      %c0 = arith.constant 0 : index
      %h = arith.constant 1.0 : f16
      memref.store %h, %s[%i] : memref<8xf16, #gpu.address_space<workgroup>>
      %x = memref.load %s[%c0] : memref<8xf16, #gpu.address_space<workgroup>>
      %f = arith.extf %x : f16 to f32
      memref.store %f, %g[%c0] : memref<4xf32>
      %one = arith.constant 1.0 : f16
      %old = memref.atomic_rmw addf %one, %s[%c0] : (f16, memref<8xf16, #gpu.address_space<workgroup>>) -> f16
      gpu.return
    }
  }
}
