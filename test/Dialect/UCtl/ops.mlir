// RUN: hm-opt %s --split-input-file | hm-opt --split-input-file | FileCheck %s
// RUN: hm-opt %s --split-input-file --mlir-print-op-generic | hm-opt --split-input-file | FileCheck %s

// An RNN cell over time steps: the trip count is read on the device, the
// hidden state is loop-carried, a grid barrier separates the two operators.
#map = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @rnn_loop_carries_hidden_state
// CHECK-SAME: %[[STEPS:[^:]+]]: tensor<index>
// CHECK-SAME: %[[H0:[^:]+]]: tensor<1x256xf32>
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK: %[[N:.+]] = tensor.extract %[[STEPS]][] : tensor<index>
// CHECK: %[[H:.+]] = uctl.loop %[[T:.+]] = %[[C0]] to %[[N]] step %[[C1]] max_trip_count(100) iter_args(%[[HI:.+]] = %[[H0]]) -> (tensor<1x256xf32>) {
// CHECK: tensor.extract_slice %{{.+}}[%[[T]], 0, 0]
// CHECK: linalg.matmul
// CHECK: %[[HU:.+]] = linalg.matmul ins(%[[HI]],
// CHECK: uctl.grid_sync
// CHECK: %[[NEXT:.+]] = linalg.generic
// CHECK: uctl.yield %[[NEXT]] : tensor<1x256xf32>
// CHECK: return %[[H]]
func.func @rnn_loop_carries_hidden_state(
    %steps: tensor<index>, %h0: tensor<1x256xf32>, %xs: tensor<100x1x256xf32>,
    %w: tensor<256x256xf32>, %u: tensor<256x256xf32>) -> tensor<1x256xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.extract %steps[] : tensor<index>
  %empty = tensor.empty() : tensor<1x256xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x256xf32>) -> tensor<1x256xf32>
  %h = uctl.loop %t = %c0 to %n step %c1 max_trip_count(100)
      iter_args(%hi = %h0) -> (tensor<1x256xf32>) {
    %x = tensor.extract_slice %xs[%t, 0, 0] [1, 1, 256] [1, 1, 1]
        : tensor<100x1x256xf32> to tensor<1x256xf32>
    %xw = linalg.matmul ins(%x, %w : tensor<1x256xf32>, tensor<256x256xf32>)
                        outs(%acc : tensor<1x256xf32>) -> tensor<1x256xf32>
    %hu = linalg.matmul ins(%hi, %u : tensor<1x256xf32>, tensor<256x256xf32>)
                        outs(%acc : tensor<1x256xf32>) -> tensor<1x256xf32>
    uctl.grid_sync
    %next = linalg.generic {indexing_maps = [#map, #map, #map],
                            iterator_types = ["parallel", "parallel"]}
        ins(%xw, %hu : tensor<1x256xf32>, tensor<1x256xf32>)
        outs(%empty : tensor<1x256xf32>) {
    ^bb0(%a: f32, %b: f32, %out: f32):
      %sum = arith.addf %a, %b : f32
      %tanh = math.tanh %sum : f32
      linalg.yield %tanh : f32
    } -> tensor<1x256xf32>
    uctl.yield %next : tensor<1x256xf32>
  }
  return %h : tensor<1x256xf32>
}

// -----

// Several loop-carried values of different types; the step is a device value.
// CHECK-LABEL: func.func @loop_carries_tensor_and_index
// CHECK: %{{.+}}:2 = uctl.loop %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[A:.+]] = %{{.+}}, %[[B:.+]] = %{{.+}}) -> (tensor<4xf32>, index) {
// CHECK: uctl.yield %{{.+}}, %{{.+}} : tensor<4xf32>, index
func.func @loop_carries_tensor_and_index(%lb: index, %ub: index, %step: index,
    %x: tensor<4xf32>) -> (tensor<4xf32>, index) {
  %c1 = arith.constant 1 : index
  %r:2 = uctl.loop %i = %lb to %ub step %step iter_args(%a = %x, %b = %lb)
      -> (tensor<4xf32>, index) {
    %empty = tensor.empty() : tensor<4xf32>
    %a2 = linalg.add ins(%a, %x : tensor<4xf32>, tensor<4xf32>)
                     outs(%empty : tensor<4xf32>) -> tensor<4xf32>
    %b2 = arith.addi %b, %c1 : index
    uctl.yield %a2, %b2 : tensor<4xf32>, index
  }
  return %r#0, %r#1 : tensor<4xf32>, index
}

// -----

