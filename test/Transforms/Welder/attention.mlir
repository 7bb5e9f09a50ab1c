// RUN: hm-opt %s --hm-welder="arch=sm_90" | FileCheck %s

// BERT-base attention for one sequence of 128 tokens, 12 heads of 64:
// scores = Q x K^T (K given transposed), a scaled softmax over the keys,
// then context = P x V.
// The whole chain is one kernel scheduled by 128x8 tiles of the context
// (one head, all 128 queries): a block holds a head's scores (its 128x128
// rows in shared memory, 140 KB, within the H100's 227 KB), so the softmax
// and the second product need nothing from other blocks.
// CHECK-LABEL: func.func @attention
// CHECK: %[[K:.+]] = tilegraph.kernel "attention_k0" (%{{.+}}, %{{.+}}, %{{.+}}) tile [1, 128, 8]
// CHECK: %[[S:.+]] = linalg.batch_matmul
// CHECK: tilegraph.connect %[[S]] at register
// CHECK: %[[SC:.+]] = linalg.generic
// CHECK: tilegraph.connect %[[SC]] at shared
// CHECK: %[[MAX:.+]] = linalg.reduce
// CHECK: tilegraph.connect %[[MAX]] at register
// CHECK: %[[SUM:.+]] = linalg.generic
// CHECK-DAG: tilegraph.connect %[[SC]] at register
// CHECK-DAG: tilegraph.connect %[[MAX]] at shared
// CHECK-DAG: tilegraph.connect %[[SUM]] at shared
// CHECK: %[[P:.+]] = linalg.generic
// CHECK: %[[PS:.+]] = tilegraph.connect %[[P]] at shared
// CHECK: %[[C:.+]] = linalg.batch_matmul ins(%[[PS]],
// CHECK: tilegraph.yield %[[C]]
// CHECK-NOT: tilegraph.kernel
// CHECK: return %[[K]]
#s3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#r3 = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @attention(%q: tensor<12x128x64xf32>, %kt: tensor<12x64x128xf32>, %v: tensor<12x128x64xf32>) -> tensor<12x128x64xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %es = tensor.empty() : tensor<12x128x128xf32>
  %is = linalg.fill ins(%zero : f32) outs(%es : tensor<12x128x128xf32>) -> tensor<12x128x128xf32>
  %scores = linalg.batch_matmul ins(%q, %kt : tensor<12x128x64xf32>, tensor<12x64x128xf32>) outs(%is : tensor<12x128x128xf32>) -> tensor<12x128x128xf32>
  %scaled = linalg.generic {indexing_maps = [#s3, #s3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scores : tensor<12x128x128xf32>) outs(%es : tensor<12x128x128xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.constant 0.125 : f32
    %y = arith.mulf %x, %c : f32
    linalg.yield %y : f32
  } -> tensor<12x128x128xf32>
  %er = tensor.empty() : tensor<12x128xf32>
  %im = linalg.fill ins(%ninf : f32) outs(%er : tensor<12x128xf32>) -> tensor<12x128xf32>
  %max = linalg.reduce ins(%scaled : tensor<12x128x128xf32>) outs(%im : tensor<12x128xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %m = arith.maximumf %in, %acc : f32
      linalg.yield %m : f32
    }
  %iz = linalg.fill ins(%zero : f32) outs(%er : tensor<12x128xf32>) -> tensor<12x128xf32>
  %sum = linalg.generic {indexing_maps = [#s3, #r3, #r3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%scaled, %max : tensor<12x128x128xf32>, tensor<12x128xf32>) outs(%iz : tensor<12x128xf32>) {
  ^bb0(%x: f32, %m: f32, %acc: f32):
    %d = arith.subf %x, %m : f32
    %e = math.exp %d : f32
    %s = arith.addf %acc, %e : f32
    linalg.yield %s : f32
  } -> tensor<12x128xf32>
  %probs = linalg.generic {indexing_maps = [#s3, #r3, #r3, #s3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scaled, %max, %sum : tensor<12x128x128xf32>, tensor<12x128xf32>, tensor<12x128xf32>) outs(%es : tensor<12x128x128xf32>) {
  ^bb0(%x: f32, %m: f32, %s: f32, %o: f32):
    %d = arith.subf %x, %m : f32
    %e = math.exp %d : f32
    %p = arith.divf %e, %s : f32
    linalg.yield %p : f32
  } -> tensor<12x128x128xf32>
  %ec = tensor.empty() : tensor<12x128x64xf32>
  %ic = linalg.fill ins(%zero : f32) outs(%ec : tensor<12x128x64xf32>) -> tensor<12x128x64xf32>
  %ctx = linalg.batch_matmul ins(%probs, %v : tensor<12x128x128xf32>, tensor<12x128x64xf32>) outs(%ic : tensor<12x128x64xf32>) -> tensor<12x128x64xf32>
  return %ctx : tensor<12x128x64xf32>
}
