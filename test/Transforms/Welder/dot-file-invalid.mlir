// RUN: hm-opt %s --hm-welder=dot-file=%t.missing-dir/graph.dot -verify-diagnostics -o /dev/null

// expected-error @+1 {{hm-welder: cannot write dot-file}}
module {
  func.func @untouched(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
    %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
    return %r : tensor<64x64xf32>
  }
}
