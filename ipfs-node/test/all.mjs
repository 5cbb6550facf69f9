// Entry point so that `node --test ipfs-node/test/` (a directory, which
// Node 22's test runner would otherwise try to run as a module) runs every
// `*.test.js` file in this folder. `node --test ipfs-node/test/*.test.js`
// works as well and runs each file in its own process.
import { readdirSync } from 'node:fs'

const dir = new URL('./', import.meta.url)
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.test.js'))
  .sort()) {
  await import(new URL(name, dir).href)
}
