"""Recurrent and dynamic (control-flow) benchmark models: Rammer's LSTM,
Seq2Seq and DeepSpeech2, Grinder's NASRNN, BlockDrop and SkipNet. Random
weights; the comment on each builder gives the provenance and says how its
loops and branches are exported (ONNX LSTM/Loop/If, or unrolled)."""

from __future__ import annotations

from typing import List

import torch
from torch import nn


# Rammer (OSDI 2020) § 6 and Roller (OSDI 2022) § 6: "LSTM (10 layers,
# hidden 256, 100 steps)", input size 256. torch.nn.LSTM exports as ONNX
# LSTM operators (one per layer); hm-translate turns each into an scf.for
# over the 100 time steps.
class StackedLSTM(nn.Module):
    def __init__(self, layers=10, hidden=256):
        super().__init__()
        self.lstm = nn.LSTM(hidden, hidden, layers)

    def forward(self, x):  # x: [steps, batch, hidden]
        return self.lstm(x)[0]


def lstm() -> nn.Module:
    return StackedLSTM()


# Rammer § 6: "Seq2Seq (encoder 8 layers x 100 steps, decoder 4 x 30,
# hidden 128)". Encoder: an 8-layer LSTM over the 100 input steps (ONNX
# LSTM). Decoder: 4 LSTM cells run for 30 steps, each step fed the previous
# step's output (greedy decoding without the vocabulary argmax: the
# embedding of the predicted token is replaced by a linear map of the
# output, so that the graph stays differentiable-free and static). The
# decoder is exported UNROLLED (30 steps x 4 cells): torch.onnx turns a
# traced Python loop into straight-line code.
class Seq2Seq(nn.Module):
    def __init__(self, hidden=128, enc_layers=8, dec_layers=4, dec_steps=30):
        super().__init__()
        self.encoder = nn.LSTM(hidden, hidden, enc_layers)
        self.cells = nn.ModuleList(nn.LSTMCell(hidden, hidden)
                                   for _ in range(dec_layers))
        self.feedback = nn.Linear(hidden, hidden)
        self.dec_steps, self.dec_layers = dec_steps, dec_layers

    def forward(self, x):  # x: [100, batch, hidden]
        _, (h, c) = self.encoder(x)
        hs = [h[-1 - i] for i in range(self.dec_layers)]
        cs = [c[-1 - i] for i in range(self.dec_layers)]
        inp = torch.zeros_like(hs[0])
        outs = []
        for _ in range(self.dec_steps):
            y = inp
            for i, cell in enumerate(self.cells):
                hs[i], cs[i] = cell(y, (hs[i], cs[i]))
                y = hs[i]
            outs.append(y)
            inp = torch.tanh(self.feedback(y))
        return torch.stack(outs)


def seq2seq() -> nn.Module:
    return Seq2Seq()


# Rammer § 6: "DeepSpeech2 (hidden 256, 300 frames)". Amodei et al. 2016
# (§ 3.1-3.2, Table 2): two 2-D convolutions over the spectrogram (161
# frequency bins: 32 filters 41x11 stride 2x2, then 32 filters 21x11 stride
# 2x1, BatchNorm, clipped ReLU min(max(x,0),20)), recurrent layers, a fully
# connected output (29 characters). Here 5 uni-directional LSTM layers of
# hidden 256 (the paper's best English model has 7 bidirectional GRU
# layers; Rammer's benchmark uses LSTM hidden 256). ONNX LSTM operators.
class DeepSpeech2(nn.Module):
    def __init__(self, freq=161, hidden=256, layers=5, classes=29):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 32, (41, 11), (2, 2), (20, 5)), nn.BatchNorm2d(32),
            nn.Hardtanh(0, 20),
            nn.Conv2d(32, 32, (21, 11), (2, 1), (10, 5)), nn.BatchNorm2d(32),
            nn.Hardtanh(0, 20))
        f = (freq + 1) // 2
        f = (f + 1) // 2
        self.rnn = nn.LSTM(32 * f, hidden, layers)
        self.fc = nn.Linear(hidden, classes)

    def forward(self, x):  # x: [batch, 1, 161, 300]
        y = self.conv(x)  # [b, 32, 41, 150]
        b, c, f, t = y.shape
        y = y.reshape(b, c * f, t).permute(2, 0, 1)  # [t, b, c*f]
        return self.fc(self.rnn(y)[0])


def deepspeech2() -> nn.Module:
    return DeepSpeech2()


