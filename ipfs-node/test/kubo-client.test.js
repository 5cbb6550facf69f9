/**
 * The node through `kubo-rpc-client` (the npm client a new user reaches for),
 * with the client's own defaults unless a test says otherwise: every answer is
 * compared with what Kubo gives for the same request — published CIDs from
 * Kubo's and IPFS's docs, and independent `ipfs-unixfs-importer` runs with
 * Kubo's options spelled out in helpers.js.
 */
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import { CarBlockIterator } from '@ipld/car'
import * as dagPb from '@ipld/dag-pb'
import { importer } from 'ipfs-unixfs-importer'
import { create } from 'kubo-rpc-client'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { importKuboDefaults, importLocally, pseudoRandomBytes, startNode, tempDir } from './helpers.js'

const enc = new TextEncoder()

/** Concatenate an async iterable of byte chunks. */
async function bytesOf(source) {
  const chunks = []
  for await (const c of source) chunks.push(c)
  return new Uint8Array(Buffer.concat(chunks))
}

/** Every value of an async iterable. */
async function all(source) {
  const out = []
  for await (const x of source) out.push(x)
  return out
}

/** The node's raw JSON answer to a command (to check Kubo's field names exactly). */
async function rpcJson(url, command, query) {
  const res = await fetch(`${url}/api/v0/${command}?${new URLSearchParams(query)}`, { method: 'POST' })
  assert.equal(res.status, 200, `${command}: ${res.status}`)
  return res.json()
}

