// REQUIRES: hm-emulator
// RUN: hm-opt %s --gpu-kernel-outlining \
// RUN:   --convert-gpu-to-emulator=yield-in-loops=false --lower-affine \
// RUN:   --canonicalize --cse %hm_emu_to_llvm | %hm_emu_runner | FileCheck %s

// The documented way for a kernel to yield explicitly: call
// @hm_emu_yield() (declared as an external func.func; outlining copies the
// declaration into the gpu.module and the emulator hoists it back). Without
// automatic yields in scf.while, block 0 on a single worker can only see
// block 1's flag because its spin loop yields.

// CHECK: [42,  0]
func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %one = arith.constant 1 : i64
  call @hmEmuSetWorkerCount(%one) : (i64) -> ()
  %flag = memref.alloc() : memref<1xi32>
  %out = memref.alloc() : memref<2xi32>
  %zero = arith.constant 0 : i32
  memref.store %zero, %flag[%c0] : memref<1xi32>
  memref.store %zero, %out[%c0] : memref<2xi32>
  memref.store %zero, %out[%c1] : memref<2xi32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %c0_ = arith.constant 0 : index
    %zero_ = arith.constant 0 : i32
    %first = arith.cmpi eq, %bx, %c0_ : index
    %leader = arith.cmpi eq, %tx, %c0_ : index
    scf.if %leader {
      scf.if %first {
        %seen = scf.while : () -> i32 {
          func.call @hm_emu_yield() : () -> ()
          %f = memref.load %flag[%c0_] : memref<1xi32>
          %unset = arith.cmpi eq, %f, %zero_ : i32
          scf.condition(%unset) %f : i32
        } do {
        ^bb0(%f: i32):
          scf.yield
        }
        memref.store %seen, %out[%c0_] : memref<2xi32>
      } else {
        %v = arith.constant 42 : i32
        memref.store %v, %flag[%c0_] : memref<1xi32>
      }
    }
    gpu.terminator
  }
  %u = memref.cast %out : memref<2xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}
func.func private @hm_emu_yield()
func.func private @hmEmuSetWorkerCount(i64)
func.func private @printMemrefI32(memref<*xi32>)
