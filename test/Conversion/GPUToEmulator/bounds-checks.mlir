// RUN: hm-opt %s --convert-gpu-to-emulator=race-checks=false --split-input-file | FileCheck %s
// RUN: hm-opt %s --convert-gpu-to-emulator="bounds-checks=false race-checks=false" --split-input-file | FileCheck %s --check-prefix=OFF

// A kernel's memory access runs only when every index is below its extent
// (unsigned compare, so negative indices fail too; dynamic extents come from
// memref.dim); otherwise the runtime gets the access site ("op, space, type,
// location" separated by \1F), the indices and extents in a scratch array,
// the aligned pointer and the element offset, and a load yields 0.

// CHECK:       llvm.mlir.global internal constant @[[SITE:__hm_emu_str_[0-9]+]]("memref.load\1Fglobal\1Fmemref<?x8xf32>\1F{{.*}}bounds-checks.mlir:[[#@LINE+29]]:12\00")
// CHECK-LABEL: func.func private @__hm_emu_kernels_load(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr, %[[M:.+]]: memref<?x8xf32>, %[[I:.+]]: index, %[[J:.+]]: index,
// CHECK:         %[[SCRATCH:.+]] = llvm.alloca %{{.+}} x i64
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[DIM:.+]] = memref.dim %[[M]], %{{.+}} : memref<?x8xf32>
// CHECK:         %[[OK0:.+]] = arith.cmpi ult, %[[I]], %[[DIM]] : index
// CHECK:         %[[OK1:.+]] = arith.cmpi ult, %[[J]], %c8 : index
// CHECK:         %[[OK:.+]] = arith.andi %[[OK0]], %[[OK1]] : i1
// CHECK:         %[[V:.+]] = scf.if %[[OK]] -> (f32) {
// CHECK-NEXT:      %[[L:.+]] = memref.load %[[M]][%[[I]], %[[J]]]
// CHECK-NEXT:      scf.yield %[[L]] : f32
// CHECK-NEXT:    } else {
// CHECK:           llvm.store %{{.+}}, %{{.+}} : i64, !llvm.ptr
// CHECK:           memref.extract_strided_metadata %[[M]]
// CHECK:           %[[PTR:.+]] = memref.extract_aligned_pointer_as_index %[[M]]
// CHECK:           %[[S:.+]] = llvm.mlir.addressof @[[SITE]]
// CHECK:           func.call @hm_emu_report_oob(%[[CTX]], %[[S]], %{{.+}}, %[[SCRATCH]], %{{.+}}, %{{.+}}, %{{.+}}) : (!llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64) -> ()
// CHECK-NEXT:      scf.yield %[[ZERO]] : f32
// CHECK:         memref.store %[[V]]

// OFF-LABEL:   func.func private @__hm_emu_kernels_load(
// OFF-NOT:       scf.if
// OFF-NOT:       hm_emu_report_oob
// OFF:           return
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @load(%m: memref<?x8xf32>, %i: index, %j: index, %out: memref<1xf32>) kernel {
      %c0 = arith.constant 0 : index
      %v = memref.load %m[%i, %j] : memref<?x8xf32>
      memref.store %v, %out[%c0] : memref<1xf32>
      gpu.return
    }
  }
}

// -----

// A store in workgroup memory is skipped when out of bounds; the site names
// the memory space.

// CHECK:       llvm.mlir.global internal constant @{{.+}}("memref.store\1Fshared\1Fmemref<32xf32, #gpu.address_space<workgroup>>
// CHECK-LABEL: func.func private @__hm_emu_kernels_store(
// CHECK:         %[[OK:.+]] = arith.cmpi ult, %{{.+}}, %c32 : index
// CHECK:         scf.if %[[OK]] {
// CHECK-NEXT:      memref.store
// CHECK-NEXT:    } else {
// CHECK:           func.call @hm_emu_report_oob
// CHECK-NOT:       scf.yield %
// CHECK:         }
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @store(%i: index, %v: f32) workgroup(%s : memref<32xf32, #gpu.address_space<workgroup>>) kernel {
      memref.store %v, %s[%i] : memref<32xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}

// -----

// Vector accesses also check their last element; atomics are checked too
// (an out-of-bounds atomic returns 0).

// CHECK-LABEL: func.func private @__hm_emu_kernels_vector_and_atomic(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr, %[[M:.+]]: memref<16xf32>, %[[I:.+]]: index, %[[C:.+]]: memref<4xi32>)
// CHECK:         %[[FIRST:.+]] = arith.cmpi ult, %[[I]], %c16 : index
// CHECK:         %[[LAST:.+]] = arith.addi %[[I]], %c3 : index
// CHECK:         %[[LASTOK:.+]] = arith.cmpi ult, %[[LAST]], %c16 : index
// CHECK:         %[[OK:.+]] = arith.andi %[[FIRST]], %[[LASTOK]] : i1
// CHECK:         scf.if %[[OK]] -> (vector<4xf32>) {
// CHECK-NEXT:      vector.load %[[M]][%[[I]]]
// CHECK:         scf.yield %cst : vector<4xf32>
// CHECK:         %[[AOK:.+]] = arith.cmpi ult, %[[I]], %c4 : index
// CHECK:         scf.if %[[AOK]] -> (i32) {
// CHECK-NEXT:      memref.atomic_rmw addi
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @vector_and_atomic(%m: memref<16xf32>, %i: index, %c: memref<4xi32>) kernel {
      %v = vector.load %m[%i] : memref<16xf32>, vector<4xf32>
      %one = arith.constant 1 : i32
      %old = memref.atomic_rmw addi %one, %c[%i] : (i32, memref<4xi32>) -> i32
      gpu.return
    }
  }
}
