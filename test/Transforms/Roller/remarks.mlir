// RUN: hm-opt %s --split-input-file --hm-roller="arch=sm_90 remarks=true" -verify-diagnostics -o /dev/null

// With remarks=true every linalg operation gets a remark: the configuration
// chosen (with its modelled cost), or why it was left alone.

func.func @configured(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  // expected-remark @+1 {{hm-roller: #rtile.config<block = [128, 128], warp = [32, 128], thread = [8, 16], reduction = [8], padding = 1, vector = 4, double_buffer> on sm_90: grid 1024 x 128 threads, 17472 B shared, 176 registers; modelled 2118.594 us, compute-bound}}
  %r = linalg.matmul ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}

// -----

func.func @negative_dynamic_shape(%a: tensor<?x64xf32>, %b: tensor<64x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-remark @+1 {{hm-roller: left alone: it has dynamic loop extents; Roller needs static shapes}}
  %r = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// -----

func.func @negative_integer(%a: tensor<64x64xi32>, %b: tensor<64x64xi32>, %c: tensor<64x64xi32>) -> tensor<64x64xi32> {
  // expected-remark @+1 {{hm-roller: left alone: operand #0 has element type i32; Roller configures f32, f16 and bf16 operations}}
  %r = linalg.matmul ins(%a, %b : tensor<64x64xi32>, tensor<64x64xi32>) outs(%c : tensor<64x64xi32>) -> tensor<64x64xi32>
  return %r : tensor<64x64xi32>
}

// -----

func.func @negative_f64_fill(%v: f64) -> tensor<64xf64> {
  %e = tensor.empty() : tensor<64xf64>
  // expected-remark @+1 {{hm-roller: left alone: its scalar operand has type f64; Roller configures f32, f16 and bf16 operations}}
  %r = linalg.fill ins(%v : f64) outs(%e : tensor<64xf64>) -> tensor<64xf64>
  return %r : tensor<64xf64>
}

// -----

func.func @negative_reduction_to_scalar(%a: tensor<1024xf32>, %c: tensor<f32>) -> tensor<f32> {
  // expected-remark @+1 {{hm-roller: left alone: it has no parallel loops (a reduction to a scalar); an rTile needs a block extent per parallel loop}}
  %r = linalg.reduce ins(%a : tensor<1024xf32>) outs(%c : tensor<f32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<f32>
}

// -----

func.func @negative_buffers(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  // expected-remark @+1 {{hm-roller: left alone: it operates on buffers; Roller configures linalg operations on tensors (run it before bufferization)}}
  linalg.matmul ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}

// -----

func.func @negative_already_configured(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  // expected-remark @+1 {{hm-roller: left alone: it already has an rtile.config, which is kept as written}}
  %r = linalg.matmul {rtile.config = #rtile.config<block = [32, 32], thread = [4, 4], reduction = [8]>}
      ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}

// -----

// Operations other than linalg are never touched (and get no remark).
func.func @negative_not_linalg(%a: tensor<64xf32>) -> tensor<64xf32> {
  %r = arith.addf %a, %a : tensor<64xf32>
  return %r : tensor<64xf32>
}
