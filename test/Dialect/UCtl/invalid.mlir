// RUN: hm-opt %s -split-input-file -verify-diagnostics

// loop_zero_step
func.func @loop_zero_step(%n: index) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'uctl.loop' op step must be positive, got the constant 0}}
  uctl.loop %i = %c0 to %n step %c0 {
  }
  return
}

// -----

// loop_negative_step
func.func @loop_negative_step(%n: index) {
  %c0 = arith.constant 0 : index
  %cm2 = arith.constant -2 : index
  // expected-error @+1 {{'uctl.loop' op step must be positive, got the constant -2}}
  uctl.loop %i = %c0 to %n step %cm2 {
  }
  return
}

// -----

// loop_max_trip_count_not_positive
func.func @loop_max_trip_count_not_positive(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'uctl.loop' op attribute 'max_trip_count' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  uctl.loop %i = %c0 to %n step %c1 max_trip_count(0) {
  }
  return
}

// -----

// loop_max_trip_count_below_constant_trip_count
func.func @loop_max_trip_count_below_constant_trip_count() {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %c28 = arith.constant 28 : index
  // expected-error @+1 {{'uctl.loop' op max_trip_count (4) is smaller than the constant trip count (10) of the loop}}
  uctl.loop %i = %c0 to %c28 step %c3 max_trip_count(4) {
  }
  return
}

// -----

// loop_iter_args_types_count
func.func @loop_iter_args_types_count(%n: index, %x: tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{expected one result type per iter_arg: 2 iter_args but 1 type}}
  %r = uctl.loop %i = %c0 to %n step %c1 iter_args(%a = %x, %b = %c0) -> (tensor<4xf32>) {
    uctl.yield %a : tensor<4xf32>
  }
  return
}

// -----

