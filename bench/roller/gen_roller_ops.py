#!/usr/bin/env python3
"""Generates linalg-on-tensors IR for the 119 operators of Roller's evaluation.

Reads roller_ops.csv (beside this script; provenance in README.md) and writes
one .mlir file per operator, each holding `--repeat` copies of the operator
(one func.func each) so that a timer with 0.1 ms resolution can measure
per-operator construction time.

    python3 bench/roller/gen_roller_ops.py --out DIR [--dtype f32|f16|bf16]
                                           [--repeat N] [--only ID,ID,...]
    python3 bench/roller/gen_roller_ops.py --single FILE [--dtype ...]

(--single: every operator once, in one module, each op named by its id.)

Shapes follow the CSV's `roller_shape_args` (see README.md):
  matmul        M N K            linalg.matmul [M,K] x [K,N]
  conv          N F HO WO C KH KW  linalg.conv_2d_nchw_fchw on the padded input
  depthwiseconv N C HO WO KH KW  linalg.depthwise_conv_2d_nchw_chw
  pooling       B HO WO KH KW    linalg.pooling_nchw_sum (average pooling's
                                 sum; the division is a separate op), B split
                                 into batch x channels from the case name
  reduce        D1 D2            linalg.generic: C[D1] = sum_j A[D1, j]
  elementwise   N                linalg.generic: relu over a 1-d tensor
Convolution and pooling inputs are the padded inputs (Roller's P is a
tensor.pad before the operator, not part of it).
"""

import argparse
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def conv_params(roller_op):
    """Stride, dilation and padding from e.g. `fused_conv_expr_S2D1P0`."""
    m = re.search(r"S(\d+)D(\d+)P(\d+)", roller_op)
    if m:
        return tuple(int(v) for v in m.groups())
    m = re.search(r"S(\d+)P(\d+)", roller_op)
    return int(m.group(1)), 1, int(m.group(2))


def tensor(shape, dtype):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + dtype + ">"


def matmul(args, dtype):
    m, n, k = args
    a, b, c = tensor([m, k], dtype), tensor([k, n], dtype), tensor([m, n], dtype)
    return (f"(%a: {a}, %b: {b}, %c: {c}) -> {c}",
            f"  %r = linalg.matmul ins(%a, %b : {a}, {b}) outs(%c : {c}) -> {c}")


def conv(args, dtype, roller_op):
    n, f, ho, wo, c, kh, kw = args
    s, d, _ = conv_params(roller_op)
    h = (ho - 1) * s + (kh - 1) * d + 1
    w = (wo - 1) * s + (kw - 1) * d + 1
    i, k, o = (tensor([n, c, h, w], dtype), tensor([f, c, kh, kw], dtype),
               tensor([n, f, ho, wo], dtype))
    return (f"(%i: {i}, %k: {k}, %o: {o}) -> {o}",
            f"  %r = linalg.conv_2d_nchw_fchw {{dilations = dense<{d}> : "
            f"tensor<2xi64>, strides = dense<{s}> : tensor<2xi64>}} "
            f"ins(%i, %k : {i}, {k}) outs(%o : {o}) -> {o}")


def depthwise(args, dtype, roller_op):
    n, c, ho, wo, kh, kw = args
    s, d, _ = conv_params(roller_op)
    h = (ho - 1) * s + (kh - 1) * d + 1
    w = (wo - 1) * s + (kw - 1) * d + 1
    i, k, o = (tensor([n, c, h, w], dtype), tensor([c, kh, kw], dtype),
               tensor([n, c, ho, wo], dtype))
    return (f"(%i: {i}, %k: {k}, %o: {o}) -> {o}",
            f"  %r = linalg.depthwise_conv_2d_nchw_chw {{dilations = "
            f"dense<{d}> : tensor<2xi64>, strides = dense<{s}> : "
            f"tensor<2xi64>}} ins(%i, %k : {i}, {k}) outs(%o : {o}) -> {o}")


def pooling(args, dtype, roller_op, case_name):
    b, ho, wo, kh, kw = args
    s, _, _ = conv_params(roller_op)
    # e.g. pooling10_avg_128_84_42_42_3_1_SAME: batch 128, 84 channels.
    parts = case_name.split("_")
    batch, channels = int(parts[2]), int(parts[3])
    if batch * channels != b:
        batch, channels = 1, b
    h = (ho - 1) * s + kh
    w = (wo - 1) * s + kw
    i, win, o = (tensor([batch, channels, h, w], dtype),
                 tensor([kh, kw], dtype),
                 tensor([batch, channels, ho, wo], dtype))
    return (f"(%i: {i}, %o: {o}) -> {o}",
            f"  %win = tensor.empty() : {win}\n"
            f"  %r = linalg.pooling_nchw_sum {{dilations = dense<1> : "
            f"tensor<2xi64>, strides = dense<{s}> : tensor<2xi64>}} "
            f"ins(%i, %win : {i}, {win}) outs(%o : {o}) -> {o}")


