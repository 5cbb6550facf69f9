#!/usr/bin/env python3
"""One step of the zero-knowledge benchmark (bench/zk/run.sh runs each under /usr/bin/time -v).

    python zk.py <step> <work-dir> [args]

Steps, in order, all files in <work-dir>:
  prepare <model.onnx> <samples> <set>   the model with its batch dimension fixed to <samples>
                                          (EZKL needs static shapes; the weights are untouched; a
                                          Max(x, -inf), which is x, removed) as
                                          model.onnx, and input.json: <samples> rows of <set>
                                          (digits: scikit-learn's held-out rows 1,500-1,796, the
                                          seeded evaluation bundle's; magika: zeros-to-255 byte
                                          features from inference/models/known_files.py)
  settings                                settings.json: inputs and outputs public, the weights hashed
                                          (param_visibility "hashed": a Poseidon hash of the
                                          weights is a public input, the weights stay private)
  calibrate                               calibrated settings.json (target "resources")
  compile                                 model.compiled
  srs                                     kzg.srs made here for development (gen_srs: NOT a
                                          ceremony's, see bench/zk/README.md); with ZK_SRS_CACHE
                                          set, made once per size and kept there
  setup                                   vk.key, pk.key
  witness                                 witness.json
  prove                                   proof.json
  verify                                  checks proof.json natively (exit 1 if it does not verify)
  evm                                     Verifier.sol + Verifier.abi (EZKL's Halo2 Solidity verifier)
  calldata                                calldata.hex: the verifier's call for proof.json
  facts                                   prints logrows, proof size, the hashed-weights instance
  other-weights <from-dir>                the model of <from-dir> with one weight changed (+0.5), compiled
                                          with <from-dir>'s settings: then setup shows whether the
                                          verifying key depends on the weights' values
"""

import asyncio
import inspect
import json
import os
import sys

import ezkl


def done(call, what):
    """Runs an EZKL call; some are coroutines, which need a running event loop even to start."""

    async def run():
        result = call()
        return await result if inspect.isawaitable(result) else result

    result = asyncio.run(run())
    if result is False:
        sys.exit(f"{what} returned false")
    return result


def path(work, name):
    return os.path.join(work, name)


def prepare(work, model, samples, data_set):
    import numpy as np
    import onnx

    samples = int(samples)
    graph_model = onnx.load(model)
    for value in list(graph_model.graph.input) + list(graph_model.graph.output):
        first = value.type.tensor_type.shape.dim[0]
        first.ClearField("dim_param")
        first.dim_value = samples
    # Intermediate shapes inferred for another batch size would contradict the fixed one.
    del graph_model.graph.value_info[:]
    drop_max_with_minus_infinity(graph_model.graph)
    onnx.save(graph_model, path(work, "model.onnx"))
    if data_set == "digits":
        from sklearn.datasets import load_digits

        rows = load_digits().data[1500 : 1500 + samples].astype("float32")
        if len(rows) < samples:
            sys.exit(f"only {len(rows)} held-out digits, asked for {samples}")
    elif data_set == "magika":
        width = graph_model.graph.input[0].type.tensor_type.shape.dim[1].dim_value
        rows = np.random.default_rng(0).integers(0, 256, size=(samples, width)).astype("float32")
    else:
        sys.exit(f"unknown set {data_set}")
    with open(path(work, "input.json"), "w") as f:
        json.dump({"input_data": [rows.reshape(-1).tolist()]}, f)


def drop_max_with_minus_infinity(graph):
    """Max(x, -inf) is x: such nodes (magika's jax export has one after a ReduceMax) are removed and
    their output read from x, since fixed point has no -inf (EZKL: "significant bit truncation")."""
    import numpy as np
    from onnx import numpy_helper

    minus_infinity = {
        t.name for t in graph.initializer if (a := numpy_helper.to_array(t)).size and np.all(np.isneginf(a))
    }
    for node in [n for n in graph.node if n.op_type == "Max" and len(n.input) == 2]:
        kept = [i for i in node.input if i not in minus_infinity]
        if len(kept) != 1:
            continue
        graph.node.remove(node)
        for other in graph.node:
            for at, name in enumerate(other.input):
                if name == node.output[0]:
                    other.input[at] = kept[0]
        for output in graph.output:
            if output.name == node.output[0]:
                sys.exit("a Max(x, -inf) feeds a graph output: not handled")
        print(f"dropped {node.name}: Max(x, -inf)")


def run_args():
    args = ezkl.PyRunArgs()
    args.input_visibility = "public"
    args.output_visibility = "public"
    args.param_visibility = "hashed"
    # Fixed-point scales (log2): EZKL's default 7 unless ZK_SCALE says otherwise (magika's settings fail
    # at 7: "significant bit truncation when instantiating, try lowering the scale").
    if os.environ.get("ZK_SCALE"):
        args.input_scale = args.param_scale = int(os.environ["ZK_SCALE"])
    return args


