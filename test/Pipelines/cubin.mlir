// format=bin asks ptxas (found through CUDA_HOME or PATH) for a cubin.
// REQUIRES: ptxas
// RUN: rm -rf %t && hm-opt %s --hm-lower-to-nvvm-pipeline="format=bin" --hm-dump-gpu-binaries=output-dir=%t | FileCheck %s
// RUN: od -An -c -N4 %t/relu_kernel.cubin | FileCheck %s --check-prefix=ELF
// RUN: not ls %t/relu_kernel.ptx

// The binary holds an ELF object (a cubin), not PTX text.
// CHECK: gpu.binary @relu_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">, properties = {{.*}}, bin = "\7FELF

// ELF: 177 E L F
func.func @relu(%x: tensor<512xf32>) -> tensor<512xf32> {
  %e = tensor.empty() : tensor<512xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%x : tensor<512xf32>) outs(%e : tensor<512xf32>) {
  ^bb0(%a: f32, %o: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<512xf32>
  return %r : tensor<512xf32>
}
