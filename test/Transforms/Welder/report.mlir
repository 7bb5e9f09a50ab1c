// RUN: hm-opt %s --hm-welder="arch=sm_90 report=true dot-file=%t.dot" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: FileCheck %s --check-prefix=DOT --input-file=%t.dot

// The per-function summary and the tile graph in Graphviz DOT.

// REPORT: // hm-welder report: policy=welder; traffic and times are modelled (docs/Welder.md), not measured
// REPORT: @linear: 3 operators -> 1 kernels; global traffic {{[0-9]+}} B fused vs {{[0-9]+}} B unfused ({{[0-9.]+}}x); time {{[0-9.]+}} us fused vs {{[0-9.]+}} us unfused
// REPORT-NEXT: kernel ops tile grid smem_B traffic_B time_us sep_us levels
// REPORT-NEXT: linear_k0 3 [128,128] 16 {{.+}} register=2 shared=0
// REPORT: @escaping: 2 operators -> 2 kernels
// REPORT-NEXT: kernel
// REPORT-NEXT: escaping_k0 1
// REPORT-NEXT: escaping_k1 1
// REPORT-NEXT: left alone: linalg.matmul at report.mlir:{{[0-9]+}}:10: it has dynamic loop extents; Roller needs static shapes

// DOT: digraph welder {
// DOT: subgraph "cluster_linear" {
// DOT: subgraph "cluster_linear_k0" {
// DOT-NEXT: label="linear_k0 tile [128,128]\n{{[0-9.]+}} us modelled";
// DOT: f0_n0 [label="linalg.matmul\nreport.mlir:{{[0-9]+}}:9"];
// DOT: f0_n0 -> f0_n1 [label="register", color=darkgreen, tooltip="each thread reads the elements it produced"];
// DOT: f0_n1 -> f0_n2 [label="register"
// DOT: subgraph "cluster_escaping" {
// DOT: f1_n2 [label="linalg.matmul\nreport.mlir:{{[0-9]+}}:10", style=dashed, tooltip="not fused: it has dynamic loop extents; Roller needs static shapes"];
// DOT: f1_n0 -> f1_n1 [label="global", color=gray40, style=dashed, tooltip="the intermediate of linalg.generic at report.mlir:{{[0-9]+}}:10 is also used outside the group, by func.return at report.mlir:{{[0-9]+}}:3"];

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @linear(%a: tensor<512x256xf32>, %b: tensor<256x512xf32>, %bias: tensor<512xf32>) -> tensor<512x512xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<512x512xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<512x512xf32>) -> tensor<512x512xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<512x256xf32>, tensor<256x512xf32>) outs(%init : tensor<512x512xf32>) -> tensor<512x512xf32>
  %biased = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<512x512xf32>, tensor<512xf32>) outs(%empty : tensor<512x512xf32>) {
  ^bb0(%m: f32, %bv: f32, %o: f32):
    %s = arith.addf %m, %bv : f32
    linalg.yield %s : f32
  } -> tensor<512x512xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%biased : tensor<512x512xf32>) outs(%empty : tensor<512x512xf32>) {
  ^bb0(%m: f32, %o: f32):
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  } -> tensor<512x512xf32>
  return %relu : tensor<512x512xf32>
}

func.func @escaping(%x: tensor<64x64xf32>, %d: tensor<?x64xf32>, %c: tensor<?x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>, tensor<?x64xf32>) {
  %e = tensor.empty() : tensor<64x64xf32>
  %neg = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %n = arith.negf %v : f32
    linalg.yield %n : f32
  } -> tensor<64x64xf32>
  %abs = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%neg : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %a = math.absf %v : f32
    linalg.yield %a : f32
  } -> tensor<64x64xf32>
  %dyn = linalg.matmul ins(%d, %x : tensor<?x64xf32>, tensor<64x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %abs, %neg, %dyn : tensor<64x64xf32>, tensor<64x64xf32>, tensor<?x64xf32>
}