def facts(work):
    with open(path(work, "settings.json")) as f:
        settings = json.load(f)
    with open(path(work, "proof.json")) as f:
        proof = json.load(f)
    raw = proof.get("proof")
    size = len(bytes(raw)) if isinstance(raw, list) else len(bytes.fromhex(raw.removeprefix("0x")))
    instances = proof.get("instances") or []
    processed = (proof.get("pretty_public_inputs") or {}).get("processed_params")
    print(
        json.dumps(
            {
                "logrows": settings["run_args"]["logrows"],
                "num_rows": settings.get("num_rows"),
                "total_assignments": settings.get("total_assignments"),
                "proof_bytes": size,
                "proof_json_bytes": os.path.getsize(path(work, "proof.json")),
                "instances": sum(len(i) for i in instances),
                "vk_bytes": os.path.getsize(path(work, "vk.key")),
                "pk_bytes": os.path.getsize(path(work, "pk.key")),
                "srs_bytes": os.path.getsize(path(work, "kzg.srs")),
                "hashed_weights": processed,
            }
        )
    )


def main():
    step, work, *rest = sys.argv[1:]
    srs = path(work, "kzg.srs")
    if step == "prepare":
        prepare(work, *rest)
    elif step == "settings":
        done(lambda: ezkl.gen_settings(path(work, "model.onnx"), path(work, "settings.json"), py_run_args=run_args()), step)
    elif step == "calibrate":
        done(
            lambda: ezkl.calibrate_settings(
                path(work, "input.json"), path(work, "model.onnx"), path(work, "settings.json"), "resources"
            ),
            step,
        )
    elif step == "compile":
        done(lambda: ezkl.compile_circuit(path(work, "model.onnx"), path(work, "model.compiled"), path(work, "settings.json")), step)
    elif step == "srs":
        with open(path(work, "settings.json")) as f:
            logrows = json.load(f)["run_args"]["logrows"]
        # One SRS per size, made once: ZK_SRS_CACHE keeps them (run.sh: $ZK_WORK/srs).
        cache = os.environ.get("ZK_SRS_CACHE")
        kept = cache and os.path.join(cache, f"kzg{logrows}.srs")
        if kept and os.path.exists(kept):
            os.symlink(kept, srs)
            print(f"reused {kept}")
            return
        done(lambda: ezkl.gen_srs(srs, logrows), step)
        if kept:
            os.makedirs(cache, exist_ok=True)
            os.replace(srs, kept)
            os.symlink(kept, srs)
    elif step == "setup":
        done(lambda: ezkl.setup(path(work, "model.compiled"), path(work, "vk.key"), path(work, "pk.key"), srs_path=srs), step)
    elif step == "witness":
        done(lambda: ezkl.gen_witness(path(work, "input.json"), path(work, "model.compiled"), path(work, "witness.json")), step)
    elif step == "prove":
        done(
            lambda: ezkl.prove(path(work, "witness.json"), path(work, "model.compiled"), path(work, "pk.key"), path(work, "proof.json"), srs_path=srs),
            step,
        )
    elif step == "verify":
        ok = done(lambda: ezkl.verify(path(work, "proof.json"), path(work, "settings.json"), path(work, "vk.key"), srs_path=srs), step)
        print("verified" if ok else "NOT verified")
    elif step == "evm":
        try:
            done(
                lambda: ezkl.create_evm_verifier(
                    path(work, "vk.key"), path(work, "settings.json"), path(work, "Verifier.sol"), path(work, "Verifier.abi"), srs_path=srs
                ),
                step,
            )
        except RuntimeError as error:
            # EZKL writes Verifier.sol, then fetches a solc binary (svm) to make the ABI: offline, that
            # fetch fails. The source is what gas.sh compiles (solc-js), so go on and say so.
            if "svm" not in str(error) or not os.path.exists(path(work, "Verifier.sol")):
                raise
            print(f"Verifier.sol written; no ABI: {error}")
    elif step == "calldata":
        done(lambda: ezkl.encode_evm_calldata(path(work, "proof.json"), path(work, "calldata.bin")), step)
    elif step == "other-weights":
        import shutil

        import onnx
        from onnx import numpy_helper

        source = rest[0]
        graph_model = onnx.load(path(source, "model.onnx"))
        weights = next(t for t in graph_model.graph.initializer if len(t.dims) == 2)
        values = numpy_helper.to_array(weights).copy()
        values.flat[0] += 0.5
        weights.CopyFrom(numpy_helper.from_array(values, weights.name))
        onnx.save(graph_model, path(work, "model.onnx"))
        for name in ("settings.json", "input.json"):
            shutil.copy(path(source, name), path(work, name))
        os.symlink(os.path.realpath(path(source, "kzg.srs")), srs)
    elif step == "facts":
        facts(work)
    else:
        sys.exit(f"unknown step {step}")


if __name__ == "__main__":
    main()
