// RUN: hm-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{a vDevice needs a positive number of vEUs, got 0}}
rtask.program @no_veus vdevice<veus = 0> {
}

// -----

// expected-error @+1 {{a vDevice needs a positive number of vEUs, got -2}}
module attributes {hm.vdevice = #rtask.vdevice<veus = -2>} {
}

// -----

rtask.program @foreign_op vdevice<veus = 1> {
  // expected-error @+1 {{'arith.constant' op cannot appear in an rtask.program, which holds only rtask.operator, rtask.place, rtask.step_to and rtask.wait_for}}
  %c0 = arith.constant 0 : index
}

// -----

rtask.program @duplicate_operator vdevice<veus = 1> {
  // expected-note @+1 {{see existing symbol definition here}}
  rtask.operator @op tasks 1 {
  ^bb0(%task: index):
  }
  // expected-error @+1 {{redefinition of symbol named 'op'}}
  rtask.operator @op tasks 1 {
  ^bb0(%task: index):
  }
  rtask.place @op tasks [0, 1) on veus [0, 1) wave 0
}

// -----

// expected-error @+1 {{'rtask.operator' op expects parent op 'rtask.program'}}
rtask.operator @operator_outside_program tasks 1 {
^bb0(%task: index):
}

// -----

rtask.program @zero_tasks vdevice<veus = 1> {
  // expected-error @+1 {{'rtask.operator' op must have a positive number of tasks, got 0}}
  rtask.operator @op tasks 0 {
  ^bb0(%task: index):
  }
}

// -----

rtask.program @no_task_index vdevice<veus = 1> {
  // expected-error @+1 {{'rtask.operator' op body must take exactly one argument, the task index, but takes 0}}
  rtask.operator @op tasks 1 {
  }
}

// -----

rtask.program @two_block_arguments vdevice<veus = 1> {
  // expected-error @+1 {{'rtask.operator' op body must take exactly one argument, the task index, but takes 2}}
  rtask.operator @op tasks 1 {
  ^bb0(%task: index, %extra: index):
  }
}

// -----

rtask.program @task_index_not_index vdevice<veus = 1> {
  // expected-error @+1 {{'rtask.operator' op task index must have type 'index', got 'i32'}}
  rtask.operator @op tasks 1 {
  ^bb0(%task: i32):
  }
}

// -----

func.func @yield_outside_operator() {
  // expected-error @+1 {{'rtask.yield' op expects parent op 'rtask.operator'}}
  rtask.yield
}

// -----

func.func @place_outside_program() {
  // expected-error @+1 {{'rtask.place' op expects parent op 'rtask.program'}}
  rtask.place @op tasks [0, 1) on veus [0, 1) wave 0
  return
}

// -----

rtask.program @unknown_operator vdevice<veus = 1> {
  // expected-error @+1 {{'rtask.place' op @missing does not name an rtask.operator of this rtask.program}}
  rtask.place @missing tasks [0, 1) on veus [0, 1) wave 0
}

// -----

rtask.program @negative_task_begin vdevice<veus = 1> {
  rtask.operator @op tasks 4 {
  ^bb0(%task: index):
  }
  // expected-error @+1 {{'rtask.place' op task range [-1, 4) starts below 0}}
  rtask.place @op tasks [-1, 4) on veus [0, 1) wave 0
}

// -----

rtask.program @empty_task_range vdevice<veus = 1> {
  rtask.operator @op tasks 4 {
  ^bb0(%task: index):
  }
  // expected-error @+1 {{'rtask.place' op task range [4, 4) is empty}}
  rtask.place @op tasks [4, 4) on veus [0, 1) wave 0
}

// -----

rtask.program @task_range_past_operator vdevice<veus = 1> {
  rtask.operator @op tasks 8 {
  ^bb0(%task: index):
  }
  // expected-error @+1 {{'rtask.place' op task range [0, 9) exceeds the 8 tasks of @op}}
  rtask.place @op tasks [0, 9) on veus [0, 1) wave 0
}

// -----

rtask.program @negative_veu_begin vdevice<veus = 2> {
  rtask.operator @op tasks 1 {
  ^bb0(%task: index):
  }
  // expected-error @+1 {{'rtask.place' op vEU range [-1, 1) starts below 0}}
  rtask.place @op tasks [0, 1) on veus [-1, 1) wave 0
}

// -----

rtask.program @empty_veu_range vdevice<veus = 2> {
  rtask.operator @op tasks 1 {
  ^bb0(%task: index):
  }
  // expected-error @+1 {{'rtask.place' op vEU range [2, 1) is empty}}
  rtask.place @op tasks [0, 1) on veus [2, 1) wave 0
}

// -----

rtask.program @veu_range_past_vdevice vdevice<veus = 4> {
  rtask.operator @op tasks 8 {
  ^bb0(%task: index):
  }
  // expected-error @+1 {{'rtask.place' op vEU range [0, 5) exceeds the vDevice of 4 vEUs}}
  rtask.place @op tasks [0, 8) on veus [0, 5) wave 0
}

// -----

rtask.program @negative_wave vdevice<veus = 1> {
  rtask.operator @op tasks 1 {
  ^bb0(%task: index):
  }
  // expected-error @+1 {{'rtask.place' op wave must not be negative, got -1}}
  rtask.place @op tasks [0, 1) on veus [0, 1) wave -1
}

// -----

