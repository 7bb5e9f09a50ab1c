"""hm-bench: the papers' models measured side by side with the baselines.

    python3 -m heavymetal.bench --quick                 # CI: a few small models
    python3 -m heavymetal.bench                         # every model, full mode
    python3 -m heavymetal.bench --models resnet18,lstm --batches 1

(`scripts/hm-bench` runs this with the project's virtualenv, where IREE is.)
For every model and batch, in one run: ONNX export (cached), import time,
compile time to PTX (and cubin with ptxas) per configuration, kernel launches
per inference, modelled global-memory traffic and latency on sm_70/sm_80/
sm_90, ptxas registers and spills, correctness under the GPU emulator against
the CPU reference and PyTorch, IREE's compile time and dispatches, and on a
machine with a CUDA GPU the measured latency. Writes results.json (one record
per model x batch x configuration), summary.md and PNG plots. How each number
is obtained, and what is modelled rather than measured: docs/Benchmarks.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from heavymetal.compile import find_ptxas, parse_ptxas_verbose
from heavymetal.models import MODELS, PAPER_MODELS, QUICK_MODELS

REPO = Path(__file__).resolve().parents[2]
ARCHS = ("sm_70", "sm_80", "sm_90")
ARCH_NAMES = {"sm_70": "V100", "sm_80": "A100", "sm_90": "H100"}
CHIP = "sm_90"


class ToolError(RuntimeError):
    """A step failed; the message is its first diagnostic."""


# --------------------------------------------------------------------------
# Configurations. A HeavyMetal configuration is the GPU pipeline's options
# and the passes that attach what the pipeline lowers (for the model
# summary). Adding one (Welder, element-wise-only fusion) is one entry here.
# --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Config:
    name: str
    description: str
    # Options of hm-lower-to-nvvm-pipeline / hm-linalg-to-gpu-pipeline, given
    # the pipeline's capabilities; None when this build cannot express it.
    pipeline_options: Callable[["Caps"], str | None]
    # hm-opt passes before --hm-model-summary for arch X (the configuration's
    # view of the model for the cost model); {arch} is substituted.
    summary_passes: tuple[str, ...]
    summary_naive: bool = False


def _hm_options(caps: "Caps") -> str:
    return ""  # the pipeline's default: Roller + tiled lowering once it lands


def _naive_options(caps: "Caps") -> str | None:
    # Until the pipeline has its `roller` option, its default *is* the
    # one-kernel-per-op baseline (Roller's tiles are not lowered yet).
    return "roller=false" if caps.roller_option else ""


CONFIGS = [
    Config("heavymetal", "the default pipeline (Roller's tiles once the "
           "pipeline has its roller option)", _hm_options,
           ("--hm-roller=arch={arch}",)),
    Config("naive", "one kernel per op, no tiling (pipeline roller=false)",
           _naive_options, (), summary_naive=True),
    # Welder (docs/Welder.md): fusion groups lowered to one kernel each. The
    # summary sees the groups as tilegraph.kernel ops (after --hm-roller
    # --hm-welder on tensors) and counts each as one kernel with the group's
    # traffic (inputs + output; internal edges on chip).
    Config("welder", "Welder's cost-driven fusion (pipeline welder=true)",
           lambda caps: "welder=true" if caps.welder_option else None,
           ("--hm-roller=arch={arch}", "--hm-welder=arch={arch}")),
    Config("elementwise", "element-wise-only fusion (pipeline welder=true "
           "welder-policy=elementwise)",
           lambda caps: ("welder=true welder-policy=elementwise"
                         if caps.welder_option else None),
           ("--hm-roller=arch={arch}",
            "--hm-welder=arch={arch} policy=elementwise")),
]
BASELINE = "naive"
# --no-cubin: skip the format=bin compile and ptxas (saves time on big runs).
NO_CUBIN = False


@dataclasses.dataclass
class Caps:
    """What this build of HeavyMetal and this machine can do."""
    hm_opt: str
    hm_translate: str
    hm_run: str
    roller_option: bool
    model_summary: bool
    emulator: bool
    ptxas: str | None
    iree_import: str | None
    iree_compile: str | None
    iree_version: str | None
    cuda_gpu: str | None
    torch_python: str
    welder_option: bool = False


def _which_in(build_dir: Path, name: str) -> str:
    path = build_dir / "bin" / name
    if not os.access(path, os.X_OK):
        raise ToolError(f"{path} not found: build the project first "
                        f"(scripts/setup.sh, or HM_BUILD_DIR=... scripts/setup.sh)")
    return str(path)


def _pipeline_help_options(help_text: str, pipeline: str) -> set[str]:
    """Option names listed under `pipeline` in hm-opt --help."""
    lines = help_text.splitlines()
    names: set[str] = set()
    for i, line in enumerate(lines):
        if re.match(rf"\s+--{re.escape(pipeline)}\s", line):
            indent = len(line) - len(line.lstrip())
            for follow in lines[i + 1:]:
                stripped = follow.lstrip()
                if stripped.startswith("=") or not stripped:
                    continue
                if len(follow) - len(stripped) <= indent:
                    break
                if m := re.match(r"--([\w-]+)", stripped):
                    names.add(m.group(1))
            break
    return names


def detect_caps(build_dir: Path, iree_bin: Path | None) -> Caps:
    hm_opt = _which_in(build_dir, "hm-opt")
    help_text = subprocess.run([hm_opt, "--help"], capture_output=True,
                               text=True).stdout
    options = _pipeline_help_options(help_text, "hm-lower-to-nvvm-pipeline")
    iree_import = iree_compile = iree_version = None
    candidates = [iree_bin] if iree_bin else [REPO / ".venv" / "bin",
                                              Path(sys.prefix) / "bin"]
    for folder in candidates:
        if folder and os.access(folder / "iree-compile", os.X_OK):
            iree_compile = str(folder / "iree-compile")
            if os.access(folder / "iree-import-onnx", os.X_OK):
                iree_import = str(folder / "iree-import-onnx")
            version = subprocess.run([iree_compile, "--version"],
                                     capture_output=True, text=True).stdout
            m = re.search(r"compiler version\s*(\S+)", version)
            iree_version = m.group(1) if m else version.strip()[:40]
            break
    cuda_gpu = None
    smi = shutil.which("nvidia-smi")
    if smi:
        try:
            out = subprocess.run([smi, "-L"], capture_output=True, text=True,
                                 timeout=20)
            if out.returncode == 0 and "GPU " in out.stdout:
                cuda_gpu = out.stdout.splitlines()[0].strip()
        except (OSError, subprocess.SubprocessError):
            pass
    emu_lib = build_dir / "lib" / "libHeavyMetalEmuRuntime.so"
    return Caps(hm_opt=hm_opt, hm_translate=_which_in(build_dir, "hm-translate"),
                hm_run=_which_in(build_dir, "hm-run"),
                roller_option="roller" in options,
                model_summary="--hm-model-summary" in help_text,
                emulator=emu_lib.exists(), ptxas=find_ptxas(),
                iree_import=iree_import, iree_compile=iree_compile,
                iree_version=iree_version, cuda_gpu=cuda_gpu,
                torch_python="/usr/bin/python3",
                welder_option="welder" in options)


# --------------------------------------------------------------------------
# Running tools.
# --------------------------------------------------------------------------

def _first_error(text: str) -> str:
    for line in text.splitlines():
        if "error" in line.lower():
            return line.strip()[:400]
    lines = [l for l in text.splitlines() if l.strip()]
    return (lines[-1].strip() if lines else "no output")[:400]


def run_tool(cmd: list[str], timeout: float, env: dict | None = None,
             cwd: str | None = None) -> tuple[str, float]:
    """Runs `cmd`; returns (stdout, seconds). ToolError on failure/timeout."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise ToolError(f"timed out after {timeout:.0f} s: "
                        f"{Path(cmd[0]).name} {' '.join(cmd[1:3])} ...")
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        what = (f"killed by signal {-proc.returncode}" if proc.returncode < 0
                else f"exit {proc.returncode}")
        raise ToolError(f"{Path(cmd[0]).name} ({what}): "
                        f"{_first_error(proc.stderr + proc.stdout)}")
    return proc.stdout, seconds


