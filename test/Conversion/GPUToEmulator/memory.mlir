// RUN: hm-opt %s --convert-gpu-to-emulator=bounds-checks=false | FileCheck %s

// Workgroup memory of a block is one buffer (context slot 14, its size in
// slot 15): workgroup attributions, memref.alloc and memref.global in
// workgroup space become memref.view of it at static 16-byte aligned offsets
// (one slot per global, shared by its get_globals), the dynamic shared
// memory starts after them, and the launch passes the static size (144
// bytes). Private attributions are allocas on the thread's stack. Other
// globals move to the host module, renamed after their gpu.module; memory
// spaces disappear.

// CHECK-LABEL: func.func @host(
// CHECK:         %[[DYN:.+]] = arith.extsi %{{.+}} : i32 to i64
// CHECK:         %[[STATIC:.+]] = llvm.mlir.constant(144 : i64) : i64
// CHECK:         call @hm_emu_launch(%{{.+}}, %{{.+}}, %{{.+}}, %[[STATIC]], %[[DYN]],

// CHECK:       memref.global "private" constant @__hm_emu_kernels_table : memref<2xf32>

// CHECK-LABEL: func.func private @__hm_emu_kernels_wg(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr, %[[OUT:.+]]: memref<4xf32>)
// CHECK:         %[[PRIVATE:.+]] = memref.alloca() : memref<2xf32>
// CHECK:         %[[BASE_P:.+]] = llvm.getelementptr %[[CTX]][14]
// CHECK:         %[[BASE:.+]] = llvm.load %[[BASE_P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[SIZE_P:.+]] = llvm.getelementptr %[[CTX]][15]
// CHECK:         %[[SIZE:.+]] = llvm.load %[[SIZE_P]] : !llvm.ptr -> i64
// CHECK:         %[[D0:.+]] = llvm.insertvalue %[[BASE]], %{{.+}}[0]
// CHECK:         %[[D1:.+]] = llvm.insertvalue %[[BASE]], %[[D0]][1]
// CHECK:         %[[D3:.+]] = llvm.insertvalue %[[SIZE]], %{{.+}}[3, 0]
// CHECK:         %[[SHARED:.+]] = builtin.unrealized_conversion_cast %{{.+}} : !llvm.struct<{{.*}}> to memref<?xi8>
// CHECK:         %[[C80:.+]] = arith.constant 80 : index
// CHECK:         %[[TILE:.+]] = memref.view %[[SHARED]][%[[C80]]][] : memref<?xi8> to memref<8xf64>
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK:         %[[A:.+]] = memref.view %[[SHARED]][%[[C0]]][] : memref<?xi8> to memref<3xf32>
// CHECK:         %[[C16:.+]] = arith.constant 16 : index
// CHECK:         %[[B:.+]] = memref.view %[[SHARED]][%[[C16]]][] : memref<?xi8> to memref<4x4xi32>
// CHECK:         %[[TABLE:.+]] = memref.get_global @__hm_emu_kernels_table : memref<2xf32>
// CHECK:         %[[C144:.+]] = arith.constant 144 : index
// CHECK:         %[[TOTAL:.+]] = arith.index_cast %{{.+}} : i64 to index
// CHECK:         %[[DYNSIZE:.+]] = arith.subi %[[TOTAL]], %[[C144]] : index
// CHECK:         %[[DYNVIEW:.+]] = memref.view %[[SHARED]][%[[C144]]][%[[DYNSIZE]]] : memref<?xi8> to memref<?xi8>
// CHECK:         memref.load %[[A]]
// CHECK:         memref.store %{{.+}}, %[[PRIVATE]]
// CHECK:         memref.load %[[B]]
// CHECK:         memref.load %[[TILE]]
// CHECK:         memref.load %[[TABLE]]
// CHECK-NOT:     memref.dealloc
// CHECK-NOT:     address_space
// CHECK:         return
module attributes {gpu.container_module} {
  gpu.module @kernels {
    memref.global "private" @tile : memref<8xf64, #gpu.address_space<workgroup>>
    memref.global "private" constant @table : memref<2xf32> = dense<[1.0, 2.0]>
    gpu.func @wg(%out: memref<4xf32>)
        workgroup(%a : memref<3xf32, #gpu.address_space<workgroup>>)
        private(%p : memref<2xf32, #gpu.address_space<private>>) kernel {
      %c0 = arith.constant 0 : index
      %b = memref.alloc() : memref<4x4xi32, #gpu.address_space<workgroup>>
      %t = memref.get_global @tile : memref<8xf64, #gpu.address_space<workgroup>>
      %t2 = memref.get_global @tile : memref<8xf64, #gpu.address_space<workgroup>>
      %k = memref.get_global @table : memref<2xf32>
      %dyn = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
      %x = memref.load %a[%c0] : memref<3xf32, #gpu.address_space<workgroup>>
      memref.store %x, %p[%c0] : memref<2xf32, #gpu.address_space<private>>
      %i = memref.load %b[%c0, %c0] : memref<4x4xi32, #gpu.address_space<workgroup>>
      %d = memref.load %t2[%c0] : memref<8xf64, #gpu.address_space<workgroup>>
      %y = memref.load %k[%c0] : memref<2xf32>
      memref.store %y, %out[%c0] : memref<4xf32>
      memref.dealloc %b : memref<4x4xi32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
  func.func @host(%out: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : i32
    gpu.launch_func @kernels::@wg blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
        dynamic_shared_memory_size %c64 args(%out : memref<4xf32>)
    return
  }
}
