// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm \
// RUN:   | %hm_emu_runner 2> %t.stderr | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s < %t.stderr

// A gpu.barrier that only some threads of a block reach is reported (once
// per block), like compute-sanitizer's synccheck; the emulator then lets the
// waiting threads go, so the program finishes.

// Only threads 0-15 of the block reach the barrier; thread 16 is the first
// to exit while they wait.
// CHECK:      hm-emu: error: divergent barrier: the thread exited while 16 threads of its block wait at gpu.barrier at {{.*}}divergent-barrier.mlir:[[#BARRIER:]]:7
// CHECK-NEXT:   in kernel @main_kernel::@main_kernel, block (0,0,0), thread (16,0,0)

// Even and odd threads wait at two different barriers.
// CHECK:      hm-emu: error: divergent barrier: the thread waits at gpu.barrier at {{.*}}divergent-barrier.mlir:[[#BARRIER+13]]:7 while other threads of its block wait at gpu.barrier at {{.*}}divergent-barrier.mlir:[[#BARRIER+11]]:7
// CHECK-NEXT:   in kernel @main_kernel_0::@main_kernel, block (0,0,0), thread (1,0,0)

// OUT: 2
func.func @main() {
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %low = arith.cmpi ult, %tx, %c16 : index
    scf.if %low {
      gpu.barrier
    }
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %c2 = arith.constant 2 : index
    %c0 = arith.constant 0 : index
    %r = arith.remui %tx, %c2 : index
    %even = arith.cmpi eq, %r, %c0 : index
    scf.if %even {
      gpu.barrier
    } else {
      gpu.barrier
    }
    gpu.terminator
  }
  %errors = call @hmEmuErrorCount() : () -> i64
  call @printI64(%errors) : (i64) -> ()
  call @printNewline() : () -> ()
  return
}
func.func private @hmEmuErrorCount() -> i64
func.func private @printI64(i64)
func.func private @printNewline()
