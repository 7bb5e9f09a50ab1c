// Upstream mlir-opt runs HeavyMetal's passes from the plugin through -p; a
// plugin's pass cannot be named as its own flag there.
// RUN: mlir-opt %s --load-pass-plugin=%hm_plugin -p 'builtin.module(func.func(convert-linalg-to-gpu{block-size=64}))' | FileCheck %s
// RUN: not mlir-opt %s --load-pass-plugin=%hm_plugin --convert-linalg-to-gpu 2>&1 | FileCheck %s --check-prefix=FLAG

// CHECK-LABEL: func.func @relu
// CHECK: %[[C64:.+]] = arith.constant 64 : index
// CHECK: gpu.launch blocks({{.*}}) threads({{.*}}) in ({{.*}} = %[[C64]],
// CHECK: arith.maximumf
// FLAG: Unknown command line argument '--convert-linalg-to-gpu'
func.func @relu(%x: memref<256xf32>, %y: memref<256xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                  iterator_types = ["parallel"]}
      ins(%x : memref<256xf32>) outs(%y : memref<256xf32>) {
  ^bb0(%a: f32, %o: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  }
  return
}
