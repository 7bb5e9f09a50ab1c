// RUN: hm-opt %s --hm-welder=arch=sm_9 -verify-diagnostics -o /dev/null

// The arch option names a built-in description; anything else is an error
// before anything is touched, listing the valid names.
// expected-error @+1 {{hm-welder: unknown arch 'sm_9'; expected one of: sm_70, v100, sm_80, a100, sm_90, h100}}
module {
  func.func @untouched(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
    %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
    return %r : tensor<64x64xf32>
  }
}
