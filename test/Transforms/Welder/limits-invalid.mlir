// RUN: hm-opt %s --hm-welder=max-group-size=0 -verify-diagnostics -o /dev/null
// RUN: hm-opt %s --hm-welder=max-tiles=0 -verify-diagnostics -o /dev/null

// expected-error-re @+1 {{hm-welder: 'max-group-size' and 'max-tiles' must be at least 1, got {{.*}}}}
module {
  func.func @untouched(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
    %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
    return %r : tensor<64x64xf32>
  }
}
