// REQUIRES: hm-emulator
// RUN: not hm-run %s --device=emu --random-inputs=1 2>&1 | FileCheck %s

// A kernel that stores past the end of its output: hm-run --device=emu
// reports each faulty access with the kernel, block, thread, index and the
// allocation, and fails.

// CHECK:      hm-emu: error: out-of-bounds memref.store on global memory at {{.*}}hm-run-out-of-bounds.mlir:[[#@LINE+19]]:5
// CHECK-NEXT:   in kernel @shift_kernel::@shift_kernel, block (1,0,0), thread (31,0,0)
// CHECK-NEXT:   index [64] is outside memref<64xf32> (shape [64])
// CHECK-NEXT:   address 0x{{[0-9a-f]+}} is 0 bytes after the end of the 256-byte allocation at 0x{{[0-9a-f]+}} (gpu.alloc at {{.*}}hm-run-out-of-bounds.mlir:[[#@LINE+7]]:10)
// CHECK:      hm-run: error: the emulator reported 1 error(s) running @shift
func.func @shift(%input: tensor<64xf32>) -> tensor<64xf32> {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %in = bufferization.to_buffer %input : tensor<64xf32> to memref<64xf32>
  %out = memref.alloc() : memref<64xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %base = arith.muli %bx, %sx : index
    %i = arith.addi %base, %tx : index
    %v = memref.load %in[%i] : memref<64xf32>
    // Off by one: out[i + 1] = in[i].
    %c1_ = arith.constant 1 : index
    %j = arith.addi %i, %c1_ : index
    memref.store %v, %out[%j] : memref<64xf32>
    gpu.terminator
  }
  %result = bufferization.to_tensor %out restrict : memref<64xf32> to tensor<64xf32>
  return %result : tensor<64xf32>
}
