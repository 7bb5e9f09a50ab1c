"""NumPy reference for hm-run's integration tests.

    reference.py MODEL DIR

Loads DIR/in0.npy, DIR/in1.npy, ... (hm-run --write-inputs, or files the test
made with NumPy) and DIR/out0.npy, DIR/out1.npy, ... (hm-run --output-dir),
computes MODEL with NumPy and exits non-zero unless every output matches:
floating-point models in float64 within rtol/atol 1e-5 (the outputs are f32),
element-type models exactly, with NumPy's own rounding and wrap-around.
"""

import os
import sys

import numpy as np


def conv2d_nchw_fchw(x, w, stride):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    oh = (h - kh) // stride + 1
    ow = (wd - kw) // stride + 1
    out = np.zeros((n, f, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
            out += np.einsum("nchw,fc->nfhw", patch, w[:, :, i, j])
    return out


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def layernorm(x, gamma, beta):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-5) * gamma + beta


def round_to_bf16(values):
    """float32 -> nearest-even bfloat16, returned as float32."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 << 16
    return bits.astype(np.uint32).view(np.float32)


# Models computed in float64 from float32 inputs.
FLOAT_MODELS = {
    "matmul": lambda a, b: a @ b,
    "batch_matmul": lambda a, b: a @ b,
    "conv2d": lambda x, w: conv2d_nchw_fchw(x, w, 2),
    "softmax": softmax,
    "layernorm": layernorm,
    "column_reduction": lambda x: x.sum(axis=0),
}

# Models checked exactly, in the element type's own arithmetic.
EXACT_MODELS = {
    "add": lambda a, b: a + b,
    "add_bf16": lambda a, b: round_to_bf16(a + b),
    "xor": np.logical_xor,
    "two_results": lambda a, b: (a + b, a * b),
}


def load_all(directory, prefix):
    arrays = []
    while True:
        path = os.path.join(directory, "%s%d.npy" % (prefix, len(arrays)))
        if not os.path.exists(path):
            return arrays
        arrays.append(np.load(path))


def main():
    model, directory = sys.argv[1], sys.argv[2]
    inputs = load_all(directory, "in")
    outputs = load_all(directory, "out")
    if model in FLOAT_MODELS:
        expected = FLOAT_MODELS[model](*[i.astype(np.float64) for i in inputs])
    else:
        expected = EXACT_MODELS[model](*inputs)
    if not isinstance(expected, tuple):
        expected = (expected,)
    if len(expected) != len(outputs):
        sys.exit("%s: %d outputs, expected %d" % (model, len(outputs),
                                                  len(expected)))
    for index, (got, want) in enumerate(zip(outputs, expected)):
        want = np.asarray(want)
        if got.shape != want.shape:
            sys.exit("out%d: shape %s, expected %s" % (index, got.shape,
                                                       want.shape))
        if model in FLOAT_MODELS:
            error = np.abs(got - want).max() if got.size else 0.0
            if not np.allclose(got, want, rtol=1e-5, atol=1e-5):
                sys.exit("out%d: max abs error %g" % (index, error))
            print("out%d: OK (max abs error %.1e)" % (index, error))
        else:
            if got.dtype != want.dtype or not np.array_equal(got, want):
                sys.exit("out%d: %s %s, expected %s %s" % (
                    index, got.dtype, got.ravel()[:8], want.dtype,
                    want.ravel()[:8]))
            print("out%d: OK (%s, exact)" % (index, got.dtype))


if __name__ == "__main__":
    main()
