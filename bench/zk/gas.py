#!/usr/bin/env python3
"""The EZKL-generated Solidity verifier of one benchmark folder on a fresh anvil: compiled by the
project's solc-js (compile-verifier.cjs), deployed, then called with the proof's calldata (made by
EZKL's encode_evm_calldata). Prints JSON: the deployment's and the verifying transaction's gas (receipt
gasUsed: the 21,000 intrinsic gas and the calldata included) and whether three altered calls are
refused — one proof byte flipped, the first public input (the Poseidon hash of the weights: a proof
for other weights) and the last one (an output of the model) changed by one. anvil is the project's
npm Foundry (contracts/node_modules/@foundry-rs); JSON-RPC goes over HTTP, since a large proof's
calldata is too long for a command line.

    python3 bench/zk/gas.py <folder with Verifier.sol and calldata.bin>
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ANVIL = os.path.join(HERE, "../../contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
PORT = int(os.environ.get("ZK_ANVIL_PORT", "8645"))
RPC = f"http://127.0.0.1:{PORT}"


def rpc(method, *params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
    request = urllib.request.Request(RPC, body, {"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.load(response)
    if "error" in answer:
        raise RuntimeError(answer["error"].get("message", str(answer["error"])))
    return answer["result"]


def receipt(sender, **tx):
    hash_ = rpc("eth_sendTransaction", {"from": sender, "gas": hex(60_000_000), **tx})
    for _ in range(600):
        mined = rpc("eth_getTransactionReceipt", hash_)
        if mined:
            return mined
        time.sleep(0.1)
    raise RuntimeError(f"transaction {hash_} not mined in 60 s")


def altered(calldata, what):
    data = bytearray(calldata)
    word = lambda at: int.from_bytes(data[at : at + 32], "big")  # noqa: E731
    proof, instances = 4 + word(4), 4 + word(36)
    count = word(instances)
    at = {"proof": proof + 32 + 100, "weights": instances + 32 + 31, "output": instances + 32 * count + 31}[what]
    data[at] ^= 1
    return bytes(data)


def main():
    folder = sys.argv[1]
    compiled = subprocess.run(
        ["node", os.path.join(HERE, "compile-verifier.cjs"), os.path.join(folder, "Verifier.sol")],
        capture_output=True, text=True, check=True,
    )
    anvil = subprocess.Popen(
        [ANVIL, "--port", str(PORT), "--silent", "--code-size-limit", "1000000", "--gas-limit", "100000000"]
    )
    try:
        for _ in range(100):
            try:
                rpc("eth_chainId")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        sender = rpc("eth_accounts")[0]
        deployed = receipt(sender, data="0x" + compiled.stdout)
        address = deployed["contractAddress"]
        with open(os.path.join(folder, "calldata.bin"), "rb") as f:
            calldata = f.read()
        call = {"from": sender, "to": address, "gas": hex(60_000_000)}
        answer = rpc("eth_call", {**call, "data": "0x" + calldata.hex()}, "latest")
        sent = receipt(sender, to=address, data="0x" + calldata.hex())

        def refused(what):
            try:
                return "NOT refused: " + rpc("eth_call", {**call, "data": "0x" + altered(calldata, what).hex()}, "latest")
            except RuntimeError as error:
                return f"refused: {error}"

        print(
            json.dumps(
                {
                    "compiled": compiled.stderr.strip(),
                    "deploy_gas": int(deployed["gasUsed"], 16),
                    "verify_tx_gas": int(sent["gasUsed"], 16),
                    "verify_tx_status": sent["status"],
                    "eth_call": answer,
                    "calldata_bytes": len(calldata),
                    "altered_proof": refused("proof"),
                    "altered_weights_hash": refused("weights"),
                    "altered_output": refused("output"),
                },
                indent=2,
            )
        )
    finally:
        anvil.terminate()
        anvil.wait()


if __name__ == "__main__":
    main()
