// Host control flow around tensor work stays on the host: a loop over tensors
// launches its kernels each iteration, and calls between functions remain
// calls. (Grinder will move such loops onto the device.)
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline | FileCheck %s
// RUN: hm-opt %s --hm-lower-to-nvvm-pipeline -o /dev/null
// RUN: hm-run %s --entry=caller --random-inputs=3 --device=emu --compare=cpu | FileCheck %s --check-prefix=EXEC
// REQUIRES: hm-emulator

// CHECK-LABEL: func.func @double_n_times
// CHECK: scf.for
// CHECK: gpu.alloc async
// CHECK: gpu.launch_func async {{.*}}@double_n_times_kernel::@double_n_times_kernel
// CHECK: scf.yield
// CHECK-LABEL: func.func @caller
// CHECK: call @double_n_times
func.func @double_n_times(%x: tensor<16xf32>, %n: index) -> tensor<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> tensor<16xf32> {
    %e = tensor.empty() : tensor<16xf32>
    %b = linalg.add ins(%a, %a : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32>
    scf.yield %b : tensor<16xf32>
  }
  return %r : tensor<16xf32>
}

// EXEC: out0: shape=[16] dtype=f32
// EXEC: compare out0 (emu vs cpu): max_abs_err={{.*}} OK
func.func @caller(%x: tensor<16xf32>) -> tensor<16xf32> {
  %c3 = arith.constant 3 : index
  %r = func.call @double_n_times(%x, %c3) : (tensor<16xf32>, index) -> tensor<16xf32>
  return %r : tensor<16xf32>
}
