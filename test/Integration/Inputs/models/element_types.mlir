// One element-wise function per element type hm-run supports.
#map = affine_map<(d0, d1) -> (d0, d1)>

func.func @add_f16(%a: tensor<4x8xf16>, %b: tensor<4x8xf16>) -> tensor<4x8xf16> {
  %e = tensor.empty() : tensor<4x8xf16>
  %r = linalg.add ins(%a, %b : tensor<4x8xf16>, tensor<4x8xf16>) outs(%e : tensor<4x8xf16>) -> tensor<4x8xf16>
  return %r : tensor<4x8xf16>
}

func.func @add_bf16(%a: tensor<4x8xbf16>, %b: tensor<4x8xbf16>) -> tensor<4x8xbf16> {
  %e = tensor.empty() : tensor<4x8xbf16>
  %r = linalg.add ins(%a, %b : tensor<4x8xbf16>, tensor<4x8xbf16>) outs(%e : tensor<4x8xbf16>) -> tensor<4x8xbf16>
  return %r : tensor<4x8xbf16>
}

func.func @add_f64(%a: tensor<4x8xf64>, %b: tensor<4x8xf64>) -> tensor<4x8xf64> {
  %e = tensor.empty() : tensor<4x8xf64>
  %r = linalg.add ins(%a, %b : tensor<4x8xf64>, tensor<4x8xf64>) outs(%e : tensor<4x8xf64>) -> tensor<4x8xf64>
  return %r : tensor<4x8xf64>
}

func.func @add_i8(%a: tensor<4x8xi8>, %b: tensor<4x8xi8>) -> tensor<4x8xi8> {
  %e = tensor.empty() : tensor<4x8xi8>
  %r = linalg.add ins(%a, %b : tensor<4x8xi8>, tensor<4x8xi8>) outs(%e : tensor<4x8xi8>) -> tensor<4x8xi8>
  return %r : tensor<4x8xi8>
}

func.func @add_i16(%a: tensor<4x8xi16>, %b: tensor<4x8xi16>) -> tensor<4x8xi16> {
  %e = tensor.empty() : tensor<4x8xi16>
  %r = linalg.add ins(%a, %b : tensor<4x8xi16>, tensor<4x8xi16>) outs(%e : tensor<4x8xi16>) -> tensor<4x8xi16>
  return %r : tensor<4x8xi16>
}

func.func @add_i32(%a: tensor<4x8xi32>, %b: tensor<4x8xi32>) -> tensor<4x8xi32> {
  %e = tensor.empty() : tensor<4x8xi32>
  %r = linalg.add ins(%a, %b : tensor<4x8xi32>, tensor<4x8xi32>) outs(%e : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %r : tensor<4x8xi32>
}

func.func @add_i64(%a: tensor<4x8xi64>, %b: tensor<4x8xi64>) -> tensor<4x8xi64> {
  %e = tensor.empty() : tensor<4x8xi64>
  %r = linalg.add ins(%a, %b : tensor<4x8xi64>, tensor<4x8xi64>) outs(%e : tensor<4x8xi64>) -> tensor<4x8xi64>
  return %r : tensor<4x8xi64>
}

func.func @xor_i1(%a: tensor<4x8xi1>, %b: tensor<4x8xi1>) -> tensor<4x8xi1> {
  %e = tensor.empty() : tensor<4x8xi1>
  %r = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4x8xi1>, tensor<4x8xi1>) outs(%e : tensor<4x8xi1>) {
  ^bb0(%x: i1, %y: i1, %o: i1):
    %z = arith.xori %x, %y : i1
    linalg.yield %z : i1
  } -> tensor<4x8xi1>
  return %r : tensor<4x8xi1>
}
