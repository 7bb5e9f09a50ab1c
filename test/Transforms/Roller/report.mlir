// RUN: hm-opt %s --hm-roller="arch=sm_70 report=true" -o /dev/null | FileCheck %s
// RUN: hm-opt %s --hm-roller="arch=sm_70" -o /dev/null | FileCheck %s --check-prefix=QUIET --allow-empty

// report=true prints one row per configured operation -- tile per level,
// grid and block, shared memory, estimated registers, modelled time, the
// fraction of the roofline and the bound -- then the operations left alone.

// CHECK:      // hm-roller report: 3 configured, 1 left alone; times are modelled (docs/CostModel.md), not measured
// CHECK-NEXT: op                       loc               arch   block       warp       thread     reduction  options         grid   threads  smem_B  regs  time_us   roofline  bound
// CHECK-NEXT: linalg.matmul            report.mlir:{{[0-9]+}}:8  sm_70  [128,128]   [8,128]    [4,8]      [8]        pad=1,vec=4,db  1024   512      17472   72    8890.856  98%       compute
// CHECK-NEXT: linalg.generic           report.mlir:{{[0-9]+}}:8  sm_70  [2,1024]    [1,128]    [1,4]      -          vec=4           2048   512      0       32    37.283    100%      DRAM
// CHECK-NEXT: linalg.pooling_nchw_max  report.mlir:{{[0-9]+}}:8  sm_70  [1,1,8,56]  [1,1,8,8]  [1,1,1,2]  [3,3]      vec=2           14336  224      7684    32    179.933   96%       DRAM
// CHECK-NEXT: left alone: linalg.matmul at report.mlir:{{[0-9]+}}:8: it has dynamic loop extents; Roller needs static shapes
// QUIET-NOT: hm-roller report

func.func @matmul(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}

func.func @relu(%a: tensor<4096x1024xf32>) -> tensor<4096x1024xf32> {
  %e = tensor.empty() : tensor<4096x1024xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4096x1024xf32>) outs(%e : tensor<4096x1024xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4096x1024xf32>
  return %r : tensor<4096x1024xf32>
}

func.func @maxpool(%i: tensor<32x64x113x113xf32>, %o: tensor<32x64x56x56xf32>) -> tensor<32x64x56x56xf32> {
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%i, %w : tensor<32x64x113x113xf32>, tensor<3x3xf32>) outs(%o : tensor<32x64x56x56xf32>) -> tensor<32x64x56x56xf32>
  return %r : tensor<32x64x56x56xf32>
}

func.func @dynamic(%a: tensor<?x64xf32>, %b: tensor<64x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