// loop_results_differ_from_iter_args (generic form)
func.func @loop_results_differ_from_iter_args(%n: index, %x: tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'uctl.loop' op has 1 iter_arg but 2 results; each loop-carried value is returned as a result}}
  %r:2 = "uctl.loop"(%c0, %n, %c1, %x) ({
  ^bb0(%i: index, %a: tensor<4xf32>):
    "uctl.yield"(%a) : (tensor<4xf32>) -> ()
  }) : (index, index, index, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

// loop_body_argument_count (generic form)
func.func @loop_body_argument_count(%n: index, %x: tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'uctl.loop' op body has 1 argument but needs 2: the induction variable and one per iter_arg}}
  %r = "uctl.loop"(%c0, %n, %c1, %x) ({
  ^bb0(%i: index):
    "uctl.yield"(%x) : (tensor<4xf32>) -> ()
  }) : (index, index, index, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// loop_induction_variable_not_index (generic form)
func.func @loop_induction_variable_not_index(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'uctl.loop' op induction variable (body argument #0) must be 'index', got 'i32'}}
  "uctl.loop"(%c0, %n, %c1) ({
  ^bb0(%i: i32):
    "uctl.yield"() : () -> ()
  }) : (index, index, index) -> ()
  return
}

// -----

// loop_init_type_differs_from_result (generic form)
func.func @loop_init_type_differs_from_result(%n: index, %x: tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'uctl.loop' op iter_arg #0 has an initial value of type 'tensor<4xf32>' but result #0 has type 'tensor<8xf32>'}}
  %r = "uctl.loop"(%c0, %n, %c1, %x) ({
  ^bb0(%i: index, %a: tensor<4xf32>):
    "uctl.yield"(%a) : (tensor<4xf32>) -> ()
  }) : (index, index, index, tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

// loop_body_argument_type_differs_from_init (generic form)
func.func @loop_body_argument_type_differs_from_init(%n: index, %x: tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'uctl.loop' op iter_arg #1 (body argument #2) has type 'i32' but its initial value has type 'index'}}
  %r:2 = "uctl.loop"(%c0, %n, %c1, %x, %c0) ({
  ^bb0(%i: index, %a: tensor<4xf32>, %b: i32):
    "uctl.yield"(%a, %c0) : (tensor<4xf32>, index) -> ()
  }) : (index, index, index, tensor<4xf32>, index) -> (tensor<4xf32>, index)
  return
}

// -----

// loop_yield_count
func.func @loop_yield_count(%n: index, %x: tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = uctl.loop %i = %c0 to %n step %c1 iter_args(%a = %x, %b = %c0)
      -> (tensor<4xf32>, index) {
    // expected-error @+1 {{'uctl.yield' op yields 1 value but the enclosing 'uctl.loop' has 2 results ('tensor<4xf32>', 'index')}}
    uctl.yield %a : tensor<4xf32>
  }
  return
}

// -----

// loop_yield_type
func.func @loop_yield_type(%n: index, %x: tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1_i32 = arith.constant 1 : i32
  %r:2 = uctl.loop %i = %c0 to %n step %c1 iter_args(%a = %x, %b = %c0)
      -> (tensor<4xf32>, index) {
    // expected-error @+1 {{'uctl.yield' op value #1 has type 'i32' but result #1 of the enclosing 'uctl.loop' has type 'index'}}
    uctl.yield %a, %c1_i32 : tensor<4xf32>, i32
  }
  return
}

// -----

// if_predicate_is_ssa_i1
func.func @if_predicate_is_ssa_i1(%p: i1) {
  // expected-error @+1 {{'uctl.if' op operand #0 must be a predicate in device memory (tensor<i1> or memref<i1>; branch on an SSA i1 with scf.if), but got 'i1'}}
  uctl.if %p : i1 {
  }
  return
}

// -----

// if_predicate_not_0d
func.func @if_predicate_not_0d(%p: memref<1xi1>) {
  // expected-error @+1 {{'uctl.if' op operand #0 must be a predicate in device memory (tensor<i1> or memref<i1>; branch on an SSA i1 with scf.if), but got 'memref<1xi1>'}}
  uctl.if %p : memref<1xi1> {
  }
  return
}

// -----

// if_predicate_not_i1
func.func @if_predicate_not_i1(%p: tensor<i32>) {
  // expected-error @+1 {{'uctl.if' op operand #0 must be a predicate in device memory (tensor<i1> or memref<i1>; branch on an SSA i1 with scf.if), but got 'tensor<i32>'}}
  uctl.if %p : tensor<i32> {
  }
  return
}

// -----

// if_results_without_else
func.func @if_results_without_else(%p: tensor<i1>, %x: tensor<4xf32>) {
  // expected-error @+1 {{'uctl.if' op has 1 result ('tensor<4xf32>') but no 'else' region; the results need a value when the predicate is false}}
  %r = uctl.if %p : tensor<i1> -> (tensor<4xf32>) {
    uctl.yield %x : tensor<4xf32>
  }
  return
}

// -----

// if_then_yield_type
func.func @if_then_yield_type(%p: tensor<i1>, %x: tensor<4xf32>, %y: tensor<8xf32>) {
  %r = uctl.if %p : tensor<i1> -> (tensor<4xf32>) {
    // expected-error @+1 {{'uctl.yield' op value #0 has type 'tensor<8xf32>' but result #0 of the 'then' region of the enclosing 'uctl.if' has type 'tensor<4xf32>'}}
    uctl.yield %y : tensor<8xf32>
  } else {
    uctl.yield %x : tensor<4xf32>
  }
  return
}

// -----

// if_else_yield_count
func.func @if_else_yield_count(%p: tensor<i1>, %x: tensor<4xf32>) {
  %r = uctl.if %p : tensor<i1> -> (tensor<4xf32>) {
    uctl.yield %x : tensor<4xf32>
  } else {
    // expected-error @+1 {{'uctl.yield' op yields 0 values but the 'else' region of the enclosing 'uctl.if' has 1 result ('tensor<4xf32>')}}
    uctl.yield
  }
  return
}

// -----

// if_without_results_yields_values
func.func @if_without_results_yields_values(%p: memref<i1>, %x: tensor<4xf32>) {
  uctl.if %p : memref<i1> {
    // expected-error @+1 {{'uctl.yield' op yields 1 value but the 'then' region of the enclosing 'uctl.if' has 0 results}}
    uctl.yield %x : tensor<4xf32>
  }
  return
}

// -----

// yield_outside_loop_or_if
func.func @yield_outside_loop_or_if() {
  // expected-error @+1 {{'uctl.yield' op expects parent op to be one of 'uctl.loop, uctl.if'}}
  uctl.yield
}

// -----

// grid_sync_outside_persistent_kernel
func.func @grid_sync_outside_persistent_kernel() {
  // expected-error @+1 {{'uctl.grid_sync' op must be nested in a 'uctl.loop' or a 'gpu.func': a grid-wide barrier synchronises the blocks of a persistent kernel, and there is none around it (it is in 'func.func')}}
  uctl.grid_sync
  return
}

// -----

// grid_sync_in_host_scf_for
func.func @grid_sync_in_host_scf_for(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @+1 {{'uctl.grid_sync' op must be nested in a 'uctl.loop' or a 'gpu.func'}}
    uctl.grid_sync
  }
  return
}

// -----

// grid_sync_under_if
func.func @grid_sync_under_if(%n: index, %p: tensor<i1>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  uctl.loop %i = %c0 to %n step %c1 {
    // expected-note @+1 {{the enclosing 'uctl.if'}}
    uctl.if %p : tensor<i1> {
      // expected-error @+1 {{'uctl.grid_sync' op must not be nested in a 'uctl.if': a grid-wide barrier under a device-side branch deadlocks when only some blocks of the kernel take the branch; hoist the barrier out of the branch}}
      uctl.grid_sync
    }
  }
  return
}

// -----

// grid_sync_in_loop_under_if: the branch is refused at any depth.
func.func @grid_sync_in_loop_under_if(%n: index, %p: memref<i1>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-note @+1 {{the enclosing 'uctl.if'}}
  uctl.if %p : memref<i1> {
    uctl.loop %i = %c0 to %n step %c1 {
      // expected-error @+1 {{'uctl.grid_sync' op must not be nested in a 'uctl.if'}}
      uctl.grid_sync
    }
  }
  return
}

// -----

// grid_sync_under_if_in_kernel
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @grid_sync_under_if_in_kernel(%p: memref<i1>) kernel {
      // expected-note @+1 {{the enclosing 'uctl.if'}}
      uctl.if %p : memref<i1> {
        // expected-error @+1 {{'uctl.grid_sync' op must not be nested in a 'uctl.if'}}
        uctl.grid_sync
      }
      gpu.return
    }
  }
}
