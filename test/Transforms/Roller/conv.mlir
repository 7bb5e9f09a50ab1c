// RUN: hm-opt %s --split-input-file --hm-roller=arch=sm_70 | FileCheck %s --check-prefixes=CHECK,V100
// RUN: hm-opt %s --split-input-file --hm-roller=arch=sm_90 | FileCheck %s --check-prefixes=CHECK,H100

// Convolutions, depthwise convolutions and pooling: block extents over the
// output's loops, the window loops (kh, kw) loaded whole, the channel
// reduction stepped by 8 (16 halves for f16 without tensor cores, 64 with).

// 3x3 convolution, NCHW / FCHW: loops (n, f, oh, ow | c, kh, kw).
// CHECK-LABEL: func.func @conv_nchw_fchw_3x3
// V100: linalg.conv_2d_nchw_fchw {{.*}}rtile.config = #rtile.config<block = [1, 32, 8, 16], warp = [1, 8, 8, 16], thread = [1, 4, 1, 8], reduction = [8, 3, 3], vector = 4, double_buffer>
// H100: linalg.conv_2d_nchw_fchw {{.*}}rtile.config = #rtile.config<block = [1, 32, 8, 16], warp = [1, 32, 8, 16], thread = [1, 8, 1, 16], reduction = [8, 3, 3], vector = 4, double_buffer>
func.func @conv_nchw_fchw_3x3(%i: tensor<32x64x58x58xf32>, %k: tensor<128x64x3x3xf32>, %o: tensor<32x128x56x56xf32>) -> tensor<32x128x56x56xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%i, %k : tensor<32x64x58x58xf32>, tensor<128x64x3x3xf32>) outs(%o : tensor<32x128x56x56xf32>) -> tensor<32x128x56x56xf32>
  return %r : tensor<32x128x56x56xf32>
}

// -----

// 1x1 convolution with stride 2.
// CHECK-LABEL: func.func @conv_nchw_fchw_1x1_s2
// 16x128 tiles of 8x8 on both: 16x256 (512 threads on sm_70, 8x16 points per
// thread on sm_90) needs more registers than ptxas gives its thread count
// (docs/CostModel.md).
// V100: linalg.conv_2d_nchw_fchw {{.*}}rtile.config = #rtile.config<block = [16, 128, 1, 8], warp = [8, 32, 1, 8], thread = [8, 8, 1, 1], reduction = [8, 1, 1], double_buffer>
// H100: linalg.conv_2d_nchw_fchw {{.*}}rtile.config = #rtile.config<block = [16, 128, 1, 8], warp = [8, 32, 1, 8], thread = [8, 8, 1, 1], reduction = [8, 1, 1], double_buffer>
func.func @conv_nchw_fchw_1x1_s2(%i: tensor<32x256x55x55xf32>, %k: tensor<512x256x1x1xf32>, %o: tensor<32x512x28x28xf32>) -> tensor<32x512x28x28xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%i, %k : tensor<32x256x55x55xf32>, tensor<512x256x1x1xf32>) outs(%o : tensor<32x512x28x28xf32>) -> tensor<32x512x28x28xf32>
  return %r : tensor<32x512x28x28xf32>
}

// -----

// NHWC / HWCF: loops (n, oh, ow, f | kh, kw, c); the channel step is the
// innermost dimension of both the image and the filter.
// CHECK-LABEL: func.func @conv_nhwc_hwcf_3x3
// V100: linalg.conv_2d_nhwc_hwcf {{.*}}rtile.config = #rtile.config<block = [2, 8, 8, 32], warp = [1, 4, 8, 32], thread = [1, 1, 4, 8], reduction = [3, 3, 8], padding = 1, vector = 4, double_buffer>
// H100: linalg.conv_2d_nhwc_hwcf {{.*}}rtile.config = #rtile.config<block = [2, 8, 8, 32], warp = [2, 8, 8, 32], thread = [1, 1, 8, 16], reduction = [3, 3, 8], padding = 1, vector = 4, double_buffer>
func.func @conv_nhwc_hwcf_3x3(%i: tensor<8x58x58x64xf32>, %k: tensor<3x3x64x128xf32>, %o: tensor<8x56x56x128xf32>) -> tensor<8x56x56x128xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%i, %k : tensor<8x58x58x64xf32>, tensor<3x3x64x128xf32>) outs(%o : tensor<8x56x56x128xf32>) -> tensor<8x56x56x128xf32>
  return %r : tensor<8x56x56x128xf32>
}

// -----

