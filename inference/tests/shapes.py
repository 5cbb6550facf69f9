#!/usr/bin/env python3
"""Writes a corpus of small models with the shapes real models have, for `shapes.rs`: scalar
inputs, control flow (`If`, `Loop`), free picture sides, class scores as [N, C, 1, 1], several
inputs and outputs, int64 and bool tensors, recurrent state. Each model is checked with onnx's
checker and run once by onnxruntime here, so a broken model fails at the source.

    python shapes.py <out-dir>
"""

import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def save(name, nodes, inputs, outputs, initializers=(), feeds=None, check=True):
    graph = h.make_graph(nodes, name, inputs, outputs, list(initializers))
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", 17)], producer_name="assay-shapes")
    model.ir_version = 8
    if check:  # the checker wants every graph output shaped; `vad`'s output has no declared shape
        onnx.checker.check_model(model)
    path = os.path.join(out, f"{name}.onnx")
    onnx.save(model, path)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    session.run(None, feeds)


# A scalar sample rate beside the samples: [batch, 16] and [].
save(
    "scalar",
    [
        h.make_node("ReduceSum", ["x", "axes"], ["s"], keepdims=1),
        h.make_node("Cast", ["sr"], ["srf"], to=T.FLOAT),
        h.make_node("Mul", ["s", "srf"], ["y"]),
    ],
    [h.make_tensor_value_info("x", T.FLOAT, ["batch", 16]), h.make_tensor_value_info("sr", T.INT64, [])],
    [h.make_tensor_value_info("y", T.FLOAT, ["batch", 1])],
    [const("axes", np.array([1], np.int64))],
    {"x": np.ones((1, 16), np.float32), "sr": np.array(3, np.int64)},
)

# Silero-VAD-like: samples, a scalar rate, a [2, batch, 128] state, and an If whose branches
# give results of different ranks (tract needs one shape before running).
then_graph = h.make_graph(
    [h.make_node("ReduceMean", ["input"], ["then_out"], axes=[1], keepdims=1)],
    "then",
    [],
    [h.make_tensor_value_info("then_out", T.FLOAT, None)],
)
else_graph = h.make_graph(
    [h.make_node("ReduceMax", ["input"], ["else_out"], axes=[1], keepdims=0)],
    "else",
    [],
    [h.make_tensor_value_info("else_out", T.FLOAT, None)],
)
save(
    "vad",
    [
        h.make_node("Equal", ["sr", "rate"], ["is16k"]),
        h.make_node("If", ["is16k"], ["output"], then_branch=then_graph, else_branch=else_graph, name="If_0"),
        h.make_node("Mul", ["state", "half"], ["stateN"]),
    ],
    [
        h.make_tensor_value_info("input", T.FLOAT, ["batch", 512]),
        h.make_tensor_value_info("state", T.FLOAT, [2, "batch", 128]),
        h.make_tensor_value_info("sr", T.INT64, []),
    ],
    [h.make_tensor_value_info("output", T.FLOAT, None), h.make_tensor_value_info("stateN", T.FLOAT, [2, "batch", 128])],
    [const("rate", np.array(16000, np.int64)), const("half", np.array(0.5, np.float32))],
    {
        "input": np.ones((1, 512), np.float32),
        "state": np.zeros((2, 1, 128), np.float32),
        "sr": np.array(16000, np.int64),
    },
    check=False,
)

# An If whose branches keep one shape: tract can analyse it.
save(
    "if_same",
    [
        h.make_node("ReduceSum", ["x"], ["total"], keepdims=0),
        h.make_node("Greater", ["total", "zero"], ["positive"]),
        h.make_node(
            "If",
            ["positive"],
            ["y"],
            then_branch=h.make_graph(
                [h.make_node("Mul", ["x", "two"], ["t"])], "then", [], [h.make_tensor_value_info("t", T.FLOAT, ["N", 3])]
            ),
            else_branch=h.make_graph(
                [h.make_node("Sub", ["x", "one"], ["e"])], "else", [], [h.make_tensor_value_info("e", T.FLOAT, ["N", 3])]
            ),
        ),
    ],
    [h.make_tensor_value_info("x", T.FLOAT, ["N", 3])],
    [h.make_tensor_value_info("y", T.FLOAT, ["N", 3])],
    [const("zero", np.array(0, np.float32)), const("two", np.array(2, np.float32)), const("one", np.array(1, np.float32))],
    {"x": np.ones((1, 3), np.float32)},
)

