"""Checks of the kernels Roller's configurations turn into.

Used by run_roller_bench.py (--ptxas, --check-emu):

- ptxas: the operator at its full shape, configured by --hm-roller, through
  HeavyMetal's GPU pipeline to PTX, then `ptxas -v` for registers, spills and
  shared memory per kernel (heavymetal.compile does both).
- emu: the operator at a scaled-down shape that keeps the configuration's
  tile structure — the same #rtile.config attached to the op, each loop cut to
  at most two block (or reduction) steps, keeping a partial last step where
  the full loop has one — run under `hm-run --device=emu`. f32: compared with
  `--compare=cpu`. f16/bf16: compared with the same operator generated in f32
  and run on the cpu on the same (upcast) inputs, within an error bound
  derived below (check_emu_low_precision).
"""

import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import gen_roller_ops  # noqa: E402
from heavymetal import compile as hm_compile  # noqa: E402

_CONFIG_RE = re.compile(r"rtile\.config = (#rtile\.config<[^>]*>)")
_LIST_RE = r"{} = \[([0-9, ]*)\]"

# Per kind: positions in roller_shape_args of the parallel loops and of the
# reduction loops, in the linalg op's loop order (pooling's first two
# parallel loops are batch and channels, split from its one B argument).
_LOOPS = {
    "matmul": ([0, 1], [2]),                 # M N | K
    "conv": ([0, 1, 2, 3], [4, 5, 6]),       # N F HO WO | C KH KW
    "depthwiseconv": ([0, 2, 3, 1], [4, 5]),  # N HO WO C | KH KW
    "reduce": ([0], [1]),                    # D1 | D2
    "elementwise": ([0], []),                # N
}


def config_of(configured_ir):
    """The #rtile.config text of the first configured op, or None."""
    m = _CONFIG_RE.search(configured_ir)
    return m.group(1) if m else None


def _int_list(config, name):
    m = re.search(_LIST_RE.format(name), config)
    return [int(v) for v in m.group(1).split(",")] if m and m.group(1) else []


def scaled_extent(extent, step):
    """At most two steps of `step`; a partial last step stays partial."""
    if extent <= 2 * step:
        return extent
    rest = extent % step
    return step + (rest if rest else step)


def scaled_row(row, config):
    """A copy of `row` whose shape keeps `config`'s tile structure."""
    block, reduction = _int_list(config, "block"), _int_list(config, "reduction")
    args = [int(v) for v in row["roller_shape_args"].split()]
    row = dict(row)
    if row["kind"] == "pooling":
        # Loops: batch channels HO WO | KH KW; args: B HO WO KH KW.
        parts = row["case_name"].split("_")
        batch, channels = int(parts[2]), int(parts[3])
        if batch * channels != args[0]:
            batch, channels = 1, args[0]
        loops = [batch, channels, args[1], args[2]]
        new = [scaled_extent(e, s) for e, s in zip(loops, block)]
        reds = [scaled_extent(e, s) for e, s in zip(args[3:5], reduction)]
        args = [new[0] * new[1], new[2], new[3]] + reds
        row["case_name"] = f"pooling_scaled_{new[0]}_{new[1]}"
    else:
        parallel, reduce = _LOOPS[row["kind"]]
        for positions, steps in ((parallel, block), (reduce, reduction)):
            for position, step in zip(positions, steps):
                args[position] = scaled_extent(args[position], step)
    row["roller_shape_args"] = " ".join(str(a) for a in args)
    return row


def configured_function(row, dtype, config, name):
    """The operator's function with `config` attached to its linalg op."""
    text = gen_roller_ops.function_text(row, dtype, name)
    m = re.search(r"%r = linalg\.([a-z_0-9]+) (\{?)", text)
    if not m:
        raise ValueError(f"no linalg op in the IR of {row['id']}")
    if m.group(2):
        insert = f"rtile.config = {config}, "
    else:
        insert = f"{{rtile.config = {config}}} "
    return text[:m.end()] + insert + text[m.end():]


