#!/usr/bin/env python3
"""Writes one evaluation bundle folder (`manifest.json` and its little-endian arrays, as
`evaluation_bundle.py` makes the held-out digits) in each other form a creator may drop:

    <out>/table.csv      every array but the last flattened into columns, then the last array
                         (one value a sample) as the last column, headed by its name;
    <out>/npy/<name>.npy each array as NumPy saves it;
    <out>/bundle.zip     the folder, deflated, inside one top-level folder.

    python evaluation_forms.py <bundle-dir> <out-dir>
"""

import csv
import json
import os
import sys
import zipfile

import numpy as np

DTYPES = {"f32": "<f4", "i32": "<i4", "i64": "<i8", "u8": "u1", "bool": "?"}

bundle, out = sys.argv[1], sys.argv[2]
with open(os.path.join(bundle, "manifest.json")) as f:
    manifest = json.load(f)
arrays = {
    a["name"]: np.fromfile(os.path.join(bundle, a["file"]), dtype=DTYPES[a["dtype"]]).reshape(a["shape"])
    for a in manifest["arrays"]
}

os.makedirs(os.path.join(out, "npy"), exist_ok=True)
for name, values in arrays.items():
    np.save(os.path.join(out, "npy", f"{name}.npy"), values)

*features, truth = manifest["arrays"]
with open(os.path.join(out, "table.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    columns = [f"{a['name']}_{i}" for a in features for i in range(int(np.prod(a["shape"][1:])))]
    writer.writerow([*columns, truth["name"]])
    flat = [arrays[a["name"]].reshape(manifest["samples"], -1) for a in features]
    for row, answer in zip(np.concatenate(flat, axis=1), arrays[truth["name"]]):
        # 9 significant digits: every float32 comes back as itself.
        writer.writerow([*(f"{v:.9g}" for v in row), str(answer)])

with zipfile.ZipFile(os.path.join(out, "bundle.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.write(os.path.join(bundle, "manifest.json"), "bundle/manifest.json")
    for a in manifest["arrays"]:
        z.write(os.path.join(bundle, a["file"]), f"bundle/{a['file']}")
