// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm | %hm_emu_runner | FileCheck %s

// A block tree-reduction in workgroup memory: each of 3 blocks of 128 threads
// sums its 128 inputs (in[i] = i) with log2(128) barrier-separated steps.
// Thread t of the last step reads what thread t + s wrote before the
// barrier, so a barrier that let threads pass early would give wrong sums.

// CHECK: [8128,  24512,  40896]
func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c128 = arith.constant 128 : index
  %c384 = arith.constant 384 : index
  %in = memref.alloc() : memref<384xf32>
  %out = memref.alloc() : memref<3xf32>
  scf.for %i = %c0 to %c384 step %c1 {
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    memref.store %f, %in[%i] : memref<384xf32>
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c3, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c128, %sy = %c1, %sz = %c1)
             workgroup(%sh : memref<128xf32, #gpu.address_space<workgroup>>) {
    %base = arith.muli %bx, %sx : index
    %g = arith.addi %base, %tx : index
    %v = memref.load %in[%g] : memref<384xf32>
    memref.store %v, %sh[%tx] : memref<128xf32, #gpu.address_space<workgroup>>
    gpu.barrier
    %c64 = arith.constant 64 : index
    %c0_ = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %s = scf.while (%step = %c64) : (index) -> index {
      %more = arith.cmpi ugt, %step, %c0_ : index
      scf.condition(%more) %step : index
    } do {
    ^bb0(%st: index):
      %active = arith.cmpi ult, %tx, %st : index
      scf.if %active {
        %o = arith.addi %tx, %st : index
        %a = memref.load %sh[%tx] : memref<128xf32, #gpu.address_space<workgroup>>
        %b = memref.load %sh[%o] : memref<128xf32, #gpu.address_space<workgroup>>
        %sum = arith.addf %a, %b : f32
        memref.store %sum, %sh[%tx] : memref<128xf32, #gpu.address_space<workgroup>>
      }
      gpu.barrier
      %next = arith.divui %st, %c2 : index
      scf.yield %next : index
    }
    %first = arith.cmpi eq, %tx, %c0_ : index
    scf.if %first {
      %r = memref.load %sh[%c0_] : memref<128xf32, #gpu.address_space<workgroup>>
      memref.store %r, %out[%bx] : memref<3xf32>
    }
    gpu.terminator
  }
  %u = memref.cast %out : memref<3xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(memref<*xf32>)
