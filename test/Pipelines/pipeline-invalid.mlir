// What the baseline pipeline cannot compile is an error naming the operation.
// RUN: hm-opt %s --split-input-file --verify-diagnostics --hm-linalg-to-gpu-pipeline

func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  // expected-error @+1 {{'linalg.negf' op has dynamic loop extents, which the baseline GPU mapping does not support; pin the shapes first}}
  %r = linalg.negf ins(%x : tensor<?xf32>) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// Reading one element on the host would read device memory.
func.func @host_extract(%x: tensor<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'memref.load' op accesses a buffer from host code; buffers live in GPU memory, so only kernels may load or store them}}
  %v = tensor.extract %x[%c0] : tensor<4xf32>
  return %v : f32
}