def _json_objects(text: str) -> list[dict]:
    """The JSON objects printed one after another (hm-model-summary)."""
    decoder, objects, pos = json.JSONDecoder(), [], 0
    text = text.strip()
    while pos < len(text):
        obj, end = decoder.raw_decode(text, pos)
        objects.append(obj)
        pos = end
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return objects


class Progress:
    def __init__(self, total: int, quiet: bool = False):
        self.total, self.done, self.quiet = total, 0, quiet
        self.start = time.perf_counter()
        self.tty = sys.stderr.isatty()

    def step(self, label: str, what: str):
        if self.quiet:
            return
        elapsed = time.perf_counter() - self.start
        line = f"[{self.done + 1}/{self.total} {elapsed:6.0f}s] {label}: {what}"
        if self.tty:
            sys.stderr.write("\r\033[K" + line[:150])
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def finish(self, label: str, summary: str):
        self.done += 1
        if self.quiet:
            return
        prefix = "\r\033[K" if self.tty else ""
        sys.stderr.write(f"{prefix}[{self.done}/{self.total}] {label}: {summary}\n")
        sys.stderr.flush()


# --------------------------------------------------------------------------
# The steps.
# --------------------------------------------------------------------------

def export_model(caps: Caps, name: str, batch: int, cache: Path,
                 timeout: float, refresh: bool) -> dict:
    out = cache / name / f"b{batch}"
    meta_path = out / "meta.json"
    if meta_path.exists() and (out / "model.onnx").exists() and not refresh:
        meta = json.loads(meta_path.read_text())
        meta["cached"] = True
        return meta
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    # Debian's python3 with Debian's onnx; a venv's newer onnx is for IREE.
    run_tool([caps.torch_python, "-m", "heavymetal.models", name,
              "--batch", str(batch), "--cache", str(cache)], timeout, env=env)
    meta = json.loads(meta_path.read_text())
    meta["cached"] = False
    return meta


def _env_for_tools(caps: Caps) -> dict:
    env = dict(os.environ)
    if caps.ptxas and "CUDA_HOME" not in env:
        env["CUDA_HOME"] = str(Path(caps.ptxas).parents[1])
    return env


def import_model(caps: Caps, work: Path, timeout: float) -> float:
    _, seconds = run_tool([caps.hm_translate, "--import-onnx",
                           str(work / "model.onnx"), "--emit-bytecode",
                           "-o", str(work / "model.mlirbc")], timeout)
    return seconds


def _pipeline(name: str, options: str, extra: str = "") -> str:
    opts = " ".join(o for o in (options, extra) if o)
    return f"--{name}={opts}" if opts else f"--{name}"


