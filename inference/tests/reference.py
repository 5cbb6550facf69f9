#!/usr/bin/env python3
"""Reference outputs from Python onnxruntime (CPU), for the host tests.

Reads JSON on stdin: {"model": path, "inputs": [{"name", "shape", "data": {"dtype", "values"}}]}
(the crate's `Tensor` serialisation) and writes {"outputs": {name: {"shape", "values"}}} to stdout.
"""

import json
import sys

import numpy as np
import onnxruntime as ort

DTYPES = {"f32": np.float32, "i32": np.int32, "i64": np.int64, "u8": np.uint8, "bool": np.bool_}

request = json.load(sys.stdin)
options = ort.SessionOptions()
options.log_severity_level = 3
session = ort.InferenceSession(request["model"], options, providers=["CPUExecutionProvider"])
feeds = {
    t["name"]: np.array(t["data"]["values"], dtype=DTYPES[t["data"]["dtype"]]).reshape(t["shape"])
    for t in request["inputs"]
}
names = request.get("outputs") or [o.name for o in session.get_outputs()]
results = session.run(names, feeds)
json.dump(
    {
        "onnxruntime": ort.__version__,
        "outputs": {
            n: {"shape": list(r.shape), "values": np.asarray(r, dtype=np.float64).ravel().tolist()}
            for n, r in zip(names, results)
        },
    },
    sys.stdout,
)
