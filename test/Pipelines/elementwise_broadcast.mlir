// RUN: rm -rf %t && hm-opt %s --hm-lower-to-nvvm-pipeline --hm-dump-gpu-binaries=output-dir=%t | FileCheck %s --check-prefix=HOST
// RUN: FileCheck %s --check-prefix=BIAS < %t/bias_relu_kernel.ptx
// RUN: FileCheck %s --check-prefix=ROW < %t/row_scale_kernel.ptx

// One kernel per op: the broadcast add+relu is a single generic.
// HOST-LABEL: llvm.func @bias_relu
// HOST: gpu.launch_func {{.*}}@bias_relu_kernel::@bias_relu_kernel
// HOST-NOT: gpu.launch_func {{.*}}@bias_relu_kernel_0

// BIAS: .version 7.8
// BIAS: .target sm_90
// BIAS: .visible .entry bias_relu_kernel(
// BIAS: add.rn.f32
// BIAS: max.NaN.f32
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#col = affine_map<(d0, d1) -> (d0, 0)>
func.func @bias_relu(%x: tensor<64x128xf32>, %b: tensor<128xf32>) -> tensor<64x128xf32> {
  %e = tensor.empty() : tensor<64x128xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<64x128xf32>, tensor<128xf32>) outs(%e : tensor<64x128xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %s, %z : f32
    linalg.yield %m : f32
  } -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// A size-1 broadcast dimension (numpy-style [64, 1] against [64, 32]) with a
// division and a transcendental (libdevice when the CUDA toolkit is found).
// ROW: .visible .entry row_scale_kernel(
// ROW: div.rn.f32
func.func @row_scale(%x: tensor<64x32xf32>, %s: tensor<64x1xf32>) -> tensor<64x32xf32> {
  %e = tensor.empty() : tensor<64x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<64x32xf32>, tensor<64x1xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %d = arith.divf %a, %c : f32
    %t = math.tanh %d : f32
    linalg.yield %t : f32
  } -> tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}
