// Fused groups (tilegraph.kernel of two or more operations) count as one
// kernel whose traffic is the one --hm-welder modelled for its tile (the
// group's inputs and output): here the two kernels of --hm-welder's report,
// 5251072 + 131072 B.
// RUN: hm-opt %S/../Welder/matmul-bias-relu.mlir --hm-roller --hm-welder=arch=sm_90 --hm-model-summary=arch=sm_90 -o /dev/null | FileCheck %s
// RUN: hm-opt %S/../Welder/matmul-bias-relu.mlir --hm-roller --hm-welder=arch=sm_90 --hm-model-summary="arch=sm_90 format=json" -o /dev/null | FileCheck %s --check-prefix=JSON
// A summary for another arch than the one --hm-welder priced: the members
// are modelled alone, and the summary says so.
// RUN: hm-opt %S/../Welder/matmul-bias-relu.mlir --hm-roller --hm-welder=arch=sm_90 --hm-model-summary=arch=sm_80 -o /dev/null | FileCheck %s --check-prefix=OTHER
// Naive mode ignores the groups.
// RUN: hm-opt %S/../Welder/matmul-bias-relu.mlir --hm-welder=arch=sm_90 --hm-model-summary="arch=sm_90 naive=true" -o /dev/null | FileCheck %s --check-prefix=NAIVE

// CHECK: linalg ops: 6
// CHECK: fused kernels: 2 (of 6 ops); modelled kernels per call: 2
// CHECK: global bytes: 5382144

// JSON: "fused_kernels": 2,
// JSON: "fused_ops": 6,
// JSON: "global_bytes": 5382144,
// JSON: "kernels": 2,

// OTHER: not modelled: tilegraph.kernel: no modelled cost for sm_80 (its members modelled alone) (x2)
// OTHER-NOT: fused kernels

// NAIVE: linalg ops: {{[0-9]+}} ({{[0-9]+}} per call; 0 configured
// NAIVE-NOT: fused kernels
