// RUN: hm-opt %s --split-input-file --hm-print-cost-model -o /dev/null | FileCheck %s

// The micro-performance model on hand-written configurations, every number
// derived by hand below (docs/CostModel.md has the formulas). All modelled.
// sm_70 (V100): 80 SMs, 900 GB/s DRAM, 15700 GFLOP/s f32, 96 KiB shared memory
// and 64 K registers per SM, 2048 threads and 32 blocks per SM, 32-byte
// transactions, shared memory 32 banks x 4 B x 1.53 GHz = 195.84 GB/s per SM
// (15667.2 GB/s for 80 SMs).

// 4096^3 f32 matmul, 128x128 block tile, 8x8 per thread, K step 8, padding 1.
// grid 32 x 32 = 1024 blocks; 16 x 16 = 256 threads; 4096 / 8 = 512 steps.
// smem: A [128 x (8+1)] + B [8 x (128+1)] floats = (1152 + 1032) x 4 = 8736 B.
// registers: 64 accumulators + 8 (A) + 8 (B) + 24 overhead = 104.
// occupancy: 104 x 32 = 3328 per warp (13 x 256), x 8 warps = 26624 per block
//   -> 65536 / 26624 = 2 blocks/SM (smem would allow 11, threads 8).
// waves: N = 80 x 2 = 160, ceil(1024 / 160) = 7, efficiency 1024 / 1120.
// compute: 2 x 4096^3 = 137438953472 flop / 15700 GFLOP/s = 8754.073 us,
//   / 0.9143 = 9574.768 us.
// global per block: A rows of 8 floats = 32 B -> 128 x 32 = 4096 B per step,
//   B 8 rows x 512 B = 4096 B per step, x 512 steps = 4194304 B; C 128 rows x
//   512 B = 65536 B read and written -> 4325376 B; x 1024 = 4429185024 B.
// DRAM: 6 full waves of 160 blocks (1280 warps >= 80 x 8: not derated) =
//   960 x 4325376 / 900e3 = 4613.734 us; tail of 64 blocks = 512 warps / 640
//   = 0.8 -> 64 x 4325376 / 720e3 = 384.478 us; total 4998.212 us.
// shared per step: writes (1024 + 1024) x 4 = 8192 B, reads 256 threads x
//   (8 + 8) x 4 B x 8 k = 131072 B; x 1024 blocks x 512 steps = 73014444032 B
//   / (15667.2e3 x 0.9143) = 5097.244 us. Rows of 9 and 129 words hit 32
//   distinct banks: 1-way.
// compute-bound; roofline = max(8754.073, 256 MiB / 900 GB/s = 298 us).
// CHECK-LABEL: linalg.matmul at {{.*}} on sm_70 with #rtile.config<block = [128, 128], thread = [8, 8], reduction = [8], padding = 1>:
// CHECK-NEXT:   grid: 1024 blocks x 256 threads, 512 reduction steps
// CHECK-NEXT:   resources: 8736 B shared memory/block, 104 registers/thread
// CHECK-NEXT:   occupancy: 2 blocks/SM (limited by registers), 7 waves, wave efficiency 0.9143, issue efficiency 1.0000
// CHECK-NEXT:   compute: 137438953472 flop at 15700 GFLOP/s (CUDA cores): 9574.768 us
// CHECK-NEXT:   global: 4429185024 B (compulsory 268435456 B), DRAM efficiency 1.0000: 4998.212 us
// CHECK-NEXT:   shared: 73014444032 B, bank conflicts 1-way: 5097.244 us
// CHECK-NEXT:   time: 9574.768 us, compute-bound (roofline 8754.073 us)

module attributes {rtile.arch = #rtile.arch<"sm_70">} {
func.func @matmul_4096_sm70(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [8], padding = 1>}
      ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}
}

// -----

