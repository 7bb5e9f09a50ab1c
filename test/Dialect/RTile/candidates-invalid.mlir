// RUN: hm-opt %s -split-input-file -verify-diagnostics

// rtile.candidates must be an array of #rtile.config.
func.func @candidates_not_configs(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{'rtile.candidates' must be an array of #rtile.config}}
  %r = linalg.matmul {rtile.candidates = [#rtile.config<block = [32, 32], thread = [1, 1], reduction = [8]>, 3 : i64]}
      ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

// Each candidate describes the operation's loops, like rtile.config.
func.func @candidate_rank_mismatch(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{'rtile.candidates' has 0 reduction steps but the operation has 1 reduction loops}}
  %r = linalg.matmul {rtile.candidates = [#rtile.config<block = [32, 32], thread = [1, 1]>]}
      ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

// Only linalg operations have candidates.
// expected-error @+1 {{'rtile.candidates' can only be attached to a linalg operation}}
func.func @candidates_on_function() attributes {rtile.candidates = [#rtile.config<block = [32], thread = [1]>]} {
  return
}
