// RUN: hm-opt %s | hm-opt | FileCheck %s

// rtile.candidates: Roller's ranked alternates (top-k > 1), an array of
// configurations of the operation it sits on; it round-trips.

// CHECK-LABEL: func.func @candidates_round_trip
// CHECK:         linalg.matmul {rtile.candidates = [#rtile.config<block = [64, 64], thread = [4, 4], reduction = [8]>, #rtile.config<block = [32, 128], warp = [16, 64], thread = [4, 8], reduction = [16], padding = 1, vector = 4, double_buffer>], rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [8]>}
func.func @candidates_round_trip(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %r = linalg.matmul {rtile.config = #rtile.config<block = [128, 128], thread = [8, 8], reduction = [8]>,
                      rtile.candidates = [#rtile.config<block = [64, 64], thread = [4, 4], reduction = [8]>,
                                          #rtile.config<block = [32, 128], warp = [16, 64], thread = [4, 8], reduction = [16], padding = 1, vector = 4, double_buffer>]}
      ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}
