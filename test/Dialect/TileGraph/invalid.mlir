// RUN: hm-opt %s -split-input-file -verify-diagnostics

// kernel_uses_value_from_above
func.func @kernel_uses_value_from_above(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  // expected-note @+1 {{required by region isolation constraints}}
  %r = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    // expected-error @+1 {{using value defined outside the region}}
    %sum = linalg.add ins(%x, %b : tensor<8xf32>, tensor<8xf32>) outs(%x : tensor<8xf32>) -> tensor<8xf32>
    tilegraph.yield %sum : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// kernel_body_argument_count
func.func @kernel_body_argument_count(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'tilegraph.kernel' op body has 1 argument but the kernel has 2 operands; each operand needs one body argument}}
  %r = tilegraph.kernel (%a, %b) tile [8] : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    tilegraph.yield %x : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// kernel_body_argument_type
func.func @kernel_body_argument_type(%a: tensor<8xf32>, %b: tensor<4xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'tilegraph.kernel' op body argument #1 has type 'tensor<8xf32>' but operand #1 has type 'tensor<4xf32>'}}
  %r = tilegraph.kernel (%a, %b) tile [8] : (tensor<8xf32>, tensor<4xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>, %y: tensor<8xf32>):
    tilegraph.yield %x : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// kernel_without_results
func.func @kernel_without_results(%a: tensor<8xf32>) {
  // expected-error @+1 {{'tilegraph.kernel' op has no results; a kernel writes at least one value to global memory and is scheduled by a tile of result #0}}
  tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> () {
  ^bb0(%x: tensor<8xf32>):
    tilegraph.yield
  }
  return
}

// -----

// kernel_empty_name
func.func @kernel_empty_name(%a: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'tilegraph.kernel' op has an empty name; omit the name instead}}
  %r = tilegraph.kernel "" (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    tilegraph.yield %x : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// output_tile_not_positive
func.func @output_tile_not_positive(%a: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'tilegraph.kernel' op output_tile extent #1 is 0; extents must be positive}}
  %r = tilegraph.kernel (%a) tile [4, 0] : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%x: tensor<8x8xf32>):
    tilegraph.yield %x : tensor<8x8xf32>
  }
  return %r : tensor<8x8xf32>
}

// -----

// output_tile_negative
func.func @output_tile_negative(%a: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'tilegraph.kernel' op output_tile extent #0 is -4; extents must be positive}}
  %r = tilegraph.kernel (%a) tile [-4] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    tilegraph.yield %x : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// output_tile_rank_mismatch
func.func @output_tile_rank_mismatch(%a: tensor<128x64xf32>) -> tensor<128x64xf32> {
  // expected-error @+1 {{'tilegraph.kernel' op output_tile has 3 extents but result #0 has rank 2}}
  %r = tilegraph.kernel (%a) tile [64, 64, 1] : (tensor<128x64xf32>) -> tensor<128x64xf32> {
  ^bb0(%x: tensor<128x64xf32>):
    tilegraph.yield %x : tensor<128x64xf32>
  }
  return %r : tensor<128x64xf32>
}

// -----

// output_tile_rank_of_first_result
func.func @output_tile_rank_of_first_result(%a: tensor<64xf32>, %b: tensor<64x64xf32>) -> (tensor<64xf32>, tensor<64x64xf32>) {
  // expected-error @+1 {{'tilegraph.kernel' op output_tile has 2 extents but result #0 has rank 1}}
  %r:2 = tilegraph.kernel (%a, %b) tile [16, 16] : (tensor<64xf32>, tensor<64x64xf32>) -> (tensor<64xf32>, tensor<64x64xf32>) {
  ^bb0(%x: tensor<64xf32>, %y: tensor<64x64xf32>):
    tilegraph.yield %x, %y : tensor<64xf32>, tensor<64x64xf32>
  }
  return %r#0, %r#1 : tensor<64xf32>, tensor<64x64xf32>
}

// -----

// kernel_wrong_terminator
func.func @kernel_wrong_terminator(%a: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'tilegraph.kernel' op body must end with 'tilegraph.yield', not 'llvm.unreachable'}}
  %r = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    llvm.unreachable
  }
  return %r : tensor<8xf32>
}

// -----

// yield_count_mismatch
func.func @yield_count_mismatch(%a: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:2 = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  ^bb0(%x: tensor<8xf32>):
    // expected-error @+1 {{'tilegraph.yield' op yields 1 value but the enclosing 'tilegraph.kernel' has 2 results}}
    tilegraph.yield %x : tensor<8xf32>
  }
  return %r#0, %r#1 : tensor<8xf32>, tensor<8xf32>
}

// -----

// yield_type_mismatch
func.func @yield_type_mismatch(%a: tensor<8xf32>) -> tensor<8xf16> {
  %r = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf16> {
  ^bb0(%x: tensor<8xf32>):
    // expected-error @+1 {{'tilegraph.yield' op operand #0 has type 'tensor<8xf32>' but result #0 of the enclosing 'tilegraph.kernel' has type 'tensor<8xf16>'}}
    tilegraph.yield %x : tensor<8xf32>
  }
  return %r : tensor<8xf16>
}