describe('kubo-rpc-client against the node', () => {
  let node
  let ipfs
  before(async () => {
    node = await startNode()
    ipfs = create({ url: node.url })
  })
  after(async () => {
    await node?.cleanup()
  })

  it("add with the client defaults gives the CIDs of Kubo's own add tests (core/coreiface/tests/unixfs.go)", async () => {
    const hello = await ipfs.add('hello, world!')
    assert.equal(hello.cid.toString(), 'QmQy2Dw4Wk7rdJKjThjYXzfFJNaRKRHhHP5gHHXroJMYxk')
    // unnamed content is named by its CID, as Kubo names stdin
    assert.equal(hello.path, 'QmQy2Dw4Wk7rdJKjThjYXzfFJNaRKRHhHP5gHHXroJMYxk')
    assert.equal((await ipfs.add('')).cid.toString(), 'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH')
    // a million zero bytes: four 256 KiB chunks (three of them the same block) under one root
    const zeros = await ipfs.add(new Uint8Array(1_000_000))
    assert.equal(zeros.cid.toString(), 'QmXXNNbwe4zzpdMg62ZXvnX1oU7MwSrQ3vAEtuwFKCm1oD')
    assert.equal(zeros.size, 1_000_256)
    // 500 chunks of 4 bytes: more than 174 links, so a two-level balanced tree
    const chunks = await ipfs.add('aoeuidhtns'.repeat(200), { chunker: 'size-4' })
    assert.equal(chunks.cid.toString(), 'QmRo11d4QJrST47aaiGVJYwPhoNA4ihRpJ5WaxBWjWDwbX')
    // cid-version=1 makes raw leaves the default, unless raw-leaves=false is given
    assert.equal(
      (await ipfs.add('hello, world!', { cidVersion: 1 })).cid.toString(),
      'bafkreidi4zlleupgp2bvrpxyja5lbvi4mym7hz5bvhyoowby2qp7g2hxfa'
    )
    assert.equal(
      (await ipfs.add('hello, world!', { cidVersion: 1, rawLeaves: false })).cid.toString(),
      'bafybeibhbcn7k7o2m6xsqkrlfiokod3nxwe47viteynhruh6uqx7hvkjfu'
    )
    // a file wrapped in a directory (-w)
    const wrapped = await all(
      ipfs.addAll([{ path: 'foo', content: enc.encode('hello, world!') }], { wrapWithDirectory: true })
    )
    assert.deepEqual(
      wrapped.map((e) => [e.path, e.cid.toString()]),
      [
        ['foo', 'QmQy2Dw4Wk7rdJKjThjYXzfFJNaRKRHhHP5gHHXroJMYxk'],
        ['', 'QmVE9rNpj5doj7XHzp5zMUxD7BJgXEqx4pe3xZ3JBReWHE']
      ]
    )
    // a two-level directory: every line Kubo emits, in Kubo's order (files as added, then
    // directories children first) with Kubo's sizes
    const tree = [
      { path: 't/abc/def', content: enc.encode('world') },
      { path: 't/bar', content: enc.encode('hello2') },
      { path: 't/foo', content: enc.encode('hello1') }
    ]
    assert.deepEqual(
      (await all(ipfs.addAll(tree))).map((e) => [e.path, e.cid.toString(), e.size]),
      [
        ['t/abc/def', 'QmNyJpQkU1cEkBwMDhDNFstr42q55mqG5GE5Mgwug4xyGk', 13],
        ['t/bar', 'QmS21GuXiRMvJKHos4ZkEmQDmRBqRaF5tQS2CQCu2ne9sY', 14],
        ['t/foo', 'QmfAjGiVpTN56TXi6SBQtstit5BEw3sijKj1Qkxn6EXKzJ', 14],
        ['t/abc', 'QmU7nuGs2djqK99UNsNgEPGh6GV4662p6WtsgccBNGTDxt', 62],
        ['t', 'QmVG2ZYCkV1S4TK8URA3a4RupBF17A8yAr4FqsRDXVJASr', 229]
      ]
    )
    const treeWrapped = await all(ipfs.addAll(tree, { wrapWithDirectory: true }))
    assert.equal(treeWrapped.at(-1).cid.toString(), 'QmPwsL3T5sWhDmmAWZHAzyjKtMVDS9a11aHNRqb3xoVnmg')
    // and Kubo's `ipfs add --help` example: an empty example.jpg, wrapped
    const example = await all(
      ipfs.addAll([{ path: 'example.jpg', content: new Uint8Array(0) }], { wrapWithDirectory: true })
    )
    assert.equal(example.at(-1).cid.toString(), 'QmaG4FuMqEBnQNn3C8XJ5bpW8kLs7zq2ZXgHptJHbKDDVx')
  })

  it('add with the client defaults: multi-chunk files equal the importer run with Kubo defaults', async () => {
    // 1 MiB + 7 bytes: five 256 KiB dag-pb leaves under one CIDv0 root
    const bytes = pseudoRandomBytes(1024 * 1024 + 7, 5)
    const added = await ipfs.add(bytes)
    const { results } = await importKuboDefaults(bytes)
    assert.equal(added.cid.toString(), results.at(-1).cid)
    assert.equal(String(added.size), results.at(-1).size)
    assert.match(added.cid.toString(), /^Qm/)
    const root = dagPb.decode(await ipfs.block.get(added.cid))
    assert.equal(root.Links.length, 5)
    assert.ok(root.Links.every((l) => l.Hash.version === 0 && l.Hash.code === dagPb.code))
    // the importer's own name for Kubo's legacy defaults agrees
    const profiled = await all(
      importer([{ content: bytes }], { put: async (cid) => cid }, { profile: 'unixfs-v0-2015' })
    )
    assert.equal(profiled.at(-1).cid.toString(), added.cid.toString())

    // past 174 chunks (Kubo's links per node) the tree gets a second level: 176 chunks of 1 KiB
    const wide = pseudoRandomBytes(175 * 1024 + 1, 6)
    const wideAdded = await ipfs.add(wide, { chunker: 'size-1024' })
    const kubo = await importKuboDefaults(wide, { chunkSize: 1024 })
    const flat = await importKuboDefaults(wide, { chunkSize: 1024, maxChildrenPerNode: 1024 })
    assert.equal(wideAdded.cid.toString(), kubo.results.at(-1).cid)
    assert.notEqual(wideAdded.cid.toString(), flat.results.at(-1).cid)
    assert.equal(dagPb.decode(await ipfs.block.get(wideAdded.cid)).Links.length, 2)
    // and max-file-links is followed when given
    const wideFlat = await ipfs.add(wide, { chunker: 'size-1024', maxFileLinks: 1024 })
    assert.equal(wideFlat.cid.toString(), flat.results.at(-1).cid)
  })

  it('add with explicit parameters follows them as Kubo does', async () => {
    // cid-version=1 makes raw leaves the default: the well-known raw CID of "hello world"
    const v1 = await ipfs.add('hello world', { cidVersion: 1 })
    assert.equal(v1.cid.toString(), 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
    // ... unless raw-leaves=false is given
    const v1pb = await ipfs.add('hello world', { cidVersion: 1, rawLeaves: false })
    const local = await importKuboDefaults(enc.encode('hello world'), { cidVersion: 1, rawLeaves: false })
    assert.equal(v1pb.cid.toString(), local.results.at(-1).cid)
    assert.equal(v1pb.cid.code, dagPb.code)
    // raw leaves under CIDv0: CIDv1 raw leaves below a CIDv0 dag-pb root
    const bytes = pseudoRandomBytes(600_000, 8)
    const mixed = await ipfs.add(bytes, { rawLeaves: true })
    const mixedLocal = await importKuboDefaults(bytes, { rawLeaves: true })
    assert.equal(mixed.cid.toString(), mixedLocal.results.at(-1).cid)
    assert.equal(mixed.cid.version, 0)
    assert.ok(dagPb.decode(await ipfs.block.get(mixed.cid)).Links.every((l) => l.Hash.toString().startsWith('bafkrei')))
    // another chunk size
    const chunked = await ipfs.add(bytes, { chunker: 'size-65536' })
    assert.equal(chunked.cid.toString(), (await importKuboDefaults(bytes, { chunkSize: 65536 })).results.at(-1).cid)
    // Assay's profile, as the app, xtask and e2e send it
    const big = pseudoRandomBytes(3 * 1024 * 1024 + 17, 9)
    const assay = await ipfs.add(big, {
      cidVersion: 1,
      rawLeaves: true,
      chunker: 'size-1048576',
      maxFileLinks: 1024,
      hashAlg: 'sha2-256'
    })
    assert.equal(assay.cid.toString(), (await importLocally(big)).results.at(-1).cid)
    // only-hash: the CID, nothing stored
    const onlyHash = await ipfs.add(pseudoRandomBytes(1000, 10), { onlyHash: true })
    await assert.rejects(ipfs.block.stat(onlyHash.cid), /not found/)
  })

  it('addAll of a tree as the client sends it, then ls of the root and of a sub-directory', async () => {
    const files = [
      { path: 'site/index.html', content: enc.encode('<!doctype html><title>x</title>') },
      { path: 'site/assets/app.js', content: enc.encode('console.log(1)\n') },
      { path: 'site/assets/model.bin', content: pseudoRandomBytes(300_000, 11) }
    ]
    const added = await all(ipfs.addAll([...files, { path: 'site/empty' }], { wrapWithDirectory: true }))
    const { results } = await importKuboDefaults([...files, { path: 'site/empty' }], { wrapWithDirectory: true })
    const local = Object.fromEntries(results.map((r) => [r.path, r.cid]))
    // Kubo's order; the empty directory is reported too (its well-known CIDv0)
    assert.deepEqual(
      added.map((e) => [e.path, e.cid.toString()]),
      [
        ['site/index.html', local['site/index.html']],
        ['site/assets/app.js', local['site/assets/app.js']],
        ['site/assets/model.bin', local['site/assets/model.bin']],
        ['site/assets', local['site/assets']],
        ['site/empty', 'QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn'],
        ['site', local.site],
        ['', local['']]
      ]
    )
    const root = added.at(-1).cid
    const site = added.find((e) => e.path === 'site').cid

    const top = await all(ipfs.ls(root))
    assert.deepEqual(
      top.map((e) => [e.name, e.type, e.size, e.cid.toString()]),
      [['site', 'dir', 0, site.toString()]]
    )
    const byName = Object.fromEntries(added.map((e) => [e.path, e]))
    const listing = await all(ipfs.ls(`${root}/site`))
    assert.deepEqual(
      listing.map((e) => [e.name, e.type, e.size, e.cid.toString(), e.path]),
      [
        ['assets', 'dir', 0, byName['site/assets'].cid.toString(), `${root}/site/assets`],
        ['empty', 'dir', 0, byName['site/empty'].cid.toString(), `${root}/site/empty`],
        [
          'index.html',
          'file',
          files[0].content.length,
          byName['site/index.html'].cid.toString(),
          `${root}/site/index.html`
        ]
      ]
    )
    // Kubo's JSON, field for field (Type: 1 directory, 2 file; Hash: the argument as given)
    const raw = await rpcJson(node.url, 'ls', { arg: `${site}/assets` })
    assert.deepEqual(raw, {
      Objects: [
        {
          Hash: `${site}/assets`,
          Links: [
            {
              Name: 'app.js',
              Hash: byName['site/assets/app.js'].cid.toString(),
              Size: 15,
              Type: 2,
              Target: '',
              Mode: 0,
              ModTime: '0001-01-01T00:00:00Z'
            },
            {
              Name: 'model.bin',
              Hash: byName['site/assets/model.bin'].cid.toString(),
              Size: 300_000,
              Type: 2,
              Target: '',
              Mode: 0,
              ModTime: '0001-01-01T00:00:00Z'
            }
          ]
        }
      ]
    })
    // ls of a chunked file lists its chunks, unnamed
    const chunks = await rpcJson(node.url, 'ls', { arg: byName['site/assets/model.bin'].cid.toString() })
    assert.deepEqual(
      chunks.Objects[0].Links.map((l) => [l.Name, l.Size, l.Type]),
      [
        ['', 262_144, 2],
        ['', 300_000 - 262_144, 2]
      ]
    )
  })

  it('cat: whole files, offset and length across chunks, a directory refused in words', async () => {
    const bytes = pseudoRandomBytes(700_000, 12)
    const { cid } = await ipfs.add(bytes)
    assert.deepEqual(await bytesOf(ipfs.cat(cid)), bytes)
    assert.deepEqual(
      await bytesOf(ipfs.cat(cid, { offset: 200_000, length: 100_000 })),
      bytes.subarray(200_000, 300_000)
    )
    assert.deepEqual(await bytesOf(ipfs.cat(cid, { offset: 699_990 })), bytes.subarray(699_990))
    assert.deepEqual(await bytesOf(ipfs.cat(cid, { length: 0 })), new Uint8Array(0))
    await assert.rejects(ipfs.cat(cid, { offset: -1 }).next(), /cannot specify negative offset/)
    const dir = await all(ipfs.addAll([{ path: 'd/a.txt', content: enc.encode('a') }]))
    await assert.rejects(ipfs.cat(dir.at(-1).cid).next(), /this dag node is a directory/)
  })

  it('pin add / pin ls: add pins by default, pin add pins the whole DAG, types and names listed', async () => {
    const pinned = await ipfs.add(pseudoRandomBytes(600_000, 13))
    assert.deepEqual(
      (await all(ipfs.pin.ls({ paths: pinned.cid }))).map((p) => [p.cid.toString(), p.type]),
      [[pinned.cid.toString(), 'recursive']]
    )
    const [firstChunk] = dagPb.decode(await ipfs.block.get(pinned.cid)).Links
    assert.deepEqual(
      (await all(ipfs.pin.ls({ paths: firstChunk.Hash }))).map((p) => p.type),
      [`indirect through ${pinned.cid}`]
    )

    const loose = await ipfs.add(pseudoRandomBytes(1000, 14), { pin: false })
    await assert.rejects(all(ipfs.pin.ls({ paths: loose.cid })), new RegExp(`path '${loose.cid}' is not pinned`))
    assert.equal((await ipfs.pin.add(loose.cid, { name: 'loose-one' })).toString(), loose.cid.toString())
    assert.deepEqual(
      (await all(ipfs.pin.ls({ paths: loose.cid, names: true }))).map((p) => [p.cid.toString(), p.type, p.name]),
      [[loose.cid.toString(), 'recursive', 'loose-one']]
    )

    const direct = await ipfs.add(pseudoRandomBytes(2000, 15), { pin: false, cidVersion: 1 })
    await ipfs.pin.add(direct.cid, { recursive: false })
    const everything = await all(ipfs.pin.ls())
    const typeOf = Object.fromEntries(everything.map((p) => [p.cid.toString(), p.type]))
    assert.equal(typeOf[pinned.cid.toString()], 'recursive')
    assert.equal(typeOf[loose.cid.toString()], 'recursive')
    assert.equal(typeOf[direct.cid.toString()], 'direct')
    assert.equal(typeOf[firstChunk.Hash.toString()], 'indirect')
    assert.deepEqual(
      (await all(ipfs.pin.ls({ type: 'direct' }))).map((p) => p.cid.toString()),
      [direct.cid.toString()]
    )
    // Kubo's non-streamed shape
    const keys = await rpcJson(node.url, 'pin/ls', { arg: loose.cid.toString(), names: 'true' })
    assert.deepEqual(keys, { Keys: { [loose.cid.toString()]: { Type: 'recursive', Name: 'loose-one' } } })

    // this node never fetches: an absent CID is refused in words
    const absent = CID.createV0(await sha256.digest(enc.encode('never added to this node')))
    await assert.rejects(ipfs.pin.add(absent), /block not found in this node's blockstore/)
  })

  it('block stat / get: size and bytes that hash to the CID', async () => {
    const { cid } = await ipfs.add('Hello World\n')
    const stat = await ipfs.block.stat(cid)
    assert.equal(stat.cid.toString(), 'QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u')
    assert.equal(stat.size, 20)
    const block = await ipfs.block.get(cid)
    assert.equal(block.length, 20)
    assert.deepEqual((await sha256.digest(block)).bytes, cid.multihash.bytes)
  })

  it('id: a libp2p peer ID the client parses, matching its public key, kept across restarts', async () => {
    const id = await ipfs.id()
    assert.match(id.id.toString(), /^12D3KooW/)
    const publicKey = Buffer.from(id.publicKey, 'base64')
    assert.deepEqual([...publicKey.subarray(0, 4)], [0x08, 0x01, 0x12, 0x20]) // Ed25519, 32 bytes
    assert.deepEqual(Buffer.from(id.id.toMultihash().digest), publicKey) // identity multihash of the key
    assert.deepEqual(id.addresses, [])
    assert.deepEqual(id.protocols, [])
    assert.match(id.agentVersion, /^assay-helia-dev-node\//)
    assert.equal((await ipfs.id({ peerId: id.id })).id.toString(), id.id.toString())

    const repo = await tempDir()
    try {
      const first = await startNode({ repo })
      const before = (await create({ url: first.url }).id()).id.toString()
      await first.stop()
      const second = await startNode({ repo })
      try {
        assert.equal((await create({ url: second.url }).id()).id.toString(), before)
        assert.notEqual(before, id.id.toString())
      } finally {
        await second.stop()
      }
    } finally {
      await rm(repo, { recursive: true, force: true })
    }
  })

  it('dag export: a CARv1 of the whole DAG whose every block verifies', async () => {
    const files = [
      { path: 'pkg/readme.txt', content: enc.encode('read me\n') },
      { path: 'pkg/data.bin', content: pseudoRandomBytes(800_000, 16) }
    ]
    const added = await all(ipfs.addAll(files))
    const root = added.at(-1).cid
    const iterator = await CarBlockIterator.fromIterable(ipfs.dag.export(root))
    assert.deepEqual((await iterator.getRoots()).map(String), [root.toString()])
    const exported = []
    for await (const { cid, bytes } of iterator) {
      assert.deepEqual((await sha256.digest(bytes)).bytes, cid.multihash.bytes, `block ${cid} verifies`)
      exported.push(cid.toString())
    }
    assert.equal(exported[0], root.toString())
    assert.equal(new Set(exported).size, exported.length, 'no duplicates')
    // exactly the blocks an independent import of the same tree writes
    // (the in-memory blockstore keys blocks by multihash, so compare those)
    const { blockstore } = await importKuboDefaults(files)
    const expected = []
    for await (const { cid } of blockstore.getAll()) expected.push(Buffer.from(cid.multihash.bytes).toString('hex'))
    const exportedHashes = exported.map((c) => Buffer.from(CID.parse(c).multihash.bytes).toString('hex'))
    assert.deepEqual(exportedHashes.sort(), expected.sort())
  })

  it('version: Kubo fields naming this node', async () => {
    const version = await ipfs.version()
    assert.match(version.version, /^assay-helia-dev-node\/\d+\.\d+\.\d+$/)
    assert.match(version.system, /^[a-z0-9]+\/[a-z]+$/)
    assert.equal(version.system, `${{ x64: 'amd64' }[process.arch] ?? process.arch}/${process.platform}`)
  })

  it('what the node does not implement fails with a readable error, not a hang or a parse error', async () => {
    await assert.rejects(all(ipfs.files.ls('/')), (err) => {
      assert.match(err.message, /command "files\/ls" is not supported by this dev node \(it implements add, cat, ls/)
      assert.equal(err.response?.status, 404)
      return true
    })
    await assert.rejects(ipfs.add('x', { trickle: true }), /unsupported trickle=true/)
    await assert.rejects(
      ipfs.add('x', { chunker: 'rabin-262144-524288-1048576' }),
      /only implements Kubo's fixed-size chunker/
    )
    await assert.rejects(
      ipfs.add({ path: 'x', content: enc.encode('x'), mode: 0o600 }),
      /unsupported mode on a file part/
    )
  })
})
