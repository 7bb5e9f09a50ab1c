#!/usr/bin/env python3
"""Writes a self-contained module that checks one configured operation under
the GPU emulator against the host reference.

    rtile_emu_harness.py CASE > harness.mlir
    hm-opt harness.mlir --convert-rtile-to-gpu --convert-linalg-to-loops \
        <emulator pipeline> <host lowering> | mlir-runner ...   # prints [0]

@kernel holds the operation with its rtile.config (convert-rtile-to-gpu turns
it into a gpu.launch, which the emulator runs); @reference holds the same
operation without one (convert-linalg-to-loops runs it on the host). @main
fills the inputs and outputs with small multiples of 1/8 and 1/4 — products
and sums of them are exact in f32, so any correct order of accumulation gives
the same bits — runs both and prints the largest absolute difference of the
outputs as a 1-element memref: [0] when the tiled kernel is right.
"""

import math
import sys

MATMUL = "linalg.matmul {attr} ins({ins} : {ins_types}) outs({outs} : {outs_types})"
GENERIC = ("linalg.generic {{indexing_maps = [{maps}], iterator_types = "
           "[{iters}]{extra}}} ins({ins} : {ins_types}) outs({outs} : "
           "{outs_types}) {{\n  ^bb0({args}):\n{body}\n  }}")
CONV = ("linalg.{name} {{dilations = dense<1> : tensor<2xi64>, strides = "
        "dense<{stride}> : tensor<2xi64>{extra}}} ins({ins} : {ins_types}) "
        "outs({outs} : {outs_types})")


def generic(maps, iters, args, body):
    return GENERIC.replace("{maps}", maps).replace("{iters}", iters).replace(
        "{args}", args).replace("{body}", body)


def conv(name, stride):
    return CONV.replace("{name}", name).replace("{stride}", str(stride))


ID2 = "affine_map<(d0, d1) -> (d0, d1)>"
# name: (operation, input shapes, output shapes, configuration)
CASES = {
    "matmul_even": (MATMUL, [[64, 32], [32, 48]], [[64, 48]],
                    "block = [32, 16], thread = [2, 4], reduction = [8], padding = 1"),
    "matmul_overhang": (MATMUL, [[70, 37], [37, 50]], [[70, 50]],
                        "block = [32, 64], thread = [4, 8], reduction = [16], padding = 1"),
    "batch_matmul": ("linalg.batch_matmul {attr} ins({ins} : {ins_types}) outs({outs} : {outs_types})",
                     [[3, 40, 24], [3, 24, 36]], [[3, 40, 36]],
                     "block = [2, 16, 16], thread = [1, 2, 4], reduction = [5]"),
    "conv_nchw_stride2": (conv("conv_2d_nchw_fchw", 2), [[2, 12, 17, 17], [16, 12, 3, 3]],
                          [[2, 16, 8, 8]],
                          "block = [2, 8, 4, 8], thread = [1, 2, 2, 2], reduction = [5, 3, 3], padding = 1"),
    "conv_nhwc": (conv("conv_2d_nhwc_hwcf", 1), [[2, 10, 10, 20], [3, 3, 20, 24]],
                  [[2, 8, 8, 24]],
                  "block = [1, 4, 4, 16], thread = [1, 1, 2, 2], reduction = [3, 3, 7]"),
    "depthwise_nhwc": (conv("depthwise_conv_2d_nhwc_hwc", 1), [[2, 11, 11, 24], [3, 3, 24]],
                       [[2, 9, 9, 24]],
                       "block = [2, 4, 4, 16], thread = [1, 2, 2, 1], reduction = [2, 3]"),
    "maxpool_nchw": (conv("pooling_nchw_max", 2), [[2, 6, 19, 19], [3, 3]], [[2, 6, 9, 9]],
                     "block = [1, 2, 4, 8], thread = [1, 1, 1, 2], reduction = [3, 3], padding = 1"),
    "bias_add": (generic(f"{ID2}, affine_map<(d0, d1) -> (d1)>, {ID2}",
                         '"parallel", "parallel"', "%x: f32, %y: f32, %o: f32",
                         "    %s = arith.addf %x, %y : f32\n    linalg.yield %s : f32"),
                 [[50, 70], [70]], [[50, 70]], "block = [16, 32], thread = [2, 4]"),
    "transpose": (generic(f"affine_map<(d0, d1) -> (d1, d0)>, {ID2}",
                          '"parallel", "parallel"', "%x: f32, %o: f32",
                          "    linalg.yield %x : f32"),
                  [[45, 66]], [[66, 45]], "block = [32, 16], thread = [4, 2], padding = 2"),
    "reduce_innermost": (generic(f"{ID2}, affine_map<(d0, d1) -> (d0)>",
                                 '"parallel", "reduction"', "%x: f32, %o: f32",
                                 "    %s = arith.addf %o, %x : f32\n    linalg.yield %s : f32"),
                         [[300, 77]], [[300]],
                         "block = [64], thread = [2], reduction = [16], padding = 1"),
    "reduce_outer_max": (generic("affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>",
                                 '"parallel", "reduction"', "%x: f32, %o: f32",
                                 "    %s = arith.maximumf %o, %x : f32\n    linalg.yield %s : f32"),
                         [[77, 300]], [[300]], "block = [128], thread = [4], reduction = [10]"),
    "linalg_index": (generic(f"{ID2}, {ID2}", '"parallel", "parallel"', "%x: f32, %o: f32",
                             "    %i = linalg.index 1 : index\n"
                             "    %ii = arith.index_cast %i : index to i32\n"
                             "    %f = arith.sitofp %ii : i32 to f32\n"
                             "    %s = arith.addf %x, %f : f32\n    linalg.yield %s : f32"),
                     [[33, 65]], [[33, 65]], "block = [4, 64], thread = [2, 4]"),
}