# A Loop adding x to itself n times (n a scalar input).
body = h.make_graph(
    [h.make_node("Identity", ["cond_in"], ["cond_out"]), h.make_node("Add", ["acc_in", "x"], ["acc_out"])],
    "body",
    [
        h.make_tensor_value_info("i", T.INT64, []),
        h.make_tensor_value_info("cond_in", T.BOOL, []),
        h.make_tensor_value_info("acc_in", T.FLOAT, ["N", 8]),
    ],
    [h.make_tensor_value_info("cond_out", T.BOOL, []), h.make_tensor_value_info("acc_out", T.FLOAT, ["N", 8])],
)
save(
    "loop",
    [h.make_node("Loop", ["n", "", "x"], ["y"], body=body)],
    [h.make_tensor_value_info("x", T.FLOAT, ["N", 8]), h.make_tensor_value_info("n", T.INT64, [])],
    [h.make_tensor_value_info("y", T.FLOAT, ["N", 8])],
    [],
    {"x": np.ones((1, 8), np.float32), "n": np.array(3, np.int64)},
)

# An OCR-detector-like map: every axis but the channels free and unnamed.
save(
    "ocr_det",
    [h.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]), h.make_node("Sigmoid", ["c"], ["maps"])],
    [h.make_tensor_value_info("x", T.FLOAT, [None, 3, None, None])],
    [h.make_tensor_value_info("maps", T.FLOAT, [None, 1, None, None])],
    [const("w", rng.normal(size=(1, 3, 3, 3)).astype(np.float32)), const("b", np.array([0.1], np.float32))],
    {"x": np.ones((1, 3, 40, 50), np.float32)},
)

# SqueezeNet-like class scores [N, 10, 1, 1].
save(
    "nchw_classes",
    [h.make_node("Conv", ["data", "w"], ["c"]), h.make_node("GlobalAveragePool", ["c"], ["scores"])],
    [h.make_tensor_value_info("data", T.FLOAT, ["N", 3, 32, 32])],
    [h.make_tensor_value_info("scores", T.FLOAT, ["N", 10, 1, 1])],
    [const("w", rng.normal(size=(10, 3, 1, 1)).astype(np.float32))],
    {"data": np.ones((1, 3, 32, 32), np.float32)},
)

# Several inputs and outputs, int64 and bool among them.
save(
    "multi_io",
    [
        h.make_node("Where", ["mask", "ids", "zero64"], ["kept"]),
        h.make_node("Cast", ["kept"], ["keptf"], to=T.FLOAT),
        h.make_node("ReduceSum", ["keptf", "axes"], ["ksum"], keepdims=1),
        h.make_node("ReduceSum", ["a", "axes"], ["asum"], keepdims=1),
        h.make_node("Add", ["asum", "ksum"], ["total"]),
        h.make_node("ArgMax", ["a"], ["best"], axis=1, keepdims=0),
        h.make_node("Greater", ["a", "zero"], ["positive"]),
    ],
    [
        h.make_tensor_value_info("a", T.FLOAT, ["N", 4]),
        h.make_tensor_value_info("ids", T.INT64, ["N", 6]),
        h.make_tensor_value_info("mask", T.BOOL, ["N", 6]),
    ],
    [
        h.make_tensor_value_info("total", T.FLOAT, ["N", 1]),
        h.make_tensor_value_info("best", T.INT64, ["N"]),
        h.make_tensor_value_info("positive", T.BOOL, ["N", 4]),
    ],
    [const("zero64", np.array(0, np.int64)), const("zero", np.array(0, np.float32)), const("axes", np.array([1], np.int64))],
    {"a": np.ones((1, 4), np.float32), "ids": np.ones((1, 6), np.int64), "mask": np.ones((1, 6), bool)},
)

# A flat input too long for a form: [N, 300] → two class probabilities.
save(
    "flat_wide",
    [h.make_node("MatMul", ["x", "w"], ["logits"]), h.make_node("Softmax", ["logits"], ["probs"], axis=1)],
    [h.make_tensor_value_info("x", T.FLOAT, ["N", 300])],
    [h.make_tensor_value_info("probs", T.FLOAT, ["N", 2])],
    [const("w", rng.normal(size=(300, 2)).astype(np.float32) / 10)],
    {"x": np.ones((1, 300), np.float32)},
)

# A flat [N, 64] input (an 8×8 picture flattened) → ten class probabilities: proposed as fields,
# drawn on a pad once the form makes it a picture.
save(
    "flat_digits",
    [h.make_node("MatMul", ["x", "w"], ["logits"]), h.make_node("Softmax", ["logits"], ["probs"], axis=1)],
    [h.make_tensor_value_info("x", T.FLOAT, ["N", 64])],
    [h.make_tensor_value_info("probs", T.FLOAT, ["N", 10])],
    [const("w", rng.normal(size=(64, 10)).astype(np.float32))],
    {"x": np.ones((1, 64), np.float32)},
)

print("\n".join(sorted(os.listdir(out))))
