// RUN: hm-opt %s --split-input-file --hm-roller="unsupported-is-error=true" -verify-diagnostics -o /dev/null

// With unsupported-is-error, an operation Roller cannot configure is an
// error (and the pass fails) instead of being left alone.

func.func @dynamic_shape(%a: tensor<?x64xf32>, %b: tensor<64x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{hm-roller: cannot configure this operation: it has dynamic loop extents; Roller needs static shapes (drop 'unsupported-is-error' to leave it alone)}}
  %r = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// -----

func.func @integer(%a: tensor<64x64xi32>, %b: tensor<64x64xi32>, %c: tensor<64x64xi32>) -> tensor<64x64xi32> {
  // expected-error @+1 {{hm-roller: cannot configure this operation: operand #0 has element type i32; Roller configures f32, f16 and bf16 operations (drop 'unsupported-is-error' to leave it alone)}}
  %r = linalg.matmul ins(%a, %b : tensor<64x64xi32>, tensor<64x64xi32>) outs(%c : tensor<64x64xi32>) -> tensor<64x64xi32>
  return %r : tensor<64x64xi32>
}

// -----

func.func @reduction_to_scalar(%a: tensor<1024xf32>, %c: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{hm-roller: cannot configure this operation: it has no parallel loops (a reduction to a scalar); an rTile needs a block extent per parallel loop (drop 'unsupported-is-error' to leave it alone)}}
  %r = linalg.reduce ins(%a : tensor<1024xf32>) outs(%c : tensor<f32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<f32>
}

// -----

// Every unsupported operation is reported, not just the first.
func.func @two_errors(%a: tensor<?x64xf32>, %b: tensor<64x64xf32>, %c: tensor<?x64xf32>, %d: memref<64x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{cannot configure this operation: it has dynamic loop extents}}
  %r = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  // expected-error @+1 {{cannot configure this operation: it operates on buffers}}
  linalg.matmul ins(%d, %d : memref<64x64xf32>, memref<64x64xf32>) outs(%d : memref<64x64xf32>)
  return %r : tensor<?x64xf32>
}

// -----

// An operation that is already configured is not an error.
func.func @already_configured(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [32, 32], thread = [4, 4], reduction = [8]>}
      ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}
