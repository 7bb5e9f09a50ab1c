// REQUIRES: hm-emulator
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/in.npy i4 96 "i"
// RUN: %python %S/Inputs/write_npy.py %t/expected.npy i4 2,96 \
// RUN:   "sum(range(i // 32 * 32, i // 32 * 32 + 32)) if i < 96 else (i - 96) // 4 * 4 + 3"
// RUN: hm-run %s --device=emu --input=%t/in.npy --expected=%t/expected.npy | FileCheck %s

// Warp operations through hm-run, on one block of three warps: row 0 is a
// butterfly sum with gpu.shuffle xor (every lane gets its warp's sum), row 1
// a gpu.subgroup_reduce maxsi over clusters of 4 lanes.

// CHECK: out0: shape=[2,96] dtype=i32
// CHECK: compare out0 (emu vs {{.*}}expected.npy): max_abs_err=0 {{.*}} OK
func.func @warp_ops(%input: tensor<96xi32>) -> tensor<2x96xi32> {
  %c1 = arith.constant 1 : index
  %c96 = arith.constant 96 : index
  %in = bufferization.to_buffer %input : tensor<96xi32> to memref<96xi32>
  %out = memref.alloc() : memref<2x96xi32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c96, %sy = %c1, %sz = %c1) {
    %c0_ = arith.constant 0 : index
    %c1_ = arith.constant 1 : index
    %width = arith.constant 32 : i32
    %v = memref.load %in[%tx] : memref<96xi32>
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
    %sum = arith.addi %a2, %s1 : i32
    memref.store %sum, %out[%c0_, %tx] : memref<2x96xi32>
    %max = gpu.subgroup_reduce maxsi %v cluster(size = 4) : (i32) -> i32
    memref.store %max, %out[%c1_, %tx] : memref<2x96xi32>
    gpu.terminator
  }
  %result = bufferization.to_tensor %out restrict : memref<2x96xi32> to tensor<2x96xi32>
  return %result : tensor<2x96xi32>
}
