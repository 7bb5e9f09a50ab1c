#!/usr/bin/env python3
"""Checks Roller's alignment rules and the arch's limits on every row of an
--hm-roller report over the 119 operators of bench/roller/roller_ops.csv.

    hm-opt ops.mlir --hm-roller="arch=A report=true" -o /dev/null |
        check_roller_report.py --csv roller_ops.csv --arch A

Per operator: configured (not left alone); threads a multiple of 32 in
[32, 512]; shared memory and registers within the arch's limits; the block
extent of the loop walking the output's innermost dimension a multiple of
the 32-byte transaction in elements (8 floats) or the whole loop; the main
reduction step a multiple of 8 or the whole loop; window loops whole.
Prints one line per violation and exits 1, or prints "OK: N operators".
"""

import argparse
import csv
import sys

# Shared memory per block and registers per block of the built-in archs.
LIMITS = {"sm_70": (98304, 65536), "sm_80": (166912, 65536),
          "sm_90": (232448, 65536)}
TRANSACTION_FLOATS = 8


def ints(text):
    return [int(v) for v in text.strip("[]").split(",")] if text != "-" else []


def aligned(block, extent):
    return block % TRANSACTION_FLOATS == 0 or block == extent


def check_row(kind, shape, block, reduction):
    """Alignment problems of one operator, as strings."""
    problems = []

    def need(ok, what):
        if not ok:
            problems.append(what)

    if kind == "matmul":
        m, n, k = shape
        need(aligned(block[1], n), f"N block {block[1]} not aligned")
        need(aligned(reduction[0], k), f"K step {reduction[0]} not aligned")
    elif kind == "conv":  # loops (n, f, oh, ow | c, kh, kw)
        _, _, _, wo, c, kh, kw = shape
        need(aligned(block[3], wo), f"OW block {block[3]} not aligned")
        need(aligned(reduction[0], c), f"C step {reduction[0]} not aligned")
        need(reduction[1:] == [kh, kw], f"window {reduction[1:]} not whole")
    elif kind == "depthwiseconv":  # loops (n, oh, ow, c | kh, kw)
        _, _, _, wo, kh, kw = shape
        need(aligned(block[2], wo), f"OW block {block[2]} not aligned")
        need(reduction == [kh, kw], f"window {reduction} not whole")
    elif kind == "pooling":  # loops (n, c, oh, ow | kh, kw)
        _, _, wo, kh, kw = shape
        need(aligned(block[3], wo), f"OW block {block[3]} not aligned")
        need(reduction == [kh, kw], f"window {reduction} not whole")
    elif kind == "reduce":
        d1, d2 = shape
        need(aligned(block[0], d1), f"D1 block {block[0]} not aligned")
        need(aligned(reduction[0], d2), f"step {reduction[0]} not aligned")
    elif kind == "elementwise":
        need(block[0] % TRANSACTION_FLOATS == 0, f"block {block[0]} not aligned")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", required=True)
    parser.add_argument("--arch", required=True, choices=sorted(LIMITS))
    args = parser.parse_args()
    with open(args.csv, newline="") as f:
        ops = {r["id"]: r for r in csv.DictReader(f)}
    smem_limit, regs_limit = LIMITS[args.arch]

    lines = sys.stdin.read().splitlines()
    header = next(i for i, l in enumerate(lines) if l.startswith("op "))
    columns = lines[header].split()
    problems, seen = [], set()
    for line in lines[header + 1:]:
        if line.startswith("left alone:"):
            problems.append(line)
            continue
        row = dict(zip(columns, line.split()))
        op = ops[row["loc"]]
        seen.add(row["loc"])
        threads, smem, regs = (int(row["threads"]), int(row["smem_B"]),
                               int(row["regs"]))
        found = []
        if threads % 32 or not 32 <= threads <= 512:
            found.append(f"{threads} threads")
        if smem > smem_limit:
            found.append(f"{smem} B shared memory")
        if regs > 255 or regs * threads > regs_limit:
            found.append(f"{regs} registers x {threads} threads")
        shape = [int(v) for v in op["roller_shape_args"].split()]
        found += check_row(op["kind"], shape, ints(row["block"]),
                           ints(row["reduction"]))
        problems += [f"{row['loc']}: {p}" for p in found]
    missing = sorted(set(ops) - seen)
    if missing:
        problems.append("not in the report: " + ", ".join(missing))
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"OK: {len(seen)} operators")


if __name__ == "__main__":
    main()
