// RUN: hm-opt %s --split-input-file --convert-rtile-to-gpu=remarks=true -verify-diagnostics

// A configured operation the tiled lowering cannot handle is left alone (for
// convert-linalg-to-gpu) with a remark saying why.

func.func @negative_output_drops_parallel_loop(%a: memref<64x32xf32>, %c: memref<64xf32>) {
  // expected-remark @+1 {{convert-rtile-to-gpu: left alone: an output does not use every parallel loop exactly once}}
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<64x32xf32>) outs(%c : memref<64xf32>) attrs = {rtile.config = #rtile.config<block = [32, 8], thread = [1, 8]>} {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

func.func @negative_tensors(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-remark @+1 {{convert-rtile-to-gpu: left alone: it still operates on tensors; bufferize first}}
  %r = linalg.matmul {rtile.config = #rtile.config<block = [32, 32], thread = [4, 4], reduction = [8]>}
      ins(%a, %b : tensor<64x32xf32>, tensor<32x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

func.func @negative_dynamic(%a: memref<?x32xf32>, %b: memref<32x64xf32>, %c: memref<?x64xf32>) {
  // expected-remark @+1 {{convert-rtile-to-gpu: left alone: it has dynamic loop extents; Roller needs static shapes}}
  linalg.matmul {rtile.config = #rtile.config<block = [32, 32], thread = [4, 4], reduction = [8]>}
      ins(%a, %b : memref<?x32xf32>, memref<32x64xf32>) outs(%c : memref<?x64xf32>)
  return
}
