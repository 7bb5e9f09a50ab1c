// RUN: hm-opt %s --split-input-file | hm-opt --split-input-file | FileCheck %s
// RUN: hm-opt %s --split-input-file --mlir-print-op-generic | hm-opt --split-input-file | FileCheck %s

// Two operators over two waves with a cross-vEU dependency: rTask t of
// @rowsum sums the outputs of rTasks 2t and 2t+1 of @relu, which ran on vEUs
// (2t) mod 4 and (2t+1) mod 4; each vEU waits only for the other vEUs it
// reads from. The implicit rtask.yield is not printed.
// CHECK-LABEL: rtask.program @two_waves vdevice<veus = 4>
// CHECK-SAME: (%[[X:[a-zA-Z0-9_]+]]: memref<1024xf32>, %[[Y:[a-zA-Z0-9_]+]]: memref<1024xf32>, %[[Z:[a-zA-Z0-9_]+]]: memref<4xf32>) {
// CHECK-NEXT: rtask.operator @relu tasks 8 {
// CHECK-NEXT: ^bb0(%[[T:[a-zA-Z0-9_]+]]: index):
// CHECK: %[[BASE:.+]] = arith.muli %[[T]], %{{.+}} : index
// CHECK: scf.for
// CHECK: memref.load %[[X]][
// CHECK: arith.maximumf
// CHECK: memref.store %{{.+}}, %[[Y]][
// CHECK-NOT: rtask.yield
// CHECK: rtask.operator @rowsum tasks 4 {
// CHECK: memref.load %[[Y]][
// CHECK: memref.store %{{.+}}, %[[Z]][
// CHECK-NOT: rtask.yield
// CHECK: rtask.place @relu tasks [0, 8) on veus [0, 4) wave 0
// CHECK-NEXT: rtask.step_to veu 0 step 1
// CHECK-NEXT: rtask.step_to veu 1 step 1
// CHECK-NEXT: rtask.step_to veu 2 step 1
// CHECK-NEXT: rtask.step_to veu 3 step 1
// CHECK-NEXT: rtask.wait_for veus [1] step 1 on veu 0
// CHECK-NEXT: rtask.wait_for veus [2, 3] step 1 on veu 1
// CHECK-NEXT: rtask.wait_for veus [0, 1] step 1 on veu 2
// CHECK-NEXT: rtask.wait_for veus [2] step 1 on veu 3
// CHECK-NEXT: rtask.place @rowsum tasks [0, 4) on veus [0, 4) wave 1
// CHECK-NEXT: }
rtask.program @two_waves vdevice<veus = 4>
    (%x: memref<1024xf32>, %y: memref<1024xf32>, %z: memref<4xf32>) {
  // y = max(x, 0), 128 elements per rTask.
  rtask.operator @relu tasks 8 {
  ^bb0(%task: index):
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c128 = arith.constant 128 : index
    %zero = arith.constant 0.0 : f32
    %base = arith.muli %task, %c128 : index
    scf.for %i = %c0 to %c128 step %c1 {
      %j = arith.addi %base, %i : index
      %v = memref.load %x[%j] : memref<1024xf32>
      %r = arith.maximumf %v, %zero : f32
      memref.store %r, %y[%j] : memref<1024xf32>
    }
    rtask.yield
  }
  // z[t] = sum(y[256 t, 256 t + 256)).
  rtask.operator @rowsum tasks 4 {
  ^bb0(%task: index):
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c256 = arith.constant 256 : index
    %zero = arith.constant 0.0 : f32
    %base = arith.muli %task, %c256 : index
    %sum = scf.for %i = %c0 to %c256 step %c1 iter_args(%acc = %zero) -> (f32) {
      %j = arith.addi %base, %i : index
      %v = memref.load %y[%j] : memref<1024xf32>
      %next = arith.addf %acc, %v : f32
      scf.yield %next : f32
    }
    memref.store %sum, %z[%task] : memref<4xf32>
    rtask.yield
  }
  rtask.place @relu tasks [0, 8) on veus [0, 4) wave 0
  rtask.step_to veu 0 step 1
  rtask.step_to veu 1 step 1
  rtask.step_to veu 2 step 1
  rtask.step_to veu 3 step 1
  rtask.wait_for veus [1] step 1 on veu 0
  rtask.wait_for veus [2, 3] step 1 on veu 1
  rtask.wait_for veus [0, 1] step 1 on veu 2
  rtask.wait_for veus [2] step 1 on veu 3
  rtask.place @rowsum tasks [0, 4) on veus [0, 4) wave 1
}