def compile_config(caps: Caps, cfg: Config, options: str, work: Path,
                   timeout: float, env: dict) -> dict:
    rec: dict = {}
    cdir = work / cfg.name
    ptx_dir = cdir / "ptx"
    shutil.rmtree(cdir, ignore_errors=True)
    ptx_dir.mkdir(parents=True)
    src = str(work / "model.mlirbc")
    _, rec["compile_ptx_s"] = run_tool(
        [caps.hm_opt, src, _pipeline("hm-lower-to-nvvm-pipeline", options,
                                     f"chip={CHIP} format=isa"),
         f"--hm-dump-gpu-binaries=output-dir={ptx_dir}", "--emit-bytecode",
         "-o", str(cdir / "host.mlirbc")], timeout, env=env)
    ptx_files = sorted(ptx_dir.glob("*.ptx"))
    rec["kernels"] = len(ptx_files)
    if caps.ptxas and not NO_CUBIN:
        _, rec["compile_cubin_s"] = run_tool(
            [caps.hm_opt, src, _pipeline("hm-lower-to-nvvm-pipeline", options,
                                         f"chip={CHIP} format=bin"),
             "--emit-bytecode", "-o", os.devnull], timeout, env=env)
        regs, spills, smem, worst = [], 0, 0, None
        for ptx in ptx_files:
            # ptxas -v prints its report on stderr.
            proc = subprocess.run([caps.ptxas, f"-arch={CHIP}", "-v", str(ptx),
                                   "-o", os.devnull], capture_output=True,
                                  text=True, timeout=timeout)
            if proc.returncode != 0:
                raise ToolError(f"ptxas rejected {ptx.name}: "
                                f"{_first_error(proc.stderr)}")
            info = parse_ptxas_verbose(proc.stderr + proc.stdout)
            regs.append(info.get("registers", 0))
            spill = info.get("spill_stores", 0) + info.get("spill_loads", 0)
            spills += spill
            smem = max(smem, info.get("shared_bytes", 0))
            if worst is None or info.get("registers", 0) > worst[1]:
                worst = (ptx.stem, info.get("registers", 0))
        rec["ptxas"] = {"kernels": len(regs), "max_registers": max(regs, default=0),
                        "mean_registers": round(sum(regs) / len(regs), 1) if regs else 0,
                        "spill_bytes": spills, "max_shared_bytes": smem,
                        "max_registers_kernel": worst[0] if worst else None}
    else:
        rec["compile_cubin_s"] = None
        rec["ptxas"] = "--no-cubin" if caps.ptxas else "ptxas not found"
    # Launches per inference: gpu.launch_func in host code, weighted by the
    # static trip counts of enclosing loops (hm-model-summary).
    if caps.model_summary:
        out, _ = run_tool([caps.hm_opt, src,
                           _pipeline("hm-linalg-to-gpu-pipeline", options),
                           "--hm-model-summary=format=json", "-o", os.devnull],
                          timeout, env=env)
        summary = _json_objects(out)[0]
        rec["launches"] = summary["launches"]
        rec["launch_sites"] = summary["launch_sites"]
        rec["launches_in_dynamic_loops"] = summary["in_dynamic_loops"]
        rec["launches_in_branches"] = summary["in_branches"]
    return rec


def model_summary(caps: Caps, cfg: Config, work: Path, timeout: float) -> dict:
    """Modelled traffic and latency per arch (hm-model-summary)."""
    src = str(work / "model.mlirbc")
    result = {}
    if cfg.summary_naive:
        passes = [f"--hm-model-summary=arch={a} naive=true format=json"
                  for a in ARCHS]
        out, _ = run_tool([caps.hm_opt, src, *passes, "-o", os.devnull], timeout)
        for arch, obj in zip(ARCHS, _json_objects(out)):
            result[arch] = obj
    else:
        for arch in ARCHS:
            passes = [p.format(arch=arch) for p in cfg.summary_passes]
            out, _ = run_tool([caps.hm_opt, src, *passes,
                               f"--hm-model-summary=arch={arch} format=json",
                               "-o", os.devnull], timeout)
            result[arch] = _json_objects(out)[0]
    keep = ("global_bytes", "compulsory_bytes", "flops", "time_us", "dram_us",
            "compute_us", "smem_us", "linalg_ops", "linalg_op_instances",
            "configured_ops", "naive_ops", "unmodelled_ops", "unfit_ops",
            "unmodelled_reasons", "in_dynamic_loops", "in_branches",
            "fused_kernels", "fused_ops", "kernels")
    return {arch: {k: obj.get(k) for k in keep} for arch, obj in result.items()}


_COMPARE_RE = re.compile(
    r"compare out(\d+) \(\w+ vs (\S+)\): max_abs_err=(\S+) max_rel_err=(\S+).* (OK|FAIL\w*|MISMATCH\w*)")


def check_correctness(caps: Caps, options: str, work: Path, meta: dict,
                      timeout: float) -> dict:
    ins = sorted(work.glob("in*.npy"), key=lambda p: int(p.stem[2:]))
    refs = sorted(work.glob("ref*.npy"), key=lambda p: int(p.stem[3:]))
    cmd = [caps.hm_run, str(work / "model.mlirbc"), "--entry=main",
           "--device=emu", "--compare=cpu",
           *[f"--input={p}" for p in ins], *[f"--expected={p}" for p in refs]]
    if options:
        cmd.append(f"--gpu-pipeline-options={options}")
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": timeout,
                "detail": f"hm-run --device=emu did not finish in {timeout:.0f} s"}
    seconds = round(time.perf_counter() - start, 2)
    vs_cpu, vs_torch, worst = [], [], 0.0
    for m in _COMPARE_RE.finditer(proc.stdout + proc.stderr):
        ok = m.group(5) == "OK"
        (vs_cpu if m.group(2) == "cpu" else vs_torch).append(ok)
        if m.group(2) != "cpu":
            try:
                worst = max(worst, float(m.group(3)))
            except ValueError:
                pass
    rec = {"seconds": seconds, "batch": meta["batch"],
           "emu_vs_cpu": bool(vs_cpu) and all(vs_cpu),
           "vs_pytorch": bool(vs_torch) and all(vs_torch),
           "max_abs_err_vs_pytorch": worst}
    if proc.returncode == 0 and rec["emu_vs_cpu"] and rec["vs_pytorch"]:
        rec["status"] = "pass"
    else:
        rec["status"] = "fail"
        rec["detail"] = _first_error(proc.stderr + proc.stdout)
    return rec


