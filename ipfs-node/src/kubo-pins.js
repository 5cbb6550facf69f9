/**
 * Kubo's local pins (`pin/add`, `pin/ls` and the `pin` of `add`), kept as
 * Helia pins so that they live in the same datastore as the Pinning Service
 * API's (`pinning.js`): a recursive Kubo pin is a Helia pin of depth
 * Infinity, a direct one of depth 0. Their metadata records that Kubo RPC
 * asked for them (`kubo: true`, so removing a PSA pin request keeps them), the
 * CID as it was given (Helia keys pins by CIDv1; Kubo lists a CIDv0 pin as
 * `Qm…`) and the pin name.
 *
 * Like Kubo, a recursive pin needs the whole DAG; this node never fetches, so
 * a DAG that is not all here is refused with the missing block named.
 *
 * @module kubo-pins
 */
import { missingBlock, walkDag } from './blocks.js'
import { HttpError } from './http-util.js'

/** Pin types of `pin/ls --type`. */
export const PIN_TYPES = Object.freeze(['all', 'recursive', 'direct', 'indirect'])

/**
 * @typedef {object} KuboPin
 * @property {string} cid - as Kubo prints it (the CID as pinned)
 * @property {string} type - `recursive`, `direct`, `indirect` or `indirect through <cid>`
 * @property {string} name - the pin name, '' when none
 */

/**
 * The Helia pin of `cid`, or null.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} cid
 * @returns {Promise<{ depth: number, metadata: Record<string, string | number | boolean> } | null>}
 */
async function heliaPin(node, cid) {
  try {
    return await node.helia.pins.get(cid)
  } catch (err) {
    if (err?.name === 'NotFoundError') return null
    throw err
  }
}

/**
 * Drain one of Helia's pin generators.
 *
 * @param {AsyncIterable<unknown>} source
 */
async function drain(source) {
  for await (const _ of source) {
  }
}

/**
 * Metadata for a Kubo pin of `cid`, on top of what the pin already had.
 *
 * @param {Record<string, string | number | boolean>} existing
 * @param {import('multiformats/cid').CID} cid
 * @param {string | undefined} name
 */
function kuboMetadata(existing, cid, name) {
  const metadata = { ...existing, kubo: true, cid: String(existing.cid ?? cid.toString()) }
  if (name != null && name !== '') metadata.name = name
  return metadata
}

/**
 * `pin add` (recursive): the whole DAG under `cid` must be here. Pinning
 * again is a success (a new name replaces the old one); a direct pin becomes
 * recursive.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} cid
 * @param {{ name?: string }} [options]
 */
export async function pinRecursive(node, cid, { name } = {}) {
  const existing = await heliaPin(node, cid)
  if (existing?.depth === Number.POSITIVE_INFINITY) {
    await node.helia.pins.setMetadata(cid, kuboMetadata(existing.metadata, cid, name))
    return
  }
  const missing = await missingBlock(node, cid)
  if (missing != null) {
    throw new HttpError(
      404,
      missing.equals(cid)
        ? `cannot pin ${cid}: block not found in this node's blockstore (this dev node never fetches from the network)`
        : `cannot pin ${cid}: block ${missing} of its DAG is not in this node's blockstore (this dev node never fetches from the network)`
    )
  }
  if (existing != null) await drain(node.helia.pins.rm(cid, { offline: true }))
  try {
    await drain(
      node.helia.pins.add(cid, {
        depth: Number.POSITIVE_INFINITY,
        metadata: kuboMetadata(existing?.metadata ?? {}, cid, name),
        offline: true
      })
    )
  } catch (err) {
    // a concurrent request pinned it first: pinned either way
    if (err?.name !== 'AlreadyPinnedError') throw err
  }
}

/**
 * `pin add --recursive=false`: just the block, which must be here. Fails on a
 * recursively pinned CID, as Kubo does.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} cid
 * @param {{ name?: string }} [options]
 */
export async function pinDirect(node, cid, { name } = {}) {
  const existing = await heliaPin(node, cid)
  if (existing?.depth === Number.POSITIVE_INFINITY) throw new HttpError(400, `pin: ${cid} already pinned recursively`)
  if (existing != null) {
    await node.helia.pins.setMetadata(cid, kuboMetadata(existing.metadata, cid, name))
    return
  }
  if (!(await node.helia.blockstore.has(cid, { offline: true }))) {
    throw new HttpError(404, `cannot pin ${cid}: block not found in this node's blockstore`)
  }
  try {
    await drain(node.helia.pins.add(cid, { depth: 0, metadata: kuboMetadata({}, cid, name), offline: true }))
  } catch (err) {
    if (err?.name !== 'AlreadyPinnedError') throw err
  }
}

/**
 * Every Helia pin, as Kubo names it.
 *
 * @param {import('./node.js').AssayNode} node
 */
async function allPins(node) {
  const pins = []
  for await (const pin of node.helia.pins.ls()) {
    pins.push({
      heliaCid: pin.cid,
      cid: String(pin.metadata?.cid ?? pin.cid.toString()),
      recursive: pin.depth !== 0,
      name: String(pin.metadata?.name ?? '')
    })
  }
  return pins
}

/**
 * `pin ls` without arguments: recursive pins, then direct ones, then every
 * block under a recursive pin that is not itself listed (`indirect`), each once.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {'all' | 'recursive' | 'direct' | 'indirect'} type
 * @returns {AsyncGenerator<KuboPin>}
 */
export async function* listPins(node, type) {
  const pins = await allPins(node)
  const listed = new Set()
  for (const kind of ['recursive', 'direct']) {
    if (type !== 'all' && type !== kind) continue
    for (const pin of pins.filter((p) => p.recursive === (kind === 'recursive'))) {
      listed.add(pin.cid)
      yield { cid: pin.cid, type: kind, name: pin.name }
    }
  }
  if (type !== 'all' && type !== 'indirect') return
  const roots = new Set(pins.filter((p) => p.recursive).map((p) => p.heliaCid.toString()))
  for (const pin of pins.filter((p) => p.recursive)) {
    for await (const { cid, parent } of walkDag(node, pin.heliaCid)) {
      const key = cid.toString()
      if (parent == null || listed.has(key) || roots.has(cid.toV1().toString())) continue
      listed.add(key)
      yield { cid: key, type: 'indirect', name: '' }
    }
  }
}

/**
 * `pin ls <cid>`: how `cid` is pinned, or null when it is not (or not as `type`).
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} cid
 * @param {'all' | 'recursive' | 'direct' | 'indirect'} type
 * @returns {Promise<KuboPin | null>}
 */
export async function pinOf(node, cid, type) {
  const own = await heliaPin(node, cid)
  if (own != null) {
    const kind = own.depth === 0 ? 'direct' : 'recursive'
    if (type !== 'all' && type !== kind) return null
    return { cid: cid.toString(), type: kind, name: String(own.metadata?.name ?? '') }
  }
  if (type !== 'all' && type !== 'indirect') return null
  if (!(await node.helia.pins.isPinned(cid))) return null
  for (const pin of (await allPins(node)).filter((p) => p.recursive)) {
    for await (const { cid: inside } of walkDag(node, pin.heliaCid)) {
      if (Buffer.compare(inside.multihash.bytes, cid.multihash.bytes) === 0) {
        return { cid: cid.toString(), type: `indirect through ${pin.cid}`, name: '' }
      }
    }
  }
  return null
}
