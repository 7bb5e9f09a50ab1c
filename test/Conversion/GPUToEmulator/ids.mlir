// RUN: hm-opt %s --convert-gpu-to-emulator=bounds-checks=false --split-input-file | FileCheck %s

// Kernels become private host functions whose first argument is the thread
// context: ids and sizes are i64 slots of it (thread id 0-2, block id 3-5,
// block dim 6-8, grid dim 9-11, lane 12), read where the GPU op was.

// CHECK-LABEL: func.func private @__hm_emu_kernels_ids(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr, %[[OUT:.+]]: memref<8xindex>)
// CHECK:         %[[TY_P:.+]] = llvm.getelementptr %[[CTX]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:         %[[TY:.+]] = llvm.load %[[TY_P]] : !llvm.ptr -> i64
// CHECK:         %[[TYI:.+]] = arith.index_cast %[[TY]] : i64 to index
// CHECK:         memref.store %[[TYI]], %[[OUT]]
// CHECK:         llvm.getelementptr %[[CTX]][5]
// CHECK:         llvm.getelementptr %[[CTX]][6]
// CHECK:         llvm.getelementptr %[[CTX]][10]
// CHECK:         llvm.getelementptr %[[CTX]][12]
// global_id x = block_id x * block_dim x + thread_id x
// CHECK:         %[[BX:.+]] = llvm.getelementptr %[[CTX]][3]
// CHECK:         %[[DX:.+]] = llvm.getelementptr %[[CTX]][6]
// CHECK:         %[[TX:.+]] = llvm.getelementptr %[[CTX]][0]
// CHECK:         arith.muli
// CHECK:         arith.addi
// subgroup_id = linear thread id / 32
// CHECK:         arith.divui %{{.+}}, %c32
// num_subgroups = ceil(threads / 32)
// CHECK:         arith.ceildivui %{{.+}}, %c32
// CHECK-NOT:     gpu.
// CHECK:         return

// The entry the runtime calls: (context, array of pointers to arguments).
// CHECK-LABEL: func.func private @__hm_emu_entry_kernels_ids(
// CHECK-SAME:      %[[ECTX:.+]]: !llvm.ptr, %[[ARGS:.+]]: !llvm.ptr)
// CHECK:         %[[SLOT_P:.+]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK:         %[[SLOT:.+]] = llvm.load %[[SLOT_P]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[DESC:.+]] = llvm.load %[[SLOT]] : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK:         %[[M:.+]] = builtin.unrealized_conversion_cast %[[DESC]] : {{.*}} to memref<8xindex>
// CHECK:         call @__hm_emu_kernels_ids(%[[ECTX]], %[[M]])
// CHECK-NOT:     gpu.module
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @ids(%out: memref<8xindex>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %c4 = arith.constant 4 : index
      %c5 = arith.constant 5 : index
      %c6 = arith.constant 6 : index
      %c7 = arith.constant 7 : index
      %ty = gpu.thread_id y
      memref.store %ty, %out[%c0] : memref<8xindex>
      %bz = gpu.block_id z
      memref.store %bz, %out[%c1] : memref<8xindex>
      %dx = gpu.block_dim x
      memref.store %dx, %out[%c2] : memref<8xindex>
      %gy = gpu.grid_dim y
      memref.store %gy, %out[%c3] : memref<8xindex>
      %lane = gpu.lane_id
      memref.store %lane, %out[%c4] : memref<8xindex>
      %gid = gpu.global_id x
      memref.store %gid, %out[%c5] : memref<8xindex>
      %sg = gpu.subgroup_id : index
      memref.store %sg, %out[%c6] : memref<8xindex>
      %nsg = gpu.num_subgroups : index
      memref.store %nsg, %out[%c7] : memref<8xindex>
      gpu.return
    }
  }
}

// -----

// known_block_size / known_grid_size (set by gpu-kernel-outlining for
// constant launch sizes) make sizes constants; subgroup_size is 32.

// CHECK-LABEL: func.func private @__hm_emu_kernels_known(
// CHECK-SAME:      %[[CTX:.+]]: !llvm.ptr, %[[OUT:.+]]: memref<4xindex>)
// CHECK-NOT:     llvm.load
// CHECK:         %[[C128:.+]] = arith.constant 128 : index
// CHECK-NEXT:    memref.store %[[C128]], %[[OUT]]
// CHECK:         %[[C2:.+]] = arith.constant 2 : index
// CHECK-NEXT:    memref.store %[[C2]], %[[OUT]]
// CHECK:         %[[C7:.+]] = arith.constant 7 : index
// CHECK-NEXT:    memref.store %[[C7]], %[[OUT]]
// CHECK:         %[[C32:.+]] = arith.constant 32 : index
// CHECK-NEXT:    memref.store %[[C32]], %[[OUT]]
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @known(%out: memref<4xindex>) kernel attributes {known_block_size = array<i32: 128, 2, 1>, known_grid_size = array<i32: 7, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %dx = gpu.block_dim x
      memref.store %dx, %out[%c0] : memref<4xindex>
      %dy = gpu.block_dim y
      memref.store %dy, %out[%c1] : memref<4xindex>
      %gx = gpu.grid_dim x
      memref.store %gx, %out[%c2] : memref<4xindex>
      %sgs = gpu.subgroup_size : index
      memref.store %sgs, %out[%c3] : memref<4xindex>
      gpu.return
    }
  }
}
