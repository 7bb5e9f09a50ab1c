// RUN: hm-opt %s --hm-roller=arch=sm_90 --hm-print-cost-model -o /dev/null | FileCheck %s

// The suite's C5 in f16 (1x1 NCHW conv, 128x1024x14x14 out, 256 channels):
// a tensor-core op. A block of 448 threads gets at most 128 registers per
// thread from ptxas (65536 / 512, as ptxas rounds 448 up to 4 x 32). The
// compiled-register bound counts the warp's fragments: a 32x64 warp tile
// (8 f32 accumulator fragments = 64 registers, 2 + 4 input fragments of a
// k-slice = 24) plus 48 is 136 > 128, so the 8x128x2x14 block that ptxas
// compiled to 128 registers with 8 bytes of spills is out; the 16x64 warp
// tile (4 accumulators: 32 + 20 + 48 = 100, rounded 104) fits, and ptxas
// -v -arch=sm_90 gives it 96 registers, no spills.
// CHECK: linalg.conv_2d_nchw_fchw at loc("C5")
// CHECK-SAME: block = [4, 128, 2, 14], warp = [4, 64, 2, 2], thread = [1, 8, 2, 2], reduction = [64, 1, 1]
// CHECK: grid: {{[0-9]+}} blocks x 448 threads
// CHECK: resources: {{[0-9]+}} B shared memory/block, {{[0-9]+}} registers/thread (104 compiled)
// CHECK: (tensor cores)
func.func @C5(%i: tensor<128x256x14x14xf16>, %k: tensor<1024x256x1x1xf16>, %o: tensor<128x1024x14x14xf16>) -> tensor<128x1024x14x14xf16> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%i, %k : tensor<128x256x14x14xf16>, tensor<1024x256x1x1xf16>) outs(%o : tensor<128x1024x14x14xf16>) -> tensor<128x1024x14x14xf16> loc("C5")
  return %r : tensor<128x1024x14x14xf16>
}