def measure_cuda(caps: Caps, options: str, work: Path, timeout: float) -> dict:
    ins = sorted(work.glob("in*.npy"), key=lambda p: int(p.stem[2:]))
    cmd = [caps.hm_run, str(work / "model.mlirbc"), "--entry=main",
           "--device=cuda", "--warmup=3", "--repeat=20",
           *[f"--input={p}" for p in ins]]
    if options:
        cmd.append(f"--gpu-pipeline-options={options}")
    try:
        out, _ = run_tool(cmd, timeout)
    except ToolError as err:
        return {"status": "error", "detail": str(err)}
    m = re.search(r"mean[=: ]+([\d.eE+-]+)\s*(ms|us|s)", out)
    if not m:
        return {"status": "error", "detail": "no timing line in hm-run output"}
    scale = {"s": 1e3, "ms": 1.0, "us": 1e-3}[m.group(2)]
    return {"status": "measured", "mean_ms": float(m.group(1)) * scale}


def measure_torch_cuda(caps: Caps, name: str, batch: int, timeout: float) -> dict:
    code = ("import sys, time, torch\n"
            "from heavymetal.models import MODELS, INPUT_SEED, WEIGHT_SEED\n"
            "if not torch.cuda.is_available():\n"
            "    print('unavailable: this torch has no CUDA'); sys.exit(0)\n"
            f"spec = MODELS[{name!r}]\n"
            "torch.manual_seed(WEIGHT_SEED)\n"
            "m = spec.build().eval().cuda()\n"
            f"args = [t.cuda() for _, t in spec.inputs({batch}, torch.Generator().manual_seed(INPUT_SEED))]\n"
            "with torch.no_grad():\n"
            "    for _ in range(3): m(*args)\n"
            "    torch.cuda.synchronize(); t = time.perf_counter()\n"
            "    for _ in range(20): m(*args)\n"
            "    torch.cuda.synchronize()\n"
            "print('mean_ms', (time.perf_counter() - t) / 20 * 1e3)\n")
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    try:
        out, _ = run_tool([caps.torch_python, "-c", code], timeout, env=env)
    except ToolError as err:
        return {"status": "error", "detail": str(err)}
    if out.startswith("unavailable"):
        return {"status": "unavailable", "detail": out.strip()}
    return {"status": "measured", "mean_ms": float(out.split()[-1])}


# Set once iree-compile has refused sm_90, so later models go to sm_80 at
# once instead of failing first.
_IREE_FALLBACK: str | None = None


def run_iree(caps: Caps, work: Path, timeout: float) -> dict:
    global _IREE_FALLBACK
    if not caps.iree_compile or not caps.iree_import:
        return {"status": "not installed",
                "detail": "iree-base-compiler is not installed (scripts/setup.sh "
                          "puts it in .venv; see python/requirements-bench.txt)"}
    rec: dict = {"version": caps.iree_version}
    idir = work / "iree"
    shutil.rmtree(idir, ignore_errors=True)
    idir.mkdir()
    try:
        _, rec["import_s"] = run_tool([caps.iree_import, str(work / "model.onnx"),
                                       "-o", str(idir / "model.mlir")], timeout)
    except ToolError as err:
        return {**rec, "status": "import failed", "detail": str(err)}
    base = [caps.iree_compile, str(idir / "model.mlir"),
            "--iree-hal-target-backends=cuda"]
    # iree-base-compiler 3.13 has no sm_90 GPU target for CUDA ("missing GPU
    # target in #hal.executable.target", iree-org/iree#22147): fall back to
    # sm_80 and say so.
    targets = ("sm_80",) if _IREE_FALLBACK else (CHIP, "sm_80")
    if _IREE_FALLBACK:
        rec["target_note"] = _IREE_FALLBACK
    for target in targets:
        try:
            _, rec["compile_s"] = run_tool(
                base + [f"--iree-cuda-target={target}", "-o",
                        str(idir / "model.vmfb")], timeout)
            rec["target"] = target
            break
        except ToolError as err:
            if target == CHIP and "missing GPU target" in str(err):
                _IREE_FALLBACK = (f"{CHIP} unsupported by this IREE "
                                  "(missing GPU target); compiled for sm_80")
                rec["target_note"] = _IREE_FALLBACK
                continue
            return {**rec, "status": "compile failed", "detail": str(err)}
    # Dispatches: flow.dispatch sites after dispatch-region formation (static
    # count: IREE keeps loops on the host and they are not multiplied).
    flow = idir / "model.flow.mlir"
    run_tool(base + [f"--iree-cuda-target={rec['target']}", "--compile-to=flow",
                     "-o", str(flow)], timeout)
    text = flow.read_text(errors="replace")
    rec["dispatches"] = len(re.findall(r"\bflow\.dispatch @", text))
    rec["dispatches_in_loops"] = bool(re.search(r"\bscf\.(for|while)\b|\bcf\.cond_br\b", text))
    rec["status"] = "compiled"
    flow.unlink()
    return rec


# --------------------------------------------------------------------------
# One model at one batch.
# --------------------------------------------------------------------------

