"""Export one zoo model at one batch to ONNX with PyTorch's reference
outputs. Runs in its own process (hm-bench starts it with /usr/bin/python3,
which has Debian's torch), so a crash or a memory blow-up in torch.onnx does
not take the benchmark down."""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

from heavymetal.models import INPUT_SEED, MODELS, WEIGHT_SEED


def export(name: str, batch: int, out_dir: Path) -> dict:
    import numpy as np
    import onnx
    import torch

    spec = MODELS[name]
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(WEIGHT_SEED)
    model = spec.build().eval()
    gen = torch.Generator().manual_seed(INPUT_SEED)
    inputs = spec.inputs(batch, gen)
    args = tuple(t for _, t in inputs)
    start = time.perf_counter()
    with torch.no_grad():
        ref = model(*args)
    ref_s = time.perf_counter() - start
    refs = list(ref) if isinstance(ref, (tuple, list)) else [ref]
    path = out_dir / "model.onnx"
    start = time.perf_counter()
    # Not under no_grad: torch 1.13 then routes nn.MultiheadAttention (ViT)
    # to its fused fast path, aten::_native_multi_head_attention, which has
    # no ONNX export. With gradients enabled it exports the plain ops.
    torch.onnx.export(model, args, str(path), opset_version=17,
                      input_names=[n for n, _ in inputs],
                      output_names=[f"out{i}" for i in range(len(refs))],
                      do_constant_folding=True)
    export_s = time.perf_counter() - start
    for i, (_, t) in enumerate(inputs):
        np.save(out_dir / f"in{i}.npy", np.ascontiguousarray(t.numpy()))
    for i, t in enumerate(refs):
        np.save(out_dir / f"ref{i}.npy", np.ascontiguousarray(t.numpy()))
    graph = onnx.load(str(path), load_external_data=False).graph
    ops = collections.Counter(n.op_type for n in graph.node)
    meta = {
        "model": name, "batch": batch, "paper": spec.paper,
        "control_flow": spec.control_flow, "notes": spec.notes,
        "inputs": [{"name": n, "shape": list(t.shape), "dtype": str(t.dtype)}
                   for n, t in inputs],
        "outputs": [{"shape": list(t.shape), "dtype": str(t.dtype)} for t in refs],
        "onnx_ops": dict(sorted(ops.items())),
        "onnx_nodes": sum(ops.values()),
        "onnx_bytes": path.stat().st_size,
        "export_s": round(export_s, 3), "torch_forward_s": round(ref_s, 4),
        "torch": torch.__version__, "seeds": [WEIGHT_SEED, INPUT_SEED],
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=1))
    return meta


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m heavymetal.models")
    parser.add_argument("models", nargs="*")
    parser.add_argument("--batch", type=int, action="append")
    parser.add_argument("--cache", default="build/models")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    if args.list or not args.models:
        for name, spec in MODELS.items():
            print(f"{name:16} {spec.paper:8} batches={list(spec.batches)} "
                  f"{spec.control_flow}")
        return 0
    for name in args.models:
        if name not in MODELS:
            print(f"error: unknown model '{name}'; known: {', '.join(MODELS)}",
                  file=sys.stderr)
            return 1
        for batch in args.batch or MODELS[name].batches:
            meta = export(name, batch, Path(args.cache) / name / f"b{batch}")
            print(f"{name} b{batch}: {meta['onnx_nodes']} ONNX nodes, "
                  f"{meta['onnx_bytes'] / 1e6:.1f} MB, export {meta['export_s']} s")
    return 0
