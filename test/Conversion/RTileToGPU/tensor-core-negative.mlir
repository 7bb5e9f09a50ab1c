// RUN: hm-opt %s --split-input-file --convert-rtile-to-gpu | FileCheck %s --implicit-check-not=gpu.subgroup_mma

// Configured operations that stay on CUDA cores (the tiled kernel: private
// accumulators, no gpu.subgroup_mma_*): the tensor-core lowering applies only
// where the cost model runs the configuration on tensor cores and the
// operation fits gpu.subgroup_mma_*.

// The warp tile is 16-aligned but the reduction step (8) is not.
// CHECK-LABEL: func.func @negative_reduction_step
// CHECK:         gpu.launch
// CHECK-SAME:      private(
func.func @negative_reduction_step(%a: memref<64x64xf16>, %b: memref<64x64xf16>, %c: memref<64x64xf32>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [8]>}
    ins(%a, %b : memref<64x64xf16>, memref<64x64xf16>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// A warp tile whose M extent (8) is not a multiple of 16.
// CHECK-LABEL: func.func @negative_warp_tile
// CHECK:         gpu.launch
// CHECK-SAME:      private(
func.func @negative_warp_tile(%a: memref<64x64xf16>, %b: memref<64x64xf16>, %c: memref<64x64xf32>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [8, 64], thread = [2, 16], reduction = [32]>}
    ins(%a, %b : memref<64x64xf16>, memref<64x64xf16>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// f32 inputs: no tensor-core rate above the f32 one in the cost model.
// CHECK-LABEL: func.func @negative_f32
// CHECK:         gpu.launch
// CHECK-SAME:      private(
func.func @negative_f32(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [32]>}
    ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// No rtile.arch on the function or module: nothing says the GPU has tensor
// cores.
// CHECK-LABEL: func.func @negative_no_arch
// CHECK:         gpu.launch
// CHECK-SAME:      private(
func.func @negative_no_arch(%a: memref<64x64xf16>, %b: memref<64x64xf16>, %c: memref<64x64xf32>) {
  linalg.matmul {rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [32]>}
    ins(%a, %b : memref<64x64xf16>, memref<64x64xf16>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// A payload that is not a multiply-accumulate (a max-plus "matmul") is a
// contraction to neither the cost model nor the tensor cores.
// CHECK-LABEL: func.func @negative_max_plus
// CHECK:         gpu.launch
// CHECK-SAME:      private(
func.func @negative_max_plus(%a: memref<64x64xf16>, %b: memref<64x64xf16>, %c: memref<64x64xf16>) attributes {rtile.arch = #rtile.arch<"sm_90">} {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"],
                  rtile.config = #rtile.config<block = [64, 64], warp = [32, 32], thread = [8, 4], reduction = [32]>}
      ins(%a, %b : memref<64x64xf16>, memref<64x64xf16>) outs(%c : memref<64x64xf16>) {
  ^bb0(%x: f16, %y: f16, %o: f16):
    %s = arith.addf %x, %y : f16
    %m = arith.maximumf %o, %s : f16
    linalg.yield %m : f16
  }
  return
}
