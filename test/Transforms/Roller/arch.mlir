// RUN: hm-opt %s --split-input-file --hm-roller | FileCheck %s
// RUN: hm-opt %s --split-input-file --hm-roller=arch=a100 | FileCheck %s --check-prefix=OPTION

// Which GPU the configurations are for: the `arch` option, else the nearest
// rtile.arch, else sm_90; the module records it.

// A bare matmul with no option and no rtile.arch: configured for sm_90, and
// the module says so.
// CHECK-LABEL: module attributes {rtile.arch = #rtile.arch<"sm_90">}
// CHECK:         func.func @bare_matmul
// CHECK:           linalg.matmul {rtile.config = #rtile.config<block = [128, 128], warp = [32, 128], thread = [8, 16], reduction = [8], padding = 1, vector = 4, double_buffer>}
// OPTION-LABEL: module attributes {rtile.arch = #rtile.arch<"sm_80">}
// OPTION:         func.func @bare_matmul
// OPTION:           linalg.matmul {rtile.config = #rtile.config<block = [64, 128], warp = [16, 128], thread = [8, 8], reduction = [8], padding = 1, vector = 4, double_buffer>}
func.func @bare_matmul(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}

// -----

// The module's rtile.arch is the target when no option is given; the option
// replaces it.
// CHECK-LABEL: module attributes {rtile.arch = #rtile.arch<"sm_70">}
// CHECK:           linalg.matmul {rtile.config = #rtile.config<block = [128, 128], warp = [8, 128], thread = [4, 8], reduction = [8], padding = 1, vector = 4, double_buffer>}
// OPTION-LABEL: module attributes {rtile.arch = #rtile.arch<"sm_80">}
// OPTION:           linalg.matmul {rtile.config = #rtile.config<block = [64, 128], warp = [16, 128], thread = [8, 8], reduction = [8], padding = 1, vector = 4, double_buffer>}
module attributes {rtile.arch = #rtile.arch<"sm_70">} {
  func.func @module_arch(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
    %r = linalg.matmul ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
    return %r : tensor<4096x4096xf32>
  }
}

// -----

// A function's own rtile.arch wins over the module's; the module keeps its
// own. With the option, both are replaced.
// CHECK-LABEL: module attributes {rtile.arch = #rtile.arch<"sm_90">}
// CHECK:         func.func @function_arch({{.*}} attributes {rtile.arch = #rtile.arch<"sm_70">}
// CHECK:           linalg.matmul {rtile.config = #rtile.config<block = [128, 128], warp = [8, 128], thread = [4, 8], reduction = [8]
// OPTION-LABEL: module attributes {rtile.arch = #rtile.arch<"sm_80">}
// OPTION:         func.func @function_arch({{.*}} attributes {rtile.arch = #rtile.arch<"sm_80">}
// OPTION:           linalg.matmul {rtile.config = #rtile.config<block = [64, 128], warp = [16, 128], thread = [8, 8], reduction = [8]
module attributes {rtile.arch = #rtile.arch<"sm_90">} {
  func.func @function_arch(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> attributes {rtile.arch = #rtile.arch<"v100">} {
    %r = linalg.matmul ins(%a, %b : tensor<4096x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
    return %r : tensor<4096x4096xf32>
  }
}

// -----

// An operation that already has a configuration keeps it.
// CHECK-LABEL: func.func @already_configured
// CHECK:         linalg.matmul {rtile.config = #rtile.config<block = [32, 32], thread = [4, 4], reduction = [8]>}
// OPTION-LABEL: func.func @already_configured
// OPTION:         linalg.matmul {rtile.config = #rtile.config<block = [32, 32], thread = [4, 4], reduction = [8]>}
func.func @already_configured(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [32, 32], thread = [4, 4], reduction = [8]>}
      ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}
