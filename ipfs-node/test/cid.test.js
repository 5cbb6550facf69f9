import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { unixfs } from '@helia/unixfs'
import { createHeliaLight } from 'helia'
import { add, importLocally, pseudoRandomBytes, startNode } from './helpers.js'

const enc = new TextEncoder()

describe('CIDs from /api/v0/add with the Assay profile spelled out (cid-version=1, raw leaves, size-1048576, 1024 links)', () => {
  let node
  before(async () => {
    node = await startNode()
  })
  after(async () => {
    await node?.cleanup()
  })

  it('"hello world" (no newline) gives the well-known CIDv1 raw-leaf CID', async () => {
    const lines = await add(node.url, [{ path: 'hello.txt', content: enc.encode('hello world') }])
    assert.equal(lines.length, 1)
    assert.deepEqual(lines[0], {
      Name: 'hello.txt',
      Hash: 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e',
      Size: '11'
    })
  })

  it('empty file matches the in-process importer', async () => {
    const [line] = await add(node.url, [{ path: 'empty', content: new Uint8Array(0) }])
    const { results } = await importLocally(new Uint8Array(0))
    assert.equal(line.Hash, results.at(-1).cid)
    assert.match(line.Hash, /^bafkrei/) // a single raw block
  })

  it('a 3 MiB + 17 bytes file (4 chunks) matches the in-process importer and Helia defaults', async () => {
    const bytes = pseudoRandomBytes(3 * 1024 * 1024 + 17)
    const [line] = await add(node.url, [{ path: 'big.bin', content: bytes }])
    const { results } = await importLocally(bytes)
    assert.equal(line.Hash, results.at(-1).cid)
    assert.match(line.Hash, /^bafybei/) // dag-pb root over raw leaves

    // and what Helia's @helia/unixfs gives with its defaults (what the app does in the browser)
    const helia = createHeliaLight()
    await helia.start()
    try {
      const cid = await unixfs(helia).addBytes(bytes)
      assert.equal(line.Hash, cid.toString())
    } finally {
      await helia.stop()
    }
  })

  it('a directory with nested files matches, and the root comes last', async () => {
    const files = [
      { path: 'dist/index.html', content: enc.encode('<!doctype html><title>x</title>') },
      { path: 'dist/assets/app.wasm', content: pseudoRandomBytes(70_000, 7) },
      { path: 'dist/assets/deep/style.css', content: enc.encode('body{}') }
    ]
    const lines = await add(node.url, [{ path: 'dist', dir: true }, { path: 'dist/assets', dir: true }, ...files])
    const { results } = await importLocally(files.map((f) => ({ path: f.path, content: f.content })))
    const local = Object.fromEntries(results.map((r) => [r.path, r.cid]))
    const remote = Object.fromEntries(lines.map((l) => [l.Name, l.Hash]))
    for (const p of [
      'dist',
      'dist/index.html',
      'dist/assets',
      'dist/assets/app.wasm',
      'dist/assets/deep',
      'dist/assets/deep/style.css'
    ]) {
      assert.equal(remote[p], local[p], `CID of ${p}`)
    }
    assert.equal(lines.at(-1).Name, 'dist')
  })

  it('wrap-with-directory makes the wrapper (Name "") the root, equal to the directory CID', async () => {
    const files = [
      { path: 'a.txt', content: enc.encode('a') },
      { path: 'sub/b.txt', content: enc.encode('b') }
    ]
    const wrapped = await add(node.url, files, { 'wrap-with-directory': 'true' })
    const named = await add(
      node.url,
      files.map((f) => ({ ...f, path: `site/${f.path}` }))
    )
    const { results } = await importLocally(files, { wrapWithDirectory: true })
    assert.equal(wrapped.at(-1).Name, '')
    assert.equal(wrapped.at(-1).Hash, results.at(-1).cid)
    assert.equal(wrapped.at(-1).Hash, named.at(-1).Hash)
  })

  it('refuses, in words, the options it cannot build as Kubo does (and takes the ones it can)', async () => {
    for (const [params, message] of [
      [{ trickle: 'true' }, /unsupported trickle=true/],
      [{ chunker: 'rabin-262144-524288-1048576' }, /unsupported chunker "rabin-262144-524288-1048576"/],
      [{ chunker: 'buzhash' }, /unsupported chunker "buzhash"/],
      [{ chunker: 'size-0' }, /greater than 0/],
      [{ chunker: 'size-4194304' }, /at most 2096896 bytes/],
      [{ hash: 'blake2b-256' }, /unsupported hash "blake2b-256"/],
      [{ inline: 'true' }, /unsupported inline=true/],
      [{ 'cid-version': '2' }, /unknown CID version: 2/],
      [{ 'max-file-links': '1' }, /invalid max-file-links=1/],
      [{ 'max-hamt-fanout': '64' }, /unsupported max-hamt-fanout/],
      [{ mtime: '1700000000' }, /unsupported mtime/]
    ]) {
      await assert.rejects(
        add(node.url, [{ path: 'x', content: enc.encode('x') }], params),
        (err) => {
          const [, status, body] = /^add failed (\d+): (.*)$/s.exec(err.message)
          const { Message, Type } = JSON.parse(body)
          return status === '400' && Type === 'error' && message.test(Message)
        },
        JSON.stringify(params)
      )
    }
    // what used to be refused here is now followed as Kubo follows it
    const [v0] = await add(node.url, [{ path: 'x', content: enc.encode('x') }], {
      'cid-version': '0',
      'raw-leaves': 'false',
      chunker: 'size-262144'
    })
    assert.match(v0.Hash, /^Qm/)
  })
})
