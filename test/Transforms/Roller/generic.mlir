// RUN: hm-opt %s --split-input-file --hm-roller=arch=sm_70 | FileCheck %s --check-prefixes=CHECK,V100
// RUN: hm-opt %s --split-input-file --hm-roller=arch=sm_90 | FileCheck %s --check-prefixes=CHECK,H100

// linalg.generic and the element-wise named ops: element-wise, broadcasts,
// reductions along either axis, transposes; f32 and f16. Without reuse
// nothing is staged in shared memory (0 bytes, no padding); the innermost
// block extent is a multiple of the 32-byte transaction and accesses are
// vectorised up to 16 bytes.

// Element-wise over a 2-d tensor.
// CHECK-LABEL: func.func @elementwise_f32
// CHECK: linalg.generic {{.*}}rtile.config = #rtile.config<block = [2, 1024], warp = [1, 128], thread = [1, 4], vector = 4>
func.func @elementwise_f32(%a: tensor<4096x1024xf32>, %b: tensor<4096x1024xf32>) -> tensor<4096x1024xf32> {
  %e = tensor.empty() : tensor<4096x1024xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4096x1024xf32>, tensor<4096x1024xf32>) outs(%e : tensor<4096x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.mulf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4096x1024xf32>
  return %r : tensor<4096x1024xf32>
}

// -----

// f16 element-wise: 16 halves per transaction, 8 per vector.
// CHECK-LABEL: func.func @elementwise_f16
// CHECK: linalg.generic {{.*}}rtile.config = #rtile.config<block = [4, 1024], warp = [1, 256], thread = [1, 8], vector = 8>
func.func @elementwise_f16(%a: tensor<4096x1024xf16>) -> tensor<4096x1024xf16> {
  %e = tensor.empty() : tensor<4096x1024xf16>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4096x1024xf16>) outs(%e : tensor<4096x1024xf16>) {
  ^bb0(%x: f16, %o: f16):
    %t = math.tanh %x : f16
    linalg.yield %t : f16
  } -> tensor<4096x1024xf16>
  return %r : tensor<4096x1024xf16>
}

// -----

// A bias broadcast along the rows is staged once per block (reused by every
// row); the lanes of a warp walk the rows' inner dimension.
// CHECK-LABEL: func.func @broadcast_bias
// CHECK: linalg.generic {{.*}}rtile.config = #rtile.config<block = [256, 8], warp = [16, 8], thread = [4, 1]>
func.func @broadcast_bias(%a: tensor<256x1024xf32>, %b: tensor<1024xf32>) -> tensor<256x1024xf32> {
  %e = tensor.empty() : tensor<256x1024xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<256x1024xf32>, tensor<1024xf32>) outs(%e : tensor<256x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<256x1024xf32>
  return %r : tensor<256x1024xf32>
}

// -----

// Sum along the innermost axis (rows): the reduction step walks the input's
// contiguous dimension and the input is staged to load it coalesced.
// CHECK-LABEL: func.func @reduce_innermost
// V100: linalg.generic {{.*}}rtile.config = #rtile.config<block = [256], warp = [64], thread = [2], reduction = [8], padding = 1, vector = 2, double_buffer>
// H100: linalg.generic {{.*}}rtile.config = #rtile.config<block = [128], warp = [32], thread = [1], reduction = [8], padding = 1, double_buffer>
func.func @reduce_innermost(%a: tensor<65536x1024xf32>, %c: tensor<65536xf32>) -> tensor<65536xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<65536x1024xf32>) outs(%c : tensor<65536xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  } -> tensor<65536xf32>
  return %r : tensor<65536xf32>
}

// -----

// Max along the outer axis (columns) with linalg.reduce: threads walk the
// contiguous dimension, nothing is staged.
// CHECK-LABEL: func.func @reduce_outer
// V100: linalg.reduce {{.*}}rtile.config = #rtile.config<block = [1024], warp = [64], thread = [2], reduction = [8], vector = 2>
// H100: linalg.reduce {{.*}}rtile.config = #rtile.config<block = [512], warp = [32], thread = [1], reduction = [8]>
func.func @reduce_outer(%a: tensor<1024x65536xf32>, %c: tensor<65536xf32>) -> tensor<65536xf32> {
  %r = linalg.reduce ins(%a : tensor<1024x65536xf32>) outs(%c : tensor<65536xf32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %m = arith.maximumf %x, %acc : f32
      linalg.yield %m : f32
    }
  return %r : tensor<65536xf32>
}

// -----

// A transpose is staged through shared memory so that both the read and the
// write are coalesced; padding breaks the bank conflicts.
// CHECK-LABEL: func.func @transpose_generic
// CHECK: linalg.generic {{.*}}rtile.config = #rtile.config<block = [8, 64], warp = [2, 64], thread = [1, 4], padding = 1, vector = 4>
func.func @transpose_generic(%a: tensor<2048x4096xf32>) -> tensor<4096x2048xf32> {
  %e = tensor.empty() : tensor<4096x2048xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<2048x4096xf32>) outs(%e : tensor<4096x2048xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<4096x2048xf32>
  return %r : tensor<4096x2048xf32>
}

// -----

// The named transpose behaves the same.
// CHECK-LABEL: func.func @transpose_named
// CHECK: linalg.transpose {{.*}}rtile.config = #rtile.config<block = [1, 8, 64], warp = [1, 2, 64], thread = [1, 1, 4], padding = 1, vector = 4>
func.func @transpose_named(%a: tensor<64x128x256xf32>) -> tensor<64x256x128xf32> {
  %e = tensor.empty() : tensor<64x256x128xf32>
  %r = linalg.transpose ins(%a : tensor<64x128x256xf32>) outs(%e : tensor<64x256x128xf32>) permutation = [0, 2, 1]
  return %r : tensor<64x256x128xf32>
}

// -----

// linalg.fill reads no tensor: only the output is written.
// CHECK-LABEL: func.func @fill
// CHECK: linalg.fill {{.*}}rtile.config = #rtile.config<block = [8, 16], warp = [2, 16], thread = [1, 1]>
func.func @fill(%v: f32) -> tensor<1000x1000xf32> {
  %e = tensor.empty() : tensor<1000x1000xf32>
  %r = linalg.fill ins(%v : f32) outs(%e : tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  return %r : tensor<1000x1000xf32>
}

// -----

// An operation smaller than a warp still gets a configuration: padded
// power-of-two tiles, a warp along the innermost loop, 128 threads.
// CHECK-LABEL: func.func @tiny_add
// CHECK: linalg.add {{.*}}rtile.config = #rtile.config<block = [4, 32], warp = [1, 32], thread = [1, 1]>
func.func @tiny_add(%a: tensor<3x5xf32>, %b: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %e = tensor.empty() : tensor<3x5xf32>
  %r = linalg.add ins(%a, %b : tensor<3x5xf32>, tensor<3x5xf32>) outs(%e : tensor<3x5xf32>) -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}
