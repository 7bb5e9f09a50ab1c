// Upstream mlir-opt parses, verifies and prints the uctl dialect from the
// plugin.
// RUN: mlir-opt %s --load-dialect-plugin=%hm_plugin | mlir-opt --load-dialect-plugin=%hm_plugin | FileCheck %s

// CHECK-LABEL: func.func @device_loop
// CHECK: uctl.loop %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%{{.+}} = %{{.+}}) -> (tensor<8xf32>) {
// CHECK: uctl.grid_sync
// CHECK: uctl.if %{{.+}} : tensor<i1> -> (tensor<8xf32>) {
func.func @device_loop(%x: tensor<8xf32>, %n: index, %p: tensor<i1>) -> tensor<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = uctl.loop %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (tensor<8xf32>) {
    %e = tensor.empty() : tensor<8xf32>
    %d = linalg.add ins(%acc, %x : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) -> tensor<8xf32>
    uctl.grid_sync
    uctl.yield %d : tensor<8xf32>
  }
  %s = uctl.if %p : tensor<i1> -> (tensor<8xf32>) {
    uctl.yield %r : tensor<8xf32>
  } else {
    uctl.yield %x : tensor<8xf32>
  }
  return %s : tensor<8xf32>
}
