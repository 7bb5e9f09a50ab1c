// REQUIRES: hm-emulator
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/in.npy f4 384 "float(i)"
// RUN: %python %S/Inputs/write_npy.py %t/expected.npy f4 3 "sum(range(i * 128, (i + 1) * 128))"
// RUN: hm-run %s --device=emu --input=%t/in.npy --expected=%t/expected.npy | FileCheck %s
// RUN: hm-run %s --device=emu --emu-workers=1 --input=%t/in.npy --expected=%t/expected.npy | FileCheck %s

// The block tree-reduction of block-reduce.mlir through hm-run: a function
// on tensors whose hand-written gpu.launch works on the tensors' buffers
// goes through hm-run's GPU pipeline (which leaves the launch alone) and the
// emulator. Each of 3 blocks of 128 threads sums its 128 inputs in
// workgroup memory with barrier-separated steps.

// CHECK: out0: shape=[3] dtype=f32 min=8128 max=40896
// CHECK: compare out0 (emu vs {{.*}}expected.npy): max_abs_err=0 {{.*}} OK
func.func @block_sums(%input: tensor<384xf32>) -> tensor<3xf32> {
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c128 = arith.constant 128 : index
  %in = bufferization.to_buffer %input : tensor<384xf32> to memref<384xf32>
  %out = memref.alloc() : memref<3xf32>
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
  %result = bufferization.to_tensor %out restrict : memref<3xf32> to tensor<3xf32>
  return %result : tensor<3xf32>
}
