#!/usr/bin/env python3
"""Obtains Assay's four real dev/test models into a folder outside git (idempotent).

    python setup.py <models-dir>

- digits.onnx: an MLP trained here on scikit-learn's bundled 8x8 digits, exported with skl2onnx.
- digits-small.onnx: its derivative, the same recipe with 16 hidden units instead of 32.
- text-direction.onnx: PaddleOCR's `ch_ppocr_mobile_v2.0_cls_infer.onnx` from the PyPI wheel
  rapidocr-onnxruntime (Apache-2.0).
- magika.onnx: Google's magika file-type model from the PyPI wheel magika (Apache-2.0), plus its
  `magika-config.json` (labels, feature sizes).
- arch-{conv,transformer,lstm,gru}.onnx: common architectures generated with seeded weights
  (`architectures.py`), for the trial engine's benchmark and correctness tests.

Each artifact is checked against `manifest.json` in the folder: an artifact made by the same recipe
(wheel version and file sha256, or training library versions) is kept; anything else is redone.
Run with the venv's python (the task runner does: `~/.cache/assay/py`).
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import architectures

# Wheel, version, path inside the wheel, sha256 of that file (so a changed upload is noticed).
WHEELS = {
    "text-direction.onnx": (
        "rapidocr-onnxruntime", "1.4.4",
        "rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx",
        "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c",
    ),
    "magika.onnx": (
        "magika", "1.0.3",
        "magika/models/standard_v3_3/model.onnx",
        "fe2d2eb49c5f88a9e0a6c048e15d6ffdf86235519c2afc535044de433169ec8c",
    ),
}
MAGIKA_CONFIG = "magika/models/standard_v3_3/config.min.json"
# magika publishes one wheel per platform; every one carries the same model. Pick one explicitly so
# the download is the same on every machine.
PLATFORM = {"magika": "manylinux_2_28_x86_64"}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def say(done, what):
    print(f"  {'✓' if done else '→'} {what}", flush=True)


def from_wheel(out_dir, name, manifest):
    package, version, inner, digest = WHEELS[name]
    target = os.path.join(out_dir, name)
    recipe = f"{package}=={version}:{inner}"
    if manifest.get(name, {}).get("recipe") == recipe and os.path.exists(target) and sha256(target) == digest:
        say(True, f"model {name} ({package} {version})")
        return
    say(False, f"model {name}: pip download {package}=={version}")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, f"{package}=={version}"]
        if package in PLATFORM:
            cmd += ["--only-binary=:all:", "--platform", PLATFORM[package]]
        subprocess.run(cmd, check=True)
        wheel = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".whl"))
        with zipfile.ZipFile(wheel) as z:
            with z.open(inner) as src, open(target + ".part", "wb") as dst:
                dst.write(src.read())
            if package == "magika":
                with z.open(MAGIKA_CONFIG) as src, open(os.path.join(out_dir, "magika-config.json"), "wb") as dst:
                    dst.write(src.read())
    got = sha256(target + ".part")
    if got != digest:
        os.remove(target + ".part")
        raise SystemExit(f"{inner} in {package} {version} has sha256 {got}, expected {digest}")
    os.replace(target + ".part", target)
    manifest[name] = {"recipe": recipe, "sha256": digest, "licence": "Apache-2.0"}


# The digits classifiers trained here: file, hidden units, random_state. `digits-small.onnx` is a
# derivative of `digits.onnx` (same data, split and export; half the hidden units, another seed).
DIGITS = {
    "digits.onnx": (32, 0),
    "digits-small.onnx": (16, 1),
}


def digits(out_dir, manifest, name):
    from importlib.metadata import version

    hidden, seed = DIGITS[name]
    target = os.path.join(out_dir, name)
    versions = {p: version(p) for p in ("scikit-learn", "skl2onnx", "onnx")}
    recipe = ";".join(f"{p}=={v}" for p, v in versions.items()) + f";mlp-{hidden}-seed{seed};probabilities-only-v2"
    if manifest.get(name, {}).get("recipe") == recipe and os.path.exists(target):
        say(True, f"model {name} (scikit-learn {versions['scikit-learn']})")
        return
    say(False, f"model {name}: training an MLP({hidden}) on scikit-learn's digits")
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier

    data = load_digits()
    x = data.data.astype("float32")
    model = MLPClassifier(hidden_layer_sizes=(hidden,), max_iter=400, random_state=seed).fit(x[:1500], data.target[:1500])
    accuracy = model.score(x[1500:], data.target[1500:])
    onx = to_onnx(
        model,
        initial_types=[("pixels", FloatTensorType([None, 64]))],
        options={id(model): {"zipmap": False}},
        target_opset={"": 15, "ai.onnx.ml": 3},
    )
    keep_only_output(onx, "probabilities")
    onx.doc_string = f"MLP({hidden}) on scikit-learn digits; held-out accuracy {accuracy:.3f}"
    with open(target + ".part", "wb") as f:
        f.write(onx.SerializeToString())
    os.replace(target + ".part", target)
    manifest[name] = {"recipe": recipe, "sha256": sha256(target), "heldOutAccuracy": round(accuracy, 4)}
    say(True, f"model {name}: accuracy {accuracy:.4f} on the {len(x) - 1500} held-out digits")


def keep_only_output(model, name):
    """Drops every graph output but `name`, and the nodes only they needed. skl2onnx's `label`
    output goes through ai.onnx.ml's ArrayFeatureExtractor, which tract lacks; the card's top-k
    over `probabilities` gives the same answer."""
    graph = model.graph
    outputs = [o for o in graph.output if o.name == name]
    del graph.output[:]
    graph.output.extend(outputs)
    needed, kept = {name}, []
    for node in reversed(list(graph.node)):
        if any(o in needed for o in node.output):
            kept.append(node)
            needed.update(node.input)
    del graph.node[:]
    graph.node.extend(reversed(kept))
    inits = [i for i in graph.initializer if i.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(inits)
    domains = {n.domain or "" for n in graph.node}
    opsets = [o for o in model.opset_import if (o.domain or "") in domains or o.domain == ""]
    del model.opset_import[:]
    model.opset_import.extend(opsets)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/assay/models")
    os.makedirs(out_dir, exist_ok=True)
    manifest_path = os.path.join(out_dir, "manifest.json")
    try:
        with open(manifest_path) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        manifest = {}
    try:
        for name in DIGITS:
            digits(out_dir, manifest, name)
        for name in WHEELS:
            from_wheel(out_dir, name, manifest)
        architectures.generate(out_dir, manifest)
    finally:
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
