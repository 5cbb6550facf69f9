#!/usr/bin/env bash
# Reproduces every number of bench/RESULTS.md "Zero-knowledge proofs of claims (EZKL)".
#
#   bench/zk/run.sh install                  EZKL's Python wheel in its own venv, @ezkljs/engine in bench/zk
#   bench/zk/run.sh prove <model> <samples>  settings, calibrate, compile, srs, setup, witness, prove,
#                                            verify, Solidity verifier, calldata: one /usr/bin/time -v each
#                                            (model: digits or magika, from ~/.cache/assay/models)
#   bench/zk/run.sh browser <model> <samples> the proof verified in Chromium by @ezkljs/engine (wasm);
#                                            ZK_NO_ISOLATION=1: served as an IPFS gateway would (no thread pool)
#   bench/zk/run.sh gas <model> <samples>    the generated verifier compiled (solc-js), deployed on a fresh
#                                            anvil and called with the proof: gas of the verifying tx
#   bench/zk/run.sh other-weights <model> <samples>  setup again for the model with one weight changed:
#                                            are the verifying keys the same?
#   bench/zk/run.sh keep <folder>            the raw log and the small outputs copied to <folder>
#   bench/zk/run.sh all                      everything above for digits 1, 10, 100 and magika 1
#
# Each step's wall time, peak resident memory and the machine's load go to
# $ZK_WORK/ezkl-<version>/results.tsv (ZK_WORK: /dev/shm/assay-zk by default, in memory), each folder's
# sizes to facts.json; the steps run under `nice -n 10` and a memory limit (ZK_MEM_GB, 14 GiB by default:
# the machine has 24 GiB and other work), so a proof that does not fit fails with its error recorded
# instead of taking the machine down.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${ASSAY_CACHE:-$HOME/.cache/assay}
# EZKL's Python wheel: 23.0.5 (the newest) by default; ZK_EZKL=21.0.0 for proofs that @ezkljs/engine
# 21.0.0 (the newest on npm) can read: 23's proofs it refuses (see README.md).
EZKL_VERSION=${ZK_EZKL:-23.0.5}
VENV=${ZK_VENV:-$CACHE/zk-py-$EZKL_VERSION}
PY=$VENV/bin/python
# In memory by default: a proving key is GiBs (1.8 GiB for one digit) and the disk here is nearly full.
WORK=${ZK_WORK:-/dev/shm/assay-zk}/ezkl-$EZKL_VERSION
MEM_GB=${ZK_MEM_GB:-14}
STEP_TIMEOUT=${ZK_STEP_TIMEOUT:-1800} # seconds; rc=124 in results.tsv when a step ran out
mkdir -p "$WORK"
export ZK_SRS_CACHE=$WORK/srs

say() { printf '%s\n' "$*" >&2; }

install() {
    [ -x "$PY" ] || "$CACHE/py/bin/python" -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
    "$PY" -m pip install -q "ezkl==$EZKL_VERSION" onnx==1.23.2 numpy==2.4.6 scikit-learn==1.9.1
    (cd "$HERE" && npm ci --no-audit --no-fund --silent)
    # anvil and solc-js (contracts), Playwright (e2e), esbuild (ipfs-bundle): the project's own
    local part
    for part in contracts e2e ipfs-bundle; do
        (cd "$ROOT/$part" && [ -d node_modules ] || npm ci --no-audit --no-fund --silent)
    done
}

# record <dir> <label> <time -v file> <rc>
record() {
    local elapsed rss
    elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$3")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$3")
    printf '%s\t%s\t%s\t%s\t%s\t%s\tload %s\n' "$(date -u +%FT%TZ)" "$(basename "$1")" "$2" "$elapsed" "$((rss / 1024)) MiB" \
        "rc=$4" "$(cut -d' ' -f1-3 /proc/loadavg)" |
        tee -a "$WORK/results.tsv" >&2
}

# step <dir> <name> [args]: one zk.py step, timed, niced and memory-capped
step() {
    local dir=$1 name=$2 rc=0
    shift 2
    (ulimit -v $((MEM_GB * 1024 * 1024)) && exec /usr/bin/time -v -o "$dir/time-$name.txt" \
        timeout "$STEP_TIMEOUT" nice -n 10 "$PY" "$HERE/zk.py" "$name" "$dir" "$@") >"$dir/$name.log" 2>&1 || rc=$?
    record "$dir" "$name" "$dir/time-$name.txt" "$rc"
    if [ "$rc" != 0 ]; then
        tail -5 "$dir/$name.log" >&2
        return "$rc"
    fi
}