def bench_one(caps: Caps, name: str, batch: int, args, progress: Progress) -> list[dict]:
    spec = MODELS[name]
    label = f"{name} b{batch}"
    common = {"model": name, "paper": spec.paper, "batch": batch,
              "control_flow": spec.control_flow}
    records: list[dict] = []
    work = args.cache / name / f"b{batch}"
    progress.step(label, "export (PyTorch -> ONNX)")
    try:
        meta = export_model(caps, name, batch, args.cache, args.export_timeout,
                            args.refresh)
    except ToolError as err:
        rec = {**common, "config": "all", "status": "export failed",
               "error": str(err)}
        progress.finish(label, f"export failed: {err}")
        return [rec]
    common.update(onnx_nodes=meta["onnx_nodes"], onnx_mb=round(meta["onnx_bytes"] / 1e6, 2),
                  export_s=meta["export_s"],
                  onnx_control_flow={k: v for k, v in meta["onnx_ops"].items()
                                     if k in ("Loop", "If", "LSTM", "GRU", "Scan")})
    progress.step(label, "import (hm-translate)")
    try:
        import_s = import_model(caps, work, args.step_timeout)
    except ToolError as err:
        for cfg in CONFIGS:
            records.append({**common, "config": cfg.name, "status": "import failed",
                            "error": str(err)})
        records.append({**common, "config": "iree",
                        **_iree_record(caps, work, args, progress, label)})
        progress.finish(label, f"import failed: {err}")
        return records
    env = _env_for_tools(caps)
    check_here = batch == spec.check_batch
    compiled: dict[str, dict] = {}
    for cfg in CONFIGS:
        if cfg.name not in args.configs:
            continue
        rec = {**common, "config": cfg.name, "import_s": round(import_s, 3)}
        options = cfg.pipeline_options(caps)
        if options is None:
            # This build's pipeline cannot express the configuration: only
            # the modelled numbers (which need no pipeline) are reported.
            rec["status"] = "modelled only"
            rec["note"] = (f"the GPU pipeline of this build cannot compile "
                           f"'{cfg.name}' (no 'roller'/'welder' option): only "
                           "its modelled numbers are reported")
        elif options in compiled:
            # Same pipeline options as an earlier configuration: the same
            # kernels; reuse its measurements instead of compiling again.
            first = compiled[options]
            rec.update({k: v for k, v in first.items()
                        if k in ("pipeline_options", "compile_ptx_s", "compile_cubin_s",
                                 "kernels", "ptxas", "launches", "launch_sites",
                                 "launches_in_dynamic_loops", "launches_in_branches",
                                 "status", "error", "correctness", "cuda")})
            rec["note"] = (f"same pipeline options as '{first['config']}' "
                           "(this build's pipeline has no 'roller' option): the same "
                           "kernels; compile and correctness reused from it")
        else:
            rec["pipeline_options"] = options
            progress.step(label, f"compile {cfg.name}")
            try:
                rec.update(compile_config(caps, cfg, options, work,
                                          args.step_timeout, env))
                rec["status"] = "compiled"
            except ToolError as err:
                rec["status"] = "compile failed"
                rec["error"] = str(err)
        if caps.model_summary:
            progress.step(label, f"model summary {cfg.name}")
            try:
                rec["modelled"] = model_summary(caps, cfg, work, args.step_timeout)
            except ToolError as err:
                rec["modelled_error"] = str(err)
        else:
            rec["modelled_error"] = "hm-opt has no --hm-model-summary (old build)"
        if rec["status"] == "compiled" and "correctness" not in rec:
            if not check_here:
                rec["correctness"] = {"status": "see batch %d" % spec.check_batch,
                                      "detail": f"checked at batch {spec.check_batch} "
                                                "(the emulator is too slow here)"}
            elif args.no_emu or not caps.emulator:
                rec["correctness"] = {"status": "skipped",
                                      "detail": "--no-emu" if args.no_emu
                                      else "emulator not built"}
            elif cfg.name not in args.emu_configs:
                rec["correctness"] = {"status": "skipped",
                                      "detail": "not in --emu-configs"}
            elif (_modelled(rec, "sm_90", "flops") or 0) > args.emu_max_gflop * 1e9:
                gflop = rec["modelled"]["sm_90"]["flops"] / 1e9
                rec["correctness"] = {
                    "status": "too large",
                    "detail": f"{gflop:.1f} GFLOP per inference (modelled) is over "
                              f"--emu-max-gflop={args.emu_max_gflop:g}: too slow "
                              "for the CPU emulator at this batch"}
            else:
                progress.step(label, f"emulate {cfg.name} (hm-run --device=emu "
                              "--compare=cpu)")
                rec["correctness"] = check_correctness(caps, options, work, meta,
                                                       args.emu_timeout)
            if caps.cuda_gpu:
                progress.step(label, f"cuda latency {cfg.name}")
                rec["cuda"] = measure_cuda(caps, options, work, args.step_timeout)
        if options is not None and options not in compiled:
            compiled[options] = rec
        records.append(rec)
    if caps.cuda_gpu:
        records[0]["pytorch_cuda"] = measure_torch_cuda(caps, name, batch,
                                                        args.step_timeout)
    records.append({**common, "config": "iree",
                    **_iree_record(caps, work, args, progress, label)})
    progress.finish(label, _one_line(records))
    return records


def _iree_record(caps, work, args, progress, label) -> dict:
    if args.no_iree:
        return {"status": "skipped", "detail": "--no-iree"}
    progress.step(label, "IREE (iree-import-onnx, iree-compile)")
    try:
        return run_iree(caps, work, args.step_timeout)
    except ToolError as err:
        return {"status": "failed", "detail": str(err)}


def _one_line(records: list[dict]) -> str:
    parts = []
    for r in records:
        s = r.get("status")
        if r["config"] == "iree":
            parts.append(f"iree {s}" + (f" {r['compile_s']:.1f}s" if r.get("compile_s") else ""))
            continue
        text = f"{r['config']} {s}"
        if r.get("compile_ptx_s") is not None:
            text += f" {r['compile_ptx_s']:.1f}s {r.get('launches', '?')} launches"
        c = r.get("correctness", {}).get("status")
        if c:
            text += f" emu:{c}"
        parts.append(text)
    return "; ".join(parts)


# --------------------------------------------------------------------------
# Outputs.
# --------------------------------------------------------------------------

def _fmt(value, digits=2, unit=""):
    if value is None:
        return "–"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:.0f}{unit}"
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _ratio(a, b):
    if a is None or b in (None, 0):
        return "–"
    return f"{a / b:.2f}×"


def _bytes(v):
    if v is None:
        return "–"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if v >= scale:
            return f"{v / scale:.1f} {unit}"
    return f"{v:.0f} B"


def _modelled(rec, arch, key):
    return (rec or {}).get("modelled", {}).get(arch, {}).get(key)


