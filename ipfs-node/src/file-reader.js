/**
 * Sequential, back-pressured reading of a UnixFS file (or raw block) by byte
 * range. `ipfs-unixfs-exporter`'s `content()` walks the DAG ahead of the
 * consumer with no bound, so a slow client downloading a large model would
 * make the whole file sit in memory; this reader only loads the next block
 * when the previous one has been consumed.
 *
 * @module file-reader
 */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import * as raw from 'multiformats/codecs/raw'

const IDENTITY = 0x00

/**
 * Read a whole block, offline.
 *
 * @param {import('interface-blockstore').Blockstore} blockstore
 * @param {import('multiformats/cid').CID} cid
 * @returns {Promise<Uint8Array>}
 */
async function getBlock(blockstore, cid) {
  if (cid.multihash.code === IDENTITY) return cid.multihash.digest
  const chunks = []
  for await (const c of blockstore.get(cid, { offline: true })) chunks.push(c)
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
}

/**
 * Yield bytes `[start, end)` of the file rooted at `cid`, in order.
 *
 * @param {import('interface-blockstore').Blockstore} blockstore
 * @param {import('multiformats/cid').CID} cid - a dag-pb UnixFS file or a raw block
 * @param {number} start - first byte (inclusive)
 * @param {number} end - last byte (exclusive)
 * @returns {AsyncGenerator<Uint8Array>}
 */
export async function* readFileRange(blockstore, cid, start, end) {
  if (end <= start) return
  yield* walk(blockstore, cid, 0, start, end)
}

/**
 * @param {import('interface-blockstore').Blockstore} blockstore
 * @param {import('multiformats/cid').CID} cid
 * @param {number} pos - file offset where this node's bytes begin
 * @param {number} start
 * @param {number} end
 * @returns {AsyncGenerator<Uint8Array>}
 */
async function* walk(blockstore, cid, pos, start, end) {
  const block = await getBlock(blockstore, cid)
  if (cid.code === raw.code) {
    yield* slice(block, pos, start, end)
    return
  }
  if (cid.code !== dagPb.code)
    throw new Error(`cannot read ${cid} as a file: unsupported codec 0x${cid.code.toString(16)}`)
  const node = dagPb.decode(block)
  if (node.Data == null) throw new Error(`${cid} is not a UnixFS node`)
  const unixfs = UnixFS.unmarshal(node.Data)
  if (unixfs.type !== 'file' && unixfs.type !== 'raw') throw new Error(`${cid} is a UnixFS ${unixfs.type}, not a file`)
  if (unixfs.data != null && unixfs.data.length > 0) {
    yield* slice(unixfs.data, pos, start, end)
    pos += unixfs.data.length
  }
  if (node.Links.length !== unixfs.blockSizes.length) throw new Error(`${cid}: inconsistent block sizes and links`)
  for (let i = 0; i < node.Links.length && pos < end; i++) {
    const size = Number(unixfs.blockSizes[i])
    if (pos + size > start) yield* walk(blockstore, node.Links[i].Hash, pos, start, end)
    pos += size
  }
}

/**
 * The part of `bytes` (which start at file offset `pos`) inside `[start, end)`.
 *
 * @param {Uint8Array} bytes
 * @param {number} pos
 * @param {number} start
 * @param {number} end
 * @returns {Generator<Uint8Array>}
 */
function* slice(bytes, pos, start, end) {
  const from = Math.max(0, start - pos)
  const to = Math.min(bytes.length, end - pos)
  if (to > from) yield bytes.subarray(from, to)
}