def check_emu(hm_run, row, dtype, config, timeout=600, chip="sm_90"):
    """Runs the scaled operator under the emulator against a reference.
    Returns (ok, scaled shape args, message, details): f32 against the cpu
    (`hm-run --compare=cpu`, its f32 tolerances), f16/bf16 against the f32
    operator within a derived bound (check_emu_low_precision; details holds
    its figures, {} for f32). The kernel is lowered for `chip`."""
    small = scaled_row(row, config)
    if dtype in LOW_PRECISION:
        return check_emu_low_precision(hm_run, small, dtype, config, timeout,
                                       chip)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{row['id']}_scaled.mlir"
        path.write_text(configured_function(small, dtype, config, "op"))
        try:
            proc = subprocess.run(
                [hm_run, str(path), "--entry=op", "--device=emu",
                 f"--gpu-pipeline-options=chip={chip}",
                 "--compare=cpu", "--random-inputs=7"],
                capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return (False, small["roller_shape_args"],
                    f"timed out ({timeout} s)", {})
    out = proc.stdout + proc.stderr
    ok = proc.returncode == 0 and " OK" in out and "MISMATCH" not in out
    message = "" if ok else (out.strip().splitlines() or ["(no output)"])[-1]
    return ok, small["roller_shape_args"], message, {}


# f16/bf16: the reference and its error bound.
#
# The cpu reference of `hm-run --compare=cpu` executes the linalg op as
# written, in f16/bf16: every multiply-add is rounded to the low-precision
# type, so its own error grows with the reduction length K (about 0.06 at
# K = 128 for f16), while a tensor-core kernel accumulates in f32 and rounds
# once. Instead the reference r is the same operator generated in f32, run on
# the cpu on the kernel's inputs upcast to f32 (exactly: f16 and bf16 values
# are f32 values), and the kernel's output y (upcast) must satisfy, per
# element,
#
#     |y - r| <= bound
#
# For an output e = c + sum_{k<K} a_k*b_k (c the output's initial value;
# pooling and reductions have b_k = 1, relu has no sum: K = 0) let n = K + 1
# (terms, counting c), S = |c| + sum |a_k*b_k|, and gamma_n(u) = n*u/(1-n*u)
# (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Lemma 3.1
# and section 3.1: a sum or inner product of n terms evaluated in any order,
# each operation rounded with unit roundoff u, errs by at most gamma_n(u)*S).
# S itself is computed by the same f32 operator on |inputs| (the operators
# are sums of products, so op(|a|, |b|, |c|) = S, up to gamma_n(u32)*S).
# Unit roundoffs: u32 = 2^-24; f16 u = 2^-11, bf16 u = 2^-8 (half an ulp,
# relative). Underflow: a rounding into the subnormal range errs by at most
# eta absolute (half the smallest subnormal: f16 2^-25, bf16 2^-134, f32
# 2^-150) instead of u relative, counted once per rounding.
#
# - Products of two f16 (11-bit) or bf16 (8-bit) values are exact in f32, so
#   |r - e| <= gamma_n(u32)*S + n*eta32.
# - Tensor-core kernels (docs/TensorCores.md: products exact, sums in f32 in
#   any order, the initial value added in f32, one rounding to the output
#   type; detected by the emulator's mma call in the lowered module):
#   y = round(v) with |v - e| <= gamma_n(u32)*S + n*eta32, so
#     |y - r| <= u*|v| + eta + |v - e| + |e - r|
#             <= u*(|r| + F) + eta + F,   F = 2*(gamma_n(u32)*S + n*eta32):
#   half an ulp of the result plus f32 order differences (negligible).
# - CUDA-core kernels (the payload runs in the low-precision type: each
#   product and each addition rounded, n roundings per term at most, in the
#   kernel's order of the reduction):
#     |y - r| <= gamma_n(u)*S + n*eta + F/2
#   (also covers a kernel that accumulates in f32 and rounds once). This is
#   the worst case over every summation order: with terms of mixed signs the
#   partial sums are far below S and the observed errors a small fraction of
#   the bound (the err/bound column of run_roller_bench.py). gamma_n(u) is
#   0.067 at n = 129 in f16 but 0.15 at n = 33 and 1.3 at n = 145 in bf16:
#   there a CUDA-core result must be wrong by more than S to be reported, a
#   weak check (a probabilistic bound, ~lambda*sqrt(n)*u*S, would be
#   tighter; not done).
# Any difference beyond the bound is a wrong result; a wrong result within it
# passes. check_lowp_selftest.py (test/Transforms/Roller/
# roller-bench-lowp-check.test) shows what is reported: a tensor-core result
# 3 ulps off, an index error, dropped terms, f16/bf16 accumulation where a
# tensor-core kernel should accumulate in f32.
LOW_PRECISION = {"f16": (2.0 ** -11, 2.0 ** -25),
                 "bf16": (2.0 ** -8, 2.0 ** -134)}
U32, ETA32 = 2.0 ** -24, 2.0 ** -150

# The emulator's runtime call of a warp-collective mma (gpu.subgroup_mma_compute
# and nvvm.mma.sync): present in the lowered module iff the kernel runs on
# tensor cores.
_MMA_CALL = "llvm.call @hm_emu_mma_compute("


def gamma(n, u):
    """gamma_n = n*u / (1 - n*u); infinite where n*u >= 1 (no bound)."""
    return n * u / (1 - n * u) if n * u < 1 else math.inf


def reduction_length(row):
    """K: the number of terms each output sums (product of the reduction
    loops' extents) for a row of roller_ops.csv."""
    args = [int(v) for v in row["roller_shape_args"].split()]
    kind = row["kind"]
    if kind == "matmul":
        return args[2]
    if kind == "conv":
        return args[4] * args[5] * args[6]
    if kind == "depthwiseconv":
        return args[4] * args[5]
    if kind == "pooling":
        return args[3] * args[4]
    if kind == "reduce":
        return args[1]
    if kind == "elementwise":
        return 0
    raise ValueError(f"unknown kind {kind!r}")


def error_bound(ref, abs_sum, terms, dtype, tensor_cores):
    """Per-element bound of |y - ref| (see above): `ref` the f32 reference,
    `abs_sum` the f32 operator on |inputs| (S), `terms` n = K + 1."""
    u, eta = LOW_PRECISION[dtype]
    g32 = gamma(terms, U32)
    # S from the f32 run on |inputs| is low by at most a factor (1 - g32).
    s = np.abs(abs_sum).astype(np.float64) * (1 + 2 * g32)
    f32_part = 2 * (g32 * s + terms * ETA32)
    if tensor_cores:
        return u * (np.abs(ref.astype(np.float64)) + f32_part) + eta + f32_part
    return gamma(terms, u) * s + terms * eta + f32_part / 2


def compare_within_bound(actual, ref, bound):
    """(ok, figures) of |actual - ref| <= bound elementwise; non-finite
    values in `actual` are mismatches."""
    a = np.asarray(actual, dtype=np.float64)
    r = np.asarray(ref, dtype=np.float64)
    if a.shape != r.shape:
        return False, {"error": f"shape {a.shape} != {r.shape}"}
    err = np.abs(a - r)
    bad = ~np.isfinite(a) | (err > bound)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(bound > 0, err / bound, np.where(err > 0, np.inf, 0))
    figures = {
        "max_abs_err": float(np.nanmax(err)) if err.size else 0.0,
        "max_bound": float(np.max(bound)) if np.size(bound) else 0.0,
        "max_err_over_bound": float(np.nanmax(ratio)) if err.size else 0.0,
        "mismatches": int(np.count_nonzero(bad)),
    }
    if figures["mismatches"]:
        first = int(np.flatnonzero(bad.ravel())[0])
        figures["first_mismatch"] = (
            f"[{first}] {a.ravel()[first]:.6g} vs {r.ravel()[first]:.6g} "
            f"(bound {np.broadcast_to(bound, a.shape).ravel()[first]:.3g})")
    return figures["mismatches"] == 0, figures


def _run(cmd, timeout):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          errors="replace")
    if proc.returncode < 0 or "Stack dump:" in proc.stderr:
        signal = -proc.returncode if proc.returncode < 0 else "?"
        frames = re.findall(r"^ *#\d+ 0x[0-9a-f]+ (\w+)", proc.stderr,
                            re.MULTILINE)
        where = next((f for f in frames if f.startswith("hm_")), None)
        raise RuntimeError(f"crashed (signal {signal}"
                           + (f", in {where}" if where else "") + ")")
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
        raise RuntimeError(lines[-1] if lines else f"exit {proc.returncode}")
    return proc.stdout


