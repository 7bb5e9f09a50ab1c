// RUN: hm-opt %s --convert-rtile-to-gpu -verify-diagnostics

// (Configurations that do not match the operation's loops or exceed the
// thread limit are rejected by the rtile.config verifier already.)

// More shared memory than the arch gives a block: 2 x (256 x 129 + 128 x 257)
// floats on sm_70.
module attributes {rtile.arch = #rtile.arch<"sm_70">} {
  func.func @shared_memory_over_arch(%a: memref<256x256xf32>, %b: memref<256x256xf32>, %c: memref<256x256xf32>) {
    // expected-error @+1 {{convert-rtile-to-gpu: cannot lower: its configuration needs 527360 bytes of shared memory per block, more than sm_70 allows}}
    linalg.matmul {rtile.config = #rtile.config<block = [256, 256], thread = [16, 16], reduction = [128], padding = 1, double_buffer>}
      ins(%a, %b : memref<256x256xf32>, memref<256x256xf32>) outs(%c : memref<256x256xf32>)
    return
  }
}
