"""Checks of the kernels Roller's configurations turn into.

Used by run_roller_bench.py (--ptxas, --check-emu):

- ptxas: the operator at its full shape, configured by --hm-roller, through
  HeavyMetal's GPU pipeline to PTX, then `ptxas -v` for registers, spills and
  shared memory per kernel (heavymetal.compile does both).
- emu: the operator at a scaled-down shape that keeps the configuration's
  tile structure — the same #rtile.config attached to the op, each loop cut to
  at most two block (or reduction) steps, keeping a partial last step where
  the full loop has one — run by `hm-run --device=emu --compare=cpu`.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

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


def check_emu(hm_run, row, dtype, config, timeout=600):
    """Runs the scaled operator under the emulator against the cpu
    reference. Returns (ok, scaled shape args, message)."""
    small = scaled_row(row, config)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{row['id']}_scaled.mlir"
        path.write_text(configured_function(small, dtype, config, "op"))
        try:
            proc = subprocess.run(
                [hm_run, str(path), "--entry=op", "--device=emu",
                 "--compare=cpu", "--random-inputs=7"],
                capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return False, small["roller_shape_args"], f"timed out ({timeout} s)"
    out = proc.stdout + proc.stderr
    ok = proc.returncode == 0 and " OK" in out and "MISMATCH" not in out
    message = "" if ok else (out.strip().splitlines() or ["(no output)"])[-1]
    return ok, small["roller_shape_args"], message


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