def reduce(args, dtype):
    d1, d2 = args
    a, c = tensor([d1, d2], dtype), tensor([d1], dtype)
    return (f"(%a: {a}, %c: {c}) -> {c}",
            "  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> "
            "(d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = "
            "[\"parallel\", \"reduction\"]} "
            f"ins(%a : {a}) outs(%c : {c}) {{\n"
            f"  ^bb0(%x: {dtype}, %acc: {dtype}):\n"
            f"    %s = arith.addf %acc, %x : {dtype}\n"
            f"    linalg.yield %s : {dtype}\n"
            f"  }} -> {c}")


def relu(args, dtype):
    (n,) = args
    t = tensor([n], dtype)
    return (f"(%a: {t}) -> {t}",
            f"  %e = tensor.empty() : {t}\n"
            f"  %zero = arith.constant 0.0 : {dtype}\n"
            "  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, "
            "affine_map<(d0) -> (d0)>], iterator_types = [\"parallel\"]} "
            f"ins(%a : {t}) outs(%e : {t}) {{\n"
            f"  ^bb0(%x: {dtype}, %unused: {dtype}):\n"
            f"    %m = arith.maximumf %x, %zero : {dtype}\n"
            f"    linalg.yield %m : {dtype}\n"
            f"  }} -> {t}")


def operator_ir(row, dtype):
    """(signature, body) of one operator's function."""
    kind, roller_op = row["kind"], row["roller_op"]
    args = [int(v) for v in row["roller_shape_args"].split()]
    if kind == "matmul":
        return matmul(args, dtype)
    if kind == "conv":
        return conv(args, dtype, roller_op)
    if kind == "depthwiseconv":
        return depthwise(args, dtype, roller_op)
    if kind == "pooling":
        return pooling(args, dtype, roller_op, row["case_name"])
    if kind == "reduce":
        return reduce(args, dtype)
    if kind == "elementwise":
        return relu(args, dtype)
    raise ValueError(f"unknown kind {kind!r}")


def function_text(row, dtype, name):
    """One func.func holding the operator; the linalg op is located by name
    (loc("<id>")) so that reports name it."""
    signature, body = operator_ir(row, dtype)
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("%r = linalg."):
            # The op ends on its last line (a region closes with "} -> type").
            end = i
            if lines[i].rstrip().endswith("{"):
                end = next(j for j in range(i, len(lines))
                           if lines[j].lstrip().startswith("} ->"))
            lines[end] += f' loc("{row["id"]}")'
            break
    return (f"func.func @{name}{signature} {{\n" + "\n".join(lines) +
            f"\n  return %r : {signature.rsplit('-> ', 1)[1]}\n}}\n")


def module_text(row, dtype, repeat):
    functions = [function_text(row, dtype, f"{row['id']}_{copy}")
                 for copy in range(repeat)]
    return (f"// {row['id']} {row['kind']} {row['roller_op']} "
            f"{row['roller_shape_args']} ({row['case_name']}), {dtype}\n" +
            "\n".join(functions))


def read_rows(csv_path):
    with open(csv_path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", default=os.path.join(HERE, "roller_ops.csv"))
    parser.add_argument("--out", help="output directory (one file per op)")
    parser.add_argument("--single", help="write every operator into one file")
    parser.add_argument("--dtype", default="f32", choices=["f32", "f16", "bf16"])
    parser.add_argument("--repeat", type=int, default=1,
                        help="copies of each operator per file")
    parser.add_argument("--only", default="",
                        help="comma-separated operator ids (default: all)")
    args = parser.parse_args()
    rows = read_rows(args.csv)
    if args.only:
        wanted = set(args.only.split(","))
        rows = [r for r in rows if r["id"] in wanted]
    if args.single:
        with open(args.single, "w") as f:
            f.write(f"// {len(rows)} operators of Roller's evaluation, "
                    f"{args.dtype}\n")
            for row in rows:
                f.write(function_text(row, args.dtype, row["id"]) + "\n")
        return
    if not args.out:
        parser.error("one of --out and --single is required")
    os.makedirs(args.out, exist_ok=True)
    for row in rows:
        with open(os.path.join(args.out, row["id"] + ".mlir"), "w") as f:
            f.write(module_text(row, args.dtype, args.repeat))
    print(f"wrote {len(rows)} operators to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
