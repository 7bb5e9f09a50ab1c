// Entry functions hm-run must refuse, one per reason.
func.func @scalar_argument(%a: f32) -> tensor<2xf32> {
  %c = arith.constant dense<1.0> : tensor<2xf32>
  return %c : tensor<2xf32>
}

func.func @dynamic_argument(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %a : tensor<?x4xf32>
}

func.func @complex_argument(%a: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  return %a : tensor<4xcomplex<f32>>
}

func.func @unsigned_argument(%a: tensor<4xui8>) -> tensor<4xui8> {
  return %a : tensor<4xui8>
}

func.func @unranked_argument(%a: tensor<*xf32>) -> tensor<*xf32> {
  return %a : tensor<*xf32>
}

func.func @scalar_result(%a: tensor<4xf32>) -> f32 {
  %c = arith.constant 0 : index
  %x = tensor.extract %a[%c] : tensor<4xf32>
  return %x : f32
}

func.func private @declaration(tensor<4xf32>) -> tensor<4xf32>