// f16 NHWC convolution: an implicit GEMM on tensor cores (K step 64 on the
// channels).
// CHECK-LABEL: func.func @conv_nhwc_hwcf_f16
// Padding 8 halves (16-byte rows for WMMA).
// V100: linalg.conv_2d_nhwc_hwcf {{.*}}rtile.config = #rtile.config<block = [2, 8, 8, 32], warp = [1, 2, 8, 32], thread = [1, 1, 2, 8], reduction = [3, 3, 64], padding = 8, vector = 8>
// H100: linalg.conv_2d_nhwc_hwcf {{.*}}rtile.config = #rtile.config<block = [8, 8, 8, 64], warp = [1, 8, 8, 64], thread = [1, 1, 8, 16], reduction = [3, 3, 64], padding = 8, vector = 8>
func.func @conv_nhwc_hwcf_f16(%i: tensor<8x58x58x64xf16>, %k: tensor<3x3x64x128xf16>, %o: tensor<8x56x56x128xf16>) -> tensor<8x56x56x128xf16> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%i, %k : tensor<8x58x58x64xf16>, tensor<3x3x64x128xf16>) outs(%o : tensor<8x56x56x128xf16>) -> tensor<8x56x56x128xf16>
  return %r : tensor<8x56x56x128xf16>
}

// -----

// Depthwise 3x3, NCHW: loops (n, oh, ow, c | kh, kw).
// CHECK-LABEL: func.func @depthwise_nchw_chw
// V100: linalg.depthwise_conv_2d_nchw_chw {{.*}}rtile.config = #rtile.config<block = [32, 16, 16, 1], warp = [2, 16, 16, 1], thread = [1, 1, 16, 1], reduction = [3, 3], padding = 1>
// H100: linalg.depthwise_conv_2d_nchw_chw {{.*}}rtile.config = #rtile.config<block = [32, 16, 16, 1], warp = [2, 16, 16, 1], thread = [1, 1, 16, 1], reduction = [3, 3], padding = 1>
func.func @depthwise_nchw_chw(%i: tensor<128x84x44x44xf32>, %k: tensor<84x3x3xf32>, %o: tensor<128x84x42x42xf32>) -> tensor<128x84x42x42xf32> {
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%i, %k : tensor<128x84x44x44xf32>, tensor<84x3x3xf32>) outs(%o : tensor<128x84x42x42xf32>) -> tensor<128x84x42x42xf32>
  return %r : tensor<128x84x42x42xf32>
}

// -----

// Depthwise 5x5 with stride 2, NHWC: loops (n, oh, ow, c | kh, kw).
// CHECK-LABEL: func.func @depthwise_nhwc_hwc_s2
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}}rtile.config = #rtile.config<block = [4, 8, 8, 8], warp = [4, 1, 4, 8], thread = [4, 1, 1, 1], reduction = [5, 5], padding = 1>
func.func @depthwise_nhwc_hwc_s2(%i: tensor<8x115x115x96xf32>, %k: tensor<5x5x96xf32>, %o: tensor<8x56x56x96xf32>) -> tensor<8x56x56x96xf32> {
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%i, %k : tensor<8x115x115x96xf32>, tensor<5x5x96xf32>) outs(%o : tensor<8x56x56x96xf32>) -> tensor<8x56x56x96xf32>
  return %r : tensor<8x56x56x96xf32>
}

// -----

// 3x3 max pooling with stride 2, NCHW; the window operand is never read.
// CHECK-LABEL: func.func @maxpool_nchw
// V100: linalg.pooling_nchw_max {{.*}}rtile.config = #rtile.config<block = [1, 1, 8, 56], warp = [1, 1, 8, 8], thread = [1, 1, 1, 2], reduction = [3, 3], vector = 2>
// H100: linalg.pooling_nchw_max {{.*}}rtile.config = #rtile.config<block = [1, 2, 8, 56], warp = [1, 2, 8, 8], thread = [1, 2, 1, 2], reduction = [3, 3], vector = 2>
func.func @maxpool_nchw(%i: tensor<32x64x113x113xf32>, %o: tensor<32x64x56x56xf32>) -> tensor<32x64x56x56xf32> {
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%i, %w : tensor<32x64x113x113xf32>, tensor<3x3xf32>) outs(%o : tensor<32x64x56x56xf32>) -> tensor<32x64x56x56xf32>
  return %r : tensor<32x64x56x56xf32>
}

// -----

// 2x2 sum pooling, NHWC, f16.
// CHECK-LABEL: func.func @sumpool_nhwc_f16
// CHECK: linalg.pooling_nhwc_sum {{.*}}rtile.config = #rtile.config<block = [1, 2, 8, 64], warp = [1, 1, 4, 64], thread = [1, 1, 1, 8], reduction = [2, 2], padding = 2, vector = 8>
func.func @sumpool_nhwc_f16(%i: tensor<16x112x112x64xf16>, %o: tensor<16x56x56x64xf16>) -> tensor<16x56x56x64xf16> {
  %w = tensor.empty() : tensor<2x2xf16>
  %r = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%i, %w : tensor<16x112x112x64xf16>, tensor<2x2xf16>) outs(%o : tensor<16x56x56x64xf16>) -> tensor<16x56x56x64xf16>
  return %r : tensor<16x56x56x64xf16>
}
