// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm | %hm_emu_runner | FileCheck %s

// gpu.subgroup_reduce on one block of 48 threads: a full warp and a partial
// warp of 16 lanes (lanes past the end of a partial warp do not exist and do
// not contribute). Thread t contributes t.

// Row 0: add over the warp: 0+...+31 = 496; 32+...+47 = 632.
// CHECK: [496,   496,{{.*}},   496,   632,{{.*}},   632],
// Row 1: maxsi over clusters of 4 consecutive lanes: 3, 7, 11, ...
// CHECK-NEXT: [3,   3,   3,   3,   7,   7,   7,   7,{{.*}},   43,   43,   43,   43,   47,   47,   47,   47],
// Row 2: add over clusters of 2 lanes 16 apart (cluster_stride = 16):
// lane l and l + 16: 0+16 = 16, 1+17 = 18, ...; in the partial warp lane
// l + 16 does not exist, so 32 -> 32.
// CHECK-NEXT: [16,   18,{{.*}},   46,   16,   18,{{.*}},   46,   32,   33,{{.*}},   47],
// Row 3: mul over f32 values 1 + (t mod 2) / 2, i.e. 1.5^16 per full warp.
// CHECK-NEXT: [656,   656,{{.*}},   656,   25,{{.*}},   25]]
func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c48 = arith.constant 48 : index
  %out = memref.alloc() : memref<4x48xi32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c48, %sy = %c1, %sz = %c1) {
    %v = arith.index_cast %tx : index to i32
    %sum = gpu.subgroup_reduce add %v : (i32) -> i32
    memref.store %sum, %out[%c0, %tx] : memref<4x48xi32>
    %max = gpu.subgroup_reduce maxsi %v cluster(size = 4) : (i32) -> i32
    memref.store %max, %out[%c1, %tx] : memref<4x48xi32>
    %pair = gpu.subgroup_reduce add %v cluster(size = 2, stride = 16) : (i32) -> i32
    memref.store %pair, %out[%c2, %tx] : memref<4x48xi32>
    %two = arith.constant 2 : i32
    %odd = arith.remui %v, %two : i32
    %oddf = arith.uitofp %odd : i32 to f32
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %h = arith.mulf %oddf, %half : f32
    %f = arith.addf %one, %h : f32
    %prod = gpu.subgroup_reduce mul %f : (f32) -> f32
    %pi = arith.fptosi %prod : f32 to i32
    memref.store %pi, %out[%c3, %tx] : memref<4x48xi32>
    gpu.terminator
  }
  %u = memref.cast %out : memref<4x48xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}
func.func private @printMemrefI32(memref<*xi32>)
