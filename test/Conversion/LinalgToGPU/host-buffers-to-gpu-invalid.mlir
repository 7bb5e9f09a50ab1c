// RUN: hm-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(convert-host-buffers-to-gpu))'

func.func @host_load(%x: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'memref.load' op accesses a buffer from host code; buffers live in GPU memory, so only kernels may load or store them}}
  %v = memref.load %x[%c0] : memref<4xf32>
  return %v : f32
}

// -----

func.func @host_store(%x: memref<4xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'memref.store' op accesses a buffer from host code; buffers live in GPU memory, so only kernels may load or store them}}
  memref.store %v, %x[%c0] : memref<4xf32>
  return
}