// The same without padding: a column of A (rows of 8 words) hits banks
// 0, 8, 16, 24 -> 8 rows per bank; B's 8 rows of 128 words all hit bank 0.
// 8-way conflicts: reads cost 8 x 131072 + 8192 writes = 1056768 B per step
// x 524288 block-steps / 14324297 B/us = 38679.090 us: shared-memory-bound.
// CHECK-LABEL: linalg.matmul at {{.*}} with #rtile.config<block = [128, 128], thread = [8, 8], reduction = [8]>:
// CHECK:        resources: 8192 B shared memory/block
// CHECK:        shared: 73014444032 B, bank conflicts 8-way: 38679.090 us
// CHECK-NEXT:   time: 38679.090 us, shared-memory-bound (roofline 8754.073 us)

module attributes {rtile.arch = #rtile.arch<"sm_70">} {
func.func @matmul_4096_no_padding(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [8]>}
      ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}
}

// -----

// Element-wise relu over 2^20 floats, 1024 per block, 4 per thread.
// 1024 blocks x 256 threads; registers 4 + 4 + 24 = 32 -> 8 blocks/SM (the
// register and thread limits tie; the first listed is reported).
// N = 640 -> 2 waves, efficiency 1024 / 1280 = 0.8.
// global: 4 KiB in + 4 KiB out per block (a warp reads 128 contiguous floats)
//   = 8388608 B = the compulsory bytes; DRAM time 8 MiB / 900 GB/s = 9.321 us.
// compute: 2^20 maximumf / 15700 GFLOP/s / 0.8 = 0.083 us. DRAM-bound.
// CHECK-LABEL: linalg.generic at {{.*}}with #rtile.config<block = [1024], warp = [128], thread = [4], vector = 4>:
// CHECK-NEXT:   grid: 1024 blocks x 256 threads, 1 reduction steps
// CHECK-NEXT:   resources: 0 B shared memory/block, 32 registers/thread
// CHECK-NEXT:   occupancy: 8 blocks/SM (limited by registers), 2 waves, wave efficiency 0.8000, issue efficiency 1.0000
// CHECK-NEXT:   compute: 1048576 flop at 15700 GFLOP/s (CUDA cores): 0.083 us
// CHECK-NEXT:   global: 8388608 B (compulsory 8388608 B), DRAM efficiency 1.0000: 9.321 us
// CHECK-NEXT:   shared: 0 B, bank conflicts 1-way: 0.000 us
// CHECK-NEXT:   time: 9.321 us, DRAM-bound (roofline 9.321 us)

module attributes {rtile.arch = #rtile.arch<"sm_70">} {
func.func @relu_1m(%a: tensor<1048576xf32>) -> tensor<1048576xf32> {
  %e = tensor.empty() : tensor<1048576xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<1048576xf32>) outs(%e : tensor<1048576xf32>)
      attrs = {rtile.config = #rtile.config<block = [1024], warp = [128], thread = [4], vector = 4>} {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1048576xf32>
  return %r : tensor<1048576xf32>
}
}

// -----

// Small-grid derating: the same tile over 8192 floats is 8 blocks x 8 warps
// = 64 resident warps; DRAM needs 80 SMs x 8 warps = 640 -> efficiency 0.1,
// 65536 B / (900e3 x 0.1) = 0.728 us, 10x the roofline (0.073 us).
// Wave efficiency 8 / 640 = 0.0125.
// CHECK-LABEL: linalg.generic at
// CHECK-NEXT:   grid: 8 blocks x 256 threads, 1 reduction steps
// CHECK:        occupancy: 8 blocks/SM (limited by registers), 1 waves, wave efficiency 0.0125, issue efficiency 1.0000
// CHECK:        global: 65536 B (compulsory 65536 B), DRAM efficiency 0.1000: 0.728 us
// CHECK:        time: 0.728 us, DRAM-bound (roofline 0.073 us)

module attributes {rtile.arch = #rtile.arch<"sm_70">} {
func.func @relu_small_grid(%a: tensor<8192xf32>) -> tensor<8192xf32> {
  %e = tensor.empty() : tensor<8192xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<8192xf32>) outs(%e : tensor<8192xf32>)
      attrs = {rtile.config = #rtile.config<block = [1024], warp = [128], thread = [4], vector = 4>} {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8192xf32>
  return %r : tensor<8192xf32>
}
}

