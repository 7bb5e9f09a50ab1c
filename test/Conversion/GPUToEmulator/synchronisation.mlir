// RUN: hm-opt %s --convert-gpu-to-emulator=bounds-checks=false --split-input-file | FileCheck %s
// RUN: hm-opt %s --convert-gpu-to-emulator="bounds-checks=false yield-in-loops=false" --split-input-file | FileCheck %s --check-prefix=NOYIELD

// gpu.barrier calls the runtime with the thread context and the barrier's
// location (used to report divergent barriers).

// CHECK-DAG:   llvm.mlir.global internal constant @[[SITE:__hm_emu_str_[0-9]+]]("{{.*}}synchronisation.mlir:[[#@LINE+9]]:7\00")
// CHECK-DAG:   func.func private @hm_emu_barrier(!llvm.ptr, !llvm.ptr)
// CHECK-LABEL: func.func private @__hm_emu_kernels_barrier(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr)
// CHECK:         %[[S:.+]] = llvm.mlir.addressof @[[SITE]] : !llvm.ptr
// CHECK:         call @hm_emu_barrier(%[[CTX]], %[[S]])
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @barrier() kernel {
      gpu.barrier
      gpu.return
    }
  }
}

// -----

// gpu.shuffle passes the value's bits as i64 with offset, width and mode
// (0 xor, 1 down, 2 up, 3 idx); the valid flag is a second, synchronisation-
// free call, made only when it is used.

// CHECK-LABEL: func.func private @__hm_emu_kernels_shuffle(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr, %[[V:.+]]: f32, %[[OUT:.+]]: memref<2xf32>, %[[OK:.+]]: memref<1xi1>)
// CHECK-DAG:     %[[OFFSET:.+]] = arith.constant 1 : i32
// CHECK-DAG:     %[[WIDTH:.+]] = arith.constant 32 : i32
// CHECK:         %[[DOWN:.+]] = arith.constant 1 : i32
// CHECK:         %[[I32:.+]] = arith.bitcast %[[V]] : f32 to i32
// CHECK:         %[[BITS:.+]] = arith.extui %[[I32]] : i32 to i64
// CHECK:         %[[R:.+]] = call @hm_emu_shuffle(%[[CTX]], %[[BITS]], %[[OFFSET]], %[[WIDTH]], %[[DOWN]], %{{.+}}) : (!llvm.ptr, i64, i32, i32, i32, !llvm.ptr) -> i64
// CHECK:         %[[T:.+]] = arith.trunci %[[R]] : i64 to i32
// CHECK:         %[[F:.+]] = arith.bitcast %[[T]] : i32 to f32
// CHECK:         %[[VALID:.+]] = call @hm_emu_shuffle_valid(%[[CTX]], %[[OFFSET]], %[[WIDTH]], %[[DOWN]]) : (!llvm.ptr, i32, i32, i32) -> i32
// CHECK:         %[[B:.+]] = arith.cmpi ne, %[[VALID]], %{{.+}} : i32
// CHECK:         %[[XOR:.+]] = arith.constant 0 : i32
// CHECK:         call @hm_emu_shuffle(%[[CTX]], %{{.+}}, %[[OFFSET]], %[[WIDTH]], %[[XOR]], %{{.+}})
// CHECK-NOT:     hm_emu_shuffle_valid
// CHECK:         memref.store %[[F]], %[[OUT]]
// CHECK:         memref.store %[[B]], %[[OK]]
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @shuffle(%v: f32, %out: memref<2xf32>, %ok: memref<1xi1>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %offset = arith.constant 1 : i32
      %width = arith.constant 32 : i32
      %r, %valid = gpu.shuffle down %v, %offset, %width : f32
      %x, %unused = gpu.shuffle xor %r, %offset, %width : f32
      memref.store %r, %out[%c0] : memref<2xf32>
      memref.store %x, %out[%c1] : memref<2xf32>
      memref.store %valid, %ok[%c0] : memref<1xi1>
      gpu.return
    }
  }
}

