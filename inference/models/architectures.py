"""Generated models of common architectures, for the trial engine's benchmark and its correctness
tests: a small conv net, a transformer encoder (attention, LayerNorm, GELU, MatMul), an LSTM and a
GRU. Built with the `onnx` helper API from seeded NumPy weights, so the same recipe gives the same
file on every machine; their cards are `inference/cards/architectures/<name>.json`.

    python architectures.py <models-dir>   (setup.py calls `generate` too)

Each file is `arch-<name>.onnx`; the recipe (onnx and NumPy versions, this generator's version) is
recorded in the folder's `manifest.json`, and a file made by the same recipe is kept.
"""

import hashlib
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# Bump when a model's graph or weights change.
VERSION = 1
OPSET = 17


class Graph:
    """Nodes and initialisers of one ONNX graph, with fresh names."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, stem):
        self.count += 1
        return f"{stem}_{self.count}"

    def const(self, stem, array):
        name = self.name(stem)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, stem, shape, fan_in):
        return self.const(stem, (self.rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32))

    def op(self, op_type, inputs, stem=None, outputs=1, **attrs):
        names = [self.name(stem or op_type.lower()) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op_type, inputs, names, name=names[0], **attrs))
        return names[0] if outputs == 1 else names

    def model(self, doc, inputs, outputs, opset=OPSET):
        graph = helper.make_graph(self.nodes, doc, inputs, outputs, initializer=self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="assay")
        # IR 8 (opset 17's): onnxruntime-web 1.30 reads up to 13, and the onnx package writes
        # its newest by default.
        model.ir_version = 8
        model.doc_string = doc
        onnx.checker.check_model(model, full_check=True)
        return model


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def conv_net():
    """A small image classifier: four 3×3 conv stages (BatchNormalization + ReLU, max pooling),
    global average pooling, a dense layer and softmax. 1×3×64×64 → 1×10."""
    g = Graph(seed=1)
    x = "image"
    channels = [3, 32, 64, 128, 256]
    for stage, (cin, cout) in enumerate(zip(channels, channels[1:])):
        w = g.weight("conv_w", (cout, cin, 3, 3), cin * 9)
        b = g.const("conv_b", np.zeros(cout, np.float32))
        x = g.op("Conv", [x, w, b], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
        scale = g.const("bn_scale", (1.0 + 0.1 * g.rng.standard_normal(cout)).astype(np.float32))
        bias = g.const("bn_bias", (0.1 * g.rng.standard_normal(cout)).astype(np.float32))
        mean = g.const("bn_mean", (0.1 * g.rng.standard_normal(cout)).astype(np.float32))
        var = g.const("bn_var", (1.0 + 0.1 * np.abs(g.rng.standard_normal(cout))).astype(np.float32))
        x = g.op("BatchNormalization", [x, scale, bias, mean, var], epsilon=1e-5)
        x = g.op("Relu", [x])
        if stage < 3:
            x = g.op("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = g.op("GlobalAveragePool", [x])
    x = g.op("Flatten", [x], axis=1)
    x = g.op("Gemm", [x, g.weight("fc_w", (10, 256), 256), g.const("fc_b", np.zeros(10, np.float32))], transB=1)
    g.op("Softmax", [x], stem="probabilities", axis=-1)
    g.nodes[-1].output[0] = "probabilities"
    return g.model("conv net", [f32("image", [1, 3, 64, 64])], [f32("probabilities", [1, 10])])


def transformer(layers=2, seq=128, width=256, heads=4, hidden=768):
    """A pre-LayerNorm transformer encoder over embeddings: per layer multi-head self-attention
    (MatMul, Reshape/Transpose into heads, scaled QKᵀ, Softmax) and a GELU feed-forward (the first
    layer's in PyTorch's erf form, the second's in jax2tf's tanh form), residual adds; then
    LayerNorm, mean over the sequence, a dense layer. 1×128×256 → 1×10; about 5 MB of weights."""
    g = Graph(seed=2)
    head = width // heads
    x = "embeddings"

    def dense(x, cin, cout):
        y = g.op("MatMul", [x, g.weight("w", (cin, cout), cin)])
        return g.op("Add", [y, g.const("b", (0.02 * g.rng.standard_normal(cout)).astype(np.float32))])

    def layer_norm(x):
        gamma = g.const("ln_gamma", (1.0 + 0.1 * g.rng.standard_normal(width)).astype(np.float32))
        beta = g.const("ln_beta", (0.1 * g.rng.standard_normal(width)).astype(np.float32))
        return g.op("LayerNormalization", [x, gamma, beta], axis=-1, epsilon=1e-5)

    split = g.const("heads_shape", np.array([1, seq, heads, head], np.int64))
    merged = g.const("merged_shape", np.array([1, seq, width], np.int64))
    scale = g.const("scale", np.array(1.0 / np.sqrt(head), np.float32))
    sqrt2 = g.const("sqrt2", np.array(np.sqrt(2.0), np.float32))
    one, half = g.const("one", np.array(1.0, np.float32)), g.const("half", np.array(0.5, np.float32))
    def gelu(h):
        """The exact GELU as PyTorch exports it: 0.5·h·(1 + erf(h/√2))."""
        return g.op("Mul", [g.op("Mul", [h, half]), g.op("Add", [g.op("Erf", [g.op("Div", [h, sqrt2])]), one])])

    def gelu_tanh(h):
        """The tanh GELU as jax2tf exports it (magika's): h³ as h·(h·(0.044715·h))."""
        cube = g.op("Mul", [h, g.op("Mul", [h, g.op("Mul", [coef, h])])])
        inner = g.op("Mul", [tanh_scale, g.op("Add", [h, cube])])
        return g.op("Mul", [h, g.op("Mul", [half, g.op("Add", [one, g.op("Tanh", [inner])])])])

    coef = g.const("coef", np.array(0.044715, np.float32))
    tanh_scale = g.const("sqrt_2_over_pi", np.array(np.sqrt(2.0 / np.pi), np.float32))
    for layer in range(layers):
        h = layer_norm(x)
        q, k, v = (g.op("Transpose", [g.op("Reshape", [dense(h, width, width), split])], perm=[0, 2, 1, 3]) for _ in "qkv")
        kt = g.op("Transpose", [k], perm=[0, 1, 3, 2])
        scores = g.op("Mul", [g.op("MatMul", [q, kt]), scale])
        attention = g.op("Softmax", [scores], axis=-1)
        context = g.op("Transpose", [g.op("MatMul", [attention, v])], perm=[0, 2, 1, 3])
        x = g.op("Add", [x, dense(g.op("Reshape", [context, merged]), width, width)])
        h = dense(layer_norm(x), width, hidden)
        x = g.op("Add", [x, dense(gelu(h) if layer % 2 == 0 else gelu_tanh(h), hidden, width)])
    pooled = g.op("ReduceMean", [layer_norm(x)], axes=[1], keepdims=0)
    logits = dense(pooled, width, 10)
    g.op("Identity", [logits])
    g.nodes[-1].output[0] = "logits"
    return g.model("transformer encoder", [f32("embeddings", [1, seq, width])], [f32("logits", [1, 10])])


def recurrent(cell, seq=64, features=64, hidden=128):
    """One recurrent layer (ONNX `LSTM` or `GRU`, forward, sequence-first) over a 64-step sequence,
    its last hidden state through a dense layer. 64×1×64 → 1×10."""
    g = Graph(seed=3 if cell == "LSTM" else 4)
    gates = 4 if cell == "LSTM" else 3
    w = g.weight("W", (1, gates * hidden, features), features)
    r = g.weight("R", (1, gates * hidden, hidden), hidden)
    b = g.const("B", (0.1 * g.rng.standard_normal((1, 2 * gates * hidden))).astype(np.float32))
    attrs = {"hidden_size": hidden}
    if cell == "GRU":
        attrs["linear_before_reset"] = 1  # what PyTorch exports
    outputs = g.op(cell, ["sequence", w, r, b], outputs=2, **attrs)
    last = g.op("Reshape", [outputs[1], g.const("flat", np.array([1, hidden], np.int64))])
    logits = g.op("Gemm", [last, g.weight("fc_w", (10, hidden), hidden), g.const("fc_b", np.zeros(10, np.float32))], transB=1)
    g.op("Identity", [logits])
    g.nodes[-1].output[0] = "logits"
    return g.model(f"{cell} classifier", [f32("sequence", [seq, 1, features])], [f32("logits", [1, 10])])


MODELS = {
    "arch-conv.onnx": conv_net,
    "arch-transformer.onnx": transformer,
    "arch-lstm.onnx": lambda: recurrent("LSTM"),
    "arch-gru.onnx": lambda: recurrent("GRU"),
}


def generate(out_dir, manifest):
    recipe = f"onnx=={onnx.__version__};numpy=={np.__version__};assay-architectures-v{VERSION}"
    for name, build in MODELS.items():
        target = os.path.join(out_dir, name)
        if manifest.get(name, {}).get("recipe") == recipe and os.path.exists(target):
            print(f"  ✓ model {name} (generated)", flush=True)
            continue
        data = build().SerializeToString()
        with open(target + ".part", "wb") as f:
            f.write(data)
        os.replace(target + ".part", target)
        manifest[name] = {"recipe": recipe, "sha256": hashlib.sha256(data).hexdigest()}
        print(f"  ✓ model {name}: generated, {len(data):,} bytes", flush=True)


if __name__ == "__main__":
    import json
    import sys

    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/assay/models")
    path = os.path.join(folder, "manifest.json")
    try:
        with open(path) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        manifest = {}
    generate(folder, manifest)
    with open(path, "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
