"""Convolutional and vision-transformer benchmark models.

Each builder returns a torch.nn.Module in eval mode with random weights (no
pretrained weights are downloaded; the caller seeds torch). The comment above
each builder says where its architecture and shapes come from.
"""

from __future__ import annotations

import torch
from torch import nn


# Welder (OSDI 2023) § 6, compute-heavy models "ResNet-18/50", batch 1 and
# 64, 224x224 (PAPERS.md); architecture: torchvision.models.resnet18/50
# (He et al. 2016, Table 1).
def resnet18() -> nn.Module:
    import torchvision
    return torchvision.models.resnet18(weights=None)


def resnet50() -> nn.Module:
    import torchvision
    return torchvision.models.resnet50(weights=None)


# Welder § 6: "MobileNetV2 224", batch 1 and 64; torchvision.models.
# mobilenet_v2 (Sandler et al. 2018, Table 2: width 1.0, 224x224).
def mobilenet_v2() -> nn.Module:
    import torchvision
    return torchvision.models.mobilenet_v2(weights=None)


# Welder § 6: "ViT-S/32 224". ViT-S (Touvron et al. 2021, DeiT Table 1 /
# Steiner et al. 2021): 12 layers, hidden 384, 6 heads, MLP 1536; patch 32,
# image 224 (49 patches + class token). torchvision's VisionTransformer class
# with those hyper-parameters (torchvision ships only B/L/H).
def vit_s32() -> nn.Module:
    from torchvision.models.vision_transformer import VisionTransformer
    return with_random_head(
        VisionTransformer(image_size=224, patch_size=32, num_layers=12,
                          num_heads=6, hidden_dim=384, mlp_dim=1536))


def with_random_head(vit: nn.Module) -> nn.Module:
    """torchvision's VisionTransformer zero-initialises its classifier
    (heads.head): untrained, every output is 0 whatever the rest computes,
    and a correctness check of the model could not fail. Give it
    nn.Linear's default initialisation (seeded like the rest of the
    model)."""
    vit.heads.head.reset_parameters()
    return vit


# Welder § 6: "Swin-T 224"; torchvision.models.swin_t (Liu et al. 2021,
# Table 1: C=96, layers {2,2,6,2}, heads {3,6,12,24}, window 7).
def swin_t() -> nn.Module:
    import torchvision
    return torchvision.models.swin_t(weights=None)


# Rammer (OSDI 2020) § 6: AlexNet, batch 1/4/16 at 224x224;
# torchvision.models.alexnet (Krizhevsky et al. 2012, the one-GPU variant).
def alexnet() -> nn.Module:
    import torchvision
    return torchvision.models.alexnet(weights=None)


