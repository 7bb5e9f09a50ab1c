// RUN: hm-opt %s --split-input-file --convert-gpu-to-emulator -verify-diagnostics

// Matrix operations the emulator does not run are errors naming them.

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @integer(%a: memref<16x16xi8>) kernel {
      %c0 = arith.constant 0 : index
      // expected-error @below {{'gpu.subgroup_mma_load_matrix' op is not supported by the GPU emulator (fragments of f16 and f32 only)}}
      %m = gpu.subgroup_mma_load_matrix %a[%c0, %c0] {leadDimension = 16 : index} : memref<16x16xi8> -> !gpu.mma_matrix<16x16xsi8, "AOp">
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @strided(%a: memref<16x16xf16, strided<[32, 1]>>) kernel {
      %c0 = arith.constant 0 : index
      // expected-error @below {{'gpu.subgroup_mma_load_matrix' op is not supported by the GPU emulator (memrefs with identity layout only)}}
      %m = gpu.subgroup_mma_load_matrix %a[%c0, %c0] {leadDimension = 32 : index} : memref<16x16xf16, strided<[32, 1]>> -> !gpu.mma_matrix<16x16xf16, "AOp">
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @f32_inputs(%x: f32) kernel {
      %a = gpu.subgroup_mma_constant_matrix %x : !gpu.mma_matrix<16x16xf32, "AOp">
      %b = gpu.subgroup_mma_constant_matrix %x : !gpu.mma_matrix<16x16xf32, "BOp">
      %c = gpu.subgroup_mma_constant_matrix %x : !gpu.mma_matrix<16x16xf32, "COp">
      // expected-error @below {{'gpu.subgroup_mma_compute' op is not supported by the GPU emulator (f16 A and B operands only)}}
      %d = gpu.subgroup_mma_compute %a, %b, %c : !gpu.mma_matrix<16x16xf32, "AOp">, !gpu.mma_matrix<16x16xf32, "BOp"> -> !gpu.mma_matrix<16x16xf32, "COp">
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @integer_elementwise(%x: f16) kernel {
      %a = gpu.subgroup_mma_constant_matrix %x : !gpu.mma_matrix<16x16xf16, "COp">
      // expected-error @below {{'gpu.subgroup_mma_elementwise' op is not supported by the GPU emulator (floating-point element-wise operations only)}}
      %d = gpu.subgroup_mma_elementwise addi %a, %a : (!gpu.mma_matrix<16x16xf16, "COp">, !gpu.mma_matrix<16x16xf16, "COp">) -> !gpu.mma_matrix<16x16xf16, "COp">
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @thread_local(%x: f16) kernel {
      %c0 = arith.constant 0 : index
      %a = gpu.subgroup_mma_constant_matrix %x : !gpu.mma_matrix<16x16xf16, "COp">
      // expected-error @below {{'gpu.subgroup_mma_extract_thread_local' op is not supported by the GPU emulator}}
      %v = gpu.subgroup_mma_extract_thread_local %a[%c0] : !gpu.mma_matrix<16x16xf16, "COp"> -> f16
      gpu.return
    }
  }
}
