// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm | %hm_emu_runner | FileCheck %s

// gpu.printf prints through the host's printf (in the order the emulator
// runs the threads, as arbitrary as on a GPU), and gpu.all_reduce (a block-wide reduction) is first expanded by
// upstream's patterns into shuffles, workgroup memory and barriers, which
// the emulator then runs. One block of 40 threads (a partial second warp).

// CHECK-COUNT-40: thread {{[0-9]+}} of 40: sum 780
// CHECK-NOT:       thread
func.func @main() {
  %c1 = arith.constant 1 : index
  %c40 = arith.constant 40 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c40, %sy = %c1, %sz = %c1) {
    %v = arith.index_cast %tx : index to i32
    %sum = gpu.all_reduce add %v uniform {} : (i32) -> i32
    gpu.printf "thread %lld of %lld: sum %d\n", %tx, %sx, %sum : index, index, i32
    gpu.terminator
  }
  return
}
