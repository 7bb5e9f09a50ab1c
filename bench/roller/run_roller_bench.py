#!/usr/bin/env python3
"""Roller's configuration time and modelled cost over its 119-operator suite.

    python3 bench/roller/run_roller_bench.py [--hm-opt build/bin/hm-opt]
        [--arch sm_70|sm_80|sm_90] [--dtype f32|f16|bf16] [--repeat 20]
        [--runs 3] [--only ID,...] [--markdown] [--ptxas] [--check-emu]

For every operator of roller_ops.csv (beside this script) it generates a
module holding `--repeat` copies of the operator, runs
`hm-opt --hm-roller --mlir-timing` on it `--runs` times and takes the median
wall time of the Roller pass divided by the copies: the configuration time
per operator on this machine (measured). A second run with report=true gives
the chosen tile and the model's prediction (modelled, not measured). With
--arch sm_70 the paper's V100 latency of Roller-Top1 is shown beside the
prediction. Ends with mean / median / max configuration time per operator.

--ptxas compiles each configured operator at its full shape through the GPU
pipeline for the arch's chip and reports ptxas -v registers / spills / shared
memory (measured by ptxas); --check-emu runs each configured kernel at a
scaled-down shape with the same configuration under `hm-run --device=emu`:
f32 with --compare=cpu; f16/bf16 against the operator generated in f32 run
on the cpu on the same inputs, within a derived rounding-error bound
(check_kernels.py says how the shape is scaled and derives the bound).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_roller_ops  # noqa: E402
import check_kernels  # noqa: E402


def roller_pass_seconds(hm_opt, path, arch):
    """Wall time of the Roller pass from --mlir-timing, in seconds."""
    out = subprocess.run(
        [hm_opt, path, f"--hm-roller=arch={arch}", "--mlir-timing",
         "--mlir-timing-display=list", "-o", os.devnull],
        capture_output=True, text=True, check=True)
    m = re.search(r"^\s*([0-9.]+) \(\s*[0-9.]+%\)\s+Roller$", out.stderr,
                  re.MULTILINE)
    if not m:
        raise RuntimeError("no Roller line in --mlir-timing output:\n" +
                           out.stderr)
    return float(m.group(1))


def configured_ir(hm_opt, path, arch):
    """The module after --hm-roller."""
    return subprocess.run([hm_opt, path, f"--hm-roller=arch={arch}"],
                          capture_output=True, text=True, check=True).stdout


def report_row(hm_opt, path, arch):
    """The first row of the --hm-roller report, as a dict."""
    out = subprocess.run(
        [hm_opt, path, f"--hm-roller=arch={arch} report=true", "-o",
         os.devnull], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    header = next(i for i, l in enumerate(lines) if l.startswith("op "))
    if header + 1 >= len(lines) or lines[header + 1].startswith("left alone"):
        return None
    return dict(zip(lines[header].split(), lines[header + 1].split()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hm-opt", default=os.path.join(
        HERE, "..", "..", "build", "bin", "hm-opt"))
    parser.add_argument("--arch", default="sm_70",
                        choices=["sm_70", "sm_80", "sm_90"])
    parser.add_argument("--dtype", default="f32", choices=["f32", "f16", "bf16"])
    parser.add_argument("--repeat", type=int, default=20,
                        help="copies of the operator per timed module")
    parser.add_argument("--runs", type=int, default=3,
                        help="timed runs per operator (median taken)")
    parser.add_argument("--only", default="", help="comma-separated ids")
    parser.add_argument("--markdown", action="store_true",
                        help="print the table as Markdown")
    parser.add_argument("--ptxas", action="store_true",
                        help="compile each configured op to PTX and run "
                        "ptxas -v (registers, spills, shared memory)")
    parser.add_argument("--check-emu", action="store_true",
                        help="run each configured kernel at a scaled-down "
                        "shape under hm-run --device=emu against the cpu "
                        "(f16/bf16: the f32 operator within an error bound)")
    parser.add_argument("--hm-run", default=None,
                        help="hm-run (default: beside --hm-opt)")
    args = parser.parse_args()
    hm_run = args.hm_run or os.path.join(os.path.dirname(args.hm_opt), "hm-run")
    if args.ptxas and not hm_compile_ptxas():
        parser.error("--ptxas: no ptxas found (CUDA_HOME, PATH or "
                     "/usr/local/cuda/bin)")

    rows = gen_roller_ops.read_rows(os.path.join(HERE, "roller_ops.csv"))
    if args.only:
        wanted = set(args.only.split(","))
        rows = [r for r in rows if r["id"] in wanted]

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for row in rows:
            timed = os.path.join(tmp, row["id"] + ".mlir")
            single = os.path.join(tmp, row["id"] + "_1.mlir")
            with open(timed, "w") as f:
                f.write(gen_roller_ops.module_text(row, args.dtype, args.repeat))
            with open(single, "w") as f:
                f.write(gen_roller_ops.module_text(row, args.dtype, 1))
            seconds = statistics.median(
                roller_pass_seconds(args.hm_opt, timed, args.arch)
                for _ in range(args.runs))
            rep = report_row(args.hm_opt, single, args.arch)
            checks = {}
            if rep and (args.ptxas or args.check_emu):
                ir = configured_ir(args.hm_opt, single, args.arch)
                config = check_kernels.config_of(ir)
                if args.ptxas:
                    try:
                        checks["ptxas"] = check_kernels.check_ptxas(
                            args.hm_opt, ir, args.arch)
                    except Exception as error:  # a tool failed: report it
                        checks["ptxas_error"] = str(error).splitlines()[0]
                if args.check_emu:
                    checks["emu"] = check_kernels.check_emu(
                        hm_run, row, args.dtype, config, chip=args.arch)
            results.append((row, 1e3 * seconds / args.repeat, rep, checks))
            print(f"[{len(results)}/{len(rows)}] {row['id']}", file=sys.stderr,
                  flush=True)

    sep = " | " if args.markdown else "  "
    head = ["id", "kind", "config_ms", "block", "thread", "reduction",
            "grid", "threads", "smem_B", "regs", "modelled_us", "roofline",
            "bound"]
    if args.arch == "sm_70":
        head.append("paper_v100_top1_us")
    if args.ptxas:
        head += ["ptxas_regs", "spills", "ptxas_smem_B"]
    low = args.dtype in check_kernels.LOW_PRECISION
    if args.check_emu:
        head += ["emu_shape"]
        head += (["emu_vs_f32_ref", "tc", "err/bound"] if low
                 else ["emu_vs_cpu"])
    print(("| " if args.markdown else "") + sep.join(head) +
          (" |" if args.markdown else ""))
    if args.markdown:
        print("|" + "---|" * len(head))
    for row, ms, rep, checks in results:
        cells = [row["id"], row["kind"], f"{ms:.3f}"]
        if rep:
            cells += [rep["block"], rep["thread"], rep["reduction"],
                      rep["grid"], rep["threads"], rep["smem_B"], rep["regs"],
                      rep["time_us"], rep["roofline"], rep["bound"]]
        else:
            cells += ["left alone"] + ["-"] * 9
        if args.arch == "sm_70":
            cells.append(f"{1e3 * float(row['v100_ms_RollerTop1']):.1f}")
        if args.ptxas:
            if "ptxas" in checks:
                p = checks["ptxas"]
                cells += [str(p["registers"]), str(p["spills"]),
                          str(p["shared_bytes"])]
            else:
                cells += ["error", "-", "-"]
        if args.check_emu:
            if "emu" in checks:
                ok, shape, _, figures = checks["emu"]
                cells += [shape.replace(" ", "x"), "OK" if ok else "FAIL"]
                if low:
                    tc = figures.get("tensor_cores")
                    ratio = figures.get("max_err_over_bound")
                    cells += ["-" if tc is None else ("yes" if tc else "no"),
                              "-" if ratio is None else f"{ratio:.3f}"]
            else:
                cells += ["-"] * (4 if low else 2)
        print(("| " if args.markdown else "") + sep.join(cells) +
              (" |" if args.markdown else ""))

    times = [ms for _, ms, _, _ in results]
    configured = sum(1 for _, _, rep, _ in results if rep)
    print()
    print(f"hm-roller on {args.arch}, {args.dtype}: {configured} of "
          f"{len(results)} operators configured; configuration time per "
          f"operator (measured, this machine): mean {statistics.mean(times):.3f}"
          f" ms, median {statistics.median(times):.3f} ms, max "
          f"{max(times):.3f} ms")
    kinds = sorted({row["kind"] for row, _, _, _ in results})
    for kind in kinds:
        k = [ms for row, ms, _, _ in results if row["kind"] == kind]
        print(f"  {kind}: {len(k)} ops, mean {statistics.mean(k):.3f} ms, "
              f"max {max(k):.3f} ms")
    status = 0
    if args.ptxas:
        compiled = [(row, c["ptxas"]) for row, _, _, c in results
                    if "ptxas" in c]
        errors = [(row, c["ptxas_error"]) for row, _, _, c in results
                  if "ptxas_error" in c]
        spilling = [row["id"] for row, p in compiled if p["spills"]]
        print(f"ptxas -arch={args.arch} (measured): {len(compiled)} operators "
              f"compiled, {len(errors)} failed; max registers "
              f"{max((p['registers'] for _, p in compiled), default=0)}; "
              f"operators with spills: {len(spilling)}"
              + (f" ({', '.join(spilling)})" if spilling else ""))
        for row, error in errors:
            print(f"  {row['id']}: {error}")
        if errors or spilling:
            status = 1
    if args.check_emu:
        checked = [(row, c["emu"]) for row, _, _, c in results if "emu" in c]
        failed = [(row, e) for row, e in checked if not e[0]]
        reference = ("f32 reference within the rounding bound" if low
                     else "cpu")
        print(f"emu vs {reference} on scaled shapes: "
              f"{len(checked) - len(failed)} of {len(checked)} configured "
              f"kernels correct")
        if low:
            for tc, name in ((True, "tensor-core"), (False, "CUDA-core")):
                group = [e[3] for _, e in checked
                         if e[3].get("tensor_cores") is tc]
                ratios = [f["max_err_over_bound"] for f in group
                          if "max_err_over_bound" in f]
                correct = sum(1 for _, e in checked
                              if e[3].get("tensor_cores") is tc and e[0])
                widest = max(group, key=lambda f: f.get("bound_over_s", 0),
                             default=None)
                print(f"  {name} kernels: {correct} of {len(group)} correct; "
                      f"max |err| / bound {max(ratios, default=0.0):.3f}"
                      + (f"; widest bound {widest['bound_over_s']:.3g} x "
                         f"sum|terms| (n = {widest['terms']})"
                         if widest else ""))
        for row, (_, shape, message, _) in failed:
            print(f"  {row['id']} ({shape}): {message}")
        if failed:
            status = 1
    return status


def hm_compile_ptxas():
    return check_kernels.hm_compile.find_ptxas()


if __name__ == "__main__":
    sys.exit(main())