def _npys(directory, prefix):
    files = sorted(Path(directory).glob(prefix + "*.npy"),
                   key=lambda p: int(p.stem[len(prefix):]))
    return [np.load(f) for f in files]


def run_reference_f32(hm_run, row, inputs, tmp, timeout=600):
    """(r, S): the operator generated in f32 run on the cpu on `inputs`
    (upcast to f32) and on their absolute values."""
    Path(tmp).mkdir(parents=True, exist_ok=True)
    source = Path(tmp) / "ref_f32.mlir"
    source.write_text(gen_roller_ops.function_text(row, "f32", "op"))
    results = []
    for name, transform in (("ref", lambda x: x), ("abs", np.abs)):
        directory = Path(tmp) / name
        directory.mkdir()
        cmd = [hm_run, str(source), "--entry=op", "--device=cpu",
               f"--output-dir={directory}"]
        for i, x in enumerate(inputs):
            path = directory / f"arg{i}.npy"
            np.save(path, transform(x.astype(np.float32)))
            cmd.append(f"--input={path}")
        _run(cmd, timeout)
        results.append(_npys(directory, "out")[0])
    return results[0], results[1]


def run_emu_low_precision(hm_run, row, dtype, config, tmp, timeout=600,
                          chip="sm_90"):
    """Runs the configured scaled operator under the emulator with
    --random-inputs=7. Returns (inputs, output, uses tensor cores)."""
    source = Path(tmp) / "op.mlir"
    source.write_text(configured_function(row, dtype, config, "op"))
    directory = Path(tmp) / "emu"
    out = _run([hm_run, str(source), "--entry=op", "--device=emu",
                f"--gpu-pipeline-options=chip={chip}", "--random-inputs=7", f"--output-dir={directory}",
                "--write-inputs", "--print-lowered"], timeout)
    return (_npys(directory, "in"), _npys(directory, "out")[0],
            _MMA_CALL in out)


