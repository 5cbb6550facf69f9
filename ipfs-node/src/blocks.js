/**
 * Offline reads from this node's blockstore: one block, a `<cid>/<path>`
 * resolved, a DAG walked block by block, and the first block missing under a
 * root. Nothing here ever asks the
 * network: a block that is not here is a 404 at once.
 *
 * @module blocks
 */
import { exporter } from 'ipfs-unixfs-exporter'
import { createUnsafe } from 'multiformats/block'
import * as raw from 'multiformats/codecs/raw'
import { HttpError } from './http-util.js'
import { parseIpfsPath } from './paths.js'

/** Multihash code of `identity` (the bytes are in the CID itself). */
const IDENTITY = 0x00

/** A block that is not in this node's blockstore (a 404 naming it). */
export class MissingBlockError extends HttpError {
  /** @param {import('multiformats/cid').CID} cid */
  constructor(cid) {
    super(404, `block ${cid} not found in this node's blockstore`)
    this.name = 'MissingBlockError'
    this.cid = cid
  }
}

/**
 * Map "block/path not found" errors to a 404 HttpError.
 *
 * @param {Error} err
 * @param {string} message
 * @returns {Error}
 */
export function notFoundOr(err, message) {
  if (
    err?.name === 'BlockNotFoundWhileOfflineError' ||
    err?.name === 'NotFoundError' ||
    err?.code === 'ERR_NOT_FOUND'
  ) {
    return new HttpError(404, message)
  }
  return err
}

/**
 * Read a whole block, offline.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} cid
 * @returns {Promise<Buffer>}
 * @throws {MissingBlockError} when the block is not here
 */
export async function readBlock(node, cid) {
  if (cid.multihash.code === IDENTITY) return Buffer.from(cid.multihash.digest)
  const chunks = []
  try {
    for await (const c of node.helia.blockstore.get(cid, { offline: true })) chunks.push(c)
  } catch (err) {
    if (notFoundOr(err, '') instanceof HttpError) throw new MissingBlockError(cid)
    throw err
  }
  return Buffer.concat(chunks)
}

/**
 * The CID a `<cid>[/path]` argument names, resolved through UnixFS
 * directories, offline.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {string} arg
 * @returns {Promise<import('multiformats/cid').CID>}
 */
export async function resolvePath(node, arg) {
  const { cid, segments } = parseIpfsPath(arg)
  if (segments.length === 0) return cid
  try {
    return (await exporter([cid.toString(), ...segments].join('/'), node.helia.blockstore, { offline: true })).cid
  } catch (err) {
    throw notFoundOr(err, `${arg} not found in this node's blockstore`)
  }
}

/**
 * The CIDs a block links to, in the order its codec lists them (dag-pb: its
 * links; dag-cbor/dag-json: every CID in the value; raw: none).
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} cid
 * @param {Uint8Array} bytes
 * @returns {Promise<import('multiformats/cid').CID[]>}
 */
async function linksOf(node, cid, bytes) {
  if (cid.code === raw.code) return []
  let codec
  try {
    codec = await node.helia.getCodec(cid.code)
  } catch {
    throw new HttpError(400, `block ${cid} has a codec (0x${cid.code.toString(16)}) this node cannot read`)
  }
  return [...createUnsafe({ cid, bytes, codec }).links()].map(([, link]) => link)
}

/**
 * Every block of the DAG under `root`, depth-first, parents before children,
 * links in order, each CID once (Kubo's `dag export` / `pin ls` order). Only
 * blocks that can have links are read: raw leaves are named by their parent.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} root
 * @returns {AsyncGenerator<{ cid: import('multiformats/cid').CID, parent: import('multiformats/cid').CID | undefined }>}
 * @throws {MissingBlockError} naming the first block that is not here
 */
export async function* walkDag(node, root) {
  const seen = new Set()
  const stack = [{ cid: root, parent: undefined }]
  while (stack.length > 0) {
    const next = stack.pop()
    const key = next.cid.toString()
    if (seen.has(key)) continue
    seen.add(key)
    yield next
    if (next.cid.code === raw.code) continue
    const links = await linksOf(node, next.cid, await readBlock(node, next.cid))
    for (let i = links.length - 1; i >= 0; i--) stack.push({ cid: links[i], parent: next.cid })
  }
}

/**
 * The first block of the DAG under `root` that is not in the blockstore, or
 * null when the whole DAG is here (raw leaves are checked without reading them).
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} root
 * @returns {Promise<import('multiformats/cid').CID | null>}
 */
export async function missingBlock(node, root) {
  try {
    for await (const { cid } of walkDag(node, root)) {
      if (cid.code === raw.code && cid.multihash.code !== IDENTITY) {
        if (!(await node.helia.blockstore.has(cid, { offline: true }))) return cid
      }
    }
  } catch (err) {
    if (err instanceof MissingBlockError) return err.cid
    throw err
  }
  return null
}
