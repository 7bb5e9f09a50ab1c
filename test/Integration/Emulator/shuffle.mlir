// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm | %hm_emu_runner | FileCheck %s

// gpu.shuffle in its four modes on one block of two warps (64 threads); each
// thread starts from its thread id. Invalid results (a source lane outside
// [0, width)) are stored as -1.

// Row 0: xor butterfly sum over the warp: 0+...+31 = 496, 32+...+63 = 1520.
// CHECK: [496,   496,   496,{{.*}},   496,   1520,   1520,{{.*}},   1520],
// Row 1: down 1: lane l reads l + 1; lane 31 is invalid.
// CHECK-NEXT: [1,   2,   3,{{.*}},   31,   -1,   33,{{.*}},   63,   -1],
// Row 2: up 2: lane l reads l - 2; lanes 0 and 1 are invalid.
// CHECK-NEXT: [-1,   -1,   0,   1,{{.*}},   29,   -1,   -1,   32,{{.*}},   61],
// Row 3: idx 5 broadcasts lane 5 of each warp.
// CHECK-NEXT: [5,   5,{{.*}},   5,   37,{{.*}},   37],
// Row 4: xor 4 with width 8: only the first 8 lanes of a warp take part
// (GPU dialect semantics); the others get valid = false.
// CHECK-NEXT: [4,   5,   6,   7,   0,   1,   2,   3,   -1,{{.*}},   -1,   36,   37,   38,   39,   32,   33,   34,   35,   -1,{{.*}}]]
func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %out = memref.alloc() : memref<5x64xi32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c64, %sy = %c1, %sz = %c1) {
    %width = arith.constant 32 : i32
    %minus1 = arith.constant -1 : i32
    %v = arith.index_cast %tx : index to i32
    // Butterfly sum.
    %o16 = arith.constant 16 : i32
    %o8 = arith.constant 8 : i32
    %o4 = arith.constant 4 : i32
    %o2 = arith.constant 2 : i32
    %o1 = arith.constant 1 : i32
    %s16, %p16 = gpu.shuffle xor %v, %o16, %width : i32
    %a16 = arith.addi %v, %s16 : i32
    %s8, %p8 = gpu.shuffle xor %a16, %o8, %width : i32
    %a8 = arith.addi %a16, %s8 : i32
    %s4, %p4 = gpu.shuffle xor %a8, %o4, %width : i32
    %a4 = arith.addi %a8, %s4 : i32
    %s2, %p2 = gpu.shuffle xor %a4, %o2, %width : i32
    %a2 = arith.addi %a4, %s2 : i32
    %s1, %p1 = gpu.shuffle xor %a2, %o1, %width : i32
    %a1 = arith.addi %a2, %s1 : i32
    memref.store %a1, %out[%c0, %tx] : memref<5x64xi32>
    // Down, up, idx.
    %d, %dv = gpu.shuffle down %v, %o1, %width : i32
    %dr = arith.select %dv, %d, %minus1 : i32
    memref.store %dr, %out[%c1, %tx] : memref<5x64xi32>
    %u, %uv = gpu.shuffle up %v, %o2, %width : i32
    %ur = arith.select %uv, %u, %minus1 : i32
    memref.store %ur, %out[%c2, %tx] : memref<5x64xi32>
    %o5 = arith.constant 5 : i32
    %i, %iv = gpu.shuffle idx %v, %o5, %width : i32
    memref.store %i, %out[%c3, %tx] : memref<5x64xi32>
    // A narrower width.
    %w8 = arith.constant 8 : i32
    %x, %xv = gpu.shuffle xor %v, %o4, %w8 : i32
    %xr = arith.select %xv, %x, %minus1 : i32
    memref.store %xr, %out[%c4, %tx] : memref<5x64xi32>
    gpu.terminator
  }
  %u = memref.cast %out : memref<5x64xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}
func.func private @printMemrefI32(memref<*xi32>)
