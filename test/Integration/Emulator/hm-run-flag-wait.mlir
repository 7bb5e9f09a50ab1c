// REQUIRES: hm-emulator
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/expected.npy i4 2 "[42, 1][i]"
// RUN: hm-run %s --device=emu --emu-workers=1 --expected=%t/expected.npy | FileCheck %s
// RUN: hm-run %s --device=emu --expected=%t/expected.npy | FileCheck %s

// Two blocks through hm-run: thread 0 of block 0 spins (a plain scf.while,
// which the emulator makes yield) until block 1 has stored 42 into a flag,
// while the rest of block 0 waits at a barrier; then block 0 copies the
// flag out. With one worker thread both blocks share an OS thread, so this
// only finishes if the spinning block lets block 1 run.

// CHECK: out0: shape=[2] dtype=i32
// CHECK: compare out0 (emu vs {{.*}}expected.npy): max_abs_err=0 {{.*}} OK
func.func @flag_wait() -> tensor<2xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0 : i32
  %out = memref.alloc() : memref<2xi32>
  %flag = memref.alloc() : memref<1xi32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %zero, %flag[%c0] : memref<1xi32>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %c0_ = arith.constant 0 : index
    %c1_ = arith.constant 1 : index
    %zero_ = arith.constant 0 : i32
    %one = arith.constant 1 : i32
    %first = arith.cmpi eq, %bx, %c0_ : index
    %leader = arith.cmpi eq, %tx, %c0_ : index
    scf.if %first {
      scf.if %leader {
        %seen = scf.while : () -> i32 {
          %f = memref.load %flag[%c0_] : memref<1xi32>
          %unset = arith.cmpi eq, %f, %zero_ : i32
          scf.condition(%unset) %f : i32
        } do {
        ^bb0(%f: i32):
          scf.yield
        }
        memref.store %seen, %out[%c0_] : memref<2xi32>
      }
      gpu.barrier
    } else {
      gpu.barrier
      scf.if %leader {
        %v = arith.constant 42 : i32
        memref.store %v, %flag[%c0_] : memref<1xi32>
        memref.store %one, %out[%c1_] : memref<2xi32>
      }
    }
    gpu.terminator
  }
  %result = bufferization.to_tensor %out restrict : memref<2xi32> to tensor<2xi32>
  return %result : tensor<2xi32>
}
