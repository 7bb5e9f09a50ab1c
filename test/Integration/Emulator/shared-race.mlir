// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm \
// RUN:   | %hm_emu_runner 2> %t.stderr | FileCheck %s --check-prefix=COUNT
// RUN: FileCheck %s < %t.stderr

// Shared-memory races, like compute-sanitizer's racecheck: two threads of a
// block touch the same workgroup-memory byte with no gpu.barrier between
// them, at least one writing. The emulator's deterministic schedule would
// otherwise hide them (thread 0 always runs before thread 1). Reported once
// per block.

// Kernel 1 (the race): every thread writes s[t], then reads its neighbour's
// s[t + 1] without a barrier. Thread 0 reads s[1] before thread 1 writes it
// (the schedule runs threads in order), so thread 1's write is the second
// access of the pair.
// CHECK:      hm-emu: error: shared-memory race: the thread writes 4 bytes at offset 4 of workgroup memory at {{.*}}shared-race.mlir:[[#@LINE+17]]:5
// CHECK-NEXT:   in kernel @main_kernel::@main_kernel, block (0,0,0), thread (1,0,0)
// CHECK-NEXT:   that thread (0,0,0) read since the last gpu.barrier
// CHECK-NOT:  hm-emu: error

// Kernel 2 (no race): the same with a barrier between the write and the
// read, plus f16 neighbours sharing a 4-byte word (byte granularity, so no
// false positive) and a read-only broadcast of s[0] by every thread.
// COUNT: 1
func.func @main() {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1)
             workgroup(%s : memref<33xf32, #gpu.address_space<workgroup>>) {
    %c1_ = arith.constant 1 : index
    %v = arith.constant 1.0 : f32
    memref.store %v, %s[%tx] : memref<33xf32, #gpu.address_space<workgroup>>
    %next = arith.addi %tx, %c1_ : index
    %x = memref.load %s[%next] : memref<33xf32, #gpu.address_space<workgroup>>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1)
             workgroup(%s : memref<33xf32, #gpu.address_space<workgroup>>,
                       %h : memref<32xf16, #gpu.address_space<workgroup>>) {
    %c0_ = arith.constant 0 : index
    %c1_ = arith.constant 1 : index
    %v = arith.constant 1.0 : f32
    %hv = arith.constant 1.0 : f16
    memref.store %v, %s[%tx] : memref<33xf32, #gpu.address_space<workgroup>>
    memref.store %hv, %h[%tx] : memref<32xf16, #gpu.address_space<workgroup>>
    gpu.barrier
    %next = arith.addi %tx, %c1_ : index
    %x = memref.load %s[%next] : memref<33xf32, #gpu.address_space<workgroup>>
    %y = memref.load %s[%c0_] : memref<33xf32, #gpu.address_space<workgroup>>
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
