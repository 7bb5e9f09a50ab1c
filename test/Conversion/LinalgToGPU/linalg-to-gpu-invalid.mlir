// RUN: hm-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(convert-linalg-to-gpu))'

func.func @tensor_semantics(%x: tensor<4xf32>) -> tensor<4xf32> {
  %z = arith.constant 0.0 : f32
  // expected-error @+1 {{'linalg.fill' op still operates on tensors; bufferize before convert-linalg-to-gpu}}
  %r = linalg.fill ins(%z : f32) outs(%x : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

func.func @dynamic_shape(%x: memref<?xf32>) {
  %z = arith.constant 0.0 : f32
  // expected-error @+1 {{'linalg.fill' op has dynamic loop extents, which the baseline GPU mapping does not support; pin the shapes first}}
  linalg.fill ins(%z : f32) outs(%x : memref<?xf32>)
  return
}
