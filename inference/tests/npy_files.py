#!/usr/bin/env python3
"""Writes the `.npy` files and `.zip` archives `assemble.rs` reads, with NumPy and zipfile
themselves:

    <out>/ok/<case>.npy        arrays of several dtypes, shapes and format versions, and beside
                               each <case>.expected: its values as Assay stores them (little-endian,
                               float64 as float32, small integers widened) and expected.json: the
                               dtype and shape of each;
    <out>/three_samples.npy    a fine array of 3 samples, where the others have 5;
    <out>/bad/<case>.npy       files to refuse: Fortran order, big-endian, records, objects, text,
                               truncated, a shape its values don't fill, a huge shape;
    <out>/zip/<case>.zip       a bundle folder stored, deflated, written as a stream (sizes after
                               the data), and ones to refuse: Zip64, bzip2, encrypted, a path
                               outside the folder, an entry declaring 4 GB, one lying about its size.

    python npy_files.py <out-dir>
"""

import io
import json
import os
import struct
import sys
import zipfile

import numpy as np

out = sys.argv[1]
for folder in ("ok", "bad", "zip"):
    os.makedirs(os.path.join(out, folder), exist_ok=True)
rng = np.random.default_rng(7)

# name: (values, stored dtype, format version)
ok = {
    "f4_matrix": (rng.standard_normal((5, 4)).astype("<f4"), "<f4", None),
    "f8_cube_v2": (rng.standard_normal((5, 2, 3)), "<f4", (2, 0)),
    "i1_v3": (rng.integers(-128, 127, (5,), dtype="i1"), "<i4", (3, 0)),
    "i2": (rng.integers(-30000, 30000, (5, 2), dtype="<i2"), "<i4", None),
    "u2": (rng.integers(0, 65535, (5,), dtype="<u2"), "<i4", None),
    "u4": (np.array([0, 1, 2**32 - 1, 7, 9], dtype="<u4"), "<i8", None),
    "i4": (rng.integers(-(2**31), 2**31 - 1, (5, 1), dtype="<i4"), "<i4", None),
    "i8": (np.array([-(2**62), 0, 1, 2**62, -1], dtype="<i8"), "<i8", None),
    "u1_image": (rng.integers(0, 255, (5, 3, 4, 4), dtype="u1"), "u1", None),
    "bool": (rng.integers(0, 2, (5, 2)).astype("?"), "?", None),
    # A Fortran-ordered array with one axis of more than one value is laid out as in C order.
    "fortran_column": (np.asfortranarray(np.arange(5, dtype="<f4").reshape(5, 1)), "<f4", None),
}
expected = {}
for name, (values, stored, version) in ok.items():
    with open(os.path.join(out, "ok", f"{name}.npy"), "wb") as f:
        np.lib.format.write_array(f, values, version=version)
    values.astype(stored).tofile(os.path.join(out, "ok", f"{name}.expected"))
    expected[name] = {"dtype": np.dtype(stored).name, "shape": list(values.shape)}
with open(os.path.join(out, "ok", "expected.json"), "w") as f:
    json.dump(expected, f)
np.save(os.path.join(out, "three_samples.npy"), np.zeros((3,), dtype="<f4"))


def header(descr, shape, fortran=False):
    """A version 1.0 header as NumPy writes it."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": fortran, "shape": shape})
    return buffer.getvalue()


def bad(name, data):
    with open(os.path.join(out, "bad", f"{name}.npy"), "wb") as f:
        f.write(data)


def saved(values, **kwargs):
    buffer = io.BytesIO()
    np.save(buffer, values, **kwargs)
    return buffer.getvalue()


bad("fortran", saved(np.asfortranarray(np.ones((3, 2), dtype="<f4"))))
bad("big_endian", saved(np.ones((3,), dtype=">f4")))
bad("structured", saved(np.zeros(3, dtype=[("x", "<f4"), ("y", "<i8")])))
bad("object", saved(np.array([1, "two", None], dtype=object), allow_pickle=True))
bad("text", saved(np.array(["cat", "dog", "bird"])))
bad("truncated", saved(np.ones((3, 2), dtype="<f4"))[:-5])
bad("truncated_header", saved(np.ones((3, 2), dtype="<f4"))[:40])
bad("lying_shape", header("<f4", (4, 2)) + np.ones((3, 2), dtype="<f4").tobytes())
bad("huge_shape", header("<f4", (1_000, 10**12)))
bad("float16", saved(np.ones((3,), dtype="<f2")))

# A small bundle folder, then zipped in several ways.
pixels = rng.standard_normal((4, 3)).astype("<f4")
labels = np.array([0, 2, 1, 2], dtype="<i8")
manifest = json.dumps({
    "version": 1,
    "samples": 4,
    "arrays": [
        {"name": "x", "file": "x.bin", "dtype": "f32", "shape": [4, 3]},
        {"name": "label", "file": "label.bin", "dtype": "i64", "shape": [4]},
    ],
    "labels": ["a", "b", "c"],
    "licence": "CC0-1.0",
    "source": "npy_files.py",
})
folder = {"manifest.json": manifest.encode(), "x.bin": pixels.tobytes(), "label.bin": labels.tobytes()}
for name, data in folder.items():
    with open(os.path.join(out, "zip", name), "wb") as f:
        f.write(data)


class Stream(io.RawIOBase):
    """A file zipfile can't seek in: it writes each entry's sizes after its data."""

    def __init__(self, f):
        self.f = f

    def writable(self):
        return True

    def write(self, b):
        return self.f.write(b)


def zipped(name, method=zipfile.ZIP_DEFLATED, prefix="set/", stream=False, zip64=False, extra=()):
    path = os.path.join(out, "zip", f"{name}.zip")
    with open(path, "wb") as f:
        with zipfile.ZipFile(Stream(f) if stream else f, "w", method) as z:
            for entry, data in [*folder.items(), *extra]:
                with z.open(prefix + entry, "w", force_zip64=zip64) as w:
                    w.write(data)
    return path


def patch_directory(path, entry, offset, value):
    """Sets a 4-byte field of `entry`'s central directory record (flags are 2 bytes at 8)."""
    data = bytearray(open(path, "rb").read())
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len].decode().endswith(entry):
            break
        at += 4
    if offset == 8:
        data[at + 8] |= value
    else:
        struct.pack_into("<I", data, at + offset, value)
    open(path, "wb").write(data)


zipped("stored", zipfile.ZIP_STORED)
zipped("deflated")
zipped("streamed", stream=True, prefix="")
# Zip64 headers before each entry, plain sizes in the directory: read as any zip.
zipped("zip64_local", zip64=True)
# 65,536 entries: a real Zip64 archive (its end record and locator).
zipped("zip64", prefix="", extra=[(f"empty/{i}", b"") for i in range(65_536)])
zipped("bzip2", zipfile.ZIP_BZIP2)
patch_directory(zipped("encrypted"), "x.bin", 8, 1)
zipped("traversal", prefix="", extra=[("../outside.bin", b"x")])
patch_directory(zipped("declares_4gb"), "x.bin", 24, 0xFFFF_FFF0)
patch_directory(zipped("lying_size"), "x.bin", 24, 10)
