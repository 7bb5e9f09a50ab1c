"""Re-derives hm-run's --random-inputs distribution (docs/Running.md) in
Python and checks the inputs hm-run wrote with --write-inputs.

    check_random.py DIR SEED

Input k is drawn from splitmix64 seeded with the first output of splitmix64
seeded with SEED + k * 0x9E3779B97F4A7C15, one 64-bit draw per element in row-major order: floats are
((draw >> 11) * 2**-53) * 2 - 1 computed in f64 and rounded once, to nearest
even, to the element type (bf16 is written as f32), integers
(draw >> 60) - 8, i1 draw >> 63.
"""

import os
import sys

import numpy as np

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def splitmix64(state):
    while True:
        state = (state + GOLDEN) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def draws(seed, index, count):
    state = next(splitmix64((seed + index * GOLDEN) & MASK))
    generator = splitmix64(state)
    for _ in range(count):
        yield next(generator)


def round_to_bf16(values):
    """float64 -> nearest-even bfloat16 (8 exponent bits like float32, 7
    mantissa bits: drop 45 of float64's 52), returned as float32."""
    bits = values.astype(np.float64).view(np.uint64)
    half = np.uint64((1 << 44) - 1)
    bits = (bits + half + ((bits >> np.uint64(45)) & np.uint64(1))) \
        >> np.uint64(45) << np.uint64(45)
    return bits.view(np.float64).astype(np.float32)


def expected(seed, index, array, bf16):
    d = np.array(list(draws(seed, index, array.size)), dtype=np.uint64)
    if array.dtype == np.bool_:
        values = (d >> np.uint64(63)).astype(np.bool_)
    elif np.issubdtype(array.dtype, np.integer):
        values = ((d >> np.uint64(60)).astype(np.int64) - 8).astype(array.dtype)
    else:
        uniform = (d >> np.uint64(11)).astype(np.float64) * 2.0**-53 * 2 - 1
        if bf16:
            values = round_to_bf16(uniform)
        else:
            values = uniform.astype(array.dtype)
    return values.reshape(array.shape)


def main():
    directory, seed = sys.argv[1], int(sys.argv[2])
    bf16 = len(sys.argv) > 3 and sys.argv[3] == "bf16"
    index = 0
    while os.path.exists(os.path.join(directory, "in%d.npy" % index)):
        array = np.load(os.path.join(directory, "in%d.npy" % index))
        want = expected(seed, index, array, bf16)
        if not np.array_equal(array, want):
            sys.exit("in%d (%s): %s, expected %s" % (
                index, array.dtype, array.ravel()[:4], want.ravel()[:4]))
        print("in%d: %s matches the documented distribution" % (index,
                                                                array.dtype))
        index += 1
    if index == 0:
        sys.exit("no inputs in " + directory)


if __name__ == "__main__":
    main()
