// RUN: hm-opt %s --split-input-file | hm-opt --split-input-file | FileCheck %s
// RUN: hm-opt %s --split-input-file --mlir-print-op-generic | hm-opt --split-input-file | FileCheck %s

// A matmul with its bias + ReLU epilogue: the matmul's output reaches the
// epilogue in registers; the kernel is scheduled by 64x64 output tiles.
// CHECK-LABEL: func.func @matmul_bias_relu_register
// CHECK-SAME: (%[[A:.+]]: tensor<128x256xf32>, %[[B:.+]]: tensor<256x64xf32>, %[[BIAS:.+]]: tensor<64xf32>)
// CHECK: %[[R:.+]] = tilegraph.kernel "matmul_bias_relu" (%[[A]], %[[B]], %[[BIAS]]) tile [64, 64] : (tensor<128x256xf32>, tensor<256x64xf32>, tensor<64xf32>) -> tensor<128x64xf32> {
// CHECK-NEXT: ^bb0(%[[X:.+]]: tensor<128x256xf32>, %[[Y:.+]]: tensor<256x64xf32>, %[[Z:.+]]: tensor<64xf32>):
// CHECK: %[[MM:.+]] = linalg.matmul ins(%[[X]], %[[Y]] :
// CHECK: %[[MM_REG:.+]] = tilegraph.connect %[[MM]] at register : tensor<128x64xf32>
// CHECK: %[[OUT:.+]] = linalg.generic {{.*}} ins(%[[MM_REG]], %[[Z]] :
// CHECK: tilegraph.yield %[[OUT]] : tensor<128x64xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @matmul_bias_relu_register(%a: tensor<128x256xf32>, %b: tensor<256x64xf32>,
                                     %bias: tensor<64xf32>) -> tensor<128x64xf32> {
  %r = tilegraph.kernel "matmul_bias_relu" (%a, %b, %bias) tile [64, 64]
      : (tensor<128x256xf32>, tensor<256x64xf32>, tensor<64xf32>) -> tensor<128x64xf32> {
  ^bb0(%x: tensor<128x256xf32>, %y: tensor<256x64xf32>, %z: tensor<64xf32>):
    %zero = arith.constant 0.0 : f32
    %empty = tensor.empty() : tensor<128x64xf32>
    %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<128x64xf32>) -> tensor<128x64xf32>
    %mm = linalg.matmul ins(%x, %y : tensor<128x256xf32>, tensor<256x64xf32>)
                        outs(%init : tensor<128x64xf32>) -> tensor<128x64xf32>
    %mm_reg = tilegraph.connect %mm at register : tensor<128x64xf32>
    %out = linalg.generic {indexing_maps = [#id, #col, #id],
                           iterator_types = ["parallel", "parallel"]}
        ins(%mm_reg, %z : tensor<128x64xf32>, tensor<64xf32>)
        outs(%empty : tensor<128x64xf32>) {
    ^bb0(%m: f32, %bv: f32, %o: f32):
      %sum = arith.addf %m, %bv : f32
      %relu = arith.maximumf %sum, %zero : f32
      linalg.yield %relu : f32
    } -> tensor<128x64xf32>
    tilegraph.yield %out : tensor<128x64xf32>
  }
  return %r : tensor<128x64xf32>
}

// -----

