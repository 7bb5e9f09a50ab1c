// RUN: hm-opt %s --split-input-file --hm-print-tile-propagation -verify-diagnostics -o /dev/null

func.func @wrong_rank(%a: tensor<8x8xf32>, %e: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{hm-print-tile-propagation: 'hm.tile' needs one size per dimension of a static result #0}}
  %r = linalg.copy {hm.tile = array<i64: 4>} ins(%a : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// -----

func.func @offsets_rank(%a: tensor<8x8xf32>, %e: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{hm-print-tile-propagation: 'hm.tile_offsets' and 'hm.tile' have different ranks}}
  %r = linalg.copy {hm.tile = array<i64: 4, 4>, hm.tile_offsets = array<i64: 0>} ins(%a : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}
