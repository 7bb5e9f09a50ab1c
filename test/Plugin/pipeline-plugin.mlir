// The named pipeline, with options, through upstream mlir-opt and the plugin.
// Loading the plugin with both flags registers everything once.
// RUN: rm -rf %t
// RUN: mlir-opt %s --load-dialect-plugin=%hm_plugin --load-pass-plugin=%hm_plugin -p 'builtin.module(hm-lower-to-nvvm-pipeline{chip=sm_80 roller=false block-size=128}, hm-dump-gpu-binaries{output-dir=%t})' | FileCheck %s
// RUN: FileCheck %s --check-prefix=PTX < %t/add_kernel.ptx

// CHECK: llvm.func @add
// CHECK: gpu.launch_func {{.*}}@add_kernel::@add_kernel
// CHECK: gpu.binary @add_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_80">

// PTX: .target sm_80
// PTX: .maxntid 128, 1, 1
// PTX: add.rn.f32
func.func @add(%x: tensor<300xf32>, %y: tensor<300xf32>) -> tensor<300xf32> {
  %e = tensor.empty() : tensor<300xf32>
  %r = linalg.add ins(%x, %y : tensor<300xf32>, tensor<300xf32>) outs(%e : tensor<300xf32>) -> tensor<300xf32>
  return %r : tensor<300xf32>
}
