"""The benchmark model zoo of the four papers (Roller, Welder, Rammer,
Grinder), built with PyTorch (Debian's python3-torch/torchvision, CPU) with
random weights from fixed seeds, exported to ONNX with reference outputs.

    python3 -m heavymetal.models --list
    python3 -m heavymetal.models resnet18 --batch 1 --cache build/models

Each export lands in ``<cache>/<model>/b<batch>/``: ``model.onnx``,
``in<i>.npy`` (the seeded inputs, in the graph's input order), ``ref<i>.npy``
(PyTorch's outputs on them) and ``meta.json`` (shapes, ONNX operator counts,
export time, versions). Nothing generated goes into git: the cache is
``$HM_CACHE`` or ``build/models``.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

# Seeds: weights are drawn after torch.manual_seed(WEIGHT_SEED), inputs from
# a torch.Generator seeded with INPUT_SEED.
WEIGHT_SEED = 0
INPUT_SEED = 1


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    name: str
    paper: str                  # which paper's suite it comes from
    build: Callable             # () -> torch.nn.Module (or ScriptModule)
    inputs: Callable            # (batch, generator) -> [(name, tensor)]
    batches: tuple = (1, 64)    # leading "batch" sizes exported in full mode
    check_batch: int = 1        # batch of the emulator correctness run
    quick: bool = False         # part of hm-bench --quick
    control_flow: str = "none"  # how loops/branches are exported
    notes: str = ""


def _image(c, h, w):
    def make(batch, gen):
        import torch
        return [("input", torch.randn(batch, c, h, w, generator=gen))]
    return make


def _seq(name, steps, features, batch_first=False):
    def make(batch, gen):
        import torch
        shape = (batch, steps, features) if batch_first else (steps, batch, features)
        return [(name, torch.randn(*shape, generator=gen))]
    return make


def _bert_inputs(batch, gen):
    import torch
    return [("input_ids", torch.randint(0, 30522, (batch, 128), generator=gen))]


def _attention_inputs(batch, gen):
    import torch
    return [("context", torch.randn(batch, 32, 768, generator=gen)),
            ("token", torch.randn(batch, 1, 768, generator=gen))]


def _nerf_inputs(points, gen):
    import torch
    return [("encoded_points", torch.randn(points, 63, generator=gen))]


def _lazy(module, fn):
    def build():
        import importlib
        return getattr(importlib.import_module(f"heavymetal.models.{module}"), fn)()
    return build


MODELS: dict[str, ModelSpec] = {s.name: s for s in [
    # --- Welder (OSDI 2023) ---
    ModelSpec("bert_base", "Welder", _lazy("transformer", "bert_base"),
              _bert_inputs),
    ModelSpec("vit_s32", "Welder", _lazy("vision", "vit_s32"), _image(3, 224, 224)),
    ModelSpec("mobilenet_v2", "Welder", _lazy("vision", "mobilenet_v2"),
              _image(3, 224, 224)),
    ModelSpec("resnet18", "Welder", _lazy("vision", "resnet18"),
              _image(3, 224, 224)),
    ModelSpec("resnet50", "Welder", _lazy("vision", "resnet50"),
              _image(3, 224, 224)),
    ModelSpec("swin_t", "Welder", _lazy("vision", "swin_t"), _image(3, 224, 224)),
    ModelSpec("conformer_block", "Welder", _lazy("transformer", "conformer_block"),
              _seq("features", 512, 512, batch_first=True)),
    # NeRF's "batch" is the number of points: one 1920x1080 frame, and a
    # 4096-point slice for the emulator.
    ModelSpec("nerf_mlp", "Welder", _lazy("vision", "nerf_mlp"), _nerf_inputs,
              batches=(1920 * 1080, 4096), check_batch=4096, quick=True,
              notes="batch = points; the paper's frame is 1920x1080 points"),
    # --- Rammer (OSDI 2020) ---
    ModelSpec("lstm", "Rammer", _lazy("recurrent", "lstm"), _seq("x", 100, 256),
              control_flow="ONNX LSTM (time loop: scf.for in the importer)"),
    ModelSpec("seq2seq", "Rammer", _lazy("recurrent", "seq2seq"),
              _seq("x", 100, 128),
              control_flow="encoder: ONNX LSTM; decoder: unrolled 30 steps"),
    ModelSpec("nasnet_cifar", "Rammer", _lazy("vision", "nasnet_cifar"),
              _image(3, 32, 32)),
    ModelSpec("resnext29", "Rammer", _lazy("vision", "resnext29"),
              _image(3, 32, 32)),
    ModelSpec("deepspeech2", "Rammer", _lazy("recurrent", "deepspeech2"),
              _image(1, 161, 300),
              control_flow="ONNX LSTM (time loop: scf.for in the importer)"),
    ModelSpec("alexnet", "Rammer", _lazy("vision", "alexnet"),
              _image(3, 224, 224)),
    # --- Grinder / Cocktailer (OSDI 2023) ---
    ModelSpec("nasrnn", "Grinder", _lazy("recurrent", "nasrnn"),
              _seq("xs", 1000, 256),
              control_flow="ONNX Loop over 1000 steps (torch.jit.script)"),
    ModelSpec("blockdrop", "Grinder", _lazy("recurrent", "blockdrop"),
              _image(3, 32, 32),
              control_flow="ONNX If per droppable block (torch.jit.script)"),
    ModelSpec("skipnet", "Grinder", _lazy("recurrent", "skipnet"),
              _image(3, 224, 224), batches=(1,),
              control_flow="ONNX If per gated block (torch.jit.script)"),
    ModelSpec("attention", "Grinder", _lazy("transformer", "attention_decoder"),
              _attention_inputs,
              control_flow="unrolled 32 decode steps (the KV cache grows each "
                           "step: a Loop would need dynamic shapes)"),
]}

# A few small models for hm-bench --quick (CI): they import, compile and run
# under the emulator in seconds.
QUICK_MODELS = ["nerf_mlp", "alexnet_small", "lstm_small"]


def _small_alexnet():
    import torch
    from torch import nn
    # A miniature of AlexNet's layer sequence (conv, relu, maxpool, conv,
    # linear) at 32x32: CI's stand-in for the convolutional models.
    return nn.Sequential(
        nn.Conv2d(3, 8, 5, 2, 2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, 1, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(2),
        nn.Flatten(), nn.Linear(64, 10))


def _small_lstm():
    from heavymetal.models.recurrent import StackedLSTM
    return StackedLSTM(layers=2, hidden=32)


MODELS["alexnet_small"] = ModelSpec(
    "alexnet_small", "CI", _small_alexnet, _image(3, 32, 32), batches=(1, 4),
    quick=True, notes="CI miniature of AlexNet, not a paper model")
MODELS["lstm_small"] = ModelSpec(
    "lstm_small", "CI", _small_lstm, _seq("x", 8, 32), batches=(1, 4),
    quick=True, control_flow="ONNX LSTM (time loop: scf.for in the importer)",
    notes="CI miniature of Rammer's LSTM (2 layers, hidden 32, 8 steps)")


# Reduced variants of the Welder models, for emulator correctness checks of
# the fused kernels (the emulator runs ~20 MFLOP/s and a fused kernel is one
# thread per output point): the same architectures, smaller. Not paper
# models: hm-bench runs them only when named (--models).
def _bert_reduced():
    from heavymetal.models.transformer import BERT
    # bert_base reduced: 2 layers, hidden 128, 2 heads, FFN 512, seq 32.
    return BERT(layers=2, hidden=128, heads=2, ffn=512)


def _bert_reduced_inputs(batch, gen):
    import torch
    return [("input_ids", torch.randint(0, 30522, (batch, 32), generator=gen))]


def _vit_reduced():
    from torchvision.models.vision_transformer import VisionTransformer
    # vit_s32 reduced: 2 layers (of 12), image 64 (4 patches + class token).
    from heavymetal.models.vision import with_random_head
    return with_random_head(
        VisionTransformer(image_size=64, patch_size=32, num_layers=2,
                          num_heads=6, hidden_dim=384, mlp_dim=1536))


def _conformer_reduced():
    from heavymetal.models.transformer import ConformerBlock
    # conformer_block reduced: dim 64, 4 heads, kernel 31, 32 frames.
    return ConformerBlock(d=64, heads=4, kernel=31)


for _spec in [
    ModelSpec("bert_reduced", "reduced", _bert_reduced, _bert_reduced_inputs,
              batches=(1,), notes="bert_base with 2 layers, hidden 128, 2 heads, "
              "FFN 512, seq 32"),
    ModelSpec("vit_s32_reduced", "reduced", _vit_reduced, _image(3, 64, 64),
              batches=(1,), notes="vit_s32 with 2 layers at 64x64"),
    ModelSpec("mobilenet_v2_reduced", "reduced", _lazy("vision", "mobilenet_v2"),
              _image(3, 32, 32), batches=(1,), notes="mobilenet_v2 at 32x32"),
    ModelSpec("resnet18_reduced", "reduced", _lazy("vision", "resnet18"),
              _image(3, 32, 32), batches=(1,), notes="resnet18 at 32x32"),
    ModelSpec("resnet50_reduced", "reduced", _lazy("vision", "resnet50"),
              _image(3, 32, 32), batches=(1,), notes="resnet50 at 32x32"),
    ModelSpec("conformer_reduced", "reduced", _conformer_reduced,
              _seq("features", 32, 64, batch_first=True), batches=(1,),
              notes="conformer_block with dim 64, 4 heads, 32 frames"),
]:
    MODELS[_spec.name] = _spec
REDUCED_MODELS = [n for n, s in MODELS.items() if s.paper == "reduced"]
# Paper models in the order of the report.
PAPER_MODELS = [n for n, s in MODELS.items() if s.paper not in ("CI", "reduced")]