// Without loop-carried values the terminator is implicit and not printed.
// CHECK-LABEL: func.func @loop_without_iter_args
// CHECK: uctl.loop %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK-NEXT: linalg.add
// CHECK-NEXT: uctl.grid_sync
// CHECK-NEXT: linalg.mul
// CHECK-NEXT: }
func.func @loop_without_iter_args(%n: index, %a: memref<1024xf32>,
                                  %b: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  uctl.loop %i = %c0 to %n step %c1 {
    linalg.add ins(%a, %b : memref<1024xf32>, memref<1024xf32>)
               outs(%a : memref<1024xf32>)
    uctl.grid_sync
    linalg.mul ins(%a, %a : memref<1024xf32>, memref<1024xf32>)
               outs(%b : memref<1024xf32>)
  }
  return
}

// -----

// Loop levels: an outer loop over layers around an inner loop over time
// steps; the barrier sits in the inner loop.
// CHECK-LABEL: func.func @nested_loops_layers_and_steps
// CHECK: uctl.loop %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} max_trip_count(10) iter_args
// CHECK: uctl.loop %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} max_trip_count(64) iter_args
// CHECK: uctl.grid_sync
// CHECK: uctl.yield
// CHECK: uctl.yield
func.func @nested_loops_layers_and_steps(%layers: index, %steps: index,
    %h0: tensor<1x256xf32>, %w: tensor<256x256xf32>) -> tensor<1x256xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x256xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x256xf32>) -> tensor<1x256xf32>
  %h = uctl.loop %l = %c0 to %layers step %c1 max_trip_count(10)
      iter_args(%hl = %h0) -> (tensor<1x256xf32>) {
    %ht = uctl.loop %t = %c0 to %steps step %c1 max_trip_count(64)
        iter_args(%hi = %hl) -> (tensor<1x256xf32>) {
      %mm = linalg.matmul ins(%hi, %w : tensor<1x256xf32>, tensor<256x256xf32>)
                          outs(%acc : tensor<1x256xf32>) -> tensor<1x256xf32>
      uctl.grid_sync
      uctl.yield %mm : tensor<1x256xf32>
    }
    uctl.yield %ht : tensor<1x256xf32>
  }
  return %h : tensor<1x256xf32>
}

// -----

// A grid barrier may sit at any depth below the device loop.
// CHECK-LABEL: func.func @grid_sync_below_scf_for_in_loop
// CHECK: uctl.loop
// CHECK: scf.for
// CHECK: uctl.grid_sync
func.func @grid_sync_below_scf_for_in_loop(%n: index, %buf: memref<8x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  uctl.loop %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %row = memref.subview %buf[%j, 0] [1, 1024] [1, 1]
          : memref<8x1024xf32> to memref<1024xf32, strided<[1], offset: ?>>
      linalg.exp ins(%row : memref<1024xf32, strided<[1], offset: ?>>)
                 outs(%row : memref<1024xf32, strided<[1], offset: ?>>)
      uctl.grid_sync
    }
  }
  return
}

// -----

// BlockDrop/SkipNet-style gating: the predicate is a tensor<i1> computed on
// the device; the branch either skips the block or runs it.
// CHECK-LABEL: func.func @if_chooses_between_computations
// CHECK-SAME: %[[SKIP:[^:]+]]: tensor<i1>
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x256xf32>
// CHECK: %[[Y:.+]] = uctl.if %[[SKIP]] : tensor<i1> -> (tensor<1x256xf32>) {
// CHECK-NEXT: uctl.yield %[[X]] : tensor<1x256xf32>
// CHECK-NEXT: } else {
// CHECK: %[[MM:.+]] = linalg.matmul
// CHECK: %[[RELU:.+]] = linalg.max ins(%[[MM]],
// CHECK: uctl.yield %[[RELU]] : tensor<1x256xf32>
// CHECK: return %[[Y]]
func.func @if_chooses_between_computations(%skip: tensor<i1>,
    %x: tensor<1x256xf32>, %w: tensor<256x256xf32>) -> tensor<1x256xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x256xf32>
  %zeros = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x256xf32>) -> tensor<1x256xf32>
  %y = uctl.if %skip : tensor<i1> -> (tensor<1x256xf32>) {
    uctl.yield %x : tensor<1x256xf32>
  } else {
    %mm = linalg.matmul ins(%x, %w : tensor<1x256xf32>, tensor<256x256xf32>)
                        outs(%zeros : tensor<1x256xf32>) -> tensor<1x256xf32>
    %relu = linalg.max ins(%mm, %zeros : tensor<1x256xf32>, tensor<1x256xf32>)
                       outs(%empty : tensor<1x256xf32>) -> tensor<1x256xf32>
    uctl.yield %relu : tensor<1x256xf32>
  }
  return %y : tensor<1x256xf32>
}

// -----

