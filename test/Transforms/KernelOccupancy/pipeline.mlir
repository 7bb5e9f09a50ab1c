// The GPU pipelines put the hint on every outlined kernel, and it reaches the
// PTX as .minnctapersm (ptxas then does not spill Roller's register tiles to
// fit more blocks per SM).
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline | FileCheck %s --check-prefix=KERNEL
// RUN: hm-opt %s --hm-lower-to-nvvm-pipeline | FileCheck %s --check-prefix=PTX

// KERNEL: gpu.func @{{.*}} kernel attributes {{{.*}}nvvm.minctasm = 1 : i32
// PTX: .minnctapersm 1
func.func @matmul(%a: tensor<64x32xf32>, %b: tensor<32x48xf32>, %c: tensor<64x48xf32>) -> tensor<64x48xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x32xf32>, tensor<32x48xf32>) outs(%c : tensor<64x48xf32>) -> tensor<64x48xf32>
  return %r : tensor<64x48xf32>
}
