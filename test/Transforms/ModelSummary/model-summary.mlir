// RUN: hm-opt %s --split-input-file --hm-model-summary -o /dev/null | FileCheck %s
// RUN: hm-opt %s --split-input-file --hm-model-summary="naive=true" -o /dev/null | FileCheck %s --check-prefix=NAIVE
// RUN: hm-opt %s --split-input-file --hm-model-summary="format=json arch=sm_80" -o /dev/null | FileCheck %s --check-prefix=JSON

// --hm-model-summary sums the cost model's predictions over a module and
// counts launches per call. All numbers are modelled (docs/CostModel.md).

// A configured matmul is modelled with its configuration: the numbers are
// exactly --hm-print-cost-model's (test/Analysis/cost-model.mlir derives
// them by hand: 4429185024 B, 9574.768 us on sm_70).
// CHECK-LABEL: model summary on sm_70 (configured ops), modelled, not measured:
// CHECK-NEXT:   linalg ops: 1 (1 per call; 1 configured, 0 baseline, 0 not modelled, 0 unfit)
// CHECK-NEXT:   global bytes: 4429185024 (compulsory 268435456)
// CHECK-NEXT:   flops: 137438953472
// CHECK-NEXT:   time: 9574.768 us (compute 9574.768, dram 4998.212, smem 5097.244)
// CHECK-NEXT:   launches: 0 per call from 0 sites
// With naive=true the configuration is ignored: the baseline kernel (block
// [1, 256] of the flattened 4096 x 4096 points, K step 1) re-reads A and B
// per step and is far slower.
// NAIVE-LABEL: model summary on sm_70 (every op as the baseline kernel)
// NAIVE-NEXT:   linalg ops: 1 (1 per call; 0 configured, 1 baseline, 0 not modelled, 0 unfit)
// JSON:      "arch": "sm_80",
// JSON:      "configured_ops": 1,
// JSON:      "global_bytes":
// JSON:      "launches": 0,
// JSON:      "mode": "configured",
// JSON:      "modelled": true,
// JSON:      "time_us":
module attributes {rtile.arch = #rtile.arch<"sm_70">} {
func.func @configured_matmul(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [8], padding = 1>}
      ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}
}

// -----

// Without rtile.config an op is what the baseline pipeline makes of it, in
// both modes. Element-wise add of 1024 f32: 4 blocks of 256 threads; each
// block reads 2 x 1 KiB and writes 1 KiB: 12288 B; compulsory the same.
// CHECK-LABEL: model summary on sm_90 (configured ops)
// CHECK-NEXT:   linalg ops: 1 (1 per call; 0 configured, 1 baseline, 0 not modelled, 0 unfit)
// CHECK-NEXT:   global bytes: 12288 (compulsory 12288)
// NAIVE-LABEL: model summary on sm_90 (every op as the baseline kernel)
// NAIVE-NEXT:   linalg ops: 1 (1 per call; 0 configured, 1 baseline, 0 not modelled, 0 unfit)
// NAIVE-NEXT:   global bytes: 12288 (compulsory 12288)
// JSON:      "naive_ops": 1,
#id = affine_map<(d0) -> (d0)>
func.func @unconfigured_add(%a: tensor<1024xf32>, %b: tensor<1024xf32>) -> tensor<1024xf32> {
  %e = tensor.empty() : tensor<1024xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<1024xf32>, tensor<1024xf32>) outs(%e : tensor<1024xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<1024xf32>
  return %r : tensor<1024xf32>
}

// -----

// An op in an scf.for with a static trip count runs that many times per
// call; its traffic is multiplied: 10 x 12288 B.
// CHECK-LABEL: model summary on sm_90
// CHECK-NEXT:   linalg ops: 1 (10 per call;
// CHECK-NEXT:   global bytes: 122880 (compulsory 122880)
#id = affine_map<(d0) -> (d0)>
func.func @op_in_loop(%a: tensor<1024xf32>) -> tensor<1024xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %r = scf.for %i = %c0 to %c10 step %c1 iter_args(%acc = %a) -> tensor<1024xf32> {
    %n = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
        ins(%acc, %a : tensor<1024xf32>, tensor<1024xf32>) outs(%acc : tensor<1024xf32>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %s = arith.addf %x, %y : f32
      linalg.yield %s : f32
    } -> tensor<1024xf32>
    scf.yield %n : tensor<1024xf32>
  }
  return %r : tensor<1024xf32>
}

// -----

// Launches: a site in a loop of 10 trips counts 10 times, one outside once;
// a site inside scf.while counts once and is reported.
// CHECK-LABEL: model summary on sm_90
// CHECK:        launches: 12 per call from 3 sites
// CHECK-NEXT:   counted once: 1 in loops without a static trip count; 0 in branches (assumed taken)
// JSON:      "in_dynamic_loops": 1,
// JSON:      "launch_sites": 3,
// JSON:      "launches": 12,
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @k() kernel {
      gpu.return
    }
  }
  func.func @host(%n: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c10 = arith.constant 10 : index
    scf.for %i = %c0 to %c10 step %c1 {
      gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    }
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    %r = scf.while (%i = %c0) : (index) -> index {
      %go = arith.cmpi slt, %i, %n : index
      scf.condition(%go) %i : index
    } do {
    ^bb0(%i: index):
      gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
      %next = arith.addi %i, %c1 : index
      scf.yield %next : index
    }
    return
  }
}

// -----

// An op the model cannot describe is counted with the reason.
// CHECK-LABEL: model summary on sm_90
// CHECK-NEXT:   linalg ops: 1 (1 per call; 0 configured, 0 baseline, 1 not modelled, 0 unfit)
// CHECK-NEXT:     not modelled: linalg.matmul: {{.+}}
func.func @negative_dynamic(%a: tensor<?x8xf32>, %b: tensor<8x8xf32>, %c: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x8xf32>, tensor<8x8xf32>) outs(%c : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// The baseline kernel of a 64 x 64 x 64 matmul: block [4, 64] (64 points of
// the innermost loop, then 256 / 64 = 4 rows), 16 blocks, 64 K steps of 1.
// Per step a block reads A's 4 x 1 column (4 transactions of 32 B) and B's
// 1 x 64 row (256 B): 384 B x 64 steps = 24576 B; it reads and writes its
// 4 x 64 C tile: 2 x 1024 B. 26624 B x 16 blocks = 425984 B (compulsory:
// three 16 KiB matrices plus C read once more = 65536 B).
// NAIVE:        global bytes: 425984 (compulsory 65536)
// NAIVE-NEXT:   flops: 524288
// CHECK-LABEL: model summary on sm_90
// CHECK-NEXT:   linalg ops: 1 (1 per call; 0 configured, 1 baseline,
// CHECK-NEXT:   global bytes: 425984 (compulsory 65536)
func.func @baseline_matmul(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
