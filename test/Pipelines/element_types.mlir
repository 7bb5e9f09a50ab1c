// RUN: rm -rf %t && hm-opt %s --split-input-file --hm-lower-to-nvvm-pipeline --hm-dump-gpu-binaries=output-dir=%t -o /dev/null
// RUN: FileCheck %s --check-prefix=F16 < %t/matmul_f16_kernel_0.ptx
// RUN: FileCheck %s --check-prefix=BF16 < %t/add_bf16_kernel.ptx
// RUN: FileCheck %s --check-prefix=I32 < %t/sum_i32_kernel_0.ptx
// RUN: FileCheck %s --check-prefix=I8 < %t/relu_i8_kernel.ptx
// RUN: FileCheck %s --check-prefix=CMP < %t/greater_kernel.ptx

// f16 matmul accumulating in f16.
// F16: .target sm_90
// F16: .visible .entry matmul_f16_kernel(
// F16: mul.rn.f16
// F16: add.rn.f16
func.func @matmul_f16(%a: tensor<32x64xf16>, %b: tensor<64x16xf16>) -> tensor<32x16xf16> {
  %zero = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<32x16xf16>
  %c = linalg.fill ins(%zero : f16) outs(%e : tensor<32x16xf16>) -> tensor<32x16xf16>
  %r = linalg.matmul ins(%a, %b : tensor<32x64xf16>, tensor<64x16xf16>) outs(%c : tensor<32x16xf16>) -> tensor<32x16xf16>
  return %r : tensor<32x16xf16>
}

// -----

// BF16: .visible .entry add_bf16_kernel(
// BF16: add.rn.bf16
func.func @add_bf16(%x: tensor<128xbf16>, %y: tensor<128xbf16>) -> tensor<128xbf16> {
  %e = tensor.empty() : tensor<128xbf16>
  %r = linalg.add ins(%x, %y : tensor<128xbf16>, tensor<128xbf16>) outs(%e : tensor<128xbf16>) -> tensor<128xbf16>
  return %r : tensor<128xbf16>
}

// -----

// I32: .visible .entry sum_i32_kernel(
// I32: add.s32
func.func @sum_i32(%x: tensor<16x64xi32>) -> tensor<16xi32> {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<16xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<16xi32>) -> tensor<16xi32>
  %r = linalg.reduce ins(%x : tensor<16x64xi32>) outs(%init : tensor<16xi32>) dimensions = [1]
    (%in: i32, %acc: i32) {
      %s = arith.addi %in, %acc : i32
      linalg.yield %s : i32
    }
  return %r : tensor<16xi32>
}

// -----

// I8: .visible .entry relu_i8_kernel(
// I8: ld.global.s8
// I8: max.s16
// I8: st.global.b8
func.func @relu_i8(%x: tensor<256xi8>) -> tensor<256xi8> {
  %e = tensor.empty() : tensor<256xi8>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%x : tensor<256xi8>) outs(%e : tensor<256xi8>) {
  ^bb0(%a: i8, %o: i8):
    %z = arith.constant 0 : i8
    %m = arith.maxsi %a, %z : i8
    linalg.yield %m : i8
  } -> tensor<256xi8>
  return %r : tensor<256xi8>
}

// -----

// A comparison producing i1 (stored as bytes).
// CMP: .visible .entry greater_kernel(
// CMP: setp.gt.f32
// CMP: st.global.b8
func.func @greater(%x: tensor<64xf32>, %y: tensor<64xf32>) -> tensor<64xi1> {
  %e = tensor.empty() : tensor<64xi1>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%x, %y : tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<64xi1>) {
  ^bb0(%a: f32, %b: f32, %o: i1):
    %c = arith.cmpf ogt, %a, %b : f32
    linalg.yield %c : i1
  } -> tensor<64xi1>
  return %r : tensor<64xi1>
}
