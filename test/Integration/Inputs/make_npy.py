"""Writes .npy files for hm-run's tests, good and malformed ones.

    make_npy.py DIR

Good files are written with NumPy itself; malformed ones by hand, so that the
tests do not need binary files in the repository.
"""

import os
import struct
import sys

import numpy as np


def header(descr, shape, fortran=False, version=(1, 0)):
    return raw_header("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", repr(tuple(shape))), version)


def raw_header(text, version=(1, 0)):
    length_size = 2 if version[0] == 1 else 4
    prefix = 6 + 2 + length_size
    total = (prefix + len(text) + 1 + 63) // 64 * 64
    text = text + " " * (total - prefix - len(text) - 1) + "\n"
    length = struct.pack("<H" if length_size == 2 else "<I", len(text))
    return b"\x93NUMPY" + bytes(version) + length + text.encode("latin1")


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(0)
    # Good inputs for the matmul model (16x32 by 32x24, f32).
    a = rng.uniform(-1, 1, (16, 32)).astype(np.float32)
    b = rng.uniform(-1, 1, (32, 24)).astype(np.float32)
    np.save(os.path.join(d, "a.npy"), a)
    np.save(os.path.join(d, "b.npy"), b)
    # The same data in the other .npy versions NumPy writes.
    with open(os.path.join(d, "a_v2.npy"), "wb") as f:
        np.lib.format.write_array(f, a, version=(2, 0))
    with open(os.path.join(d, "a_v3.npy"), "wb") as f:
        np.lib.format.write_array(f, a, version=(3, 0))
    raw = a.tobytes()

    # Shape and dtype mismatches.
    np.save(os.path.join(d, "a_transposed.npy"), np.ascontiguousarray(a.T))
    np.save(os.path.join(d, "a_f64.npy"), a.astype(np.float64))
    np.save(os.path.join(d, "a_i32.npy"), a.astype(np.int32))
    # Malformed files.
    write(os.path.join(d, "bad_magic.npy"), b"\x93NUMPZ\x01\x00" + raw)
    write(os.path.join(d, "not_npy.npy"), b"hello, world\n")
    write(os.path.join(d, "empty.npy"), b"")
    write(os.path.join(d, "truncated_header.npy"),
          header("<f4", a.shape)[:40])
    write(os.path.join(d, "truncated_data.npy"),
          header("<f4", a.shape) + raw[:-8])
    write(os.path.join(d, "trailing_data.npy"),
          header("<f4", a.shape) + raw + b"\0\0\0\0")
    write(os.path.join(d, "version4.npy"),
          header("<f4", a.shape, version=(4, 0)) + raw)
    write(os.path.join(d, "fortran.npy"),
          header("<f4", a.shape, fortran=True) + raw)
    write(os.path.join(d, "big_endian.npy"),
          header(">f4", a.shape) + a.astype(">f4").tobytes())
    write(os.path.join(d, "complex.npy"),
          header("<c8", (16, 16)) + raw)
    write(os.path.join(d, "unsigned.npy"),
          header("<u4", a.shape) + raw)
    write(os.path.join(d, "bad_header.npy"), raw_header(
        "{'descr': '<f4', 'fortran_order': False, 'shape': [16, 32], }") + raw)
    write(os.path.join(d, "missing_shape.npy"), raw_header(
        "{'descr': '<f4', 'fortran_order': False, }") + raw)


if __name__ == "__main__":
    main()
