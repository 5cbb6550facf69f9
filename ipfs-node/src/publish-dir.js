#!/usr/bin/env node
import { randomBytes } from 'node:crypto'
/**
 * Publish a directory to the node through `/api/v0/add` and print its root
 * CID (only the CID) on stdout.
 *
 *   node ipfs-node/src/publish-dir.js dist --api http://127.0.0.1:5001
 *
 * The upload is a streamed Kubo-style multipart body: one
 * `application/x-directory` part per sub-directory and one part per file,
 * named by its path relative to `<dir>`, with `wrap-with-directory=true` so
 * that the root is the directory itself. Hidden files are included; symlinks
 * are followed.
 *
 * @module publish-dir
 */
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { profileAddParams } from './profile.js'

/**
 * List a directory tree: sub-directories (before their contents) and files,
 * as paths relative to `root` with `/` separators, sorted by name.
 *
 * @param {string} root
 * @returns {Promise<Array<{ path: string, abs: string, isDirectory: boolean }>>}
 */
export async function listTree(root) {
  const out = []
  async function walk(rel) {
    const names = (await readdir(join(root, rel))).sort()
    for (const name of names) {
      const relPath = rel === '' ? name : `${rel}/${name}`
      const abs = join(root, relPath)
      const info = await stat(abs)
      if (info.isDirectory()) {
        out.push({ path: relPath, abs, isDirectory: true })
        await walk(relPath)
      } else if (info.isFile()) {
        out.push({ path: relPath, abs, isDirectory: false })
      }
    }
  }
  await walk('')
  return out
}

/**
 * Upload a directory and return its root CID.
 *
 * @param {string} dir - directory to publish
 * @param {string} api - base URL of the node, e.g. `http://127.0.0.1:5001`
 * @returns {Promise<string>} the root CID (the directory itself)
 */
export async function publishDir(dir, api) {
  const root = resolve(dir)
  const info = await stat(root).catch(() => null)
  if (info == null || !info.isDirectory()) throw new Error(`${dir} is not a directory`)
  const entries = await listTree(root)
  if (entries.length === 0) throw new Error(`${dir} is empty: nothing to publish`)

  const boundary = `----assay-${randomBytes(12).toString('hex')}`
  const enc = new TextEncoder()
  async function* body() {
    for (const entry of entries) {
      const type = entry.isDirectory ? 'application/x-directory' : 'application/octet-stream'
      yield enc.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(entry.path)}"\r\nContent-Type: ${type}\r\n\r\n`
      )
      if (!entry.isDirectory) {
        for await (const chunk of createReadStream(entry.abs))
          yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      }
      yield enc.encode('\r\n')
    }
    yield enc.encode(`--${boundary}--\r\n`)
  }

  const url = new URL('/api/v0/add', api)
  url.search = new URLSearchParams({
    ...profileAddParams(),
    'wrap-with-directory': 'true',
    pin: 'true',
    progress: 'false'
  }).toString()
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body: ReadableStream.from(body()),
    duplex: 'half'
  })
  const text = await res.text()
  if (!res.ok) {
    let message = text
    try {
      message = JSON.parse(text).Message ?? text
    } catch {}
    throw new Error(`add failed with HTTP ${res.status}: ${message.trim()}`)
  }
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l))
  const last = lines.at(-1)
  if (last == null || last.Name !== '') throw new Error(`unexpected add response, no wrapping root: ${text.trim()}`)
  return last.Hash
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { api: { type: 'string', default: 'http://127.0.0.1:5001' } }
  })
  if (positionals.length !== 1) {
    process.stderr.write('usage: node ipfs-node/src/publish-dir.js <dir> --api http://127.0.0.1:<port>\n')
    process.exit(2)
  }
  try {
    const cid = await publishDir(positionals[0], values.api)
    process.stdout.write(`${cid}\n`)
  } catch (err) {
    process.stderr.write(
      `publish-dir: error: ${err.message}${err.cause ? ` (${err.cause.message ?? err.cause})` : ''}\n`
    )
    process.exit(1)
  }
}

if (process.argv[1] != null && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main()
}
