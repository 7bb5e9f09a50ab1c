// RUN: hm-opt %s --split-input-file | hm-opt --split-input-file | FileCheck %s
// RUN: hm-opt %s --split-input-file --mlir-print-op-generic | hm-opt --split-input-file | FileCheck %s

// A built-in architecture prints in its short form, whichever name selected it.
// CHECK-LABEL: func.func @builtin_archs
// CHECK-SAME: a100 = #rtile.arch<"sm_80">
// CHECK-SAME: h100 = #rtile.arch<"sm_90">
// CHECK-SAME: v100 = #rtile.arch<"sm_70">
func.func @builtin_archs() attributes {
    v100 = #rtile.arch<"v100">, a100 = #rtile.arch<"SM_80">,
    h100 = #rtile.arch<"sm_90">} {
  return
}

// -----

// The long form spells every field; one equal to a built-in prints short.
// CHECK-LABEL: module @long_form_builtin
// CHECK-SAME: rtile.arch = #rtile.arch<"sm_70">
module @long_form_builtin attributes {rtile.arch = #rtile.arch<
    name = "sm_70", sms = 80, warp_size = 32, sub_partitions = 4,
    max_threads_per_block = 1024, max_threads_per_sm = 2048,
    max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304,
    regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255,
    transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456,
    dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700,
    fp16_gflops = 125000, bf16_gflops = 0>} {
}

// -----

// A custom GPU keeps its long form, fields in canonical order.
// CHECK-LABEL: module @custom_arch
// CHECK-SAME: #rtile.arch<name = "my_gpu", sms = 46, warp_size = 32, sub_partitions = 4,
// CHECK-SAME: dram_gbps = 448, clock_mhz = 1770, fp32_gflops = 16200, fp16_gflops = 64800, bf16_gflops = 0>
module @custom_arch attributes {rtile.arch = #rtile.arch<
    bf16_gflops = 0, name = "my_gpu", sms = 46, warp_size = 32,
    sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 1024,
    max_blocks_per_sm = 16, smem_per_sm = 65536, smem_per_block = 65536,
    regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255,
    transaction_bytes = 32, smem_banks = 32, l2_bytes = 4194304,
    dram_gbps = 448, clock_mhz = 1770, fp32_gflops = 16200,
    fp16_gflops = 64800>} {
}

// -----

// Defaults (padding 0, vector 1, no warp tile, single buffer) are not printed.
// CHECK-LABEL: func.func @elementwise_config
// CHECK: linalg.generic
// CHECK-SAME: rtile.config = #rtile.config<block = [4, 128], thread = [1, 4]>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @elementwise_config(%x: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %e = tensor.empty() : tensor<64x128xf32>
  %r = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x128xf32>) outs(%e : tensor<64x128xf32>)
      attrs = {rtile.config = #rtile.config<block = [4, 128], thread = [1, 4],
                                           padding = 0, vector = 1>} {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

// A full matmul configuration, fields given in any order.
// CHECK-LABEL: func.func @matmul_config
// CHECK: linalg.matmul
// CHECK-SAME: rtile.config = #rtile.config<block = [64, 128], warp = [32, 64], thread = [4, 8], reduction = [8], padding = 4, vector = 4, double_buffer>
func.func @matmul_config(%a: tensor<256x512xf32>, %b: tensor<512x256xf32>,
                         %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<double_buffer,
        thread = [4, 8], block = [64, 128], reduction = [8], warp = [32, 64],
        vector = 4, padding = 4>}
      ins(%a, %b : tensor<256x512xf32>, tensor<512x256xf32>)
      outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}

// -----

// A column reduction: one parallel loop, one reduction loop.
// CHECK-LABEL: func.func @reduction_config
// CHECK: linalg.reduce
// CHECK-SAME: rtile.config = #rtile.config<block = [256], thread = [2], reduction = [32]>
func.func @reduction_config(%x: tensor<1024x512xf32>, %init: tensor<512xf32>)
    -> tensor<512xf32> {
  %r = linalg.reduce ins(%x : tensor<1024x512xf32>) outs(%init : tensor<512xf32>)
      dimensions = [0] {rtile.config = #rtile.config<block = [256], thread = [2],
                                                     reduction = [32]>}
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<512xf32>
}
