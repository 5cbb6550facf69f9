#!/usr/bin/env bash
# Reference measurement of a Seaport 1.6 basic fulfilment (ETH -> ERC-721 with one additional recipient), for
# comparison with buyLicense. Not part of `forge test`: it needs extra npm packages (seaport-core 1.6.6, solc-js
# 0.8.24, since Seaport's via-IR build hits "stack too deep" with 0.8.28) and ~2 minutes of via-IR compile.
# Usage: tools/seaport-bench/run.sh [workdir]   → prints snapshots/Seaport.json (isolated-tx gas, like bench/)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CONTRACTS="$(cd "$HERE/../.." && pwd)"
FORGE="$CONTRACTS/node_modules/@foundry-rs/forge-linux-amd64/bin/forge"
W="${1:-$(mktemp -d /tmp/seaport-bench.XXXX)}"
mkdir -p "$W/deps" "$W/build/src" "$W/build/tools" "$W/test/test"
[ -f "$W/deps/package.json" ] || (cd "$W/deps" && npm init -y >/dev/null)
(cd "$W/deps" && npm install --no-audit --no-fund --save-exact seaport-core@1.6.6 seaport-types@1.6.3 solc@0.8.24 >/dev/null)

# 1) Build Seaport with its own settings (0.8.24, via-IR, max optimizer runs).
sed "s#path.join(contractsDir, 'node_modules', 'solc')#'$W/deps/node_modules/solc'#" "$CONTRACTS/tools/solc" > "$W/build/tools/solc"
chmod +x "$W/build/tools/solc"
cat > "$W/build/src/Deps.sol" <<'SOL'
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
import {Seaport} from "seaport-core/src/Seaport.sol";
import {ConduitController} from "seaport-core/src/conduit/ConduitController.sol";
SOL
cat > "$W/build/foundry.toml" <<TOML
[profile.default]
src = "src"
solc = "tools/solc"
offline = true
auto_detect_solc = false
evm_version = "cancun"
via_ir = true
optimizer = true
optimizer_runs = 4294967295
bytecode_hash = "none"
remappings = ["seaport-core/=$W/deps/node_modules/seaport-core/", "seaport-types/=$W/deps/node_modules/seaport-types/"]
[lint]
lint_on_build = false
TOML
(cd "$W/build" && "$FORGE" build --skip test)

# 2) Measure with the project's solc (0.8.28), deploying Seaport from the artifacts.
sed "s#SEAPORT_OUT/#$W/build/out/#g" "$HERE/SeaportBasic.t.sol" > "$W/test/test/SeaportBasic.t.sol"
cat > "$W/test/foundry.toml" <<TOML
[profile.default]
src = "test"
test = "test"
solc = "$CONTRACTS/tools/solc"
offline = true
auto_detect_solc = false
evm_version = "cancun"
optimizer = true
isolate = true
fs_permissions = [{ access = "read", path = "$W/build/out" }]
remappings = [
  "seaport-types/=$W/deps/node_modules/seaport-types/",
  "forge-std/=$CONTRACTS/node_modules/@layerzerolabs/toolbox-foundry/lib/forge-std/",
  "@openzeppelin/contracts/=$CONTRACTS/node_modules/@openzeppelin/contracts/",
]
ignored_error_codes = [4591, 1878, 5574, 3860, 2394]
[lint]
lint_on_build = false
TOML
(cd "$W/test" && "$FORGE" test && cat snapshots/Seaport.json)
