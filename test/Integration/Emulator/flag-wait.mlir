// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm | %hm_emu_runner | FileCheck %s

// Blocks that spin on flags other blocks set (Rammer's and Grinder's
// inter-block waits). Block b < 3 waits until block b + 1 has raised its
// flag, then takes a ticket from an atomic counter and raises its own flag,
// so the blocks must finish in the order 3, 2, 1, 0 although they are
// scheduled in the order 0, 1, 2, 3. The spin loop is a plain scf.while:
// convert-gpu-to-emulator makes every scf.while iteration yield, which lets
// the scheduler run other threads and admit more blocks. The other threads
// of a waiting block wait at a gpu.barrier meanwhile.
//
// Run with one worker thread (every block on the same OS thread, which only
// works if spinning blocks are rotated), then with the default workers (0).

// CHECK: 1
// CHECK-NEXT: Unranked Memref
// CHECK-NEXT: [3,  2,  1,  0]
// CHECK-NEXT: 0
// CHECK-NEXT: Unranked Memref
// CHECK-NEXT: [3,  2,  1,  0]
func.func @run(%flags: memref<4xi32>, %tickets: memref<4xi32>, %counter: memref<1xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0 : i32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %zero, %flags[%i] : memref<4xi32>
    memref.store %zero, %tickets[%i] : memref<4xi32>
  }
  memref.store %zero, %counter[%c0] : memref<1xi32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c4, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %c0_ = arith.constant 0 : index
    %c1_ = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %zero_ = arith.constant 0 : i32
    %one = arith.constant 1 : i32
    %leader = arith.cmpi eq, %tx, %c0_ : index
    %waits = arith.cmpi ult, %bx, %c3 : index
    %spin = arith.andi %leader, %waits : i1
    scf.if %spin {
      %next = arith.addi %bx, %c1_ : index
      scf.while : () -> () {
        %f = memref.load %flags[%next] : memref<4xi32>
        %unset = arith.cmpi eq, %f, %zero_ : i32
        scf.condition(%unset)
      } do {
        scf.yield
      }
    }
    gpu.barrier
    scf.if %leader {
      %t = memref.atomic_rmw addi %one, %counter[%c0_] : (i32, memref<1xi32>) -> i32
      memref.store %t, %tickets[%bx] : memref<4xi32>
      memref.store %one, %flags[%bx] : memref<4xi32>
    }
    gpu.terminator
  }
  %u = memref.cast %tickets : memref<4xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}

func.func @main() {
  %flags = memref.alloc() : memref<4xi32>
  %tickets = memref.alloc() : memref<4xi32>
  %counter = memref.alloc() : memref<1xi32>
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  call @hmEmuSetWorkerCount(%c1) : (i64) -> ()
  call @printI64(%c1) : (i64) -> ()
  call @printNewline() : () -> ()
  call @run(%flags, %tickets, %counter) : (memref<4xi32>, memref<4xi32>, memref<1xi32>) -> ()
  call @hmEmuSetWorkerCount(%c0) : (i64) -> ()
  call @printI64(%c0) : (i64) -> ()
  call @printNewline() : () -> ()
  call @run(%flags, %tickets, %counter) : (memref<4xi32>, memref<4xi32>, memref<1xi32>) -> ()
  return
}
func.func private @printMemrefI32(memref<*xi32>)
func.func private @hmEmuSetWorkerCount(i64)
func.func private @printI64(i64)
func.func private @printNewline()
