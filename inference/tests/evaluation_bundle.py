#!/usr/bin/env python3
"""Writes an evaluation bundle of scikit-learn's digits for `reproduce.rs`: the held-out rows
1,500–1,796 (not used to train `digits.onnx`, see `inference/models/setup.py`) as the model's
float32 inputs and their int64 digits, with the manifest `assay_inference::evaluation::bundle`
reads.

    python evaluation_bundle.py <out-dir>
"""

import json
import os
import sys

import numpy as np
from sklearn.datasets import load_digits

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
data = load_digits()
pixels = data.data[1500:].astype("<f4")
digits = data.target[1500:].astype("<i8")
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
    "source": "scikit-learn's bundled digits (UCI optdigits), rows 1,500-1,796",
}
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f)
