#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
/**
 * Bundles src/index.js into dist/assay-ipfs.js (one minified ES module, browser platform) and
 * prints its size, raw and gzipped. The task runner runs this before Trunk, which copies the
 * file into the app's dist/ (app/index.html: `data-trunk rel="copy-file"`).
 *
 *   node build.mjs            # build, print sizes
 *   node build.mjs --json     # same, sizes as one JSON line (for the task runner)
 */
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const outfile = join(here, 'dist/assay-ipfs.js')

const result = await build({
  entryPoints: [join(here, 'src/index.js')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning'
})
writeFileSync(join(here, 'dist/meta.json'), JSON.stringify(result.metafile))

const bytes = readFileSync(outfile)
const sizes = { file: 'assay-ipfs.js', bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(sizes))
} else {
  console.log(
    `ipfs-bundle: dist/assay-ipfs.js ${(sizes.bytes / 1024).toFixed(1)} KiB, ${(sizes.gzip / 1024).toFixed(1)} KiB gzipped`
  )
}
