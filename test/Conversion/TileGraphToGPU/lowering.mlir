// RUN: hm-opt %s --split-input-file --hm-welder="arch=sm_90" --hm-inline-tilegraph-kernels | FileCheck %s --check-prefix=TAG
// RUN: hm-opt %s --split-input-file --hm-welder="arch=sm_90" --hm-inline-tilegraph-kernels --empty-tensor-to-alloc-tensor --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --convert-tilegraph-to-gpu --canonicalize | FileCheck %s
// RUN: hm-opt %s --split-input-file --hm-welder="arch=sm_90" --hm-inline-tilegraph-kernels --empty-tensor-to-alloc-tensor --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --convert-tilegraph-to-gpu="remarks=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK

// matmul + bias + ReLU: both epilogue edges in registers, so one launch:
// the matmul's tiled kernel (without --hm-roller, the group's 128 x 128 tile
// split into 256 threads of 8 x 8 points; A and B staged in workgroup
// memory), the bias and the ReLU per register-tile point before the store;
// only the output buffer is allocated.
// TAG-LABEL: func.func @matmul_bias_relu
// TAG-NOT: tilegraph.kernel
// TAG: linalg.fill {{.+}}tilegraph.member = {group = 0 : i64, index = 0 : i64, level = "none"}
// TAG: linalg.matmul {{.+}}tilegraph.member = {group = 0 : i64, index = 1 : i64, level = "register"}
// TAG: tilegraph.member = {group = 0 : i64, index = 2 : i64, level = "register"}
// TAG: tilegraph.member = {group = 0 : i64, index = 3 : i64, level = "none"}, tilegraph.root = {name = "matmul_bias_relu_k0", tile = array<i64: 128, 128>}
// REMARK: remark: group 'matmul_bias_relu_k0' lowered to one gpu.launch: 4 operations through the tiled kernel of 'linalg.matmul', 16 blocks of 256 threads, 8736 bytes of shared memory for its staged inputs; the group's tile split into threads (block 128x128 thread 8x8 step 8)
// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK-SAME: (%[[A:.+]]: memref<512x256xf32>, %[[B:.+]]: memref<256x512xf32>, %[[BIAS:.+]]: memref<512xf32>)
// CHECK: %[[OUT:.+]] = memref.alloc() {{.+}} : memref<512x512xf32>
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%[[SA:.+]] : memref<128x9xf32, #gpu.address_space<workgroup>>, %[[SB:.+]] : memref<8x129xf32, #gpu.address_space<workgroup>>) private(%{{.+}} : memref<8x8xf32, #gpu.address_space<private>>)
// CHECK: scf.for
// CHECK: vector.load %[[A]]
// CHECK: vector.load %[[B]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[SA]]
// CHECK: memref.load %[[SB]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[BIAS]]
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: memref.store %{{.+}}, %[[OUT]]
// CHECK-NOT: gpu.launch
// CHECK-NOT: linalg.
// CHECK: return %[[OUT]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @matmul_bias_relu(%a: tensor<512x256xf32>, %b: tensor<256x512xf32>, %bias: tensor<512xf32>) -> tensor<512x512xf32> {
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

// -----

// Softmax: the row maximum and the row sum are shared-level (the quotient
// reads them along every column): each computed once per block into
// workgroup memory by the reductions' tiled kernel (the 256-wide row staged
// after the intermediates, split over the block's 256 threads, the partials
// combined in workgroup memory), a barrier after each; the intermediate
// buffers go.
// REMARK: remark: group 'softmax_rows_k0' lowered to one gpu.launch: 5 operations, 64 blocks of 256 threads, 2 intermediates in 32 bytes of shared memory; through the tiled kernel in the launch: 'linalg.generic' block 1 thread 1 step 256 split over 256 threads per output, 'linalg.generic' block 1 thread 1 step 256 split over 256 threads per output (2048 bytes of shared memory for staged inputs); not one tiled kernel: 2 operations have reduction loops
// CHECK-LABEL: func.func @softmax_rows
// CHECK-SAME: (%[[X:.+]]: memref<64x256xf32>)
// CHECK: %[[OUT:.+]] = memref.alloc() {{.+}} : memref<64x256xf32>
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch {{.+}} dynamic_shared_memory_size
// CHECK: %[[RAW:.+]] = gpu.dynamic_shared_memory
// CHECK-DAG: %[[MAX:.+]] = memref.view %[[RAW]][%{{.+}}][] : {{.+}} to memref<1xf32, #gpu.address_space<workgroup>>
// CHECK-DAG: %[[SUM:.+]] = memref.view %[[RAW]][%{{.+}}][] : {{.+}} to memref<1xf32, #gpu.address_space<workgroup>>
// CHECK-DAG: %[[STAGED:.+]] = memref.view %[[RAW]][%c32][] : {{.+}} to memref<1x256xf32, #gpu.address_space<workgroup>>
// CHECK-DAG: %[[PARTIALS:.+]] = memref.view %[[RAW]][%c1056][] : {{.+}} to memref<256xf32, #gpu.address_space<workgroup>>
// CHECK: vector.store %{{.+}}, %[[STAGED]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[STAGED]]
// CHECK: arith.maximumf
// CHECK: memref.store %{{.+}}, %[[PARTIALS]]
// CHECK: gpu.barrier
// CHECK: arith.maximumf
// CHECK: memref.store %{{.+}}, %[[MAX]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[MAX]]
// CHECK: math.exp
// CHECK: memref.store %{{.+}}, %[[SUM]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[X]]
// CHECK: arith.divf
// CHECK: memref.store %{{.+}}, %[[OUT]]
// CHECK-NOT: gpu.launch
// CHECK: return %[[OUT]]
#sm = affine_map<(d0, d1) -> (d0, d1)>
#sr = affine_map<(d0, d1) -> (d0)>
func.func @softmax_rows(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %er = tensor.empty() : tensor<64xf32>
  %im = linalg.fill ins(%ninf : f32) outs(%er : tensor<64xf32>) -> tensor<64xf32>
  %max = linalg.generic {indexing_maps = [#sm, #sr], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<64x256xf32>) outs(%im : tensor<64xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %m = arith.maximumf %v, %acc : f32
    linalg.yield %m : f32
  } -> tensor<64xf32>
  %iz = linalg.fill ins(%zero : f32) outs(%er : tensor<64xf32>) -> tensor<64xf32>
  %sum = linalg.generic {indexing_maps = [#sm, #sr, #sr], iterator_types = ["parallel", "reduction"]}
      ins(%x, %max : tensor<64x256xf32>, tensor<64xf32>) outs(%iz : tensor<64xf32>) {
  ^bb0(%v: f32, %m: f32, %acc: f32):
    %d = arith.subf %v, %m : f32
    %e = math.exp %d : f32
    %s = arith.addf %acc, %e : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %ey = tensor.empty() : tensor<64x256xf32>
  %y = linalg.generic {indexing_maps = [#sm, #sr, #sr, #sm], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max, %sum : tensor<64x256xf32>, tensor<64xf32>, tensor<64xf32>) outs(%ey : tensor<64x256xf32>) {
  ^bb0(%v: f32, %m: f32, %s: f32, %o: f32):
    %d = arith.subf %v, %m : f32
    %e = math.exp %d : f32
    %q = arith.divf %e, %s : f32
    linalg.yield %q : f32
  } -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
