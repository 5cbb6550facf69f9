// Compiles EZKL's generated Verifier.sol with the project's npm solc-js (contracts/node_modules/solc,
// the compiler behind contracts/tools/solc; nothing downloaded): optimizer on, 200 runs, EVM cancun, as
// contracts/foundry.toml, without the IR pipeline (the verifier is one assembly block). Prints the
// creation bytecode (hex, no 0x) on stdout and its runtime size on stderr.
//
//   node compile-verifier.cjs <Verifier.sol>
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const solc = require(path.resolve(__dirname, '../../contracts/node_modules/solc'));
const source = fs.readFileSync(process.argv[2], 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'Verifier.sol': { content: source } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length) {
  for (const e of errors) process.stderr.write(`${e.formattedMessage}\n`);
  process.exit(1);
}
const [name, contract] = Object.entries(output.contracts['Verifier.sol'])[0];
process.stderr.write(
  `${name}: runtime ${contract.evm.deployedBytecode.object.length / 2} bytes (solc-js ${solc.version()})\n`,
);
process.stdout.write(contract.evm.bytecode.object);
