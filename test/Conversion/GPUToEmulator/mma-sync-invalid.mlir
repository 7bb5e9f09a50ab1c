// RUN: hm-opt %s --split-input-file --convert-gpu-to-emulator -verify-diagnostics

// nvvm.mma.sync forms the emulator does not run are errors naming them at
// compile time (it runs m16n8k16 with bf16 A row, B col, f32 C and D).

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @f16_operands() kernel {
      %h = arith.constant dense<0.0> : vector<2xf16>
      %f = arith.constant 0.0 : f32
      // expected-error @below {{'nvvm.mma.sync' op is not supported by the GPU emulator (nvvm.mma.sync of shape m16n8k16 with bf16 A (row) and B (col) and f32 C and D only)}}
      %r = nvvm.mma.sync A[%h, %h, %h, %h] B[%h, %h] C[%f, %f, %f, %f]
        {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>,
         shape = #nvvm.shape<m = 16, n = 8, k = 16>}
        : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @bf16_m16n8k8() kernel {
      %w = arith.constant 0 : i32
      %f = arith.constant 0.0 : f32
      // expected-error @below {{'nvvm.mma.sync' op is not supported by the GPU emulator (nvvm.mma.sync of shape m16n8k16 with bf16 A (row) and B (col) and f32 C and D only)}}
      %r = nvvm.mma.sync A[%w, %w] B[%w] C[%f, %f, %f, %f]
        {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>,
         multiplicandAPtxType = #nvvm.mma_type<bf16>,
         multiplicandBPtxType = #nvvm.mma_type<bf16>,
         shape = #nvvm.shape<m = 16, n = 8, k = 8>}
        : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
      gpu.return
    }
  }
}
