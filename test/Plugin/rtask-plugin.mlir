// Upstream mlir-opt parses, verifies and prints the rtask dialect from the
// plugin (and rejects it without).
// RUN: mlir-opt %s --load-dialect-plugin=%hm_plugin | FileCheck %s
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN
// RUN: mlir-opt %s --load-dialect-plugin=%hm_plugin | mlir-opt --load-dialect-plugin=%hm_plugin | FileCheck %s

// CHECK: rtask.program @fill vdevice<veus = 2> (%{{.+}}: memref<64xf32>) {
// CHECK: rtask.operator @fill tasks 4 {
// CHECK: rtask.place @fill tasks{{ ?}}[0, 4) on veus{{ ?}}[0, 2) wave 0
// NOPLUGIN: error: Dialect `rtask' not found for custom op 'rtask.program'
rtask.program @fill vdevice<veus = 2> (%y: memref<64xf32>) {
  rtask.operator @fill tasks 4 {
  ^bb0(%task: index):
    %c16 = arith.constant 16 : index
    %one = arith.constant 1.0 : f32
    %i = arith.muli %task, %c16 : index
    memref.store %one, %y[%i] : memref<64xf32>
    rtask.yield
  }
  rtask.place @fill tasks [0, 4) on veus [0, 2) wave 0
}
