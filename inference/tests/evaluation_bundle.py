#!/usr/bin/env python3
"""Writes an evaluation bundle of scikit-learn's digits for `reproduce.rs`: the held-out rows
1,500–1,796 (not used to train `digits.onnx`, see `inference/models/setup.py`) as the model's
float32 inputs and their int64 digits, with the manifest `assay_inference::evaluation::bundle`
reads. With `--all`, every row 0–1,796 instead (the evaluation throughput benchmark's set,
bench/RESULTS.md; most of it the model's training rows, so not a quality claim).

    python evaluation_bundle.py <out-dir> [--all]
"""

import json
import os
import sys

import numpy as np
from sklearn.datasets import load_digits

out = sys.argv[1]
every_row = sys.argv[2:] == ["--all"]
first = 0 if every_row else 1500
os.makedirs(out, exist_ok=True)
data = load_digits()
pixels = data.data[first:].astype("<f4")
digits = data.target[first:].astype("<i8")
pixels.tofile(os.path.join(out, "pixels.bin"))
digits.tofile(os.path.join(out, "digit.bin"))
manifest = {
    "version": 1,
    "samples": len(digits),
    "arrays": [
        {"name": "pixels", "file": "pixels.bin", "dtype": "f32", "shape": list(pixels.shape)},
        {"name": "digit", "file": "digit.bin", "dtype": "i64", "shape": list(digits.shape)},
    ],
    "labels": [str(d) for d in range(10)],
    "licence": "CC-BY-4.0",
    "source": f"scikit-learn's bundled digits (UCI optdigits), rows {first:,}-1,796",
}
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f)
