/**
 * Test helpers: start a real node (src/main.js) on port 0 with a temp repo,
 * upload files with multipart, compute CIDs independently in-process.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { MemoryBlockstore } from 'blockstore-core'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

export const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url))
export const PUBLISH_DIR = fileURLToPath(new URL('../src/publish-dir.js', import.meta.url))

/** Make a fresh temp directory. */
export async function tempDir(prefix = 'assay-ipfs-test-') {
  return mkdtemp(join(tmpdir(), prefix))
}

/**
 * Start a node; resolves once it printed its ready line.
 *
 * @param {{ repo?: string, port?: number, args?: string[] }} [opts] - args: extra CLI arguments
 * @returns {Promise<{ url: string, repo: string, proc: import('node:child_process').ChildProcess, stderr: () => string, stop: () => Promise<number>, cleanup: () => Promise<void> }>}
 */
export async function startNode(opts = {}) {
  const repo = opts.repo ?? (await tempDir())
  const proc = spawn(
    process.execPath,
    [MAIN, '--host', '127.0.0.1', '--port', String(opts.port ?? 0), '--repo', repo, ...(opts.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let stderr = ''
  proc.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)))
  const lines = createInterface({ input: proc.stdout })
  const first = await Promise.race([
    new Promise((resolve) => lines.once('line', resolve)),
    exited.then((code) => {
      throw new Error(`node exited (${code}) before ready: ${stderr}`)
    }),
    new Promise((_resolve, reject) =>
      setTimeout(() => reject(new Error(`node not ready after 20s: ${stderr}`)), 20_000).unref()
    )
  ])
  const ready = JSON.parse(first)
  if (ready.ready !== true || !/^http:\/\/127\.0\.0\.1:\d+$/.test(ready.url))
    throw new Error(`bad ready line: ${first}`)
  let stopped
  return {
    url: ready.url,
    repo,
    proc,
    stderr: () => stderr,
    stop() {
      stopped ??= (async () => {
        if (proc.exitCode == null) proc.kill('SIGTERM')
        return exited
      })()
      return stopped
    },
    async cleanup() {
      await this.stop()
      if (opts.repo == null) await rm(repo, { recursive: true, force: true })
    }
  }
}

/**
 * POST a Kubo-style multipart add.
 *
 * @param {string} url - node base URL
 * @param {Array<{ path: string, content?: Uint8Array, dir?: boolean }>} files
 * @param {Record<string, string>} [params]
 * @returns {Promise<Array<{ Name: string, Hash: string, Size: string }>>}
 */
export async function add(url, files, params = {}) {
  const form = new FormData()
  for (const f of files) {
    const blob = f.dir
      ? new Blob([], { type: 'application/x-directory' })
      : new Blob([f.content], { type: 'application/octet-stream' })
    form.append('file', blob, encodeURIComponent(f.path))
  }
  const q = new URLSearchParams({
    'cid-version': '1',
    'raw-leaves': 'true',
    chunker: 'size-1048576',
    'max-file-links': '1024',
    progress: 'false',
    ...params
  })
  const res = await fetch(`${url}/api/v0/add?${q}`, { method: 'POST', body: form })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`add failed ${res.status}: ${text}`)
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
}

/**
 * POST a CAR to /api/v0/dag/import.
 *
 * @param {string} url
 * @param {Uint8Array} carBytes
 * @returns {Promise<Response>}
 */
export async function dagImport(url, carBytes) {
  const form = new FormData()
  form.append('file', new Blob([carBytes], { type: 'application/vnd.ipld.car' }), 'upload.car')
  return fetch(`${url}/api/v0/dag/import`, { method: 'POST', body: form })
}

/**
 * Independent in-process import with `ipfs-unixfs-importer` and the options
 * given (nothing taken from src/).
 *
 * @param {Array<{ path?: string, content?: Uint8Array }> | Uint8Array} input
 * @param {import('ipfs-unixfs-importer').ImporterOptions} options
 * @returns {Promise<{ results: Array<{ path: string, cid: string, size: string }>, blockstore: MemoryBlockstore }>}
 */
export async function importWith(input, options) {
  const blockstore = new MemoryBlockstore()
  const source = input instanceof Uint8Array ? [{ content: input }] : input
  const results = []
  for await (const entry of importer(source, blockstore, options)) {
    results.push({ path: entry.path ?? '', cid: entry.cid.toString(), size: String(entry.size) })
  }
  return { results, blockstore }
}

/**
 * Independent in-process import with the Assay profile spelled out here
 * (not taken from src/profile.js): CIDv1, raw leaves, 1 MiB fixed chunks,
 * balanced layout with at most 1024 links.
 *
 * @param {Array<{ path?: string, content?: Uint8Array }> | Uint8Array} input
 * @param {{ wrapWithDirectory?: boolean }} [opts]
 */
export async function importLocally(input, opts = {}) {
  return importWith(input, {
    cidVersion: 1,
    rawLeaves: true,
    chunker: fixedSize({ chunkSize: 1_048_576 }),
    layout: balanced({ maxChildrenPerNode: 1024 }),
    wrapWithDirectory: opts.wrapWithDirectory ?? false
  })
}

/**
 * Independent in-process import with Kubo's `ipfs add` defaults spelled out
 * here (Kubo `config/import.go`, boxo `helpers.DefaultLinksPerBlock`): CIDv0,
 * dag-pb leaves, `size-262144`, balanced layout with at most 174 links.
 * `overrides` change single options the way the matching Kubo flag would.
 *
 * @param {Array<{ path?: string, content?: Uint8Array }> | Uint8Array} input
 * @param {{ wrapWithDirectory?: boolean, chunkSize?: number, maxChildrenPerNode?: number, cidVersion?: 0 | 1, rawLeaves?: boolean }} [overrides]
 */
export async function importKuboDefaults(input, overrides = {}) {
  return importWith(input, {
    cidVersion: overrides.cidVersion ?? 0,
    rawLeaves: overrides.rawLeaves ?? false,
    chunker: fixedSize({ chunkSize: overrides.chunkSize ?? 262_144 }),
    layout: balanced({ maxChildrenPerNode: overrides.maxChildrenPerNode ?? 174 }),
    wrapWithDirectory: overrides.wrapWithDirectory ?? false
  })
}

/**
 * Deterministic pseudo-random bytes (xorshift), so tests are reproducible.
 *
 * @param {number} length
 * @param {number} [seed]
 * @returns {Uint8Array}
 */
export function pseudoRandomBytes(length, seed = 42) {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    out[i] = x & 0xff
  }
  return out
}
