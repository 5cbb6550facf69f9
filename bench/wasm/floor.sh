#!/usr/bin/env bash
# The floor of the app's first download (issue #24): bench/wasm/floor/, the smallest page of the same
# stack, built as the app's main module is (release profile, wasm-bindgen --target web, wasm-opt -Oz,
# gzip -9), with the workspace's locked versions. Prints its sizes.
#   bash bench/wasm/floor.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="${ASSAY_TOOLS:-$HOME/.cache/assay}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$tools/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/bench/wasm/floor/." "$work/"
cp "$root/Cargo.lock" "$work/Cargo.lock"
(cd "$work" && cargo build --offline --release --target wasm32-unknown-unknown -q)
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/assay-wasm-floor.wasm"
"$HOME/.cargo/bin/wasm-bindgen" --target web --no-typescript --out-dir "$work/out" "$wasm"
"$tools/binaryen/node_modules/.bin/wasm-opt" -Oz "$work/out/assay-wasm-floor_bg.wasm" -o "$work/out/floor.wasm"
raw=$(stat -c %s "$work/out/floor.wasm")
gz=$(gzip -9 -c "$work/out/floor.wasm" | wc -c)
echo "floor: main wasm $raw bytes, gzip -9 $gz"
python3 "$root/bench/wasm/breakdown.py" "$work/out/floor.wasm" | head -20