// -----

// yield_outside_kernel
func.func @yield_outside_kernel(%a: tensor<8xf32>) {
  // expected-error @+1 {{'tilegraph.yield' op expects parent op 'tilegraph.kernel'}}
  tilegraph.yield %a : tensor<8xf32>
}

// -----

// connect_outside_kernel
func.func @connect_outside_kernel(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = tensor.empty() : tensor<8xf32>
  // expected-error @+1 {{'tilegraph.connect' op expects parent op 'tilegraph.kernel'}}
  %1 = tilegraph.connect %0 at shared : tensor<8xf32>
  return %1 : tensor<8xf32>
}

// -----

// connect_nested_in_member_op
func.func @connect_nested_in_member_op(%a: tensor<8xf32>) -> tensor<8xf32> {
  %r = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    %c1 = arith.constant 1 : index
    %c0 = arith.constant 0 : index
    %e = tensor.empty() : tensor<8xf32>
    %s = scf.for %i = %c0 to %c1 step %c1 iter_args(%acc = %e) -> tensor<8xf32> {
      %n = linalg.negf ins(%acc : tensor<8xf32>) outs(%acc : tensor<8xf32>) -> tensor<8xf32>
      // expected-error @+1 {{'tilegraph.connect' op expects parent op 'tilegraph.kernel'}}
      %c = tilegraph.connect %n at register : tensor<8xf32>
      scf.yield %c : tensor<8xf32>
    }
    tilegraph.yield %s : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// connect_at_global
func.func @connect_at_global(%a: tensor<8xf32>) -> tensor<8xf32> {
  %r = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    %n = linalg.negf ins(%x : tensor<8xf32>) outs(%x : tensor<8xf32>) -> tensor<8xf32>
    // expected-error @+1 {{'tilegraph.connect' op connects at global level; an edge through global memory is a result of the 'tilegraph.kernel' (yield the value), not a 'tilegraph.connect'}}
    %c = tilegraph.connect %n at global : tensor<8xf32>
    tilegraph.yield %c : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// connect_kernel_input
func.func @connect_kernel_input(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  %r = tilegraph.kernel (%a, %b) tile [8] : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>, %y: tensor<8xf32>):
    // expected-error @+1 {{'tilegraph.connect' op connects kernel input #1, which is read from global memory; only values produced inside the kernel can be connected}}
    %c = tilegraph.connect %y at shared : tensor<8xf32>
    %n = linalg.add ins(%x, %c : tensor<8xf32>, tensor<8xf32>) outs(%x : tensor<8xf32>) -> tensor<8xf32>
    tilegraph.yield %n : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// connect_value_from_above
func.func @connect_value_from_above(%a: tensor<8xf32>) -> tensor<8xf32> {
  %n = linalg.negf ins(%a : tensor<8xf32>) outs(%a : tensor<8xf32>) -> tensor<8xf32>
  %r = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    // expected-error @+1 {{'tilegraph.connect' op connects a value defined outside the enclosing 'tilegraph.kernel'; only values produced inside the kernel can be connected}}
    %c = tilegraph.connect %n at shared : tensor<8xf32>
    tilegraph.yield %c : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// connect_twice
func.func @connect_twice(%a: tensor<8xf32>) -> tensor<8xf32> {
  %r = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    %n = linalg.negf ins(%x : tensor<8xf32>) outs(%x : tensor<8xf32>) -> tensor<8xf32>
    %c = tilegraph.connect %n at shared : tensor<8xf32>
    // expected-error @+1 {{'tilegraph.connect' op connects the result of another 'tilegraph.connect' (at shared); an edge has one level, so connect the producer's value instead}}
    %d = tilegraph.connect %c at register : tensor<8xf32>
    tilegraph.yield %d : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// connect_type_mismatch
func.func @connect_type_mismatch(%a: tensor<8xf32>) -> tensor<8xf32> {
  %r = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    %n = linalg.negf ins(%x : tensor<8xf32>) outs(%x : tensor<8xf32>) -> tensor<8xf32>
    // expected-error @+1 {{'tilegraph.connect' op requires the same type for all operands and results}}
    %c = "tilegraph.connect"(%n) <{level = #tilegraph.level<shared>}> : (tensor<8xf32>) -> tensor<4xf32>
    tilegraph.yield %x : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// connect_unknown_level
func.func @connect_unknown_level(%a: tensor<8xf32>) -> tensor<8xf32> {
  %r = tilegraph.kernel (%a) tile [8] : (tensor<8xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<8xf32>):
    %n = linalg.negf ins(%x : tensor<8xf32>) outs(%x : tensor<8xf32>) -> tensor<8xf32>
    // expected-error @+1 {{unknown connection level 'l2'; expected register, shared or global}}
    %c = tilegraph.connect %n at l2 : tensor<8xf32>
    tilegraph.yield %c : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// level_attr_unknown_value
// expected-error @+2 {{expected ::mlir::hm::tilegraph::Level to be one of: register, shared, global}}
// expected-error @+1 {{failed to parse TileGraph_LevelAttr parameter 'value'}}
func.func @level_attr_unknown_value() attributes {level = #tilegraph.level<local>} {
  return
}
