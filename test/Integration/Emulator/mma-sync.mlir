// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm | %hm_emu_runner 2>&1 | FileCheck %s --implicit-check-not=hm-emu

// nvvm.mma.sync m16n8k16 (bf16 A row-major, B column-major, f32 C and D)
// under the emulator, on one warp: each lane packs its own A and B registers
// from memory in PTX's fragment layout (g = lane / 4, t = lane % 4: a0 =
// A[g][2t..2t+1], a1 = A[g+8][2t..], a2 = A[g][2t+8..], a3 = A[g+8][2t+8..];
// b0 = B[2t..2t+1][g], b1 = B[2t+8..2t+9][g]; the lower k in the low half),
// C = 1, and stores its D elements c0..c3 at (g, 2t), (g, 2t+1), (g+8, 2t),
// (g+8, 2t+1). A[i][k] = (i + 2k) mod 5 - 2, B[k][j] = (3k + j) mod 4 - 3:
// small integers, so every sum is exact and must equal the host's.
// The largest difference from host loops, then row 0 of D (by hand: D[0][0]
// = 1 + sum over k of A[0][k] B[k][0] = 1 + 1 = 2):
// CHECK: [0]
// CHECK: [2,  8,  2,  4,  2,  8,  2,  4]

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %a = memref.alloc() : memref<16x16xbf16>
  %b = memref.alloc() : memref<16x8xbf16>
  %d = memref.alloc() : memref<16x8xf32>
  scf.for %i = %c0 to %c16 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %i2 = arith.index_cast %i : index to i32
      %j2 = arith.index_cast %j : index to i32
      %two = arith.constant 2 : i32
      %five = arith.constant 5 : i32
      %t0 = arith.muli %j2, %two : i32
      %t1 = arith.addi %i2, %t0 : i32
      %t2 = arith.remui %t1, %five : i32
      %t3 = arith.subi %t2, %two : i32
      %af = arith.sitofp %t3 : i32 to f32
      %av = arith.truncf %af : f32 to bf16
      memref.store %av, %a[%i, %j] : memref<16x16xbf16>
    }
    scf.for %j = %c0 to %c8 step %c1 {
      %i2 = arith.index_cast %i : index to i32
      %j2 = arith.index_cast %j : index to i32
      %three = arith.constant 3 : i32
      %four = arith.constant 4 : i32
      %u0 = arith.muli %i2, %three : i32
      %u1 = arith.addi %u0, %j2 : i32
      %u2 = arith.remui %u1, %four : i32
      %u3 = arith.subi %u2, %three : i32
      %bf = arith.sitofp %u3 : i32 to f32
      %bv = arith.truncf %bf : f32 to bf16
      memref.store %bv, %b[%i, %j] : memref<16x8xbf16>
    }
  }

  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %k1 = arith.constant 1 : index
    %k2 = arith.constant 2 : index
    %k4 = arith.constant 4 : index
    %k8 = arith.constant 8 : index
    %lane = gpu.lane_id
    %g = arith.divui %lane, %k4 : index
    %t = arith.remui %lane, %k4 : index
    %g8 = arith.addi %g, %k8 : index
    %k = arith.muli %t, %k2 : index
    %k1i = arith.addi %k, %k1 : index
    %kh = arith.addi %k, %k8 : index
    %kh1 = arith.addi %kh, %k1 : index
    %sixteen = arith.constant 16 : i32
    %pa = memref.load %a[%g, %k] : memref<16x16xbf16>
    %pb = memref.load %a[%g, %k1i] : memref<16x16xbf16>
    %qa = memref.load %a[%g8, %k] : memref<16x16xbf16>
    %qb = memref.load %a[%g8, %k1i] : memref<16x16xbf16>
    %ra = memref.load %a[%g, %kh] : memref<16x16xbf16>
    %rb = memref.load %a[%g, %kh1] : memref<16x16xbf16>
    %sa = memref.load %a[%g8, %kh] : memref<16x16xbf16>
    %sb = memref.load %a[%g8, %kh1] : memref<16x16xbf16>
    %ua = memref.load %b[%k, %g] : memref<16x8xbf16>
    %ub = memref.load %b[%k1i, %g] : memref<16x8xbf16>
    %va = memref.load %b[%kh, %g] : memref<16x8xbf16>
    %vb = memref.load %b[%kh1, %g] : memref<16x8xbf16>
    // Lower k in the low 16 bits.
    %pal = arith.bitcast %pa : bf16 to i16
    %pbl = arith.bitcast %pb : bf16 to i16
    %qal = arith.bitcast %qa : bf16 to i16
    %qbl = arith.bitcast %qb : bf16 to i16
    %ral = arith.bitcast %ra : bf16 to i16
    %rbl = arith.bitcast %rb : bf16 to i16
    %sal = arith.bitcast %sa : bf16 to i16
    %sbl = arith.bitcast %sb : bf16 to i16
    %ual = arith.bitcast %ua : bf16 to i16
    %ubl = arith.bitcast %ub : bf16 to i16
    %val = arith.bitcast %va : bf16 to i16
    %vbl = arith.bitcast %vb : bf16 to i16
    %pal32 = arith.extui %pal : i16 to i32
    %pbl32 = arith.extui %pbl : i16 to i32
    %qal32 = arith.extui %qal : i16 to i32
    %qbl32 = arith.extui %qbl : i16 to i32
    %ral32 = arith.extui %ral : i16 to i32
    %rbl32 = arith.extui %rbl : i16 to i32
    %sal32 = arith.extui %sal : i16 to i32
    %sbl32 = arith.extui %sbl : i16 to i32
    %ual32 = arith.extui %ual : i16 to i32
    %ubl32 = arith.extui %ubl : i16 to i32
    %val32 = arith.extui %val : i16 to i32
    %vbl32 = arith.extui %vbl : i16 to i32
    %pbh = arith.shli %pbl32, %sixteen : i32
    %qbh = arith.shli %qbl32, %sixteen : i32
    %rbh = arith.shli %rbl32, %sixteen : i32
    %sbh = arith.shli %sbl32, %sixteen : i32
    %ubh = arith.shli %ubl32, %sixteen : i32
    %vbh = arith.shli %vbl32, %sixteen : i32
    %a0 = arith.ori %pal32, %pbh : i32
    %a1 = arith.ori %qal32, %qbh : i32
    %a2 = arith.ori %ral32, %rbh : i32
    %a3 = arith.ori %sal32, %sbh : i32
    %b0 = arith.ori %ual32, %ubh : i32
    %b1 = arith.ori %val32, %vbh : i32
    %one = arith.constant 1.0 : f32
    %r = nvvm.mma.sync A[%a0, %a1, %a2, %a3] B[%b0, %b1] C[%one, %one, %one, %one]
      {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>,
       multiplicandAPtxType = #nvvm.mma_type<bf16>,
       multiplicandBPtxType = #nvvm.mma_type<bf16>,
       shape = #nvvm.shape<m = 16, n = 8, k = 16>}
      : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
    %d0 = llvm.extractvalue %r[0] : !llvm.struct<(f32, f32, f32, f32)>
    %d1 = llvm.extractvalue %r[1] : !llvm.struct<(f32, f32, f32, f32)>
    %d2 = llvm.extractvalue %r[2] : !llvm.struct<(f32, f32, f32, f32)>
    %d3 = llvm.extractvalue %r[3] : !llvm.struct<(f32, f32, f32, f32)>
    memref.store %d0, %d[%g, %k] : memref<16x8xf32>
    memref.store %d1, %d[%g, %k1i] : memref<16x8xf32>
    memref.store %d2, %d[%g8, %k] : memref<16x8xf32>
    memref.store %d3, %d[%g8, %k1i] : memref<16x8xf32>
    gpu.terminator
  }

  // Host reference and the largest difference.
  %zf = arith.constant 0.0 : f32
  %err = scf.for %i = %c0 to %c16 step %c1 iter_args(%m = %zf) -> f32 {
    %mi = scf.for %j = %c0 to %c8 step %c1 iter_args(%mj = %m) -> f32 {
      %one = arith.constant 1.0 : f32
      %sum = scf.for %kk = %c0 to %c16 step %c1 iter_args(%s = %one) -> f32 {
        %x = memref.load %a[%i, %kk] : memref<16x16xbf16>
        %y = memref.load %b[%kk, %j] : memref<16x8xbf16>
        %xf = arith.extf %x : bf16 to f32
        %yf = arith.extf %y : bf16 to f32
        %p = arith.mulf %xf, %yf : f32
        %n = arith.addf %s, %p : f32
        scf.yield %n : f32
      }
      %got = memref.load %d[%i, %j] : memref<16x8xf32>
      %diff = arith.subf %got, %sum : f32
      %abs = math.absf %diff : f32
      %nm = arith.maximumf %mj, %abs : f32
      scf.yield %nm : f32
    }
    scf.yield %mi : f32
  }
  %out = memref.alloc() : memref<1xf32>
  memref.store %err, %out[%c0] : memref<1xf32>
  %outu = memref.cast %out : memref<1xf32> to memref<*xf32>
  call @printMemrefF32(%outu) : (memref<*xf32>) -> ()
  %row0 = memref.subview %d[0, 0] [1, 8] [1, 1] : memref<16x8xf32> to memref<1x8xf32, strided<[8, 1]>>
  %row0u = memref.cast %row0 : memref<1x8xf32, strided<[8, 1]>> to memref<*xf32>
  call @printMemrefF32(%row0u) : (memref<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(memref<*xf32>)