def check_emu_low_precision(hm_run, small, dtype, config, timeout=600,
                            chip="sm_90"):
    """The f16/bf16 check of `small` (a scaled row); see above."""
    shape = small["roller_shape_args"]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            inputs, output, tensor_cores = run_emu_low_precision(
                hm_run, small, dtype, config, tmp, timeout, chip)
            ref, abs_sum = run_reference_f32(hm_run, small, inputs, tmp,
                                             timeout)
        except subprocess.TimeoutExpired:
            return False, shape, f"timed out ({timeout} s)", {}
        except RuntimeError as error:
            return False, shape, f"hm-run: {error}", {}
    terms = reduction_length(small) + 1
    bound = error_bound(ref, abs_sum, terms, dtype, tensor_cores)
    if not np.all(np.isfinite(bound)):
        return (False, shape, f"no error bound: n*u >= 1 for n = {terms} "
                f"terms accumulated in {dtype}", {"tensor_cores": tensor_cores,
                                                  "terms": terms})
    ok, figures = compare_within_bound(output.astype(np.float32), ref, bound)
    figures["tensor_cores"] = tensor_cores
    figures["terms"] = terms
    # The bound relative to S: u for tensor cores, gamma_n(u) otherwise.
    u = LOW_PRECISION[dtype][0]
    figures["bound_over_s"] = u if tensor_cores else gamma(terms, u)
    message = ""
    if not ok:
        message = (f"{figures['mismatches']} of {output.size} elements beyond "
                   f"the bound ({'tensor cores' if tensor_cores else 'CUDA cores'}"
                   f", n = {terms}); max |err| {figures.get('max_abs_err', 0):.3g},"
                   f" first {figures.get('first_mismatch', figures.get('error'))}")
    return ok, shape, message, figures


def check_ptxas(hm_opt, configured_ir, chip):
    """Compiles a configured module to PTX and runs ptxas -v. Returns a dict
    (kernels, registers = max, spills = stores + loads summed, shared_bytes =
    max) or raises heavymetal.compile.CompileError."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "op.mlir"
        source.write_text(configured_ir)
        result = hm_compile.compile_file(source, Path(tmp) / "out", chip=chip,
                                         hm_opt=hm_opt)
    kernels = result.kernels
    return {
        "kernels": len(kernels),
        "registers": max((k.registers or 0 for k in kernels), default=0),
        "spills": sum((k.spill_stores or 0) + (k.spill_loads or 0)
                      for k in kernels),
        "shared_bytes": max((k.shared_bytes or 0 for k in kernels), default=0),
    }
