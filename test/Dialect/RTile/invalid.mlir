// RUN: hm-opt %s -split-input-file -verify-diagnostics

// unknown_builtin_arch
// expected-error @+1 {{unknown built-in architecture 'sm_100x'; expected one of: sm_70, v100, sm_80, a100, sm_90, h100}}
func.func @unknown_builtin_arch() attributes {a = #rtile.arch<"sm_100x">} {
  return
}

// -----

// arch_missing_name
// expected-error @+1 {{#rtile.arch is missing field 'name'}}
func.func @arch_missing_name() attributes {a = #rtile.arch<sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_missing_field
// expected-error @+1 {{#rtile.arch is missing field 'clock_mhz'}}
func.func @arch_missing_field() attributes {a = #rtile.arch<name = "g", sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_unknown_field
// expected-error @+1 {{unknown #rtile.arch field 'tensor_cores'}}
func.func @arch_unknown_field() attributes {a = #rtile.arch<name = "g", sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0, tensor_cores = 4>} {
  return
}

// -----

// arch_duplicate_field
// expected-error @+1 {{duplicate field 'sms'}}
func.func @arch_duplicate_field() attributes {a = #rtile.arch<name = "g", sms = 80, sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_duplicate_name
// expected-error @+1 {{duplicate field 'name'}}
func.func @arch_duplicate_name() attributes {a = #rtile.arch<name = "g", name = "h", sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_empty_name
// expected-error @+1 {{architecture name must not be empty}}
func.func @arch_empty_name() attributes {a = #rtile.arch<name = "", sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_zero_sms
// expected-error @+1 {{'sms' must be positive, got 0}}
func.func @arch_zero_sms() attributes {a = #rtile.arch<name = "g", sms = 0, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_negative_peak
// expected-error @+1 {{peak rates must not be negative}}
func.func @arch_negative_peak() attributes {a = #rtile.arch<name = "g", sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = -1>} {
  return
}

// -----

// arch_warp_not_power_of_two
// expected-error @+1 {{'warp_size' must be a power of two, got 48}}
func.func @arch_warp_not_power_of_two() attributes {a = #rtile.arch<name = "g", sms = 80, warp_size = 48, sub_partitions = 4, max_threads_per_block = 960, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_block_threads_not_warp_multiple
// expected-error @+1 {{'max_threads_per_block' (1000) must be a multiple of 'warp_size' (32)}}
func.func @arch_block_threads_not_warp_multiple() attributes {a = #rtile.arch<name = "g", sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1000, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_block_threads_over_sm
// expected-error @+1 {{'max_threads_per_block' (1024) exceeds 'max_threads_per_sm' (512)}}
func.func @arch_block_threads_over_sm() attributes {a = #rtile.arch<name = "g", sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 512, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_block_smem_over_sm
// expected-error @+1 {{'smem_per_block' (131072) exceeds 'smem_per_sm' (98304)}}
func.func @arch_block_smem_over_sm() attributes {a = #rtile.arch<name = "g", sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 131072, regs_per_sm = 65536, regs_per_block = 65536, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// arch_block_regs_over_sm
// expected-error @+1 {{'regs_per_block' (131072) exceeds 'regs_per_sm' (65536)}}
func.func @arch_block_regs_over_sm() attributes {a = #rtile.arch<name = "g", sms = 80, warp_size = 32, sub_partitions = 4, max_threads_per_block = 1024, max_threads_per_sm = 2048, max_blocks_per_sm = 32, smem_per_sm = 98304, smem_per_block = 98304, regs_per_sm = 65536, regs_per_block = 131072, max_regs_per_thread = 255, transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456, dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700, fp16_gflops = 125000, bf16_gflops = 0>} {
  return
}

// -----

// config_missing_thread
// expected-error @+1 {{#rtile.config requires 'block' and 'thread'}}
func.func @config_missing_thread() attributes {a = #rtile.config<block = [64]>} {
  return
}

// -----

// config_unknown_field
// expected-error @+1 {{unknown #rtile.config field 'unroll'; expected block, warp, thread, reduction, padding, vector or double_buffer}}
func.func @config_unknown_field() attributes {a = #rtile.config<block = [64], thread = [2], unroll = 4>} {
  return
}

// -----

// config_duplicate_field
// expected-error @+1 {{duplicate field 'block'}}
func.func @config_duplicate_field() attributes {a = #rtile.config<block = [64], thread = [2], block = [64]>} {
  return
}

// -----

// config_empty_block
// expected-error @+1 {{'block' must have one extent per parallel loop}}
func.func @config_empty_block() attributes {a = #rtile.config<block = [], thread = []>} {
  return
}

// -----

// config_zero_extent
// expected-error @+1 {{tile extents must be positive}}
func.func @config_zero_extent() attributes {a = #rtile.config<block = [64, 0], thread = [2, 1]>} {
  return
}

// -----

// config_thread_rank_mismatch
// expected-error @+1 {{'thread' has 1 extents but 'block' has 2}}
func.func @config_thread_rank_mismatch() attributes {a = #rtile.config<block = [64, 64], thread = [2]>} {
  return
}

// -----

// config_warp_rank_mismatch
// expected-error @+1 {{'warp' has 1 extents but 'block' has 2}}
func.func @config_warp_rank_mismatch() attributes {a = #rtile.config<block = [64, 64], warp = [32], thread = [2, 2]>} {
  return
}

// -----

// config_block_not_thread_multiple
// expected-error @+1 {{block extent 60 of loop 1 is not a multiple of the thread extent 8}}
func.func @config_block_not_thread_multiple() attributes {a = #rtile.config<block = [64, 60], thread = [2, 8]>} {
  return
}

// -----

// config_bad_warp_extent
// expected-error @+1 {{warp extent 24 of loop 1 must divide the block extent 64 and be a multiple of the thread extent 8}}
func.func @config_bad_warp_extent() attributes {a = #rtile.config<block = [64, 64], warp = [32, 24], thread = [2, 8]>} {
  return
}

// -----

// config_threads_not_warp_multiple
// expected-error @+1 {{the tile needs 100 threads per block, which is not a multiple of the warp size (32)}}
func.func @config_threads_not_warp_multiple() attributes {a = #rtile.config<block = [10, 10], thread = [1, 1]>} {
  return
}

// -----

// config_too_many_threads
// expected-error @+1 {{the tile needs 2048 threads per block, more than 1024}}
func.func @config_too_many_threads() attributes {a = #rtile.config<block = [64, 64], thread = [1, 2]>} {
  return
}

// -----

// config_negative_padding
// expected-error @+1 {{'padding' must not be negative, got -1}}
func.func @config_negative_padding() attributes {a = #rtile.config<block = [128], thread = [4], padding = -1>} {
  return
}

// -----

// config_bad_vector
// expected-error @+1 {{'vector' must be 1, 2, 4 or 8, got 3}}
func.func @config_bad_vector() attributes {a = #rtile.config<block = [128], thread = [4], vector = 3>} {
  return
}

// -----

// config_vector_over_thread
// expected-error @+1 {{'vector' (8) exceeds the innermost thread extent (4)}}
func.func @config_vector_over_thread() attributes {a = #rtile.config<block = [128], thread = [4], vector = 8>} {
  return
}

// -----

// The discardable attribute rtile.config must hold an #rtile.config.
func.func @config_attr_wrong_kind(%x: tensor<32xf32>) -> tensor<32xf32> {
  // expected-error @+1 {{'rtile.config' must be an #rtile.config attribute}}
  %r = linalg.copy {rtile.config = 4 : i64} ins(%x : tensor<32xf32>) outs(%x : tensor<32xf32>) -> tensor<32xf32>
  return %r : tensor<32xf32>
}

// -----

// rtile.config describes a linalg operation's loops; elsewhere it is meaningless.
// expected-error @+1 {{'rtile.config' can only be attached to a linalg operation}}
func.func @config_on_non_linalg() attributes {rtile.config = #rtile.config<block = [32], thread = [1]>} {
  return
}

// -----

// One block extent per parallel loop: a matmul has two.
func.func @config_parallel_rank_mismatch(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{'rtile.config' has 1 block extents but the operation has 2 parallel loops}}
  %r = linalg.matmul {rtile.config = #rtile.config<block = [64], thread = [2], reduction = [8]>}
      ins(%a, %b : tensor<64x32xf32>, tensor<32x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

// One reduction step per reduction loop: a matmul has one.
func.func @config_reduction_rank_mismatch(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{'rtile.config' has 0 reduction steps but the operation has 1 reduction loops}}
  %r = linalg.matmul {rtile.config = #rtile.config<block = [32, 32], thread = [4, 8]>}
      ins(%a, %b : tensor<64x32xf32>, tensor<32x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

// rtile.arch must hold an #rtile.arch.
// expected-error @+1 {{'rtile.arch' must be an #rtile.arch attribute}}
module attributes {rtile.arch = "sm_90"} {
}

// -----

// Discardable attributes in the rtile namespace are checked by name.
// expected-error @+1 {{unknown rtile attribute 'rtile.tile'}}
module attributes {rtile.tile = #rtile.config<block = [32], thread = [1]>} {
}
