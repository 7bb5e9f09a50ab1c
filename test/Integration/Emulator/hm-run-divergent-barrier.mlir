// REQUIRES: hm-emulator
// RUN: not hm-run %s --device=emu --random-inputs=1 2>&1 | FileCheck %s

// A barrier inside a branch that only half of the threads take: hm-run
// --device=emu reports the divergent barrier with the kernel, block and
// thread, and fails.

// CHECK:      hm-emu: error: divergent barrier: the thread exited while 16 threads of its block wait at gpu.barrier at {{.*}}hm-run-divergent-barrier.mlir:[[#@LINE+15]]:7
// CHECK-NEXT:   in kernel @half_kernel::@half_kernel, block (0,0,0), thread (16,0,0)
// CHECK:      hm-run: error: the emulator reported 1 error(s) running @half
func.func @half(%input: tensor<32xf32>) -> tensor<32xf32> {
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %in = bufferization.to_buffer %input : tensor<32xf32> to memref<32xf32>
  %out = memref.alloc() : memref<32xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %v = memref.load %in[%tx] : memref<32xf32>
    memref.store %v, %out[%tx] : memref<32xf32>
    %low = arith.cmpi ult, %tx, %c16 : index
    scf.if %low {
      gpu.barrier
    }
    gpu.terminator
  }
  %result = bufferization.to_tensor %out restrict : memref<32xf32> to tensor<32xf32>
  return %result : tensor<32xf32>
}
