// One RUN line per option set.
// RUN: rm -rf %t && mkdir -p %t
// RUN: hm-opt %s --hm-lower-to-nvvm-pipeline --hm-dump-gpu-binaries=output-dir=%t/default -o /dev/null
// RUN: FileCheck %s --check-prefix=DEFAULT < %t/default/scale_kernel.ptx
// RUN: hm-opt %s --hm-lower-to-nvvm-pipeline="chip=sm_80" --hm-dump-gpu-binaries=output-dir=%t/sm80 -o /dev/null
// RUN: FileCheck %s --check-prefix=SM80 < %t/sm80/scale_kernel.ptx
// RUN: hm-opt %s --hm-lower-to-nvvm-pipeline="chip=sm_90 features=+ptx80" --hm-dump-gpu-binaries=output-dir=%t/ptx80 -o /dev/null
// RUN: FileCheck %s --check-prefix=PTX80 < %t/ptx80/scale_kernel.ptx
// RUN: hm-opt %s --hm-lower-to-nvvm-pipeline="roller=false block-size=128" --hm-dump-gpu-binaries=output-dir=%t/b128 -o /dev/null
// RUN: FileCheck %s --check-prefix=B128 < %t/b128/scale_kernel.ptx
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline="roller=false block-size=128" | FileCheck %s --check-prefix=KERNELS
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline | FileCheck %s --check-prefix=ROLLER
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline="chip=sm_86" | FileCheck %s --check-prefix=ROLLER-SM86
// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline="chip=sm_75" | FileCheck %s --check-prefix=ROLLER-SM75

// The defaults target sm_90 with the lowest PTX ISA it accepts (7.8): the
// upstream defaults (sm_50, +ptx60) do not assemble with CUDA 13.
// DEFAULT: .version 7.8
// DEFAULT: .target sm_90
// Roller's configuration of the operation for sm_90: 512 threads.
// DEFAULT: .maxntid 512, 1, 1

// SM80: .version 7.0
// SM80: .target sm_80

// PTX80: .version 8.0
// PTX80: .target sm_90

// B128: .maxntid 128, 1, 1

// roller=false: the baseline, one point per thread; block-size applies.
// The kernels before NVVM (the emulator's input): 1000 points in blocks of 128.
// KERNELS: gpu.module @scale_kernel
// KERNELS: gpu.func @scale_kernel({{.*}}) kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 8, 1, 1>, nvvm.minctasm = 1 : i32}
// KERNELS-NOT: gpu.binary
// KERNELS-NOT: rtile.arch

// By default Roller configures the operation for the chip's arch (sm_90 for
// sm_90, sm_80 for sm_80 to sm_89, sm_70 before) and the tiled lowering
// follows the configuration.
// ROLLER: module attributes {gpu.container_module, rtile.arch = #rtile.arch<"sm_90">}
// ROLLER: gpu.func @scale_kernel({{.*}}) kernel attributes {known_block_size = array<i32: 512, 1, 1>, known_grid_size = array<i32: 2, 1, 1>, nvvm.minctasm = 1 : i32}
// ROLLER-SM86: module attributes {gpu.container_module, rtile.arch = #rtile.arch<"sm_80">}
// ROLLER-SM75: module attributes {gpu.container_module, rtile.arch = #rtile.arch<"sm_70">}
func.func @scale(%x: tensor<1000xf32>) -> tensor<1000xf32> {
  %e = tensor.empty() : tensor<1000xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%x : tensor<1000xf32>) outs(%e : tensor<1000xf32>) {
  ^bb0(%a: f32, %o: f32):
    %two = arith.constant 2.0 : f32
    %m = arith.mulf %a, %two : f32
    linalg.yield %m : f32
  } -> tensor<1000xf32>
  return %r : tensor<1000xf32>
}