def memref(shape):
    return "memref<" + "x".join(map(str, shape)) + "xf32>"


def harness(op, inputs, outputs, config):
    names_in = [f"%in{i}" for i in range(len(inputs))]
    names_out = [f"%out{i}" for i in range(len(outputs))]
    fields = dict(ins=", ".join(names_in), outs=", ".join(names_out),
                  ins_types=", ".join(map(memref, inputs)),
                  outs_types=", ".join(map(memref, outputs)))
    attr = "#rtile.config<" + config + ">"
    kernel = op.format(attr="{rtile.config = " + attr + "}",
                       extra=", rtile.config = " + attr, **fields)
    reference = op.format(attr="", extra="", **fields)
    signature = ", ".join(f"{n}: {memref(s)}" for n, s in
                          zip(names_in + names_out, inputs + outputs))
    lines = [f"func.func @kernel({signature}) {{\n  {kernel}\n  return\n}}\n",
             f"func.func @reference({signature}) {{\n  {reference}\n  return\n}}\n",
             "func.func private @printMemrefF32(memref<*xf32>)\n",
             "func.func @main() {",
             "  %c0 = arith.constant 0 : index",
             "  %c1 = arith.constant 1 : index"]

    def alloc_and_fill(name, shape, mul, add, mod, offset, div):
        n = math.prod(shape)
        flat = memref([n])
        lines.append(f"  %{name} = memref.alloc() : {memref(shape)}")
        if len(shape) > 1:
            dims = ", ".join(str(i) for i in range(len(shape)))
            lines.append(f"  %{name}_flat = memref.collapse_shape %{name} "
                         f"[[{dims}]] : {memref(shape)} into {flat}")
        else:
            lines.append(f"  %{name}_flat = memref.cast %{name} : "
                         f"{memref(shape)} to {flat}")
        lines.append(f"  %{name}_n = arith.constant {n} : index")
        lines.append(f"  scf.for %k = %c0 to %{name}_n step %c1 {{")
        lines.append("    %i = arith.index_cast %k : index to i64")
        lines.append(f"    %mul = arith.constant {mul} : i64")
        lines.append(f"    %add = arith.constant {add} : i64")
        lines.append(f"    %mod = arith.constant {mod} : i64")
        lines.append(f"    %off = arith.constant {offset} : i64")
        lines.append("    %a = arith.muli %i, %mul : i64")
        lines.append("    %b = arith.addi %a, %add : i64")
        lines.append("    %c = arith.remui %b, %mod : i64")
        lines.append("    %d = arith.subi %c, %off : i64")
        lines.append("    %e = arith.sitofp %d : i64 to f32")
        lines.append(f"    %div = arith.constant {div} : f32")
        lines.append("    %v = arith.divf %e, %div : f32")
        lines.append(f"    memref.store %v, %{name}_flat[%k] : {flat}")
        lines.append("  }")

    for i, shape in enumerate(inputs):
        alloc_and_fill(f"in{i}", shape, 37 + 2 * i, 11 * i + 3, 17, 8, "8.0")
    for i, shape in enumerate(outputs):
        alloc_and_fill(f"out{i}", shape, 13, 5, 7, 3, "4.0")
        alloc_and_fill(f"ref{i}", shape, 13, 5, 7, 3, "4.0")
    types = ", ".join(map(memref, inputs + outputs))
    refs = [f"%ref{i}" for i in range(len(outputs))]
    lines.append(f"  call @kernel({', '.join(names_in + names_out)}) : ({types}) -> ()")
    lines.append(f"  call @reference({', '.join(names_in + refs)}) : ({types}) -> ()")
    lines.append("  %err = memref.alloc() : memref<1xf32>")
    lines.append("  %zero = arith.constant 0.0 : f32")
    lines.append("  memref.store %zero, %err[%c0] : memref<1xf32>")
    for i, shape in enumerate(outputs):
        flat = memref([math.prod(shape)])
        lines.append(f"  scf.for %k = %c0 to %out{i}_n step %c1 {{")
        lines.append(f"    %x = memref.load %out{i}_flat[%k] : {flat}")
        lines.append(f"    %y = memref.load %ref{i}_flat[%k] : {flat}")
        lines.append("    %d = arith.subf %x, %y : f32")
        lines.append("    %a = math.absf %d : f32")
        lines.append("    %m = memref.load %err[%c0] : memref<1xf32>")
        lines.append("    %n = arith.maximumf %m, %a : f32")
        lines.append("    memref.store %n, %err[%c0] : memref<1xf32>")
        lines.append("  }")
    lines.append("  %u = memref.cast %err : memref<1xf32> to memref<*xf32>")
    lines.append("  call @printMemrefF32(%u) : (memref<*xf32>) -> ()")
    lines.append("  return\n}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: rtile_emu_harness.py CASE; cases: " +
                 ", ".join(sorted(CASES)))
    sys.stdout.write(harness(*CASES[sys.argv[1]]))