// -----

// Occupancy limited by shared memory: K step 32, double-buffered:
// A [128 x 33] + B [32 x 129] floats = (4224 + 4128) x 4 = 33408 B, x 2 =
// 66816 B -> 98304 / 66816 = 1 block/SM. 64 blocks on 80 SMs: 1 wave at
// 64 / 80 = 0.8; compute 2 x 1024^3 / 15700e3 / 0.8 = 170.978 us.
// global per block: (128 x 128 B + 32 x 512 B) x 32 steps + 2 x 65536 B =
//   1179648 B, x 64 = 75497472 B; 64 blocks x 8 warps / 640 = 0.8 ->
//   75497472 / 720e3 = 104.858 us.
// shared: per step 32768 B written + 256 x 16 x 4 x 32 = 524288 B read, x 64 x
//   32 = 1140850688 B / (15667.2e3 x 0.8) = 91.022 us.
// CHECK-LABEL: linalg.matmul at {{.*}} double_buffer>:
// CHECK-NEXT:   grid: 64 blocks x 256 threads, 32 reduction steps
// CHECK-NEXT:   resources: 66816 B shared memory/block, 104 registers/thread
// CHECK-NEXT:   occupancy: 1 blocks/SM (limited by shared memory), 1 waves, wave efficiency 0.8000, issue efficiency 1.0000
// CHECK-NEXT:   compute: 2147483648 flop at 15700 GFLOP/s (CUDA cores): 170.978 us
// CHECK-NEXT:   global: 75497472 B (compulsory 16777216 B), DRAM efficiency 0.8000: 104.858 us
// CHECK-NEXT:   shared: 1140850688 B, bank conflicts 1-way: 91.022 us
// CHECK-NEXT:   time: 170.978 us, compute-bound (roofline 136.782 us)

module attributes {rtile.arch = #rtile.arch<"sm_70">} {
func.func @matmul_smem_limited(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>, %c: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [32], padding = 1, double_buffer>}
      ins(%a, %b : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}
}

// -----

// Tensor cores (sm_80: 108 SMs, 1555 GB/s, 312000 GFLOP/s f16, shared memory
// 32 x 4 B x 1.41 GHz = 180.48 GB/s per SM): warp tile 64 x 64 (multiples of
// 16) and K step 32 -> tensor-core rate.
// smem: A [128 x 40] + B [32 x 136] halves = 10240 + 8704 = 18944 B.
// registers: 8 x 16 accumulators in f32 (the tensor-core lowering accumulates
//   in f32 whatever the output type) = 128 + 4 (A) + 8 (B) + 24 = 164 -> 168;
//   4 warps x 32 x 168 = 21504 -> 3 blocks/SM. N = 324, 4 waves,
//   1024 / 1296 = 0.7901.
// compute: 137438953472 / 312000e3 = 440.509 us / 0.7901 = 557.520 us.
// global per block: A 128 rows x 64 B + B 32 rows x 256 B = 16384 B per step,
//   x 128 steps + C 128 x 256 B x 2 = 2162688 B, x 1024 = 2214592512 B.
//   3 full waves (972 blocks, 1296 warps >= 864: 1.0) = 1351.854 us + tail of
//   52 blocks (208 / 864 = 0.2407) = 300.412 us -> 1652.266 us: DRAM-bound
//   (L2 reuse is not modelled, see docs/CostModel.md).
// shared: per warp per k 64 + 64 halves = 256 B, x 32 k x 4 warps = 32768 B
//   read + 16384 B written per step; rows of 20 and 68 words share a factor
//   4 with the 32 banks -> 4-way: (16384 + 4 x 32768) x 131072 /
//   (108 x 180480 x 0.7901) = 1254.945 us.
// CHECK-LABEL: linalg.matmul at {{.*}} on sm_80 with
// CHECK-NEXT:   grid: 1024 blocks x 128 threads, 128 reduction steps
// CHECK-NEXT:   resources: 18944 B shared memory/block, 168 registers/thread
// CHECK-NEXT:   occupancy: 3 blocks/SM (limited by registers), 4 waves, wave efficiency 0.7901, issue efficiency 1.0000
// CHECK-NEXT:   compute: 137438953472 flop at 312000 GFLOP/s (tensor cores): 557.520 us
// CHECK-NEXT:   global: 2214592512 B (compulsory 134217728 B), DRAM efficiency 1.0000: 1652.266 us
// CHECK-NEXT:   shared: 6442450944 B, bank conflicts 4-way: 1254.945 us
// CHECK-NEXT:   time: 1652.266 us, DRAM-bound (roofline 440.509 us)

