import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { CarBlockIterator } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { add, dagImport, pseudoRandomBytes, startNode } from './helpers.js'

const enc = new TextEncoder()
const INDEX = '<!doctype html><html><body>Assay</body></html>'
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
const BIG = pseudoRandomBytes(3 * 1024 * 1024 + 17, 99)

/** Parse a CAR and check every block against its CID. */
async function readVerifiedCar(bytes) {
  const it = await CarBlockIterator.fromBytes(bytes)
  const roots = (await it.getRoots()).map(String)
  const blocks = []
  for await (const { cid, bytes: data } of it) {
    assert.equal(cid.multihash.code, sha256.code)
    const digest = await sha256.digest(data)
    assert.deepEqual(digest.bytes, cid.multihash.bytes, `block ${cid} verifies`)
    blocks.push(cid.toString())
  }
  return { roots, blocks }
}

describe('gateway', () => {
  let node
  let fileCid
  let dirCid
  before(async () => {
    node = await startNode()
    const [file] = await add(node.url, [{ path: 'big.bin', content: BIG }])
    fileCid = file.Hash
    const lines = await add(node.url, [
      { path: 'site/index.html', content: enc.encode(INDEX) },
      { path: 'site/assets/app.wasm', content: WASM },
      { path: 'site/assets/data.json', content: enc.encode('{"a":1}') },
      { path: 'site/assets/model.onnx', content: pseudoRandomBytes(1000, 3) }
    ])
    dirCid = lines.at(-1).Hash
  })
  after(async () => {
    await node?.cleanup()
  })

  it('round trip: /ipfs/{cid} returns the added bytes with immutable caching headers', async () => {
    const res = await fetch(`${node.url}/ipfs/${fileCid}`)
    assert.equal(res.status, 200)
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), BIG)
    assert.equal(res.headers.get('cache-control'), 'public, max-age=29030400, immutable')
    assert.equal(res.headers.get('x-ipfs-path'), `/ipfs/${fileCid}`)
    assert.equal(res.headers.get('etag'), `"${fileCid}"`)
    assert.equal(res.headers.get('content-length'), String(BIG.length))
  })

  it('?format=raw returns the block, which hashes to the CID', async () => {
    const [line] = await add(node.url, [{ path: 'hello', content: enc.encode('hello world') }])
    for (const init of [
      { q: '?format=raw', headers: {} },
      { q: '', headers: { Accept: 'application/vnd.ipld.raw' } }
    ]) {
      const res = await fetch(`${node.url}/ipfs/${line.Hash}${init.q}`, { headers: init.headers })
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('content-type'), 'application/vnd.ipld.raw')
      assert.equal(res.headers.get('etag'), `"${line.Hash}.raw"`)
      const bytes = new Uint8Array(await res.arrayBuffer())
      assert.equal(Buffer.from(bytes).toString(), 'hello world')
      const digest = await sha256.digest(bytes)
      assert.deepEqual(digest.bytes, CID.parse(line.Hash).multihash.bytes)
    }
    // the root block of a multi-block file is a dag-pb node, hashed the same way
    const res = await fetch(`${node.url}/ipfs/${fileCid}?format=raw`)
    const bytes = new Uint8Array(await res.arrayBuffer())
    assert.equal(
      createHash('sha256').update(bytes).digest('hex'),
      Buffer.from(CID.parse(fileCid).multihash.digest).toString('hex')
    )
  })

  it('?format=car (and Accept) returns a CARv1 whose blocks all verify; dag/import into another node gives the same root', async () => {
    const res = await fetch(`${node.url}/ipfs/${fileCid}?format=car`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type'), /^application\/vnd\.ipld\.car; version=1/)
    const car = new Uint8Array(await res.arrayBuffer())
    const { roots, blocks } = await readVerifiedCar(car)
    assert.deepEqual(roots, [fileCid])
    assert.equal(blocks[0], fileCid)
    assert.equal(blocks.length, 5) // root + 4 x 1 MiB leaves

    const viaAccept = await fetch(`${node.url}/ipfs/${dirCid}`, { headers: { Accept: 'application/vnd.ipld.car' } })
    const dirCar = await readVerifiedCar(new Uint8Array(await viaAccept.arrayBuffer()))
    assert.deepEqual(dirCar.roots, [dirCid])
    assert.equal(dirCar.blocks.length, 6) // site, index.html, assets, 3 files

    const other = await startNode()
    try {
      const imp = await dagImport(other.url, car)
      assert.equal(imp.status, 200)
      const line = JSON.parse((await imp.text()).trim())
      assert.deepEqual(line, { Root: { Cid: { '/': fileCid }, PinErrorMsg: '' } })
      const back = await fetch(`${other.url}/ipfs/${fileCid}`)
      assert.deepEqual(new Uint8Array(await back.arrayBuffer()), BIG)
    } finally {
      await other.cleanup()
    }
  })

  it('dag-scope=block and a sub-path CAR hold just what they should', async () => {
    const res = await fetch(`${node.url}/ipfs/${fileCid}?format=car&dag-scope=block`)
    const { blocks } = await readVerifiedCar(new Uint8Array(await res.arrayBuffer()))
    assert.deepEqual(blocks, [fileCid])
    const sub = await fetch(`${node.url}/ipfs/${dirCid}/assets/app.wasm?format=car`)
    assert.equal(sub.status, 200)
    const subCar = await readVerifiedCar(new Uint8Array(await sub.arrayBuffer()))
    assert.equal(subCar.blocks.length, 3) // site dir, assets dir, app.wasm
    assert.equal(subCar.blocks[0], dirCid)
  })

  it('unknown CID gives 404 quickly, invalid CID 400', async () => {
    const unknown = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    for (const q of ['', '?format=raw', '?format=car']) {
      const t0 = Date.now()
      const res = await fetch(`${node.url}/ipfs/${unknown}${q}`)
      assert.equal(res.status, 404, q)
      await res.text()
      assert.ok(Date.now() - t0 < 2000, 'fast 404')
    }
    const missingPath = await fetch(`${node.url}/ipfs/${dirCid}/nope.txt`)
    assert.equal(missingPath.status, 404)
    const bad = await fetch(`${node.url}/ipfs/not-a-cid`)
    assert.equal(bad.status, 400)
    const api = await fetch(`${node.url}/api/v0/cat?arg=${unknown}`, { method: 'POST' })
    assert.equal(api.status, 404)
    assert.equal((await api.json()).Type, 'error')
  })

  it('subdomain gateway: <cid>.ipfs.<host> serves the directory at its own origin, as /ipfs/<cid>/ does', async () => {
    const port = new URL(node.url).port
    // Node's fetch won't set Host; a raw request does, as a browser does for *.localhost.
    const get = (host, path) =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
          const chunks = []
          res.on('data', (c) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
        })
        req.on('error', reject)
        req.end()
      })
    const host = `${dirCid}.ipfs.localhost:${port}`
    const index = await get(host, '/')
    assert.equal(index.status, 200)
    assert.equal(index.body.toString(), INDEX)
    const wasm = await get(host, '/assets/app.wasm')
    assert.equal(wasm.status, 200)
    assert.deepEqual(new Uint8Array(wasm.body), WASM)
    assert.equal(wasm.headers['content-type'], 'application/wasm')
    // A directory's redirect stays on the subdomain (no /ipfs/<cid> prefix).
    const redirect = await get(host, '/assets?x=1')
    assert.equal(redirect.status, 301)
    assert.equal(redirect.headers.location, '/assets/?x=1')
    // Only a base32 CIDv1 label is a subdomain gateway host; anything else is the plain node.
    const v0 = CID.parse(dirCid).toV0().toString()
    assert.equal((await get(`${v0.toLowerCase()}.ipfs.localhost:${port}`, '/')).status, 200)
    assert.match((await get(`${v0.toLowerCase()}.ipfs.localhost:${port}`, '/')).body.toString(), /Kubo RPC subset/)
    assert.equal((await get(`nonsense.ipfs.localhost:${port}`, '/')).status, 200)
  })

  it('path gateway: directory redirect, index.html, sub-path files with content types', async () => {
    const redirect = await fetch(`${node.url}/ipfs/${dirCid}?x=1`, { redirect: 'manual' })
    assert.equal(redirect.status, 301)
    assert.equal(redirect.headers.get('location'), `/ipfs/${dirCid}/?x=1`)

    const index = await fetch(`${node.url}/ipfs/${dirCid}/`)
    assert.equal(index.status, 200)
    assert.match(index.headers.get('content-type'), /^text\/html/)
    assert.equal(await index.text(), INDEX)

    const indexByName = await fetch(`${node.url}/ipfs/${dirCid}/index.html`)
    assert.equal(await indexByName.text(), INDEX)

    const wasm = await fetch(`${node.url}/ipfs/${dirCid}/assets/app.wasm`)
    assert.equal(wasm.headers.get('content-type'), 'application/wasm')
    assert.deepEqual(new Uint8Array(await wasm.arrayBuffer()), WASM)
    assert.equal(wasm.headers.get('x-ipfs-roots').split(',')[0], dirCid)

    const json = await fetch(`${node.url}/ipfs/${dirCid}/assets/data.json`)
    assert.equal(json.headers.get('content-type'), 'application/json')
    const onnx = await fetch(`${node.url}/ipfs/${dirCid}/assets/model.onnx`, { method: 'HEAD' })
    assert.equal(onnx.headers.get('content-type'), 'application/octet-stream')
    assert.equal(onnx.headers.get('content-length'), '1000')

    const listing = await fetch(`${node.url}/ipfs/${dirCid}/assets/`)
    assert.equal(listing.status, 200)
    assert.match(await listing.text(), /app\.wasm/)
  })

  it('Range requests give 206 with the right bytes (also across chunk boundaries)', async () => {
    const start = 1024 * 1024 - 10
    const end = 2 * 1024 * 1024 + 5
    const res = await fetch(`${node.url}/ipfs/${fileCid}`, { headers: { Range: `bytes=${start}-${end}` } })
    assert.equal(res.status, 206)
    assert.equal(res.headers.get('content-range'), `bytes ${start}-${end}/${BIG.length}`)
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), BIG.subarray(start, end + 1))

    const suffix = await fetch(`${node.url}/ipfs/${fileCid}`, { headers: { Range: 'bytes=-17' } })
    assert.equal(suffix.status, 206)
    assert.deepEqual(new Uint8Array(await suffix.arrayBuffer()), BIG.subarray(BIG.length - 17))

    const small = await fetch(`${node.url}/ipfs/${dirCid}/index.html`, { headers: { Range: 'bytes=2-5' } })
    assert.equal(small.status, 206)
    assert.equal(await small.text(), INDEX.slice(2, 6))

    const beyond = await fetch(`${node.url}/ipfs/${fileCid}`, { headers: { Range: `bytes=${BIG.length}-` } })
    assert.equal(beyond.status, 416)
  })

  it('bare file CIDs: content type sniffed, or taken from ?filename=', async () => {
    const lines = await add(node.url, [
      { path: 'index.html', content: enc.encode(INDEX) },
      { path: 'app.wasm', content: WASM }
    ])
    const html = await fetch(`${node.url}/ipfs/${lines[0].Hash}`)
    assert.match(html.headers.get('content-type'), /^text\/html/)
    await html.arrayBuffer()
    const wasm = await fetch(`${node.url}/ipfs/${lines[1].Hash}`)
    assert.equal(wasm.headers.get('content-type'), 'application/wasm')
    await wasm.arrayBuffer()
    const named = await fetch(`${node.url}/ipfs/${fileCid}?filename=model.onnx&download=true`, { method: 'HEAD' })
    assert.equal(named.headers.get('content-type'), 'application/octet-stream')
    assert.match(named.headers.get('content-disposition'), /^attachment; filename="model\.onnx"/)
  })

  it('If-None-Match with the Etag gives 304', async () => {
    const res = await fetch(`${node.url}/ipfs/${fileCid}`, { headers: { 'If-None-Match': `"${fileCid}"` } })
    assert.equal(res.status, 304)
  })

  it('CORS: preflight answered and headers on responses', async () => {
    const pre = await fetch(`${node.url}/api/v0/add`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:8080',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type'
      }
    })
    assert.ok(pre.status === 204 || pre.status === 200)
    assert.equal(pre.headers.get('access-control-allow-origin'), '*')
    assert.match(pre.headers.get('access-control-allow-methods'), /POST/)
    assert.match(pre.headers.get('access-control-allow-headers'), /Range/)
    const pre2 = await fetch(`${node.url}/ipfs/${fileCid}`, { method: 'OPTIONS' })
    assert.equal(pre2.headers.get('access-control-allow-origin'), '*')
    const get = await fetch(`${node.url}/ipfs/${fileCid}`, {
      method: 'HEAD',
      headers: { Origin: 'http://localhost:8080' }
    })
    assert.equal(get.headers.get('access-control-allow-origin'), '*')
    for (const h of ['Content-Range', 'X-Ipfs-Path', 'X-Ipfs-Roots', 'Etag', 'Content-Length']) {
      assert.match(get.headers.get('access-control-expose-headers'), new RegExp(h))
    }
  })

  it('RPC extras: cat, block/stat, version, pin/add, id', async () => {
    const cat = await fetch(`${node.url}/api/v0/cat?arg=/ipfs/${dirCid}/index.html`, { method: 'POST' })
    assert.equal(await cat.text(), INDEX)
    const stat = await (await fetch(`${node.url}/api/v0/block/stat?arg=${fileCid}`, { method: 'POST' })).json()
    assert.equal(stat.Key, fileCid)
    assert.ok(stat.Size > 0)
    const version = await (await fetch(`${node.url}/api/v0/version`, { method: 'POST' })).json()
    assert.match(version.Version, /^assay-helia-dev-node\//)
    const pin = await fetch(`${node.url}/api/v0/pin/add?arg=${fileCid}`, { method: 'POST' })
    assert.equal(pin.status, 200)
    const id = await fetch(`${node.url}/api/v0/id`, { method: 'POST' })
    assert.equal(id.status, 200)
    const get = await fetch(`${node.url}/api/v0/version`)
    assert.equal(get.status, 405)
  })
})
