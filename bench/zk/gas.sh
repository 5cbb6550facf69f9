#!/usr/bin/env bash
# The EZKL-generated Solidity verifier of one benchmark folder on a fresh anvil: compiled by the
# project's solc-js (compile-verifier.cjs), deployed, then called with the proof's calldata (made by
# EZKL's encode_evm_calldata): prints JSON with the deployment's and the verifying transaction's gas
# (receipt gasUsed: 21,000 intrinsic gas and calldata included), and whether a proof with one flipped
# byte is refused. anvil and cast are the project's npm Foundry (contracts/node_modules/@foundry-rs).
#
#   bench/zk/gas.sh <folder with Verifier.sol and calldata.bin>
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
FOUNDRY=$HERE/../../contracts/node_modules/@foundry-rs
ANVIL=$FOUNDRY/anvil-linux-amd64/bin/anvil
CAST=$FOUNDRY/cast-linux-amd64/bin/cast
DIR=$1
PORT=${ZK_ANVIL_PORT:-8645}
RPC=http://127.0.0.1:$PORT
# anvil's dev account #0 (the well-known test mnemonic's first key)
KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80

node "$HERE/compile-verifier.cjs" "$DIR/Verifier.sol" >"$DIR/Verifier.bin" 2>"$DIR/compile.txt"
"$ANVIL" --port "$PORT" --silent --code-size-limit 1000000 --gas-limit 100000000 &
ANVIL_PID=$!
trap 'kill $ANVIL_PID' EXIT
for _ in $(seq 50); do "$CAST" chain-id --rpc-url "$RPC" >/dev/null 2>&1 && break; sleep 0.2; done

deployed=$("$CAST" send --rpc-url "$RPC" --private-key "$KEY" --create "0x$(cat "$DIR/Verifier.bin")" --json)
address=$(jq -r .contractAddress <<<"$deployed")
calldata=0x$(xxd -p -c0 "$DIR/calldata.bin")
ok=$("$CAST" call --rpc-url "$RPC" "$address" "$calldata")
sent=$("$CAST" send --rpc-url "$RPC" --private-key "$KEY" "$address" "$calldata" --json)
# Three altered calls, each must be refused: one byte of the proof flipped (100 bytes into it), the
# first public input (the Poseidon hash of the weights: a proof for other weights) and the last one (an
# output of the model) each changed by one.
altered() { # <what: proof|weights|output>
    python3 - "$DIR/calldata.bin" "$1" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
word = lambda at: int.from_bytes(data[at : at + 32], "big")
proof, instances = 4 + word(4), 4 + word(36)
count = word(instances)
at = {"proof": proof + 32 + 100, "weights": instances + 32 + 31, "output": instances + 32 * count + 31}[sys.argv[2]]
data[at] ^= 1
print("0x" + data.hex())
PY
}
refused() { "$CAST" call --rpc-url "$RPC" "$address" "$(altered "$1")" 2>&1 | head -c 160 || true; }
jq -n --arg runtime "$(cat "$DIR/compile.txt")" --argjson deploy "$(jq -r .gasUsed <<<"$deployed" | xargs printf '%d')" \
    --argjson verify "$(jq -r .gasUsed <<<"$sent" | xargs printf '%d')" --arg status "$(jq -r .status <<<"$sent")" \
    --arg call "$ok" --arg proof "$(refused proof)" --arg weights "$(refused weights)" --arg output "$(refused output)" --argjson calldata_bytes "$(stat -c %s "$DIR/calldata.bin")" \
    '{compiled: $runtime, deploy_gas: $deploy, verify_tx_gas: $verify, verify_tx_status: $status, eth_call: $call, calldata_bytes: $calldata_bytes, altered_proof: $proof, altered_weights_hash: $weights, altered_output: $output}'