# Grinder/Cocktailer (OSDI 2023) § 6: "NASRNN (256, 1,000 steps)". The
# recurrent cell found by Zoph & Le 2017 (Fig. 8; TensorFlow's NASCell
# without projection): 8 gates from x and h, combined in a tree of
# sigmoid/tanh/relu nodes with the cell state. The time loop is exported as
# an ONNX Loop (torch.jit.script keeps the loop) — the loop on the host that
# Grinder moves onto the device. 1000 steps of hidden 256.
class NASCell(nn.Module):
    def __init__(self, hidden=256):
        super().__init__()
        self.wx = nn.Linear(hidden, 8 * hidden, bias=False)
        self.wh = nn.Linear(hidden, 8 * hidden, bias=False)

    def forward(self, x, h, c):
        # Explicit slices, not .chunk(8): torch.jit.script exports chunk as
        # SplitToSequence (an ONNX sequence), which hm-translate does not
        # import (sequences are unsupported, docs/ONNX.md).
        z = self.wx(x) + self.wh(h)
        n = z.shape[1] // 8
        g = [z[:, i * n:(i + 1) * n] for i in range(8)]
        l1_0 = torch.sigmoid(g[0]) * torch.relu(g[1])
        l1_1 = torch.sigmoid(g[2]) + torch.tanh(g[3])
        l1_2 = torch.sigmoid(g[4]) * torch.sigmoid(g[5])
        l1_3 = torch.tanh(g[6]) * torch.relu(g[7])
        l2_0 = torch.tanh(l1_0 * l1_1)
        l2_1 = torch.tanh(l1_2 + l1_3)
        c_new = torch.tanh(l2_0 + c)
        h_new = torch.tanh(c_new * l2_1)
        return h_new, c_new


class NASRNN(nn.Module):
    def __init__(self, hidden=256):
        super().__init__()
        self.cell = NASCell(hidden)

    def forward(self, xs):  # xs: [steps, batch, hidden]
        h = torch.zeros_like(xs[0])
        c = torch.zeros_like(xs[0])
        for t in range(xs.shape[0]):
            h, c = self.cell(xs[t], h, c)
        return h


def nasrnn() -> nn.Module:
    return torch.jit.script(NASRNN())


# Grinder § 6: "BlockDrop (ResNet-32 on CIFAR, dynamic block skipping)".
# Wu et al. 2018: a policy network decides per residual block whether to
# run it. ResNet-32 for CIFAR (He et al. 2016 § 4.2: 3 stages x 5 basic
# blocks, 16/32/64 channels); the policy is a linear layer over the pooled
# input with a sigmoid, thresholded at 0.5 (inference-time BlockDrop). Each
# block sits behind an ONNX If (torch.jit.script): it runs when any sample
# of the batch keeps it, and the result is mixed per sample with the mask.
class _BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
            nn.ReLU(), nn.Conv2d(cout, cout, 3, 1, 1, bias=False),
            nn.BatchNorm2d(cout))
        self.short = nn.Sequential()
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                       nn.BatchNorm2d(cout))

    def forward(self, x):
        return torch.relu(self.body(x) + self.short(x))


class BlockDrop(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False),
                                  nn.BatchNorm2d(16), nn.ReLU())
        blocks, cin = [], 16
        for stage, cout in enumerate((16, 32, 64)):
            for i in range(5):
                blocks.append(_BasicBlock(cin, cout, 2 if stage and not i else 1))
                cin = cout
        self.blocks = nn.ModuleList(blocks)
        self.policy = nn.Linear(3, len(blocks))
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        keep = torch.sigmoid(self.policy(x.mean(dim=(2, 3)))) > 0.5  # [b, 15]
        y = self.stem(x)
        i = 0
        for block in self.blocks:
            if i in (0, 5, 10):  # shape-changing blocks always run
                y = block(y)
            else:
                k = keep[:, i]
                if bool(k.any()):
                    y = torch.where(k.reshape(-1, 1, 1, 1), block(y), y)
            i += 1
        return self.fc(y.mean(dim=(2, 3)))


def blockdrop() -> nn.Module:
    return torch.jit.script(BlockDrop())


# Grinder § 6: "SkipNet (ResNet-101 gating, 224, batch 1)". Wang et al.
# 2018: a gate per residual block (global average pool, linear layer,
# sigmoid > 0.5) decides whether the block runs. ResNet-101 (He et al. 2016,
# Table 1: bottleneck blocks {3, 4, 23, 3}) from torchvision; one ONNX If per
# gated block (torch.jit.script); the first block of each stage (which
# changes the shape) always runs.
class SkipNet(nn.Module):
    def __init__(self):
        super().__init__()
        import torchvision
        net = torchvision.models.resnet101(weights=None)
        self.stem = nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool)
        blocks: List[nn.Module] = []
        for layer in (net.layer1, net.layer2, net.layer3, net.layer4):
            blocks.extend(layer)
        self.blocks = nn.ModuleList(blocks)
        self.gates = nn.ModuleList(nn.Linear(b.conv3.out_channels, 1)
                                   for b in blocks)
        self.first = [0, 3, 7, 30]
        self.fc = net.fc

    def forward(self, x):
        y = self.stem(x)
        i = 0
        for block, gate in zip(self.blocks, self.gates):
            if i in self.first:
                y = block(y)
            else:
                g = torch.sigmoid(gate(y.mean(dim=(2, 3))))
                if bool((g > 0.5).all()):
                    y = block(y)
            i += 1
        return self.fc(y.mean(dim=(2, 3)))


def skipnet() -> nn.Module:
    return torch.jit.script(SkipNet())
