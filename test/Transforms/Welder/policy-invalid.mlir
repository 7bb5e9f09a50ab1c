// RUN: hm-opt %s --hm-welder=policy=greedy -verify-diagnostics -o /dev/null

// expected-error @+1 {{hm-welder: unknown policy 'greedy'; expected 'welder' or 'elementwise'}}
module {
  func.func @untouched(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
    %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
    return %r : tensor<64x64xf32>
  }
}
