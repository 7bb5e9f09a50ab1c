"""Compile an MLIR file through the HeavyMetal GPU pipeline and report kernels.

The driver runs `hm-opt` twice over the input:
  1. --hm-linalg-to-gpu-pipeline: the outlined gpu.func kernels (what the
     emulator runs), written to <out>/kernels.mlir;
  2. --hm-lower-to-nvvm-pipeline and --hm-dump-gpu-binaries: the host code in
     the LLVM dialect (<out>/host.mlir) and one PTX (or cubin) file per kernel.
When ptxas is found (CUDA_HOME, CUDA_ROOT, CUDA_PATH or PATH), each PTX file is
assembled with `ptxas -v` and its registers, spills and shared memory are read.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]


class CompileError(RuntimeError):
    """A tool failed; the message holds its diagnostics."""


@dataclasses.dataclass
class KernelInfo:
    module: str
    name: str
    grid: tuple[int, int, int]
    block: tuple[int, int, int]
    binary: Path | None = None
    registers: int | None = None
    spill_stores: int | None = None
    spill_loads: int | None = None
    shared_bytes: int | None = None


@dataclasses.dataclass
class CompileResult:
    kernels: list[KernelInfo]
    kernels_ir: Path
    host_ir: Path
    ptxas: str | None


def find_hm_opt(explicit: str | None = None) -> str:
    """hm-opt from the argument, $HM_OPT, the build tree, or PATH."""
    for candidate in (explicit, os.environ.get("HM_OPT"),
                      str(_REPO_ROOT / "build" / "bin" / "hm-opt"),
                      shutil.which("hm-opt")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise CompileError("hm-opt not found: build the project (scripts/setup.sh), "
                       "set HM_OPT, or put hm-opt on PATH")


def find_ptxas() -> str | None:
    for var in ("CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"):
        root = os.environ.get(var)
        if root and os.access(os.path.join(root, "bin", "ptxas"), os.X_OK):
            return os.path.join(root, "bin", "ptxas")
    if os.access("/usr/local/cuda/bin/ptxas", os.X_OK):
        return "/usr/local/cuda/bin/ptxas"
    return shutil.which("ptxas")


def _run(cmd: list[str], env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise CompileError(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n"
                           f"{proc.stderr.strip()}")
    return proc.stdout


_KERNEL_RE = re.compile(
    r"gpu\.module @(?P<module>[\w$.]+)[^\n]*\n\s*gpu\.func @(?P<name>[\w$.]+)\(.*?\)"
    r" kernel attributes \{(?P<attrs>[^}]*)\}")
_SIZE_RE = r"{}\s*=\s*array<i32:\s*(\d+),\s*(\d+),\s*(\d+)>"


def parse_kernels(kernels_ir: str) -> list[KernelInfo]:
    """Kernels with their launch sizes from --hm-linalg-to-gpu-pipeline IR."""
    kernels = []
    for match in _KERNEL_RE.finditer(kernels_ir):
        attrs = match.group("attrs")
        grid = re.search(_SIZE_RE.format("known_grid_size"), attrs)
        block = re.search(_SIZE_RE.format("known_block_size"), attrs)
        kernels.append(KernelInfo(
            module=match.group("module"), name=match.group("name"),
            grid=tuple(int(v) for v in grid.groups()) if grid else (0, 0, 0),
            block=tuple(int(v) for v in block.groups()) if block else (0, 0, 0)))
    return kernels


_PTXAS_USED_RE = re.compile(r"Used (\d+) registers")
_PTXAS_SPILL_RE = re.compile(r"(\d+) bytes spill stores, (\d+) bytes spill loads")
_PTXAS_SMEM_RE = re.compile(r"(\d+) bytes smem")


def parse_ptxas_verbose(text: str) -> dict[str, int]:
    """Registers, spills and shared memory from `ptxas -v` output."""
    info = {}
    if m := _PTXAS_USED_RE.search(text):
        info["registers"] = int(m.group(1))
    if m := _PTXAS_SPILL_RE.search(text):
        info["spill_stores"], info["spill_loads"] = int(m.group(1)), int(m.group(2))
    if m := _PTXAS_SMEM_RE.search(text):
        info["shared_bytes"] = int(m.group(1))
    elif "registers" in info:
        info["shared_bytes"] = 0  # ptxas omits the smem figure when it is 0
    return info


def compile_file(source: Path, out_dir: Path, chip: str = "sm_90",
                 fmt: str = "isa", hm_opt: str | None = None) -> CompileResult:
    tool = find_hm_opt(hm_opt)
    out_dir.mkdir(parents=True, exist_ok=True)
    options = f"chip={chip} format={fmt}"
    env = dict(os.environ)
    ptxas = find_ptxas()
    if ptxas and "CUDA_HOME" not in env:
        # Lets the NVVM target find libdevice and, for format=bin, ptxas.
        env["CUDA_HOME"] = str(Path(ptxas).parents[1])

    kernels_ir = out_dir / "kernels.mlir"
    _run([tool, str(source), f"--hm-linalg-to-gpu-pipeline={options}",
          "-o", str(kernels_ir)], env)
    host_ir = out_dir / "host.mlir"
    _run([tool, str(source), f"--hm-lower-to-nvvm-pipeline={options}",
          f"--hm-dump-gpu-binaries=output-dir={out_dir}", "-o", str(host_ir)], env)

    kernels = parse_kernels(kernels_ir.read_text())
    extension = {"isa": "ptx", "bin": "cubin", "fatbin": "fatbin"}[fmt]
    for kernel in kernels:
        binary = out_dir / f"{kernel.module}.{extension}"
        kernel.binary = binary if binary.exists() else None
        if ptxas and kernel.binary and fmt == "isa":
            proc = subprocess.run([ptxas, f"-arch={chip}", "-v", str(binary),
                                   "-o", str(binary.with_suffix(".cubin"))],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                raise CompileError(f"ptxas rejected {binary}:\n{proc.stderr.strip()}")
            for key, value in parse_ptxas_verbose(proc.stderr + proc.stdout).items():
                setattr(kernel, key, value)
    return CompileResult(kernels, kernels_ir, host_ir, ptxas)


def format_report(result: CompileResult) -> str:
    header = ["kernel", "grid", "block", "regs", "spills (st/ld B)", "smem B", "file"]
    rows = []
    for k in result.kernels:
        spills = ("-" if k.spill_stores is None
                  else f"{k.spill_stores}/{k.spill_loads}")
        rows.append([f"{k.module}::{k.name}", "x".join(map(str, k.grid)),
                     "x".join(map(str, k.block)),
                     "-" if k.registers is None else str(k.registers), spills,
                     "-" if k.shared_bytes is None else str(k.shared_bytes),
                     k.binary.name if k.binary else "-"])
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in [header] + rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