module attributes {rtile.arch = #rtile.arch<"sm_80">} {
func.func @matmul_f16_tensor_cores(%a: tensor<4096x4096xf16>, %b: tensor<4096x4096xf16>, %c: tensor<4096x4096xf16>) -> tensor<4096x4096xf16> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [128, 128], warp = [64, 64], thread = [8, 16], reduction = [32], padding = 8>}
      ins(%a, %b : tensor<4096x4096xf16>, tensor<4096x4096xf16>) outs(%c : tensor<4096x4096xf16>) -> tensor<4096x4096xf16>
  return %r : tensor<4096x4096xf16>
}
}

// -----

// A window with halo: 3x3 max pooling, stride 2. An 8 x 56 output tile reads
// input rows (8-1) x 2 + 3 = 17 and columns (56-1) x 2 + 3 = 113 (the whole
// row): 17 x 113 = 1921 contiguous floats = 7684 B -> 7712 B in transactions;
// the output tile, 8 whole rows of 56, 1792 B, is read (max accumulates) and
// written. (7712 + 3584) x 448 blocks = 5060608 B. Compulsory: the input
// (64 x 113 x 113 x 4 = 3268864 B) and the output twice (1605632 B).
// registers: 2 results + 3 input values + 24 = 29 -> 32; 7 warps x 1024 ->
// 9 blocks/SM.
// CHECK-LABEL: linalg.pooling_nchw_max at
// CHECK-NEXT:   grid: 448 blocks x 224 threads, 1 reduction steps
// CHECK-NEXT:   resources: 7684 B shared memory/block, 32 registers/thread
// CHECK-NEXT:   occupancy: 9 blocks/SM (limited by registers), 1 waves, wave efficiency 0.6222, issue efficiency 1.0000
// CHECK:        global: 5060608 B (compulsory 4874496 B), DRAM efficiency 1.0000: 5.623 us

module attributes {rtile.arch = #rtile.arch<"sm_70">} {
func.func @maxpool_3x3_s2(%i: tensor<1x64x113x113xf32>, %o: tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32> {
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, rtile.config = #rtile.config<block = [1, 1, 8, 56], thread = [1, 1, 1, 2], reduction = [3, 3]>}
      ins(%i, %w : tensor<1x64x113x113xf32>, tensor<3x3xf32>) outs(%o : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  return %r : tensor<1x64x56x56xf32>
}
}

// -----

// A configuration that does not fit: a K step of 256 needs
// (128 x 256 + 256 x 128) x 4 = 262144 B of shared memory.
// CHECK-LABEL: linalg.matmul at {{.*}} reduction = [256]>:
// CHECK-NEXT:   fits: no (262144 bytes of shared memory per block exceed the arch's 98304)

module attributes {rtile.arch = #rtile.arch<"sm_70">} {
func.func @does_not_fit(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>, %c: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [256]>}
      ins(%a, %b : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}
}

// -----

// Without a static shape there is nothing to model. Without rtile.arch the
// arch is sm_90.
// CHECK-LABEL: linalg.matmul at {{.*}} on sm_90 with
// CHECK-NEXT:   not modelled: it has dynamic loop extents; Roller needs static shapes

func.func @dynamic(%a: tensor<?x64xf32>, %b: tensor<64x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [32, 32], thread = [2, 4], reduction = [8]>}
      ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
