// RUN: hm-opt %s --hm-set-kernel-occupancy | FileCheck %s
// RUN: hm-opt %s --hm-set-kernel-occupancy=min-blocks-per-sm=2 | FileCheck %s --check-prefix=TWO

// Every kernel without a hint gets nvvm.minctasm; a kernel's own hint and
// non-kernel functions are left alone.
gpu.module @kernels {
  // CHECK-LABEL: gpu.func @plain
  // CHECK-SAME: kernel
  // CHECK-SAME: nvvm.minctasm = 1 : i32
  // TWO-LABEL: gpu.func @plain
  // TWO-SAME: nvvm.minctasm = 2 : i32
  gpu.func @plain(%a: memref<4xf32>) kernel {
    gpu.return
  }
  // CHECK-LABEL: gpu.func @hinted
  // CHECK-SAME: nvvm.minctasm = 4 : i32
  // TWO-LABEL: gpu.func @hinted
  // TWO-SAME: nvvm.minctasm = 4 : i32
  gpu.func @hinted(%a: memref<4xf32>) kernel attributes {nvvm.minctasm = 4 : i32} {
    gpu.return
  }
  // CHECK-LABEL: gpu.func @helper
  // CHECK-NOT: nvvm.minctasm
  // CHECK: gpu.return
  gpu.func @helper(%a: memref<4xf32>) {
    gpu.return
  }
}
