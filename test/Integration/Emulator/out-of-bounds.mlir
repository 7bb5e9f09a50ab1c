// REQUIRES: hm-emulator
// RUN: hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm \
// RUN:   | %hm_emu_runner 2> %t.stderr | FileCheck %s --check-prefix=COUNT
// RUN: FileCheck %s < %t.stderr

// Out-of-bounds accesses are reported like compute-sanitizer's memcheck:
// the access, the kernel, block and thread, the index and shape, and for
// global memory the allocation the address is near. The access is skipped
// (a load yields 0) and the kernel goes on. Reports are printed when the
// launch ends, sorted by block and thread.

// One block of 32 threads stores out[t] into a 30-element buffer: threads
// 30 and 31 are out of bounds.
// CHECK:      hm-emu: error: out-of-bounds memref.store on global memory at {{.*}}out-of-bounds.mlir:[[#STORE:]]:5
// CHECK-NEXT:   in kernel @main_kernel::@main_kernel, block (0,0,0), thread (30,0,0)
// CHECK-NEXT:   index [30] is outside memref<30xf32> (shape [30])
// CHECK-NEXT:   address 0x{{[0-9a-f]+}} is 0 bytes after the end of the 120-byte allocation at 0x{{[0-9a-f]+}} (host buffer #0)
// CHECK-NEXT: hm-emu: error: out-of-bounds memref.store on global memory at {{.*}}out-of-bounds.mlir:[[#STORE]]:5
// CHECK-NEXT:   in kernel @main_kernel::@main_kernel, block (0,0,0), thread (31,0,0)
// CHECK-NEXT:   index [31] is outside memref<30xf32> (shape [30])
// CHECK-NEXT:   address 0x{{[0-9a-f]+}} is 4 bytes after the end

// The last thread reads one element past its block's workgroup array.
// Every block has its own workgroup memory; both report.
// CHECK-NEXT: hm-emu: error: out-of-bounds memref.load on shared memory at {{.*}}out-of-bounds.mlir:[[#STORE+10]]:10
// CHECK-NEXT:   in kernel @main_kernel_0::@main_kernel, block (0,0,0), thread (31,0,0)
// CHECK-NEXT:   index [32] is outside memref<32xf32, #gpu.address_space<workgroup>> (shape [32])
// CHECK-NEXT: hm-emu: error: out-of-bounds memref.load on shared memory
// CHECK-NEXT:   in kernel @main_kernel_0::@main_kernel, block (1,0,0), thread (31,0,0)

// hmEmuErrorCount() counts them all.
// COUNT: 4
func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %out = memref.alloc() : memref<30xf32>
  %p = memref.extract_aligned_pointer_as_index %out : memref<30xf32> -> index
  %pi = arith.index_cast %p : index to i64
  %ptr = llvm.inttoptr %pi : i64 to !llvm.ptr
  %bytes = arith.constant 120 : i64
  call @hmEmuRegisterBuffer(%ptr, %bytes) : (!llvm.ptr, i64) -> ()
  %v = arith.constant 1.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    memref.store %v, %out[%tx] : memref<30xf32>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1)
             workgroup(%sh : memref<32xf32, #gpu.address_space<workgroup>>) {
    memref.store %v, %sh[%tx] : memref<32xf32, #gpu.address_space<workgroup>>
    gpu.barrier
    %c1_ = arith.constant 1 : index
    %next = arith.addi %tx, %c1_ : index
    %x = memref.load %sh[%next] : memref<32xf32, #gpu.address_space<workgroup>>
    gpu.terminator
  }
  %errors = call @hmEmuErrorCount() : () -> i64
  call @printErrors(%errors) : (i64) -> ()
  return
}
func.func @printErrors(%n: i64) {
  call @printI64(%n) : (i64) -> ()
  call @printNewline() : () -> ()
  return
}
func.func private @hmEmuRegisterBuffer(!llvm.ptr, i64)
func.func private @hmEmuErrorCount() -> i64
func.func private @printI64(i64)
func.func private @printNewline()