# prove <model> <samples>; ZK_FROM=<step> resumes a folder at that step (the steps before it kept)
prove() {
    local model=$1 samples=$2 dir="$WORK/$1-$2" from=${ZK_FROM:-prepare} name started=
    [ "$from" = prepare ] && rm -rf "$dir"
    mkdir -p "$dir"
    for name in prepare settings calibrate compile srs setup witness prove verify evm calldata; do
        [ "$name" = "$from" ] && started=yes
        [ -n "$started" ] || continue
        if [ "$name" = prepare ]; then
            step "$dir" prepare "$CACHE/models/$model.onnx" "$samples" "$model"
        else
            step "$dir" "$name"
        fi
    done
    "$PY" "$HERE/zk.py" facts "$dir" | tee "$dir/facts.json"
    rm -f "$dir/pk.key" # its size is in facts.json; it holds GiBs of memory
}

# The verifying key of <model>-<samples> against one made for the same model with one weight changed.
other_weights() {
    local from="$WORK/$1-$2" dir="$WORK/$1-$2-other-weights"
    rm -rf "$dir" && mkdir -p "$dir"
    step "$dir" other-weights "$from"
    step "$dir" compile
    step "$dir" setup
    rm -f "$dir/pk.key"
    if cmp -s "$from/vk.key" "$dir/vk.key"; then say "verifying keys: identical"; else say "verifying keys: differ"; fi
}

# keep <folder>: the small outputs (raw log, sizes, gas, browser timings, settings, step logs) copied there
keep() {
    local dir name
    mkdir -p "$1/ezkl-$EZKL_VERSION"
    cp "$WORK/results.tsv" "$1/ezkl-$EZKL_VERSION/"
    for dir in "$WORK"/*/; do
        name=$(basename "$dir")
        [ "$name" = srs ] && continue
        mkdir -p "$1/ezkl-$EZKL_VERSION/$name"
        find "$dir" -maxdepth 1 -type f -name '*.json' -size -100k ! -name 'witness.json' ! -name 'input.json' \
            -exec cp {} "$1/ezkl-$EZKL_VERSION/$name/" \;
        # the steps' output, as .txt (git ignores *.log)
        for log in "$dir"*.log; do
            [ -s "$log" ] && tail -c 20000 "$log" >"$1/ezkl-$EZKL_VERSION/$name/$(basename "$log").txt"
        done
    done
}

browser() {
    local dir="$WORK/$1-$2"
    node "$HERE/browser-verify.mjs" "$dir" | tee "$dir/browser${ZK_NO_ISOLATION:+-no-isolation}.json"
}

gas() {
    local dir="$WORK/$1-$2"
    python3 "$HERE/gas.py" "$dir" | tee "$dir/gas.json"
}

# The whole command in one function and one last line, so that editing this file while it runs (the
# runs are long) cannot change what a running copy does next.
main() {
    case ${1:-} in
    install) install ;;
    prove) prove "$2" "$3" ;;
    browser) browser "$2" "$3" ;;
    other-weights) other_weights "$2" "$3" ;;
    keep) keep "$2" ;;
    gas) gas "$2" "$3" ;;
    all)
        ZK_EZKL=23.0.5 "$0" install
        ZK_EZKL=21.0.0 "$0" install
        for n in 1 10 100; do
            ZK_EZKL=23.0.5 "$0" prove digits "$n" && ZK_EZKL=23.0.5 "$0" gas digits "$n" || say "digits $n: failed"
        done
        ZK_EZKL=23.0.5 "$0" other-weights digits 1 || say "other weights: failed"
        for n in 1 10; do
            ZK_EZKL=21.0.0 "$0" prove digits "$n" && ZK_EZKL=21.0.0 "$0" browser digits "$n" &&
            ZK_EZKL=21.0.0 ZK_NO_ISOLATION=1 "$0" browser digits "$n" || say "digits $n (21.0.0): failed"
        done
        ZK_EZKL=23.0.5 ZK_STEP_TIMEOUT=900 "$0" prove magika 1 || say "magika 1: failed"
        ;;
    *)
        sed -n 2,/^set/p "$0"
        exit 2
        ;;
    esac
}
main "$@"; exit $?