def markdown_summary(records: list[dict], caps: Caps, header: str) -> str:
    by_key: dict = {}
    for r in records:
        by_key.setdefault((r["model"], r["batch"]), {})[r["config"]] = r
    lines = [header, ""]
    lines.append("| model | batch | import s | compile PTX s: HM / naive / IREE | "
                 "HM÷naive | HM÷IREE | launches HM / naive / IREE dispatches | "
                 "traffic sm_90 HM (÷naive) | modelled µs V100 / A100 / H100 HM "
                 "(÷naive on H100) | regs max / spills | emu vs cpu & PyTorch |")
    lines.append("|" + "---|" * 11)
    for (model, batch), cfgs in by_key.items():
        hm, nv, ir = cfgs.get("heavymetal"), cfgs.get("naive"), cfgs.get("iree")
        if hm is None:
            r = next(iter(cfgs.values()))
            lines.append(f"| {model} | {batch} | {r['status']}: {r.get('error', '')} |"
                         + " |" * 9)
            continue
        nv_compile = nv.get("compile_ptx_s") if nv else None
        ir_compile = ir.get("compile_s") if ir else None
        hm_compile = hm.get("compile_ptx_s")
        def _state(r, value):
            if r and r.get("status") not in ("compiled", "modelled only"):
                return f"**{r['status']}**"
            return _fmt(value)
        compile_cell = (f"{_state(hm, hm_compile)} / {_state(nv, nv_compile)} / "
                        f"{_iree_cell(ir)}")
        launches = (f"{_fmt(hm.get('launches'), 0)} / "
                    f"{_fmt(nv.get('launches') if nv else None, 0)} / "
                    f"{_fmt(ir.get('dispatches') if ir else None)}")
        t_hm = _modelled(hm, "sm_90", "global_bytes")
        t_nv = _modelled(nv, "sm_90", "global_bytes")
        traffic = f"{_bytes(t_hm)} ({_ratio(t_hm, t_nv)})"
        lat = " / ".join(_fmt(_modelled(hm, a, "time_us"), 1) for a in ARCHS)
        lat += f" ({_ratio(_modelled(hm, 'sm_90', 'time_us'), _modelled(nv, 'sm_90', 'time_us'))})"
        px = hm.get("ptxas")
        regs = (f"{px['max_registers']} / {px['spill_bytes']} B"
                if isinstance(px, dict) else "–")
        corr = hm.get("correctness", {})
        cstat = corr.get("status", "–")
        if hm.get("status") not in ("compiled", "modelled only"):
            cstat = "– (not compiled: see below)"
        if cstat == "pass":
            cstat = f"pass ({corr.get('seconds')} s)"
        elif cstat in ("too large", "timeout", "skipped"):
            cstat = f"{cstat}: {corr.get('detail', '')}"
        elif cstat == "fail":
            cstat = (f"**fail** (emu vs cpu {'ok' if corr.get('emu_vs_cpu') else 'FAIL'}, "
                     f"vs PyTorch {'ok' if corr.get('vs_pytorch') else 'FAIL'})")
        lines.append(f"| {model} | {batch} | {_fmt(hm.get('import_s'))} | {compile_cell} | "
                     f"{_ratio(hm_compile, nv_compile)} | {_ratio(hm_compile, ir_compile)} | "
                     f"{launches} | {traffic} | {lat} | {regs} | {cstat} |")
    lines.extend(fusion_table(by_key))
    lines.append("")
    lines.append(_legend(caps))
    notes = {r["target_note"] for r in records if r.get("target_note")}
    for note in sorted(notes):
        lines.append(f"- IREE: {note} (iree-org/iree#22147).")
    failed = [r for r in records if r["config"] not in ("iree", "naive")
              and r["status"] not in ("compiled", "modelled only")]
    if failed:
        lines.append("\nNot working yet:\n")
        for r in failed:
            lines.append(f"- {r['model']} b{r['batch']} {r['config']}: "
                         f"{r['status']}: `{r.get('error')}`")
    iree_failed = [r for r in records if r["config"] == "iree"
                   and r.get("status") not in ("compiled", "not installed", "skipped")]
    if iree_failed:
        lines.append("\nIREE failures:\n")
        for r in iree_failed:
            lines.append(f"- {r['model']} b{r['batch']}: {r['status']}: `{r.get('detail')}`")
    return "\n".join(lines) + "\n"


def fusion_table(by_key: dict) -> list[str]:
    """Welder vs naive vs element-wise-only fusion (issue 7), when run."""
    if not any("welder" in cfgs for cfgs in by_key.values()):
        return []
    lines = ["", "Fusion (Welder, issue 7): launches per inference (exact, "
             "from the IR) and modelled global traffic on sm_90 "
             "(--hm-model-summary; a fused group counts as one kernel whose "
             "traffic is its inputs + output):", "",
             "| model | batch | launches naive / HM / elementwise / welder | "
             "kernels welder÷naive | traffic sm_90 naive / HM / elementwise / "
             "welder | welder÷naive | welder÷elementwise | fused groups (ops) | "
             "emu welder |",
             "|" + "---|" * 9]
    for (model, batch), cfgs in by_key.items():
        nv, hm = cfgs.get("naive"), cfgs.get("heavymetal")
        ew, wd = cfgs.get("elementwise"), cfgs.get("welder")
        if wd is None:
            continue
        def launches(r):
            if r is None:
                return "–"
            if r.get("status") not in ("compiled", "modelled only"):
                return f"**{r.get('status')}**"
            return _fmt(r.get("launches"), 0)
        def traffic(r):
            return _bytes(_modelled(r, "sm_90", "global_bytes"))
        t = {k: _modelled(r, "sm_90", "global_bytes")
             for k, r in (("nv", nv), ("ew", ew), ("wd", wd))}
        fused = (f"{_modelled(wd, 'sm_90', 'fused_kernels')} "
                 f"({_modelled(wd, 'sm_90', 'fused_ops')})"
                 if _modelled(wd, "sm_90", "fused_kernels") is not None else "–")
        corr = (wd.get("correctness") or {}).get("status", "–")
        lines.append(
            f"| {model} | {batch} | {launches(nv)} / {launches(hm)} / "
            f"{launches(ew)} / {launches(wd)} | "
            f"{_ratio(wd.get('launches'), nv.get('launches') if nv else None)} | "
            f"{traffic(nv)} / {traffic(hm)} / {traffic(ew)} / {traffic(wd)} | "
            f"{_ratio(t['wd'], t['nv'])} | {_ratio(t['wd'], t['ew'])} | "
            f"{fused} | {corr} |")
    return lines


