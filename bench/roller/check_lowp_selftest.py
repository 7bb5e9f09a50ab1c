#!/usr/bin/env python3
"""Self-test of the f16/bf16 comparison of check_kernels.py: it accepts the
emulator's output and reports wrong results as mismatches.

    python3 bench/roller/check_lowp_selftest.py --hm-opt build/bin/hm-opt
        [--hm-run build/bin/hm-run] [--arch sm_90] --dtype f16 ID [ID ...]

For each operator of roller_ops.csv it takes Roller's configuration for
--arch, runs the scaled configured kernel under the emulator (as
run_roller_bench.py --check-emu does) and compares, with
check_kernels.compare_within_bound, the reference (the f32 operator on the
same inputs) with:

- the kernel's output (the real check);
- the kernel's output with its largest element moved by 3 ulps of the
  low-precision type (a rounding-sized error: beyond the tensor-core bound,
  half an ulp; within the looser worst-case bound of a CUDA-core kernel);
- the kernel's output against the reference recomputed with the first input
  shifted by one element (a kernel reading its neighbour: an index error);
- the kernel's output against the reference recomputed with one element of
  the first input set to 0 (a kernel dropping the terms of one element);
- the operator as written, run by `hm-run --device=cpu` in the low-precision
  type (every multiply-add rounded: the old reference), under the
  tensor-core bound and under the CUDA-core bound — a correct result for a
  kernel that accumulates in f16/bf16, a wrong one for a kernel that should
  accumulate in f32.

Each line ends with OK or MISMATCH and the figures; which is expected is
the test's business (test/Transforms/Roller/roller-bench-lowp-check.test).
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_kernels as ck  # noqa: E402
import gen_roller_ops  # noqa: E402


def roller_config(hm_opt, row, dtype, arch, tmp):
    source = Path(tmp) / "full.mlir"
    source.write_text(gen_roller_ops.module_text(row, dtype, 1))
    ir = subprocess.run([hm_opt, str(source), f"--hm-roller=arch={arch}"],
                        capture_output=True, text=True, check=True).stdout
    return ck.config_of(ir)


def ulp(values, dtype):
    """The spacing of the low-precision type at each value."""
    digits = {"f16": 11, "bf16": 8}[dtype]
    smallest = {"f16": 2.0 ** -24, "bf16": 2.0 ** -133}[dtype]
    v = np.abs(np.asarray(values, dtype=np.float64))
    exponent = np.floor(np.log2(np.where(v > 0, v, 1.0)))
    return np.maximum(2.0 ** (exponent - (digits - 1)), smallest)


def verdict(label, ok, figures):
    print(f"{label}: {'OK' if ok else 'MISMATCH'} ({figures['mismatches']} "
          f"beyond; max |err| {figures['max_abs_err']:.3g}, max |err|/bound "
          f"{figures['max_err_over_bound']:.3g})", flush=True)


def self_test(hm_run, hm_opt, arch, dtype, row):
    with tempfile.TemporaryDirectory() as tmp:
        config = roller_config(hm_opt, row, dtype, arch, tmp)
        small = ck.scaled_row(row, config)
        inputs, output, tensor_cores = ck.run_emu_low_precision(
            hm_run, small, dtype, config, tmp)
        ref, abs_sum = ck.run_reference_f32(hm_run, small, inputs,
                                            Path(tmp) / "good")
        terms = ck.reduction_length(small) + 1
        units = "tensor cores" if tensor_cores else "CUDA cores"
        label = f"{row['id']} {dtype} ({small['roller_shape_args']}, n = {terms})"
        print(f"{label}: kernel on {units}", flush=True)
        bound = ck.error_bound(ref, abs_sum, terms, dtype, tensor_cores)
        y = output.astype(np.float64)

        verdict(f"{label}: kernel", *ck.compare_within_bound(y, ref, bound))

        moved = y.copy().ravel()
        i = int(np.argmax(np.abs(ref)))
        moved[i] += 3 * ulp(moved[i], dtype)
        verdict(f"{label}: largest element moved by 3 ulps",
                *ck.compare_within_bound(moved.reshape(y.shape), ref, bound))

        def against(name, first):
            directory = Path(tmp) / name
            wrong, wrong_abs = ck.run_reference_f32(
                hm_run, small, [first] + inputs[1:], directory)
            wrong_bound = ck.error_bound(wrong, wrong_abs, terms, dtype,
                                         tensor_cores)
            return ck.compare_within_bound(y, wrong, wrong_bound)

        first = inputs[0].astype(np.float32)
        verdict(f"{label}: first input shifted by one element",
                *against("shifted", np.roll(first, 1)))
        dropped = first.copy().ravel()
        dropped[np.argmax(np.abs(dropped))] = 0
        verdict(f"{label}: largest element of the first input dropped",
                *against("dropped", dropped.reshape(first.shape)))

        # The operator as written, in the low-precision type, on the cpu.
        source = Path(tmp) / "literal.mlir"
        source.write_text(gen_roller_ops.function_text(small, dtype, "op"))
        directory = Path(tmp) / "literal"
        cmd = [hm_run, str(source), "--entry=op", "--device=cpu",
               f"--output-dir={directory}"]
        for index, x in enumerate(inputs):
            path = Path(tmp) / f"literal_in{index}.npy"
            np.save(path, x)  # f16 as <f2, bf16 as its f32 values
            cmd.append(f"--input={path}")
        subprocess.run(cmd, capture_output=True, text=True, check=True)
        literal = np.load(directory / "out0.npy").astype(np.float64)
        for tc, name in ((True, "tensor-core"), (False, "CUDA-core")):
            verdict(f"{label}: cpu result accumulated in {dtype}, {name} bound",
                    *ck.compare_within_bound(
                        literal, ref,
                        ck.error_bound(ref, abs_sum, terms, dtype, tc)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hm-opt", required=True)
    parser.add_argument("--hm-run", default=None)
    parser.add_argument("--arch", default="sm_90")
    parser.add_argument("--dtype", required=True, choices=["f16", "bf16"])
    parser.add_argument("ids", nargs="+")
    args = parser.parse_args()
    hm_run = args.hm_run or os.path.join(os.path.dirname(args.hm_opt),
                                         "hm-run")
    rows = {r["id"]: r for r in gen_roller_ops.read_rows(
        os.path.join(HERE, "roller_ops.csv"))}
    for op_id in args.ids:
        self_test(hm_run, args.hm_opt, args.arch, args.dtype, rows[op_id])


if __name__ == "__main__":
    main()
