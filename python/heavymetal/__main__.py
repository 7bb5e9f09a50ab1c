"""Command line: python3 -m heavymetal compile FILE.mlir [options]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from heavymetal.compile import CompileError, compile_file, format_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m heavymetal")
    sub = parser.add_subparsers(dest="command", required=True)
    comp = sub.add_parser("compile", help="compile linalg-on-tensors MLIR to GPU "
                          "kernels and report them")
    comp.add_argument("source", type=Path)
    comp.add_argument("--out", type=Path, default=Path("out"),
                      help="directory for kernels.mlir, host.mlir and PTX (default: out)")
    comp.add_argument("--chip", default="sm_90", help="sm_XY (default: sm_90)")
    comp.add_argument("--format", dest="fmt", choices=["isa", "bin", "fatbin"],
                      default="isa", help="isa = PTX (default), bin = cubin")
    comp.add_argument("--hm-opt", help="path to hm-opt (default: $HM_OPT, build/bin, PATH)")
    args = parser.parse_args(argv)

    if not args.source.is_file():
        print(f"error: no such file: {args.source}", file=sys.stderr)
        return 2
    try:
        result = compile_file(args.source, args.out, args.chip, args.fmt, args.hm_opt)
    except CompileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{len(result.kernels)} kernels from {args.source} for {args.chip}")
    print(format_report(result))
    print(f"\nkernels (gpu.func IR): {result.kernels_ir}")
    print(f"host code (LLVM dialect): {result.host_ir}")
    if result.ptxas is None:
        print("ptxas not found: registers and shared memory not reported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
