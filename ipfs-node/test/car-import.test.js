import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CarWriter } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { dagImport, importLocally, pseudoRandomBytes, startNode } from './helpers.js'

/** Build a CAR (root first, then the rest) from an in-memory blockstore. */
async function buildCar(root, blocks) {
  const { writer, out } = CarWriter.create([root])
  const chunks = []
  const collect = (async () => {
    for await (const c of out) chunks.push(c)
  })()
  for (const b of blocks) await writer.put(b)
  await writer.close()
  await collect
  return new Uint8Array(Buffer.concat(chunks))
}

describe('dag/import verifies every block', () => {
  let node
  let root
  let blocks
  before(async () => {
    node = await startNode()
    // content this node has never seen: 2 MiB + 5 bytes -> root + 3 leaves
    const { results, blockstore } = await importLocally(pseudoRandomBytes(2 * 1024 * 1024 + 5, 1234))
    root = CID.parse(results.at(-1).cid)
    blocks = []
    for await (const { cid, bytes } of blockstore.getAll()) {
      const data = bytes instanceof Uint8Array ? bytes : Buffer.concat(await Array.fromAsync(bytes))
      blocks.push({ cid, bytes: data })
    }
    blocks.sort((a, b) => (a.cid.equals(root) ? -1 : b.cid.equals(root) ? 1 : 0))
    assert.equal(blocks.length, 4)
  })
  after(async () => {
    await node?.cleanup()
  })

  it('a CAR with a flipped byte in a block is refused with 400 and nothing from it is kept', async () => {
    const tampered = blocks.map((b) => ({ cid: b.cid, bytes: Uint8Array.from(b.bytes) }))
    const victim = tampered.at(-1) // last: the good blocks before it were already written
    victim.bytes[100] ^= 0xff
    const res = await dagImport(node.url, await buildCar(root, tampered))
    assert.equal(res.status, 400)
    const body = await res.json()
    assert.equal(body.Type, 'error')
    assert.equal(body.Code, 0)
    assert.match(body.Message, /hash mismatch/)
    assert.match(body.Message, new RegExp(victim.cid.toString()))
    for (const b of blocks) {
      const got = await fetch(`${node.url}/ipfs/${b.cid}?format=raw`)
      assert.equal(got.status, 404, `block ${b.cid} must not be stored`)
      await got.arrayBuffer()
    }
    // and the staging area was cleaned up
    const staged = await readdir(join(node.repo, 'staging')).catch(() => [])
    assert.deepEqual(staged, [])
  })

  it('the untampered CAR is then accepted and served', async () => {
    const res = await dagImport(node.url, await buildCar(root, blocks))
    assert.equal(res.status, 200)
    assert.deepEqual(JSON.parse((await res.text()).trim()), {
      Root: { Cid: { '/': root.toString() }, PinErrorMsg: '' }
    })
    const file = await fetch(`${node.url}/ipfs/${root}`)
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), pseudoRandomBytes(2 * 1024 * 1024 + 5, 1234))
  })

  it('a truncated or garbage CAR is refused with 400', async () => {
    const good = await buildCar(root, blocks)
    const truncated = await dagImport(node.url, good.subarray(0, good.length - 1000))
    assert.equal(truncated.status, 400)
    assert.equal((await truncated.json()).Type, 'error')
    const garbage = await dagImport(node.url, new TextEncoder().encode('this is not a car file'))
    assert.equal(garbage.status, 400)
    await garbage.arrayBuffer()
  })
})