rtask.program @waves_out_of_order vdevice<veus = 2> {
  rtask.operator @a tasks 2 {
  ^bb0(%task: index):
  }
  rtask.operator @b tasks 2 {
  ^bb0(%task: index):
  }
  rtask.place @a tasks [0, 2) on veus [0, 2) wave 1
  // expected-error @+1 {{'rtask.place' op is in wave 0 but follows a placement in wave 1; placements appear in wave order}}
  rtask.place @b tasks [0, 2) on veus [0, 2) wave 0
}

// -----

rtask.program @task_placed_twice vdevice<veus = 2> {
  rtask.operator @op tasks 8 {
  ^bb0(%task: index):
  }
  rtask.place @op tasks [0, 4) on veus [0, 2) wave 0
  // expected-error @+1 {{'rtask.place' op places tasks [2, 8) of @op, which overlap tasks [0, 4) placed earlier; every rTask is placed exactly once}}
  rtask.place @op tasks [2, 8) on veus [0, 2) wave 0
}

// -----

rtask.program @operator_never_placed vdevice<veus = 2> {
  // expected-error @+1 {{'rtask.operator' op has 8 tasks but tasks [0, 8) are never placed; every rTask is placed exactly once}}
  rtask.operator @op tasks 8 {
  ^bb0(%task: index):
  }
}

// -----

rtask.program @gap_in_placement vdevice<veus = 2> {
  // expected-error @+1 {{'rtask.operator' op has 8 tasks but tasks [2, 4) are never placed; every rTask is placed exactly once}}
  rtask.operator @op tasks 8 {
  ^bb0(%task: index):
  }
  rtask.place @op tasks [4, 8) on veus [0, 2) wave 0
  rtask.place @op tasks [0, 2) on veus [0, 2) wave 0
}

// -----

rtask.program @step_zero vdevice<veus = 1> {
  // expected-error @+1 {{'rtask.step_to' op step must be positive, got 0}}
  rtask.step_to veu 0 step 0
}

// -----

rtask.program @step_to_veu_outside vdevice<veus = 4> {
  // expected-error @+1 {{'rtask.step_to' op vEU 4 is outside the vDevice of 4 vEUs}}
  rtask.step_to veu 4 step 1
}

// -----

rtask.program @step_back vdevice<veus = 2> {
  rtask.step_to veu 0 step 2
  // expected-error @+1 {{'rtask.step_to' op moves vEU 0 back to step 1 after it reached step 2}}
  rtask.step_to veu 0 step 1
}

// -----

func.func @step_to_outside_program() {
  // expected-error @+1 {{'rtask.step_to' op expects parent op 'rtask.program'}}
  rtask.step_to veu 0 step 1
  return
}

// -----

rtask.program @wait_step_zero vdevice<veus = 2> {
  // expected-error @+1 {{'rtask.wait_for' op step must be positive, got 0}}
  rtask.wait_for veus [0] step 0 on veu 1
}

// -----

rtask.program @wait_for_nobody vdevice<veus = 2> {
  // expected-error @+1 {{'rtask.wait_for' op must wait for at least one vEU}}
  rtask.wait_for veus [] step 1 on veu 1
}

// -----

rtask.program @waiter_outside vdevice<veus = 1> {
  // expected-error @+1 {{'rtask.wait_for' op waiting vEU 1 is outside the vDevice of 1 vEU}}
  rtask.wait_for veus [0] step 1 on veu 1
}

// -----

rtask.program @awaited_outside vdevice<veus = 4> {
  rtask.step_to veu 0 step 1
  // expected-error @+1 {{'rtask.wait_for' op waits for vEU 7 outside the vDevice of 4 vEUs}}
  rtask.wait_for veus [0, 7] step 1 on veu 2
}

// -----

rtask.program @wait_for_itself vdevice<veus = 4> {
  rtask.step_to veu 0 step 1
  rtask.step_to veu 2 step 1
  // expected-error @+1 {{'rtask.wait_for' op vEU 2 waits for itself, which deadlocks}}
  rtask.wait_for veus [0, 2] step 1 on veu 2
}

// -----

rtask.program @wait_for_twice vdevice<veus = 4> {
  rtask.step_to veu 1 step 1
  // expected-error @+1 {{'rtask.wait_for' op waits for vEU 1 twice}}
  rtask.wait_for veus [1, 1] step 1 on veu 2
}

// -----

func.func @wait_for_outside_program() {
  // expected-error @+1 {{'rtask.wait_for' op expects parent op 'rtask.program'}}
  rtask.wait_for veus [0] step 1 on veu 1
  return
}

// -----

// The step_to comes after the wait: program order is the order each vEU runs
// its entries in, so vEU 2 would spin forever.
rtask.program @step_after_wait vdevice<veus = 4> {
  rtask.step_to veu 0 step 1
  // expected-error @+1 {{'rtask.wait_for' op vEU 1 never reaches step 1 before this wait; no rtask.step_to of vEU 1 precedes it}}
  rtask.wait_for veus [0, 1] step 1 on veu 2
  rtask.step_to veu 1 step 1
}

// -----

rtask.program @wait_for_stale_step vdevice<veus = 2> {
  rtask.step_to veu 1 step 1
  // expected-error @+1 {{'rtask.wait_for' op vEU 1 never reaches step 2 before this wait; vEU 1 reaches only step 1 before it}}
  rtask.wait_for veus [1] step 2 on veu 0
  rtask.step_to veu 1 step 2
}
