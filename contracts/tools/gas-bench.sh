#!/usr/bin/env bash
# Transaction-level gas benchmark (receipt gasUsed, i.e. including the 21,000 intrinsic cost and calldata)
# against a running anvil with the contracts deployed by script/Deploy.s.sol.
# Usage: tools/gas-bench.sh <rpc-url> <AssayMarket address>
set -euo pipefail
RPC=${1:?rpc url}
MARKET=${2:?market address}
CAST="$(dirname "$0")/../node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
# anvil's default accounts 1..5
K1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d # creator
A2=0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC                         # co-author
K3=0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6 # buyer 1
K4=0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a # buyer 2
K5=0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba # buyer 3
MANIFEST=bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy
TERMS=bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq
LIST='listModel(string,bytes32,uint16,(address,uint16)[],(uint256,uint16,uint256)[],(uint96,uint32,uint32,bool,bool,bool,string)[])'
TIER="[(10000000000000000,2592000,0,true,false,true,$TERMS)]"
ZERO=0x0000000000000000000000000000000000000000000000000000000000000000
gas() { "$CAST" send --json --rpc-url "$RPC" "$@" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);if(r.status!=="0x1")throw new Error("tx failed");console.log(parseInt(r.gasUsed,16))})'; }

echo "listModel, 1 tier, no shares, creator's first model:        $(gas --private-key $K1 $MARKET "$LIST" $MANIFEST $ZERO 500 '[]' '[]' "$TIER")"
echo "listModel, 1 tier, no shares, creator's next model:         $(gas --private-key $K1 $MARKET "$LIST" $MANIFEST $ZERO 500 '[]' '[]' "$TIER")"
echo "listModel, 1 tier, 1 co-author:                             $(gas --private-key $K1 $MARKET "$LIST" $MANIFEST $ZERO 500 "[($A2,1000)]" '[]' "$TIER")"
M=3 # the co-authored model
# buyerKey and keySalt: zero for an open model (no key to deliver).
BUY='buyLicense(uint256,uint256,bytes32,bytes32)'
echo "buyLicense open+1 co-author, cold (all balances were zero): $(gas --private-key $K3 --value 10000000000000000 $MARKET "$BUY" $M 0 $ZERO $ZERO)"
echo "buyLicense open+1 co-author, repeat buyer:                  $(gas --private-key $K3 --value 10000000000000000 $MARKET "$BUY" $M 0 $ZERO $ZERO)"
echo "buyLicense open+1 co-author, first-time buyer:              $(gas --private-key $K4 --value 10000000000000000 $MARKET "$BUY" $M 0 $ZERO $ZERO)"
echo "buyLicense open, no co-author, first-time buyer:            $(gas --private-key $K5 --value 10000000000000000 $MARKET "$BUY" 2 0 $ZERO $ZERO)"