# Rammer § 6: ResNeXt-29 on CIFAR (32x32). Xie et al. 2017 § 5.3, the
# CIFAR ResNeXt-29: 3 stages x 3 bottleneck blocks (29 = 9 x 3 + 2), stage
# widths 64/128/256 per group x cardinality; the 8x64d variant (cardinality
# 8, bottleneck width 64), output channels 256/512/1024, 10 classes.
class _ResNeXtBlock(nn.Module):
    def __init__(self, cin, cout, stride, cardinality, width):
        super().__init__()
        inner = cardinality * width
        self.conv1 = nn.Conv2d(cin, inner, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(inner)
        self.conv2 = nn.Conv2d(inner, inner, 3, stride, 1, groups=cardinality,
                               bias=False)
        self.bn2 = nn.BatchNorm2d(inner)
        self.conv3 = nn.Conv2d(inner, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = torch.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return torch.relu(y + self.shortcut(x))


class ResNeXt29(nn.Module):
    def __init__(self, cardinality=8, width=64, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 3, 1, 1, bias=False),
                                  nn.BatchNorm2d(64), nn.ReLU())
        blocks, cin = [], 64
        for stage, cout in enumerate((256, 512, 1024)):
            for i in range(3):
                stride = 2 if stage > 0 and i == 0 else 1
                blocks.append(_ResNeXtBlock(cin, cout, stride, cardinality,
                                            width * 2 ** stage))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(1024, classes)

    def forward(self, x):
        y = self.blocks(self.stem(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(y, 1), 1))


def resnext29() -> nn.Module:
    return ResNeXt29()


# Rammer § 6: NASNet-CIFAR. The NASNet-A cells of Zoph et al. 2018 (Fig. 4):
# normal cell = 5 blocks over {sep 3x3, sep 5x5, avg 3x3, identity} combining
# the two previous cells' outputs; reduction cell the same with stride 2.
# The stack is NASNet-A (N=2) at 32x32: stem, 2 normal cells, reduction,
# 2 normal, reduction, 2 normal, 32 filters at the first stage. Smaller than
# the paper's 6@768 (N=6) to keep the exported graph and the emulator run
# small; the cell structure (many small parallel operators, Rammer's case)
# is the same.
class _SepConv(nn.Module):
    def __init__(self, c, k, stride):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(), nn.Conv2d(c, c, k, stride, k // 2, groups=c, bias=False),
            nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return self.op(x)


class _NASCell(nn.Module):
    def __init__(self, cprev, c, reduce):
        super().__init__()
        s = 2 if reduce else 1
        self.pre0 = nn.Sequential(nn.ReLU(), nn.Conv2d(cprev, c, 1, bias=False),
                                  nn.BatchNorm2d(c))
        self.pre1 = nn.Sequential(nn.ReLU(), nn.Conv2d(cprev, c, 1, bias=False),
                                  nn.BatchNorm2d(c))
        self.b0a, self.b0b = _SepConv(c, 5, s), _SepConv(c, 3, s)
        self.b1a, self.b1b = _SepConv(c, 5, s), _SepConv(c, 3, s)
        self.b2a = nn.AvgPool2d(3, s, 1, count_include_pad=False)
        self.b3a = nn.AvgPool2d(3, s, 1, count_include_pad=False)
        self.b4a = _SepConv(c, 3, s)
        self.reduce = reduce

    def forward(self, prev, cur):
        h0, h1 = self.pre0(prev), self.pre1(cur)
        o0 = self.b0a(h1) + self.b0b(h0)
        o1 = self.b1a(h0) + self.b1b(h1)
        o2 = self.b2a(h1) + (self.b4a(h0))
        o3 = self.b3a(h0) + self.b3a(h1)
        return torch.cat([o0, o1, o2, o3], 1)


class NASNetCIFAR(nn.Module):
    def __init__(self, c=32, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 4 * c, 3, 1, 1, bias=False),
                                  nn.BatchNorm2d(4 * c))
        cells, cprev = [], 4 * c
        for stage in range(3):
            if stage > 0:
                c *= 2
                cells.append(_NASCell(cprev, c, True))
                cprev = 4 * c
            for _ in range(2):
                cells.append(_NASCell(cprev, c, False))
                cprev = 4 * c
        self.cells = nn.ModuleList(cells)
        self.fc = nn.Linear(cprev, classes)

    def forward(self, x):
        prev = cur = self.stem(x)
        for cell in self.cells:
            nxt = cell(prev, cur)
            # The previous output must match the new resolution after a
            # reduction cell: use the current one then (NASNet adjusts it
            # with a factorized reduction; simplified here).
            prev = cur if cur.shape == nxt.shape else nxt
            cur = nxt
        y = nn.functional.adaptive_avg_pool2d(torch.relu(cur), 1)
        return self.fc(torch.flatten(y, 1))


def nasnet_cifar() -> nn.Module:
    return NASNetCIFAR()


# Welder § 6: "NeRF MLP (1920x1080 points, 7x64)", batch 1. Mildenhall et al.
# 2020's MLP narrowed as in Welder's artifact: 7 hidden layers of width 64
# with ReLU over 63-dim positional encodings (3 coordinates x (1 + 2 x 10
# frequencies)), 4 outputs (RGB + density). `points` rows per inference: the
# paper's 1920x1080 = 2,073,600.
class NeRFMLP(nn.Module):
    def __init__(self, in_dim=63, width=64, depth=7, out_dim=4):
        super().__init__()
        layers, d = [], in_dim
        for _ in range(depth):
            layers += [nn.Linear(d, width), nn.ReLU()]
            d = width
        layers.append(nn.Linear(d, out_dim))
        self.mlp = nn.Sequential(*layers)

    def forward(self, x):
        return self.mlp(x)


def nerf_mlp() -> nn.Module:
    return NeRFMLP()