def _header(env_info: dict, caps: Caps) -> str:
    return (f"hm-bench, {env_info.get('date', '?').replace('T', ' ')[:16]}, "
            f"`{env_info.get('command', '?')}` ({env_info.get('cpus')} CPUs, "
            f"{env_info.get('wall_s')} s"
            f"{', GPU: ' + caps.cuda_gpu if caps.cuda_gpu else ', no GPU'}; "
            f"IREE {caps.iree_version or 'not installed'})")


def _iree_cell(ir):
    if not ir:
        return "–"
    if ir.get("status") == "compiled":
        return _fmt(ir.get("compile_s"))
    return ir.get("status", "–")


def _legend(caps: Caps) -> str:
    notes = [
        "Measured on this machine: import, compile times (wall clock, one run), "
        "launches (exact, from the IR: gpu.launch_func weighted by static loop "
        "trip counts), IREE dispatches (static flow.dispatch sites), ptxas "
        "registers/spills, emulator checks.",
        "Modelled (not measured): traffic and latency, from HeavyMetal's cost "
        "model (docs/CostModel.md) summed over the ops by --hm-model-summary; "
        "the naive baseline is modelled as one kernel per op (docs/Benchmarks.md).",
    ]
    if not caps.roller_option:
        notes.append("This build's GPU pipeline has no `roller` option yet: "
                     "HeavyMetal and naive compile to the same kernels (so compile "
                     "and launch ratios are 1), while the modelled columns use "
                     "Roller's configurations for HeavyMetal.")
    if not caps.iree_compile:
        notes.append("IREE: not installed.")
    return "\n".join(f"- {n}" for n in notes)


def plots(records: list[dict], out: Path) -> list[str]:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    rows = {}
    for r in records:
        rows.setdefault(f"{r['model']} b{r['batch']}", {})[r["config"]] = r
    labels = list(rows)

    def series(cfg, getter):
        vals = []
        for label in labels:
            r = rows[label].get(cfg)
            try:
                v = getter(r) if r else None
            except (KeyError, TypeError, AttributeError):
                v = None
            vals.append(v if isinstance(v, (int, float)) else 0)
        return vals

    charts = [
        ("compile_time.png", "Compile time to PTX, measured (s)",
         [("HeavyMetal", "heavymetal", lambda r: r["compile_ptx_s"]),
          ("naive", "naive", lambda r: r["compile_ptx_s"]),
          ("IREE (cuda)", "iree", lambda r: r["compile_s"])], True),
        ("traffic.png", "Global-memory traffic per inference, modelled on H100 (bytes)",
         [("HeavyMetal", "heavymetal", lambda r: r["modelled"]["sm_90"]["global_bytes"]),
          ("naive", "naive", lambda r: r["modelled"]["sm_90"]["global_bytes"])], True),
        ("kernels.png", "Kernel launches per inference (exact)",
         [("HeavyMetal", "heavymetal", lambda r: r["launches"]),
          ("naive", "naive", lambda r: r["launches"]),
          ("IREE dispatches (static)", "iree", lambda r: r["dispatches"])], True),
        ("latency.png", "Latency per inference, modelled on H100 (µs)",
         [("HeavyMetal", "heavymetal", lambda r: r["modelled"]["sm_90"]["time_us"]),
          ("naive", "naive", lambda r: r["modelled"]["sm_90"]["time_us"])], True),
    ]
    written = []
    for filename, title, groups, log in charts:
        fig, ax = plt.subplots(figsize=(max(6, 0.55 * len(labels) + 2), 4.5))
        width = 0.8 / len(groups)
        for i, (name, cfg, getter) in enumerate(groups):
            xs = [x + i * width for x in range(len(labels))]
            ax.bar(xs, series(cfg, getter), width, label=name)
        ax.set_xticks([x + 0.4 - width / 2 for x in range(len(labels))])
        ax.set_xticklabels(labels, rotation=60, ha="right", fontsize=8)
        ax.set_title(title, fontsize=10)
        if log and any(v > 0 for _, cfg, g in groups for v in series(cfg, g)):
            ax.set_yscale("log")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(out / filename, dpi=110)
        plt.close(fig)
        written.append(filename)
    return written


