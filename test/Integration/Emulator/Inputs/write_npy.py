"""Writes a 1-D or N-D .npy file from a Python expression, without NumPy.

    write_npy.py OUT.npy DTYPE SHAPE EXPR

DTYPE is f4 or i4; SHAPE is comma-separated (e.g. 3,128); EXPR is evaluated
with `i` bound to the flat element index, e.g. "float(i)" or
"sum(range(i * 128, (i + 1) * 128))".
"""

import struct
import sys


def main():
    path, dtype, shape_text, expr = sys.argv[1:5]
    shape = tuple(int(s) for s in shape_text.split(","))
    count = 1
    for extent in shape:
        count *= extent
    fmt = {"f4": "<f", "i4": "<i"}[dtype]
    cast = float if dtype == "f4" else int
    values = [cast(eval(expr, {"i": i})) for i in range(count)]
    text = "{'descr': '<%s', 'fortran_order': False, 'shape': %s, }" % (
        dtype, repr(shape))
    total = (10 + len(text) + 1 + 63) // 64 * 64
    text = text + " " * (total - 10 - len(text) - 1) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)))
        f.write(text.encode("latin1"))
        for value in values:
            f.write(struct.pack(fmt, value))


if __name__ == "__main__":
    main()
