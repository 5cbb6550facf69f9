#!/usr/bin/env python3
"""Writes the hostile corpus for the browser tests, made with the onnx library from the real
digits model (the host tests make the same cases in Rust, independently).

    python hostile.py <models-dir> <out-dir>

Writes: empty.onnx, random.onnx, truncated.onnx, external-data.onnx, unknown-op.onnx,
absurd-dims.onnx, and card-mismatch.json (the digits card with an 11th label).
"""

import json
import os
import random
import sys

import onnx
from onnx import TensorProto

models, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
source = open(os.path.join(models, "digits.onnx"), "rb").read()


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


write("empty.onnx", b"")
write("random.onnx", random.Random(42).randbytes(4096))
write("truncated.onnx", source[: len(source) // 2])

model = onnx.load_from_string(source)
init = model.graph.initializer[0]
init.ClearField("raw_data")
init.ClearField("float_data")
init.data_location = TensorProto.EXTERNAL
entry = init.external_data.add()
entry.key, entry.value = "location", "weights.bin"
write("external-data.onnx", model.SerializeToString())

model = onnx.load_from_string(source)
next(n for n in model.graph.node if n.op_type == "Relu").op_type = "AssayFrobnicate"
write("unknown-op.onnx", model.SerializeToString())

model = onnx.load_from_string(source)
for d in model.graph.input[0].type.tensor_type.shape.dim:
    d.ClearField("dim_param")
    d.dim_value = 10**12
write("absurd-dims.onnx", model.SerializeToString())

card_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cards", "digits.json")
card = json.load(open(card_path))
card["io"]["outputs"][0]["labels"]["inline"].append("ten")
write("card-mismatch.json", json.dumps(card).encode())
