// RUN: rm -rf %t && hm-opt %s --hm-lower-to-nvvm-pipeline --hm-dump-gpu-binaries=output-dir=%t | FileCheck %s --check-prefix=HOST
// RUN: FileCheck %s --check-prefix=FILL < %t/matmul_kernel.ptx
// RUN: FileCheck %s --check-prefix=MM < %t/matmul_kernel_0.ptx

// The host function allocates the result on the device, launches the fill and
// the matmul kernels on one stream, in that order, and waits for them.
// HOST-LABEL: llvm.func @matmul
// HOST: %[[STREAM:.+]] = llvm.call @mgpuStreamCreate()
// HOST: llvm.call @mgpuMemAlloc({{.*}}, %[[STREAM]]
// HOST: gpu.launch_func <%[[STREAM]] : !llvm.ptr> @matmul_kernel::@matmul_kernel
// HOST: gpu.launch_func <%[[STREAM]] : !llvm.ptr> @matmul_kernel_0::@matmul_kernel
// HOST: llvm.call @mgpuStreamSynchronize(%[[STREAM]])
// HOST-DAG: gpu.binary @matmul_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">
// HOST-DAG: gpu.binary @matmul_kernel_0 [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">

// FILL: .version 7.8
// FILL: .target sm_90
// FILL: .visible .entry matmul_kernel(

// MM: .version 7.8
// MM: .target sm_90
// MM: .visible .entry matmul_kernel(
// MM: mul.rn.f32
// MM: add.rn.f32
func.func @matmul(%a: tensor<128x256xf32>, %b: tensor<256x64xf32>) -> tensor<128x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x64xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
  %r = linalg.matmul ins(%a, %b : tensor<128x256xf32>, tensor<256x64xf32>)
                     outs(%c : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %r : tensor<128x64xf32>
}
