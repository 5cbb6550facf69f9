/** A file block by block from a Trustless Gateway, rebuilt while it downloads. */
import * as dagPb from '@ipld/dag-pb'
import * as raw from 'multiformats/codecs/raw'
import { fail } from '../errors.js'
import { fileNode } from '../unixfs.js'
import { blockGetter } from './block.js'

/**
 * Parallel block requests per gateway. Chromium opens at most 6 HTTP/1.1 connections per host;
 * two more keep a request queued so a connection never idles while a block is being hashed.
 */
const CONCURRENCY = 8

/**
 * One gateway, block by block: `GET {gw}/ipfs/{cid}?format=raw` for the root, then every linked
 * block (CONCURRENCY at a time), each hashed against its CID before it is used or its links are
 * followed. Walking the DAG from the requested root gives every block the byte range it must
 * fill: a raw leaf is copied straight into one buffer of the file's size (its length must equal
 * the range its parent gave it), a file node must be as large as its range and splits it among
 * its children. So the file is rebuilt while it downloads, with no second pass, and a
 * substituted, missing or resized block fails. Identical blocks (e.g. runs of zeros) are fetched
 * once. `onBlock(cid, bytes)` sees every verified block except the root, which is returned.
 * `knownRoot`: the root block's bytes, already verified.
 * Returns `{ bytes, rootBytes }`.
 */
export async function fetchAssembled(cid, gateway, { timeoutMs, maxBytes, onProgress, onBlock, onSize }, knownRoot) {
  const getter = blockGetter(gateway.replace(/\/$/, ''), timeoutMs)
  const getBlock = getter.get
  const checkSize = (size) => {
    if (maxBytes != null && size > maxBytes) throw fail('too_large', `${size} bytes`, { size, limit: maxBytes })
  }
  try {
    const rootBytes = knownRoot ?? (await getBlock(cid))
    if (cid.code === raw.code || cid.code === 0x00) {
      checkSize(rootBytes.byteLength)
      onProgress?.(rootBytes.byteLength, rootBytes.byteLength)
      return { bytes: rootBytes, rootBytes }
    }
    if (cid.code !== dagPb.code)
      throw fail(
        'unsupported',
        `${cid} uses codec 0x${cid.code.toString(16)}; only UnixFS files (dag-pb, raw) can be opened`
      )
    const root = fileNode(cid, rootBytes)
    checkSize(root.size)
    const total = root.size
    onSize?.(total)
    onProgress?.(0, total)
    const out = new Uint8Array(total)
    out.set(root.data, 0)
    let verified = root.data.byteLength
    const pending = root.children.slice()
    // One request per distinct block; later uses of the same CID wait for the first.
    const seen = new Map()
    const place = async ({ cid: blockCid, offset, size }) => {
      const key = blockCid.toString()
      let entry = seen.get(key)
      const first = entry == null
      if (first) {
        entry = getBlock(blockCid)
        seen.set(key, entry)
      }
      const bytes = await entry
      if (blockCid.code === raw.code || blockCid.code === 0x00) {
        if (bytes.byteLength !== size)
          throw fail('unsupported', `block ${blockCid} is ${bytes.byteLength} bytes where its file node says ${size}`, {
            block: key
          })
        out.set(bytes, offset)
        verified += size
        onProgress?.(verified, total)
      } else if (blockCid.code === dagPb.code) {
        const node = fileNode(blockCid, bytes)
        if (node.size !== size)
          throw fail('unsupported', `file node ${blockCid} holds ${node.size} bytes where its parent says ${size}`, {
            block: key
          })
        out.set(node.data, offset)
        verified += node.data.byteLength
        for (const child of node.children)
          pending.push({ cid: child.cid, offset: offset + child.offset, size: child.size })
      } else {
        throw fail(
          'unsupported',
          `block ${blockCid} uses codec 0x${blockCid.code.toString(16)}, which is not part of a UnixFS file`
        )
      }
      if (first) onBlock?.(blockCid, bytes)
    }
    // Workers take the next range; a worker that finds none waits for the file nodes still in
    // flight, whose children may give it more.
    let inFlight = 0
    let wake = null
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const next = pending.shift()
        if (next == null) {
          if (inFlight === 0) {
            wake?.()
            return
          }
          await new Promise((resolve) => {
            const prev = wake
            wake = () => {
              prev?.()
              resolve()
            }
          })
          continue
        }
        inFlight++
        try {
          await place(next)
        } finally {
          inFlight--
          const w = wake
          wake = null
          w?.()
        }
      }
    })
    await Promise.all(workers)
    if (verified !== total)
      throw fail('unsupported', `${cid}: the blocks add up to ${verified} bytes, the file says ${total}`)
    return { bytes: out, rootBytes }
  } finally {
    getter.abort()
  }
}