// A predicate in a memref; without results the else region and the
// terminators are optional.
// CHECK-LABEL: func.func @if_memref_predicate_without_results
// CHECK: uctl.if %{{.+}} : memref<i1> {
// CHECK-NEXT: linalg.copy
// CHECK-NEXT: }
// CHECK-NOT: else
// CHECK: uctl.if %{{.+}} : memref<i1> {
// CHECK-NEXT: linalg.copy
// CHECK-NEXT: } else {
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: }
func.func @if_memref_predicate_without_results(%flag: memref<i1>,
    %src: memref<256xf32>, %dst: memref<256xf32>) {
  %zero = arith.constant 0.0 : f32
  uctl.if %flag : memref<i1> {
    linalg.copy ins(%src : memref<256xf32>) outs(%dst : memref<256xf32>)
  }
  uctl.if %flag : memref<i1> {
    linalg.copy ins(%src : memref<256xf32>) outs(%dst : memref<256xf32>)
  } else {
    linalg.fill ins(%zero : f32) outs(%dst : memref<256xf32>)
  }
  return
}

// -----

// A device-side branch inside a device-side loop; the barrier is outside the
// branch.
// CHECK-LABEL: func.func @if_inside_loop
// CHECK: uctl.loop
// CHECK: %[[NEXT:.+]] = uctl.if %{{.+}} : tensor<i1> -> (tensor<1x256xf32>) {
// CHECK: } else {
// CHECK: }
// CHECK-NEXT: uctl.grid_sync
// CHECK-NEXT: uctl.yield %[[NEXT]]
func.func @if_inside_loop(%n: index, %gates: tensor<64xi1>,
    %h0: tensor<1x256xf32>, %w: tensor<256x256xf32>) -> tensor<1x256xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %h = uctl.loop %i = %c0 to %n step %c1 iter_args(%hi = %h0)
      -> (tensor<1x256xf32>) {
    %gate = tensor.extract_slice %gates[%i] [1] [1] : tensor<64xi1> to tensor<i1>
    %next = uctl.if %gate : tensor<i1> -> (tensor<1x256xf32>) {
      %mm = linalg.matmul ins(%hi, %w : tensor<1x256xf32>, tensor<256x256xf32>)
                          outs(%hi : tensor<1x256xf32>) -> tensor<1x256xf32>
      uctl.yield %mm : tensor<1x256xf32>
    } else {
      uctl.yield %hi : tensor<1x256xf32>
    }
    uctl.grid_sync
    uctl.yield %next : tensor<1x256xf32>
  }
  return %h : tensor<1x256xf32>
}

// -----

// After lowering: the persistent kernel is a gpu.func whose time loop holds
// two operators separated by grid barriers.
// CHECK-LABEL: gpu.func @persistent_rnn_kernel
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.store
// CHECK-NEXT: uctl.grid_sync
// CHECK: math.tanh
// CHECK: memref.store
// CHECK-NEXT: uctl.grid_sync
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @persistent_rnn_kernel(%h: memref<256xf32>, %tmp: memref<256xf32>,
        %w: memref<256x256xf32>, %steps: memref<index>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c256 = arith.constant 256 : index
      %zero = arith.constant 0.0 : f32
      %bid = gpu.block_id x
      %bdim = gpu.block_dim x
      %tid = gpu.thread_id x
      %base = arith.muli %bid, %bdim : index
      %row = arith.addi %base, %tid : index
      %n = memref.load %steps[] : memref<index>
      scf.for %t = %c0 to %n step %c1 {
        %dot = scf.for %k = %c0 to %c256 step %c1 iter_args(%acc = %zero) -> (f32) {
          %wv = memref.load %w[%row, %k] : memref<256x256xf32>
          %hv = memref.load %h[%k] : memref<256xf32>
          %p = arith.mulf %wv, %hv : f32
          %s = arith.addf %acc, %p : f32
          scf.yield %s : f32
        }
        memref.store %dot, %tmp[%row] : memref<256xf32>
        uctl.grid_sync
        %v = memref.load %tmp[%row] : memref<256xf32>
        %th = math.tanh %v : f32
        memref.store %th, %h[%row] : memref<256xf32>
        uctl.grid_sync
      }
      gpu.return
    }
  }
}

// -----

// uctl.loop and uctl.if inside the kernel: the trip count and the predicate
// are read by every block from global memory.
// CHECK-LABEL: gpu.func @kernel_with_device_loop_and_branch
// CHECK: uctl.loop %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK: uctl.if %{{.+}} : memref<i1> {
// CHECK: memref.store
// CHECK-NEXT: }
// CHECK-NEXT: uctl.grid_sync
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @kernel_with_device_loop_and_branch(%steps: memref<index>,
        %flag: memref<i1>, %buf: memref<1024xf32>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %one = arith.constant 1.0 : f32
      %tid = gpu.thread_id x
      %n = memref.load %steps[] : memref<index>
      uctl.loop %i = %c0 to %n step %c1 {
        uctl.if %flag : memref<i1> {
          %v = memref.load %buf[%tid] : memref<1024xf32>
          %v1 = arith.addf %v, %one : f32
          memref.store %v1, %buf[%tid] : memref<1024xf32>
        }
        uctl.grid_sync
      }
      gpu.return
    }
  }
}
