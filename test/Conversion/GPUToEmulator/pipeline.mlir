// RUN: hm-opt %s --hm-linalg-to-gpu-pipeline %hm_emu_pipeline \
// RUN:   | FileCheck %s --implicit-check-not=" gpu." --implicit-check-not=" affine." \
// RUN:     --implicit-check-not=" linalg." --implicit-check-not=" bufferization."

// The emulator's input is the output of hm-linalg-to-gpu-pipeline; what
// comes out uses only host dialects (func, memref, arith, scf, llvm and
// unrealized casts that the host lowering to LLVM reconciles). The entry
// keeps its signature.

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME:      %{{.+}}: memref<16x32xf32>, %{{.+}}: memref<32x8xf32>) -> memref<16x8xf32>
// CHECK:         memref.alloc() {alignment = 64 : i64} : memref<16x8xf32>
// CHECK:         call @hm_emu_register_alloc(
// CHECK:         call @hm_emu_launch(
// CHECK:         call @hm_emu_launch(
// CHECK:         return
// CHECK:       func.func private @__hm_emu_matmul_kernel_matmul_kernel(
// CHECK:       func.func private @__hm_emu_entry_matmul_kernel_matmul_kernel(
// CHECK:       func.func private @__hm_emu_matmul_kernel_0_matmul_kernel(
// CHECK:       func.func private @__hm_emu_entry_matmul_kernel_0_matmul_kernel(
func.func @matmul(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>) -> tensor<16x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x8xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  %r = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>)
                     outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}
