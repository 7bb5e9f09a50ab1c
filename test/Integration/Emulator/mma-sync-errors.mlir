// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm \
// RUN:   | %hm_emu_runner 2> %t.stderr | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s < %t.stderr

// nvvm.mma.sync is warp-collective like gpu.subgroup_mma_*: a warp that is
// not full and lanes that do not all reach it are reported (on a GPU the
// result is undefined). Forms the emulator does not run are compile-time
// errors (test/Conversion/GPUToEmulator/mma-sync-invalid.mlir).

// A block of 16 threads: half a warp.
// CHECK:      hm-emu: error: warp-collective matrix operation at {{.*}}mma-sync-errors.mlir:{{[0-9]+:[0-9]+}} (nvvm.mma.sync) in a warp of 16 threads: it needs all 32 lanes
// CHECK-NEXT:   in kernel @main_kernel::@main_kernel, block (0,0,0), thread (0,0,0)
// Only lanes 0-15 reach it.
// CHECK:      hm-emu: error: divergent warp operation: the thread exited while lanes of its warp wait at the warp operation at {{.*}} (nvvm.mma.sync)
// CHECK-NEXT:   in kernel @main_kernel_0::@main_kernel, block (0,0,0), thread (16,0,0)
// CHECK-NOT:  hm-emu: error

// OUT: [2]
func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c16, %sy = %c1, %sz = %c1) {
    %w = arith.constant 0 : i32
    %f = arith.constant 0.0 : f32
    %r = nvvm.mma.sync A[%w, %w, %w, %w] B[%w, %w] C[%f, %f, %f, %f]
      {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>,
       multiplicandAPtxType = #nvvm.mma_type<bf16>,
       multiplicandBPtxType = #nvvm.mma_type<bf16>,
       shape = #nvvm.shape<m = 16, n = 8, k = 16>}
      : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %k16 = arith.constant 16 : index
    %low = arith.cmpi ult, %tx, %k16 : index
    scf.if %low {
      %w = arith.constant 0 : i32
      %f = arith.constant 0.0 : f32
      %r = nvvm.mma.sync A[%w, %w, %w, %w] B[%w, %w] C[%f, %f, %f, %f]
        {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>,
         multiplicandAPtxType = #nvvm.mma_type<bf16>,
         multiplicandBPtxType = #nvvm.mma_type<bf16>,
         shape = #nvvm.shape<m = 16, n = 8, k = 16>}
        : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
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
