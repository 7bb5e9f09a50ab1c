"""Transformer-family benchmark models: BERT-base, a Conformer block, and
Grinder's step-by-step attention decoder. Random weights; see the comment on
each builder for the architecture's provenance."""

from __future__ import annotations

import math

import torch
from torch import nn


class _SelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads, self.dh = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)

    def forward(self, x):
        b, s, h = x.shape
        q, k, v = self.qkv(x).split(h, dim=-1)
        q = q.reshape(b, s, self.heads, self.dh).transpose(1, 2)
        k = k.reshape(b, s, self.heads, self.dh).transpose(1, 2)
        v = v.reshape(b, s, self.heads, self.dh).transpose(1, 2)
        p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.dh), dim=-1)
        return self.out((p @ v).transpose(1, 2).reshape(b, s, h))


class _EncoderLayer(nn.Module):
    """Post-LN BERT layer: attention, add & norm, GELU FFN, add & norm."""

    def __init__(self, hidden, heads, ffn):
        super().__init__()
        self.attn = _SelfAttention(hidden, heads)
        self.ln1, self.ln2 = nn.LayerNorm(hidden), nn.LayerNorm(hidden)
        self.ffn = nn.Sequential(nn.Linear(hidden, ffn), nn.GELU(),
                                 nn.Linear(ffn, hidden))

    def forward(self, x):
        x = self.ln1(x + self.attn(x))
        return self.ln2(x + self.ffn(x))


# Welder (OSDI 2023) § 6: "BERT-base (12 layers, 768, seq 128)", batch 1 and
# 64. Devlin et al. 2019 § 3: BERT-base L=12, H=768, A=12, FFN 4H = 3072,
# vocabulary 30522 (WordPiece), 512 positions. Input: token ids [batch, 128];
# output: the last layer's hidden states.
class BERT(nn.Module):
    def __init__(self, layers=12, hidden=768, heads=12, ffn=3072, vocab=30522,
                 positions=512):
        super().__init__()
        self.tok = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(positions, hidden)
        self.ln = nn.LayerNorm(hidden)
        self.layers = nn.ModuleList(_EncoderLayer(hidden, heads, ffn)
                                    for _ in range(layers))

    def forward(self, ids):
        seq = ids.shape[1]
        x = self.ln(self.tok(ids) + self.pos.weight[:seq])
        for layer in self.layers:
            x = layer(x)
        return x


def bert_base() -> nn.Module:
    return BERT()


# Welder § 6: "Conformer (12 layers, 512 frames, dim 512)". One Conformer
# block of Gulati et al. 2020 (Fig. 1, § 2): half-step FFN (expansion 4),
# multi-head self-attention (8 heads), convolution module (pointwise conv to
# 2d, GLU, depthwise conv kernel 31, BatchNorm, Swish, pointwise conv),
# half-step FFN, LayerNorm; dim 512 over 512 frames. One of the 12 layers
# (they are identical): the benchmark measures the block, and the whole
# 12-layer model is this graph 12 times.
class _ConformerFFN(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.SiLU(),
                                 nn.Linear(4 * d, d))

    def forward(self, x):
        return self.net(x)


class ConformerBlock(nn.Module):
    def __init__(self, d=512, heads=8, kernel=31):
        super().__init__()
        self.ffn1, self.ffn2 = _ConformerFFN(d), _ConformerFFN(d)
        self.ln_attn = nn.LayerNorm(d)
        self.attn = _SelfAttention(d, heads)
        self.ln_conv = nn.LayerNorm(d)
        self.pw1 = nn.Conv1d(d, 2 * d, 1)
        self.dw = nn.Conv1d(d, d, kernel, padding=kernel // 2, groups=d)
        self.bn = nn.BatchNorm1d(d)
        self.pw2 = nn.Conv1d(d, d, 1)
        self.ln_out = nn.LayerNorm(d)

    def forward(self, x):  # x: [batch, frames, d]
        x = x + 0.5 * self.ffn1(x)
        x = x + self.attn(self.ln_attn(x))
        y = self.ln_conv(x).transpose(1, 2)
        y = nn.functional.glu(self.pw1(y), dim=1)
        y = self.pw2(nn.functional.silu(self.bn(self.dw(y))))
        x = x + y.transpose(1, 2)
        x = x + 0.5 * self.ffn2(x)
        return self.ln_out(x)


def conformer_block() -> nn.Module:
    return ConformerBlock()


# Grinder/Cocktailer (OSDI 2023) § 6: "Attention (12 heads x 64, length
# 32 -> 64)": an autoregressive attention decoder that starts from a
# 32-token context and generates up to length 64, attending over its growing
# key/value cache each step. Hidden 768 = 12 x 64. Exported UNROLLED (32
# steps): the key/value cache grows by one row per step, so an ONNX Loop
# would carry tensors of changing shape, which static-shape compilation
# (and hm-translate, which needs static shapes) cannot take.
class AttentionDecoder(nn.Module):
    def __init__(self, heads=12, dh=64, start=32, end=64):
        super().__init__()
        self.heads, self.dh, self.steps = heads, dh, end - start
        hidden = heads * dh
        self.q, self.k, self.v = (nn.Linear(hidden, hidden) for _ in range(3))
        self.out = nn.Linear(hidden, hidden)

    def forward(self, context, x):  # context [b, 32, 768], x [b, 1, 768]
        b = context.shape[0]

        def split(t):
            return t.reshape(b, -1, self.heads, self.dh).transpose(1, 2)

        keys, values = split(self.k(context)), split(self.v(context))
        for _ in range(self.steps):
            keys = torch.cat([keys, split(self.k(x))], dim=2)
            values = torch.cat([values, split(self.v(x))], dim=2)
            p = torch.softmax(split(self.q(x)) @ keys.transpose(-1, -2)
                              / math.sqrt(self.dh), dim=-1)
            x = torch.tanh(self.out((p @ values).transpose(1, 2).reshape(b, 1, -1)))
        return x


def attention_decoder() -> nn.Module:
    return AttentionDecoder()
