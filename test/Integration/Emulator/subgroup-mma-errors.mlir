// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm \
// RUN:   | %hm_emu_runner 2> %t.stderr | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s < %t.stderr

// Misuse of the warp-collective matrix operations, which a GPU leaves
// undefined, is reported: lanes that pass different addresses or fragments,
// a warp that is not full, and lanes that do not all reach the operation.

// Odd lanes load from row 16, even lanes from row 0.
// CHECK:      hm-emu: error: non-uniform warp-collective matrix operation at {{.*}}subgroup-mma-errors.mlir:{{[0-9]+:[0-9]+}} (gpu.subgroup_mma_load_matrix): lane 1 passes a different address than lane 0 (every lane of the warp must pass the same)
// CHECK-NEXT:   in kernel @main_kernel::@main_kernel, block (0,0,0), thread (1,0,0)
// A fragment filled with each lane's id, stored.
// CHECK:      hm-emu: error: non-uniform warp-collective matrix operation at {{.*}} (gpu.subgroup_mma_store_matrix): lane 1 passes a different fragment to store than lane 0
// CHECK-NEXT:   in kernel @main_kernel_0::@main_kernel, block (0,0,0), thread (1,0,0)
// A block of 16 threads: half a warp.
// CHECK:      hm-emu: error: warp-collective matrix operation at {{.*}} (gpu.subgroup_mma_load_matrix) in a warp of 16 threads: it needs all 32 lanes
// CHECK-NEXT:   in kernel @main_kernel_1::@main_kernel, block (0,0,0), thread (0,0,0)
// Only lanes 0-15 reach the store.
// CHECK:      hm-emu: error: divergent warp operation: the thread exited while lanes of its warp wait at the warp operation at {{.*}} (gpu.subgroup_mma_store_matrix)
// CHECK-NEXT:   in kernel @main_kernel_2::@main_kernel, block (0,0,0), thread (16,0,0)

// OUT: [4]
func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %a = memref.alloc() : memref<32x16xf16>
  %out = memref.alloc() : memref<16x16xf16>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %k0 = arith.constant 0 : index
    %k2 = arith.constant 2 : index
    %k16 = arith.constant 16 : index
    %odd = arith.remui %tx, %k2 : index
    %row = arith.muli %odd, %k16 : index
    %m = gpu.subgroup_mma_load_matrix %a[%row, %k0] {leadDimension = 16 : index} : memref<32x16xf16> -> !gpu.mma_matrix<16x16xf16, "AOp">
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %k0 = arith.constant 0 : index
    %i = arith.index_cast %tx : index to i32
    %v = arith.sitofp %i : i32 to f16
    %m = gpu.subgroup_mma_constant_matrix %v : !gpu.mma_matrix<16x16xf16, "COp">
    gpu.subgroup_mma_store_matrix %m, %out[%k0, %k0] {leadDimension = 16 : index} : !gpu.mma_matrix<16x16xf16, "COp">, memref<16x16xf16>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c16, %sy = %c1, %sz = %c1) {
    %k0 = arith.constant 0 : index
    %m = gpu.subgroup_mma_load_matrix %a[%k0, %k0] {leadDimension = 16 : index} : memref<32x16xf16> -> !gpu.mma_matrix<16x16xf16, "AOp">
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %k0 = arith.constant 0 : index
    %k16 = arith.constant 16 : index
    %zero = arith.constant 0.0 : f16
    %m = gpu.subgroup_mma_constant_matrix %zero : !gpu.mma_matrix<16x16xf16, "COp">
    %low = arith.cmpi ult, %tx, %k16 : index
    scf.if %low {
      gpu.subgroup_mma_store_matrix %m, %out[%k0, %k0] {leadDimension = 16 : index} : !gpu.mma_matrix<16x16xf16, "COp">, memref<16x16xf16>
    }
    gpu.terminator
  }
  %errors = call @hmEmuErrorCount() : () -> i64
  %e = arith.index_cast %errors : i64 to index
  %buf = memref.alloc() : memref<1xindex>
  memref.store %e, %buf[%c0] : memref<1xindex>
  %u = memref.cast %buf : memref<1xindex> to memref<*xindex>
  call @printMemrefInd(%u) : (memref<*xindex>) -> ()
  return
}
func.func private @hmEmuErrorCount() -> i64
func.func private @printMemrefInd(memref<*xindex>)