// -----

// One operator placed by several entries: the rTasks of a wave may be split
// over disjoint vEU ranges, in any task order, and an operator's discardable
// attributes are kept.
// CHECK-LABEL: rtask.program @split_placement vdevice<veus = 3>
// CHECK-SAME: (%{{.+}}: memref<6x64xf32>)
// CHECK-NEXT: rtask.operator @scale tasks 6 attributes {hm.note = "resource-constrained variant"} {
// CHECK: rtask.place @scale tasks [4, 6) on veus [2, 3) wave 0
// CHECK-NEXT: rtask.place @scale tasks [0, 4) on veus [0, 2) wave 0
rtask.program @split_placement vdevice<veus = 3> (%buf: memref<6x64xf32>) {
  rtask.operator @scale tasks 6 attributes {hm.note = "resource-constrained variant"} {
  ^bb0(%task: index):
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : index
    %two = arith.constant 2.0 : f32
    scf.for %i = %c0 to %c64 step %c1 {
      %v = memref.load %buf[%task, %i] : memref<6x64xf32>
      %s = arith.mulf %v, %two : f32
      memref.store %s, %buf[%task, %i] : memref<6x64xf32>
    }
  }
  rtask.place @scale tasks [4, 6) on veus [2, 3) wave 0
  rtask.place @scale tasks [0, 4) on veus [0, 2) wave 0
}

// -----

// Progress grows over the waves: @consume reads the output of rTask 3 of
// @produce, which vEU 0 runs in wave 1, so vEU 1 waits for step 2 of vEU 0.
// Publishing the same step twice is allowed.
// CHECK-LABEL: rtask.program @three_waves vdevice<veus = 2>
// CHECK: rtask.place @produce tasks [0, 2) on veus [0, 2) wave 0
// CHECK-NEXT: rtask.step_to veu 0 step 1
// CHECK-NEXT: rtask.step_to veu 0 step 1
// CHECK-NEXT: rtask.place @produce tasks [2, 4) on veus [0, 1) wave 1
// CHECK-NEXT: rtask.step_to veu 0 step 2
// CHECK-NEXT: rtask.wait_for veus [0] step 2 on veu 1
// CHECK-NEXT: rtask.place @consume tasks [0, 1) on veus [1, 2) wave 2
rtask.program @three_waves vdevice<veus = 2>
    (%in: memref<4xi32>, %out: memref<1xi32>) {
  rtask.operator @produce tasks 4 {
  ^bb0(%task: index):
    %t = arith.index_cast %task : index to i32
    memref.store %t, %in[%task] : memref<4xi32>
  }
  rtask.operator @consume tasks 1 {
  ^bb0(%task: index):
    %c0 = arith.constant 0 : index
    %c3 = arith.constant 3 : index
    %a = memref.load %in[%c0] : memref<4xi32>
    %b = memref.load %in[%c3] : memref<4xi32>
    %s = arith.addi %a, %b : i32
    memref.store %s, %out[%c0] : memref<1xi32>
  }
  rtask.place @produce tasks [0, 2) on veus [0, 2) wave 0
  rtask.step_to veu 0 step 1
  rtask.step_to veu 0 step 1
  rtask.place @produce tasks [2, 4) on veus [0, 1) wave 1
  rtask.step_to veu 0 step 2
  rtask.wait_for veus [0] step 2 on veu 1
  rtask.place @consume tasks [0, 1) on veus [1, 2) wave 2
}

// -----

// A program without parameters or entries; a vDevice as a plain attribute.
// CHECK-LABEL: module attributes {hm.vdevice = #rtask.vdevice<veus = 80>}
// CHECK-NEXT: rtask.program @empty vdevice<veus = 1> {
// CHECK-NEXT: }
module attributes {hm.vdevice = #rtask.vdevice<veus = 80>} {
  rtask.program @empty vdevice<veus = 1> {
  }
}

// -----

// A vDevice far larger than the schedule costs the verifier nothing.
// CHECK-LABEL: rtask.program @large_vdevice vdevice<veus = 1000000000000>
// CHECK: rtask.wait_for veus [999999999999] step 1 on veu 0
rtask.program @large_vdevice vdevice<veus = 1000000000000> {
  rtask.step_to veu 999999999999 step 1
  rtask.wait_for veus [999999999999] step 1 on veu 0
}