// Softmax over rows, four rows per thread block: the row maximum and the
// exponentials are staged in shared memory, the row sum reaches the final
// division in registers.
// CHECK-LABEL: func.func @softmax_shared
// CHECK: tilegraph.kernel "softmax" (%{{.+}}) tile [4, 128] : (tensor<64x128xf32>) -> tensor<64x128xf32> {
// CHECK: %[[MAX:.+]] = linalg.generic
// CHECK: %[[MAX_SMEM:.+]] = tilegraph.connect %[[MAX]] at shared : tensor<64xf32>
// CHECK: %[[EXP:.+]] = linalg.generic {{.*}} ins(%{{.+}}, %[[MAX_SMEM]] :
// CHECK: %[[EXP_SMEM:.+]] = tilegraph.connect %[[EXP]] at shared : tensor<64x128xf32>
// CHECK: %[[SUM:.+]] = linalg.generic {{.*}} ins(%[[EXP_SMEM]] :
// CHECK: %[[SUM_REG:.+]] = tilegraph.connect %[[SUM]] at register : tensor<64xf32>
// CHECK: %[[OUT:.+]] = linalg.generic {{.*}} ins(%[[EXP_SMEM]], %[[SUM_REG]] :
// CHECK: tilegraph.yield %[[OUT]] : tensor<64x128xf32>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @softmax_shared(%x: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %r = tilegraph.kernel "softmax" (%x) tile [4, 128]
      : (tensor<64x128xf32>) -> tensor<64x128xf32> {
  ^bb0(%in: tensor<64x128xf32>):
    %ninf = arith.constant 0xFF800000 : f32
    %zero = arith.constant 0.0 : f32
    %rows = tensor.empty() : tensor<64xf32>
    %all = tensor.empty() : tensor<64x128xf32>
    %max_init = linalg.fill ins(%ninf : f32) outs(%rows : tensor<64xf32>) -> tensor<64xf32>
    %max = linalg.generic {indexing_maps = [#id, #row],
                           iterator_types = ["parallel", "reduction"]}
        ins(%in : tensor<64x128xf32>) outs(%max_init : tensor<64xf32>) {
    ^bb0(%a: f32, %m: f32):
      %0 = arith.maximumf %a, %m : f32
      linalg.yield %0 : f32
    } -> tensor<64xf32>
    %max_smem = tilegraph.connect %max at shared : tensor<64xf32>
    %exp = linalg.generic {indexing_maps = [#id, #row, #id],
                           iterator_types = ["parallel", "parallel"]}
        ins(%in, %max_smem : tensor<64x128xf32>, tensor<64xf32>)
        outs(%all : tensor<64x128xf32>) {
    ^bb0(%a: f32, %m: f32, %o: f32):
      %0 = arith.subf %a, %m : f32
      %1 = math.exp %0 : f32
      linalg.yield %1 : f32
    } -> tensor<64x128xf32>
    %exp_smem = tilegraph.connect %exp at shared : tensor<64x128xf32>
    %sum_init = linalg.fill ins(%zero : f32) outs(%rows : tensor<64xf32>) -> tensor<64xf32>
    %sum = linalg.generic {indexing_maps = [#id, #row],
                           iterator_types = ["parallel", "reduction"]}
        ins(%exp_smem : tensor<64x128xf32>) outs(%sum_init : tensor<64xf32>) {
    ^bb0(%e: f32, %s: f32):
      %0 = arith.addf %e, %s : f32
      linalg.yield %0 : f32
    } -> tensor<64xf32>
    %sum_reg = tilegraph.connect %sum at register : tensor<64xf32>
    %out = linalg.generic {indexing_maps = [#id, #row, #id],
                           iterator_types = ["parallel", "parallel"]}
        ins(%exp_smem, %sum_reg : tensor<64x128xf32>, tensor<64xf32>)
        outs(%all : tensor<64x128xf32>) {
    ^bb0(%e: f32, %s: f32, %o: f32):
      %0 = arith.divf %e, %s : f32
      linalg.yield %0 : f32
    } -> tensor<64x128xf32>
    tilegraph.yield %out : tensor<64x128xf32>
  }
  return %r : tensor<64x128xf32>
}

// -----

// Two results, both written to global memory: the row sums of x and of x*x
// (the statistics of a layer norm). The output tile is over result #0.
// CHECK-LABEL: func.func @two_results
// CHECK: %[[R:.+]]:2 = tilegraph.kernel "row_moments" (%{{.+}}) tile [16] : (tensor<64x128xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
// CHECK: %[[SQ:.+]] = linalg.mul
// CHECK: %[[SQ_SMEM:.+]] = tilegraph.connect %[[SQ]] at shared : tensor<64x128xf32>
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%{{.+}} : tensor<64x128xf32>)
// CHECK: %[[SUM_SQ:.+]] = linalg.reduce ins(%[[SQ_SMEM]] : tensor<64x128xf32>)
// CHECK: tilegraph.yield %[[SUM]], %[[SUM_SQ]] : tensor<64xf32>, tensor<64xf32>
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @two_results(%x: tensor<64x128xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %r:2 = tilegraph.kernel "row_moments" (%x) tile [16]
      : (tensor<64x128xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  ^bb0(%in: tensor<64x128xf32>):
    %zero = arith.constant 0.0 : f32
    %all = tensor.empty() : tensor<64x128xf32>
    %rows = tensor.empty() : tensor<64xf32>
    %init = linalg.fill ins(%zero : f32) outs(%rows : tensor<64xf32>) -> tensor<64xf32>
    %sq = linalg.mul ins(%in, %in : tensor<64x128xf32>, tensor<64x128xf32>)
                     outs(%all : tensor<64x128xf32>) -> tensor<64x128xf32>
    %sq_smem = tilegraph.connect %sq at shared : tensor<64x128xf32>
    %sum = linalg.reduce ins(%in : tensor<64x128xf32>) outs(%init : tensor<64xf32>)
        dimensions = [1]
      (%a: f32, %acc: f32) {
        %0 = arith.addf %a, %acc : f32
        linalg.yield %0 : f32
      }
    %sum_sq = linalg.reduce ins(%sq_smem : tensor<64x128xf32>) outs(%init : tensor<64xf32>)
        dimensions = [1]
      (%a: f32, %acc: f32) {
        %0 = arith.addf %a, %acc : f32
        linalg.yield %0 : f32
      }
    tilegraph.yield %sum, %sum_sq : tensor<64xf32>, tensor<64xf32>
  }
  return %r#0, %r#1 : tensor<64xf32>, tensor<64xf32>
}

// -----

// The name is optional; a dynamic dimension keeps its rank, so the tile still
// has one extent per dimension; discardable attributes follow the type.
// CHECK-LABEL: func.func @anonymous_dynamic
// CHECK: tilegraph.kernel (%{{.+}}) tile [32, 64] : (tensor<?x64xf32>) -> tensor<?x64xf32> attributes {origin = "exp"} {
// CHECK: linalg.exp
// CHECK: tilegraph.yield
func.func @anonymous_dynamic(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = tilegraph.kernel (%x) tile [32, 64] : (tensor<?x64xf32>) -> tensor<?x64xf32>
      attributes {origin = "exp"} {
  ^bb0(%in: tensor<?x64xf32>):
    %c0 = arith.constant 0 : index
    %n = tensor.dim %in, %c0 : tensor<?x64xf32>
    %empty = tensor.empty(%n) : tensor<?x64xf32>
    %exp = linalg.exp ins(%in : tensor<?x64xf32>) outs(%empty : tensor<?x64xf32>) -> tensor<?x64xf32>
    tilegraph.yield %exp : tensor<?x64xf32>
  }
  return %r : tensor<?x64xf32>
}

// -----

// A full reduction to a 0-d tensor has an empty output tile.
// CHECK-LABEL: func.func @rank_zero_result
// CHECK: tilegraph.kernel "total" (%{{.+}}) tile [] : (tensor<1024xf32>) -> tensor<f32> {
func.func @rank_zero_result(%x: tensor<1024xf32>) -> tensor<f32> {
  %r = tilegraph.kernel "total" (%x) tile [] : (tensor<1024xf32>) -> tensor<f32> {
  ^bb0(%in: tensor<1024xf32>):
    %zero = arith.constant 0.0 : f32
    %empty = tensor.empty() : tensor<f32>
    %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<f32>) -> tensor<f32>
    %sum = linalg.reduce ins(%in : tensor<1024xf32>) outs(%init : tensor<f32>)
        dimensions = [0]
      (%a: f32, %acc: f32) {
        %0 = arith.addf %a, %acc : f32
        linalg.yield %0 : f32
      }
    tilegraph.yield %sum : tensor<f32>
  }
  return %r : tensor<f32>
}

// -----

// Two kernels joined by a global edge: the first one's result is the second
// one's operand.
// CHECK-LABEL: func.func @global_edge_between_kernels
// CHECK: %[[FIRST:.+]] = tilegraph.kernel "negate" (%{{.+}}) tile [256]
// CHECK: %[[SECOND:.+]] = tilegraph.kernel "exp" (%[[FIRST]]) tile [128]
// CHECK: return %[[SECOND]]
func.func @global_edge_between_kernels(%x: tensor<1024xf32>) -> tensor<1024xf32> {
  %neg = tilegraph.kernel "negate" (%x) tile [256] : (tensor<1024xf32>) -> tensor<1024xf32> {
  ^bb0(%in: tensor<1024xf32>):
    %empty = tensor.empty() : tensor<1024xf32>
    %0 = linalg.negf ins(%in : tensor<1024xf32>) outs(%empty : tensor<1024xf32>) -> tensor<1024xf32>
    tilegraph.yield %0 : tensor<1024xf32>
  }
  %exp = tilegraph.kernel "exp" (%neg) tile [128] : (tensor<1024xf32>) -> tensor<1024xf32> {
  ^bb0(%in: tensor<1024xf32>):
    %empty = tensor.empty() : tensor<1024xf32>
    %0 = linalg.exp ins(%in : tensor<1024xf32>) outs(%empty : tensor<1024xf32>) -> tensor<1024xf32>
    tilegraph.yield %0 : tensor<1024xf32>
  }
  return %exp : tensor<1024xf32>
}

// -----

// The connection level as an attribute of its own.
// CHECK-LABEL: func.func @level_attr
// CHECK-SAME: global = #tilegraph.level<global>
// CHECK-SAME: register = #tilegraph.level<register>
// CHECK-SAME: shared = #tilegraph.level<shared>
func.func @level_attr() attributes {register = #tilegraph.level<register>,
                                    shared = #tilegraph.level<shared>,
                                    global = #tilegraph.level<global>} {
  return
}

// -----

// A kernel without inputs reads nothing from global memory; its body has no
// block arguments and prints without a block header.
// CHECK-LABEL: func.func @no_inputs
// CHECK: tilegraph.kernel "splat" () tile [256] : () -> tensor<1024xf32> {
// CHECK-NEXT: arith.constant
func.func @no_inputs() -> tensor<1024xf32> {
  %r = tilegraph.kernel "splat" () tile [256] : () -> tensor<1024xf32> {
    %one = arith.constant 1.0 : f32
    %empty = tensor.empty() : tensor<1024xf32>
    %fill = linalg.fill ins(%one : f32) outs(%empty : tensor<1024xf32>) -> tensor<1024xf32>
    tilegraph.yield %fill : tensor<1024xf32>
  }
  return %r : tensor<1024xf32>
}