# --------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="hm-bench", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help=f"CI mode: {', '.join(QUICK_MODELS)} at small batches; "
                             "exits 1 if a model stops compiling or matching")
    parser.add_argument("--models", help="comma-separated models (default: all "
                        "paper models; --list shows them)")
    parser.add_argument("--batches", help="comma-separated batches (default: "
                        "each model's: 1 and 64 where it fits)")
    parser.add_argument("--first-batch-only", action="store_true",
                        help="only each model's first batch (1; NeRF: one frame) "
                             "and its emulator-check batch")
    parser.add_argument("--report-only", type=Path, metavar="RESULTS_JSON",
                        help="rewrite summary.md and plots from a results.json")
    parser.add_argument("--list", action="store_true", help="list the models")
    parser.add_argument("--build-dir", type=Path, default=REPO / "build")
    parser.add_argument("--cache", type=Path,
                        default=Path(os.environ.get("HM_CACHE", REPO / "build" / "models")),
                        help="exported models ($HM_CACHE, default build/models)")
    parser.add_argument("--out", type=Path, default=None,
                        help="results directory (default build/bench[-quick])")
    parser.add_argument("--iree-bin", type=Path, help="folder with iree-compile")
    parser.add_argument("--no-iree", action="store_true")
    parser.add_argument("--no-emu", action="store_true")
    parser.add_argument("--no-plots", action="store_true")
    parser.add_argument("--refresh", action="store_true", help="re-export models")
    parser.add_argument("--step-timeout", type=float, default=900)
    parser.add_argument("--export-timeout", type=float, default=900)
    parser.add_argument("--emu-timeout", type=float, default=300)
    parser.add_argument("--emu-max-gflop", type=float, default=6.0,
                        help="skip the emulator check for models over this many "
                             "modelled GFLOP per inference (the emulator runs "
                             "~20 MFLOP/s on 2 cores; default 6)")
    parser.add_argument("--emu-configs", default=None,
                        help="configurations checked under the emulator "
                             "(default: all with --quick, heavymetal otherwise)")
    parser.add_argument("--fail-on-error", action="store_true",
                        help="exit 1 when a HeavyMetal configuration fails to "
                             "compile or to match (implied by --quick)")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--configs", default=None,
                        help="HeavyMetal configurations to run (default: all: "
                             + ",".join(c.name for c in CONFIGS) + ")")
    parser.add_argument("--no-cubin", action="store_true",
                        help="skip the cubin compile and ptxas -v")
    args = parser.parse_args(argv)
    global NO_CUBIN
    NO_CUBIN = args.no_cubin
    all_configs = [c.name for c in CONFIGS]
    args.configs = (all_configs if args.configs is None
                    else [c.strip() for c in args.configs.split(",") if c.strip()])
    if bad := [c for c in args.configs if c not in all_configs]:
        print(f"hm-bench: error: unknown configuration(s) {', '.join(bad)}; "
              f"known: {', '.join(all_configs)}", file=sys.stderr)
        return 2

    if args.list:
        for name, spec in MODELS.items():
            print(f"{name:16} {spec.paper:8} batches={list(spec.batches)} "
                  f"check@{spec.check_batch}  {spec.control_flow}")
        return 0
    if args.report_only:
        data = json.loads(args.report_only.read_text())
        env_info, records = data.get("environment", {}), data["records"]
        out = args.out or args.report_only.parent
        out.mkdir(parents=True, exist_ok=True)
        caps = Caps("", "", "", env_info.get("pipeline_roller_option", True), True,
                    True, env_info.get("ptxas"), None, env_info.get("iree"),
                    env_info.get("iree"), env_info.get("cuda_gpu"), "")
        summary = markdown_summary(records, caps, _header(env_info, caps))
        (out / "summary.md").write_text(summary)
        if not args.no_plots:
            plots(records, out)
        print(summary)
        return 0
    if args.quick:
        names = QUICK_MODELS
    elif args.models:
        names = [n.strip() for n in args.models.split(",") if n.strip()]
    else:
        names = PAPER_MODELS
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        print(f"hm-bench: error: unknown model(s) {', '.join(unknown)}; "
              f"known: {', '.join(MODELS)}", file=sys.stderr)
        return 2
    if args.models and args.quick:
        names = [n.strip() for n in args.models.split(",")]
    fixed = [int(b) for b in args.batches.split(",")] if args.batches else None
    jobs = []
    for name in names:
        spec = MODELS[name]
        if fixed:
            batches = fixed
        elif args.quick:
            batches = sorted(b for b in spec.batches if b <= 4096)
        elif args.first_batch_only:
            batches = [spec.batches[0]]
        else:
            batches = list(spec.batches)
        if spec.check_batch not in batches and not fixed:
            batches.insert(0, spec.check_batch)
        jobs += [(name, b) for b in batches]
    if args.emu_configs is None:
        args.emu_configs = (list(args.configs) if args.quick
                            else ["heavymetal"])
    else:
        args.emu_configs = args.emu_configs.split(",")
    if args.quick:
        args.fail_on_error = True
        args.emu_timeout = min(args.emu_timeout, 120)
    out = args.out or (REPO / "build" / ("bench-quick" if args.quick else "bench"))
    out.mkdir(parents=True, exist_ok=True)
    args.cache.mkdir(parents=True, exist_ok=True)
    try:
        caps = detect_caps(args.build_dir, args.iree_bin)
    except ToolError as err:
        print(f"hm-bench: error: {err}", file=sys.stderr)
        return 2

    started = datetime.datetime.now()
    progress = Progress(len(jobs), args.quiet)
    records: list[dict] = []
    for name, batch in jobs:
        records.extend(bench_one(caps, name, batch, args, progress))
        (out / "results.json").write_text(json.dumps(
            {"records": records}, indent=1))  # partial results survive a kill

    command = "hm-bench " + " ".join(argv if argv is not None else sys.argv[1:])
    env_info = {
        "date": started.isoformat(timespec="seconds"),
        "command": command.strip(),
        "host": platform.node(), "cpus": os.cpu_count(),
        "wall_s": round((datetime.datetime.now() - started).total_seconds(), 1),
        "pipeline_roller_option": caps.roller_option,
        "ptxas": caps.ptxas, "iree": caps.iree_version, "cuda_gpu": caps.cuda_gpu,
        "configs": {c.name: c.description for c in CONFIGS},
    }
    (out / "results.json").write_text(json.dumps(
        {"environment": env_info, "records": records}, indent=1))
    summary = markdown_summary(records, caps, _header(env_info, caps))
    (out / "summary.md").write_text(summary)
    written = [] if args.no_plots else plots(records, out)
    print(summary)
    print(f"results: {out / 'results.json'}, {out / 'summary.md'}"
          + (", " + ", ".join(str(out / w) for w in written) if written else ""))

    if args.fail_on_error:
        bad = []
        for r in records:
            if r["config"] == "iree" or r.get("status") == "modelled only":
                continue
            if r.get("status") != "compiled":
                bad.append(f"{r['model']} b{r['batch']} {r['config']}: "
                           f"{r.get('status')}: {r.get('error')}")
            elif r.get("correctness", {}).get("status") in ("fail", "timeout"):
                bad.append(f"{r['model']} b{r['batch']} {r['config']}: correctness "
                           f"{r['correctness']['status']}: {r['correctness'].get('detail')}")
        if bad:
            print("hm-bench: FAILED:\n  " + "\n  ".join(bad), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
