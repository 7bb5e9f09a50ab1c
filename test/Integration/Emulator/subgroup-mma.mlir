// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm | %hm_emu_runner 2>&1 | FileCheck %s --implicit-check-not=hm-emu

// Warp-collective matrix operations under the emulator, checked against the
// same products computed by host loops (inputs small integers: every sum is
// exact in f16 and f32, so the difference must be 0).

// 1. C (32x32, f32) = A * B + 1 on one block of two warps: A staged in
//    workgroup memory by all 64 threads (so the race checks watch the
//    fragment loads), B read from global memory, two accumulators per warp
//    carried through the K loop.
// 2. D (16x16) = extf(2 * relu(A * B)) on one warp: f16 accumulator, B
//    loaded transposed from its transpose, element-wise maxf with a zero
//    constant, mulf and extf; D stored through workgroup memory (each lane
//    writes its share, a barrier, then one thread copies it out).
// The largest differences from the host loops, for 1 and 2:
// CHECK: [0,  0]
// Row 0 of D, which the host reference also checks (not all zero):
// CHECK: [8,  12,  8,  0,  8,  12,  8,  0]

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %a = memref.alloc() : memref<32x32xf16>
  %b = memref.alloc() : memref<32x32xf16>
  %bt = memref.alloc() : memref<32x32xf16>
  %c = memref.alloc() : memref<32x32xf32>
  %d = memref.alloc() : memref<16x16xf32>
  // A[i][k] = (i + 2k) mod 5 - 2, B[k][j] = (3k + j) mod 4 - 3; Bt = B^T.
  scf.for %i = %c0 to %c32 step %c1 {
    scf.for %j = %c0 to %c32 step %c1 {
      %i2 = arith.index_cast %i : index to i32
      %j2 = arith.index_cast %j : index to i32
      %two = arith.constant 2 : i32
      %three = arith.constant 3 : i32
      %four = arith.constant 4 : i32
      %five = arith.constant 5 : i32
      %one = arith.constant 1 : i32
      %t0 = arith.muli %j2, %two : i32
      %t1 = arith.addi %i2, %t0 : i32
      %t2 = arith.remui %t1, %five : i32
      %t3 = arith.subi %t2, %two : i32
      %av = arith.sitofp %t3 : i32 to f16
      memref.store %av, %a[%i, %j] : memref<32x32xf16>
      %u0 = arith.muli %i2, %three : i32
      %u1 = arith.addi %u0, %j2 : i32
      %u2 = arith.remui %u1, %four : i32
      %u3 = arith.subi %u2, %three : i32
      %bv = arith.sitofp %u3 : i32 to f16
      memref.store %bv, %b[%i, %j] : memref<32x32xf16>
      memref.store %bv, %bt[%j, %i] : memref<32x32xf16>
    }
  }

  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c64, %sy = %c1, %sz = %c1)
             workgroup(%as : memref<32x32xf16, #gpu.address_space<workgroup>>) {
    %k0 = arith.constant 0 : index
    %k1 = arith.constant 1 : index
    %k16 = arith.constant 16 : index
    %k32 = arith.constant 32 : index
    %k64 = arith.constant 64 : index
    %k1024 = arith.constant 1024 : index
    scf.for %e = %tx to %k1024 step %k64 {
      %r = arith.divui %e, %k32 : index
      %q = arith.remui %e, %k32 : index
      %v = memref.load %a[%r, %q] : memref<32x32xf16>
      memref.store %v, %as[%r, %q] : memref<32x32xf16, #gpu.address_space<workgroup>>
    }
    gpu.barrier
    %warp = arith.divui %tx, %k32 : index
    %row = arith.muli %warp, %k16 : index
    %one = arith.constant 1.0 : f32
    %init = gpu.subgroup_mma_constant_matrix %one : !gpu.mma_matrix<16x16xf32, "COp">
    %acc:2 = scf.for %k = %k0 to %k32 step %k16
        iter_args(%c0f = %init, %c1f = %init) -> (!gpu.mma_matrix<16x16xf32, "COp">, !gpu.mma_matrix<16x16xf32, "COp">) {
      %af = gpu.subgroup_mma_load_matrix %as[%row, %k] {leadDimension = 32 : index} : memref<32x32xf16, #gpu.address_space<workgroup>> -> !gpu.mma_matrix<16x16xf16, "AOp">
      %b0 = gpu.subgroup_mma_load_matrix %b[%k, %k0] {leadDimension = 32 : index} : memref<32x32xf16> -> !gpu.mma_matrix<16x16xf16, "BOp">
      %b1 = gpu.subgroup_mma_load_matrix %b[%k, %k16] {leadDimension = 32 : index} : memref<32x32xf16> -> !gpu.mma_matrix<16x16xf16, "BOp">
      %n0 = gpu.subgroup_mma_compute %af, %b0, %c0f : !gpu.mma_matrix<16x16xf16, "AOp">, !gpu.mma_matrix<16x16xf16, "BOp"> -> !gpu.mma_matrix<16x16xf32, "COp">
      %n1 = gpu.subgroup_mma_compute %af, %b1, %c1f : !gpu.mma_matrix<16x16xf16, "AOp">, !gpu.mma_matrix<16x16xf16, "BOp"> -> !gpu.mma_matrix<16x16xf32, "COp">
      scf.yield %n0, %n1 : !gpu.mma_matrix<16x16xf32, "COp">, !gpu.mma_matrix<16x16xf32, "COp">
    }
    gpu.subgroup_mma_store_matrix %acc#0, %c[%row, %k0] {leadDimension = 32 : index} : !gpu.mma_matrix<16x16xf32, "COp">, memref<32x32xf32>
    gpu.subgroup_mma_store_matrix %acc#1, %c[%row, %k16] {leadDimension = 32 : index} : !gpu.mma_matrix<16x16xf32, "COp">, memref<32x32xf32>
    gpu.terminator
  }

  // One warp: D = extf(2 * relu(A[0:16, 0:32] * B[0:32, 0:16])), f16
  // accumulation, B read transposed from Bt.
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1)
             workgroup(%ds : memref<16x16xf32, #gpu.address_space<workgroup>>) {
    %k0 = arith.constant 0 : index
    %k1 = arith.constant 1 : index
    %k16 = arith.constant 16 : index
    %zero = arith.constant 0.0 : f16
    %two = arith.constant 2.0 : f16
    %z = gpu.subgroup_mma_constant_matrix %zero : !gpu.mma_matrix<16x16xf16, "COp">
    %s = gpu.subgroup_mma_constant_matrix %two : !gpu.mma_matrix<16x16xf16, "COp">
    %a0 = gpu.subgroup_mma_load_matrix %a[%k0, %k0] {leadDimension = 32 : index} : memref<32x32xf16> -> !gpu.mma_matrix<16x16xf16, "AOp">
    %a1 = gpu.subgroup_mma_load_matrix %a[%k0, %k16] {leadDimension = 32 : index} : memref<32x32xf16> -> !gpu.mma_matrix<16x16xf16, "AOp">
    %b0 = gpu.subgroup_mma_load_matrix %bt[%k0, %k0] {leadDimension = 32 : index, transpose} : memref<32x32xf16> -> !gpu.mma_matrix<16x16xf16, "BOp">
    %b1 = gpu.subgroup_mma_load_matrix %bt[%k0, %k16] {leadDimension = 32 : index, transpose} : memref<32x32xf16> -> !gpu.mma_matrix<16x16xf16, "BOp">
    %p0 = gpu.subgroup_mma_compute %a0, %b0, %z {b_transpose} : !gpu.mma_matrix<16x16xf16, "AOp">, !gpu.mma_matrix<16x16xf16, "BOp"> -> !gpu.mma_matrix<16x16xf16, "COp">
    %p1 = gpu.subgroup_mma_compute %a1, %b1, %p0 {b_transpose} : !gpu.mma_matrix<16x16xf16, "AOp">, !gpu.mma_matrix<16x16xf16, "BOp"> -> !gpu.mma_matrix<16x16xf16, "COp">
    %relu = gpu.subgroup_mma_elementwise maxf %p1, %z : (!gpu.mma_matrix<16x16xf16, "COp">, !gpu.mma_matrix<16x16xf16, "COp">) -> !gpu.mma_matrix<16x16xf16, "COp">
    %scaled = gpu.subgroup_mma_elementwise mulf %relu, %s : (!gpu.mma_matrix<16x16xf16, "COp">, !gpu.mma_matrix<16x16xf16, "COp">) -> !gpu.mma_matrix<16x16xf16, "COp">
    %wide = gpu.subgroup_mma_elementwise extf %scaled : (!gpu.mma_matrix<16x16xf16, "COp">) -> !gpu.mma_matrix<16x16xf32, "COp">
    gpu.subgroup_mma_store_matrix %wide, %ds[%k0, %k0] {leadDimension = 16 : index} : !gpu.mma_matrix<16x16xf32, "COp">, memref<16x16xf32, #gpu.address_space<workgroup>>
    gpu.barrier
    %first = arith.cmpi eq, %tx, %k0 : index
    scf.if %first {
      scf.for %i = %k0 to %k16 step %k1 {
        scf.for %j = %k0 to %k16 step %k1 {
          %v = memref.load %ds[%i, %j] : memref<16x16xf32, #gpu.address_space<workgroup>>
          memref.store %v, %d[%i, %j] : memref<16x16xf32>
        }
      }
    }
    gpu.terminator
  }

  // Host references and the largest differences.
  %zf = arith.constant 0.0 : f32
  %err1 = scf.for %i = %c0 to %c32 step %c1 iter_args(%m = %zf) -> f32 {
    %mi = scf.for %j = %c0 to %c32 step %c1 iter_args(%mj = %m) -> f32 {
      %one = arith.constant 1.0 : f32
      %sum = scf.for %k = %c0 to %c32 step %c1 iter_args(%s = %one) -> f32 {
        %x = memref.load %a[%i, %k] : memref<32x32xf16>
        %y = memref.load %b[%k, %j] : memref<32x32xf16>
        %xf = arith.extf %x : f16 to f32
        %yf = arith.extf %y : f16 to f32
        %p = arith.mulf %xf, %yf : f32
        %n = arith.addf %s, %p : f32
        scf.yield %n : f32
      }
      %got = memref.load %c[%i, %j] : memref<32x32xf32>
      %diff = arith.subf %got, %sum : f32
      %abs = math.absf %diff : f32
      %nm = arith.maximumf %mj, %abs : f32
      scf.yield %nm : f32
    }
    scf.yield %mi : f32
  }
  %err2 = scf.for %i = %c0 to %c16 step %c1 iter_args(%m = %zf) -> f32 {
    %mi = scf.for %j = %c0 to %c16 step %c1 iter_args(%mj = %m) -> f32 {
      %sum = scf.for %k = %c0 to %c32 step %c1 iter_args(%s = %zf) -> f32 {
        %x = memref.load %a[%i, %k] : memref<32x32xf16>
        %y = memref.load %b[%k, %j] : memref<32x32xf16>
        %xf = arith.extf %x : f16 to f32
        %yf = arith.extf %y : f16 to f32
        %p = arith.mulf %xf, %yf : f32
        %n = arith.addf %s, %p : f32
        scf.yield %n : f32
      }
      %relu = arith.maximumf %sum, %zf : f32
      %twof = arith.constant 2.0 : f32
      %want = arith.mulf %relu, %twof : f32
      %got = memref.load %d[%i, %j] : memref<16x16xf32>
      %diff = arith.subf %got, %want : f32
      %abs = math.absf %diff : f32
      %nm = arith.maximumf %mj, %abs : f32
      scf.yield %nm : f32
    }
    scf.yield %mi : f32
  }
  %out = memref.alloc() : memref<2xf32>
  memref.store %err1, %out[%c0] : memref<2xf32>
  memref.store %err2, %out[%c1] : memref<2xf32>
  %outu = memref.cast %out : memref<2xf32> to memref<*xf32>
  call @printMemrefF32(%outu) : (memref<*xf32>) -> ()
  %row0 = memref.subview %d[0, 0] [1, 8] [1, 1] : memref<16x16xf32> to memref<1x8xf32, strided<[16, 1]>>
  %row0u = memref.cast %row0 : memref<1x8xf32, strided<[16, 1]>> to memref<*xf32>
  call @printMemrefF32(%row0u) : (memref<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(memref<*xf32>)