// -----

// gpu.subgroup_reduce: one exchange of every lane's value through the
// runtime, then each lane combines the members of its cluster (first lane
// lane - ((lane / stride) mod size) * stride) with the reduction's own arith
// operation, skipping lanes past a partial warp (slot 13: lanes in the warp).

// CHECK-LABEL: func.func private @__hm_emu_kernels_reduce(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr, %[[V:.+]]: i32
// CHECK:         %[[BITS:.+]] = arith.extui %[[V]] : i32 to i64
// CHECK:         %[[SLOTS:.+]] = call @hm_emu_warp_exchange(%[[CTX]], %[[BITS]], %{{.+}}) : (!llvm.ptr, i64, !llvm.ptr) -> !llvm.ptr
// CHECK:         llvm.getelementptr %[[CTX]][12]
// CHECK:         %[[LANES_P:.+]] = llvm.getelementptr %[[CTX]][13]
// CHECK:         %[[LANES:.+]] = llvm.load %[[LANES_P]]
// CHECK:         arith.remui %{{.+}}, %c4_i64
// CHECK:         %[[FIRST:.+]] = arith.subi
// CHECK:         %[[INIT_P:.+]] = llvm.getelementptr %[[SLOTS]][%[[FIRST]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK:         %[[INIT:.+]] = llvm.load %[[INIT_P]] : !llvm.ptr -> i64
// CHECK:         %[[INIT32:.+]] = arith.trunci %[[INIT]] : i64 to i32
// CHECK:         scf.for %{{.+}} = %c1 to %c4 step %c1{{.*}} iter_args(%[[ACC:.+]] = %[[INIT32]]) -> (i32) {
// CHECK:           %[[PRESENT:.+]] = arith.cmpi ult, %{{.+}}, %[[LANES]] : i64
// CHECK:           scf.if %[[PRESENT]] -> (i32) {
// CHECK:             arith.minsi %[[ACC]], %{{.+}} : i32
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @reduce(%v: i32, %out: memref<1xi32>) kernel {
      %c0 = arith.constant 0 : index
      %r = gpu.subgroup_reduce minsi %v cluster(size = 4, stride = 2) : (i32) -> i32
      memref.store %r, %out[%c0] : memref<1xi32>
      gpu.return
    }
  }
}

// -----

// Every scf.while iteration of a kernel yields, so a spin-wait on a flag
// another block sets lets that block run; an explicit call to the
// documented @hm_emu_yield stays, its declaration moved to the host module.
// With yield-in-loops=false only the explicit call remains.

// CHECK:       func.func private @hm_emu_yield()
// CHECK-LABEL: func.func private @__hm_emu_kernels_spin(
// CHECK:         scf.while
// CHECK-NEXT:      func.call @hm_emu_yield() : () -> ()
// CHECK-NEXT:      memref.load
// CHECK:         } do {
// CHECK-NEXT:      func.call @hm_emu_yield() : () -> ()
// CHECK-NEXT:      scf.yield

// NOYIELD-LABEL: func.func private @__hm_emu_kernels_spin(
// NOYIELD:         scf.while
// NOYIELD-NEXT:      memref.load
// NOYIELD:         } do {
// NOYIELD-NEXT:      func.call @hm_emu_yield() : () -> ()
// NOYIELD-NEXT:      scf.yield
module attributes {gpu.container_module} {
  gpu.module @kernels {
    func.func private @hm_emu_yield()
    gpu.func @spin(%flag: memref<1xi32>) kernel {
      %c0 = arith.constant 0 : index
      %zero = arith.constant 0 : i32
      scf.while : () -> () {
        %f = memref.load %flag[%c0] : memref<1xi32>
        %unset = arith.cmpi eq, %f, %zero : i32
        scf.condition(%unset)
      } do {
        func.call @hm_emu_yield() : () -> ()
        scf.yield
      }
      gpu.return
    }
  }
}
