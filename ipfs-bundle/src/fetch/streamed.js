/** A file streamed from a path gateway, each raw leaf's range hashed against its CID. */
import * as dagPb from '@ipld/dag-pb'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { fail } from '../errors.js'
import { fileNode } from '../unixfs.js'
import { equalBytes, verify } from '../verify.js'
import { blockGetter } from './block.js'
import { idleTimer, requestFailed } from './request.js'

/**
 * One gateway, streamed: the same trust as block by block, at the speed of one plain download.
 * With raw leaves (the import profile) a leaf block *is* the file's bytes over the range its
 * parent gives it, so hashing each range of the file against its leaf's CID is the same check
 * as fetching the leaf as a raw block. The root and any inner file nodes (a few small blocks)
 * are fetched and verified as raw blocks first, which yields every leaf's CID and range; then
 * the file comes as one `GET {gw}/ipfs/{cid}`, copied chunk by chunk into one buffer of the
 * file's size, and each leaf is hashed (WebCrypto, off the main thread) as soon as its range is
 * complete. A range that does not hash to its leaf's CID is tampering; the download is stopped.
 * Returns `{ bytes: null, rootBytes }` (the caller then goes block by block from that verified
 * root) when the DAG has leaves that are not raw,
 * or the gateway does not serve the file as exactly that many bytes (no path gateway, an HTTP
 * error, another length). `onBlock(cid, bytes)` sees the verified inner nodes, `onRange(cid,
 * bytes, offset, size)` each verified leaf as a range of the returned bytes. `requestedRoot`
 * (from `requestRoot`): the root block, already requested from this gateway.
 */
export async function fetchStreamed(
  cid,
  gateway,
  { timeoutMs, maxBytes, onProgress, onBlock, onRange, onSize, requestedRoot }
) {
  const base = gateway.replace(/\/$/, '')
  const getBlock = requestedRoot?.getter ?? blockGetter(base, timeoutMs)
  const controller = new AbortController()
  const url = `${base}/ipfs/${cid}`
  const idle = idleTimer(controller, timeoutMs)
  // The file is requested from the path gateway at once, beside its root block, so the root's
  // round trip is not waited for; if the root says the file can't be streamed, the request is
  // dropped (the `finally` below aborts it).
  let early = null
  if (cid.code === dagPb.code) {
    idle.arm()
    early = fetch(url, { signal: controller.signal, cache: 'no-store' }).then(
      (response) => ({ response }),
      (error) => ({ error })
    )
  }
  try {
    const rootBytes = await (requestedRoot?.root ?? getBlock.get(cid))
    // Not streamable: the caller goes block by block, starting from this verified root.
    const skip = { bytes: null, rootBytes }
    if (cid.code !== dagPb.code) return { bytes: checkedLeaf(cid, rootBytes, maxBytes, onProgress), rootBytes }
    const root = fileNode(cid, rootBytes)
    if (maxBytes != null && root.size > maxBytes)
      throw fail('too_large', `${root.size} bytes`, { size: root.size, limit: maxBytes })
    // A file node with bytes of its own (not the profile's layout): block by block.
    if (root.data.byteLength > 0 || root.children.length === 0) return skip
    const total = root.size
    onSize?.(total)
    onProgress?.(0, total)
    let out = new Uint8Array(total)
    // The tree of file nodes, level by level, down to the leaves (in file order).
    const leaves = []
    let level = [{ node: root, offset: 0 }]
    while (level.length > 0) {
      const inner = []
      for (const { node, offset } of level) {
        for (const child of node.children) {
          const at = { cid: child.cid, offset: offset + child.offset, size: child.size }
          if (child.cid.code === dagPb.code) inner.push(at)
          else if (child.cid.code === raw.code || child.cid.code === 0x00) leaves.push(at)
          else
            throw fail(
              'unsupported',
              `block ${child.cid} uses codec 0x${child.cid.code.toString(16)}, which is not part of a UnixFS file`
            )
        }
      }
      // Inner nodes with data of their own, or leaves that are not raw: block by block instead.
      const fetched = await Promise.all(
        inner.map(async (at) => {
          const bytes = await getBlock.get(at.cid)
          const node = fileNode(at.cid, bytes)
          if (node.size !== at.size)
            throw fail('unsupported', `file node ${at.cid} holds ${node.size} bytes where its parent says ${at.size}`)
          onBlock?.(at.cid, bytes)
          return { node, offset: at.offset }
        })
      )
      if (fetched.some(({ node }) => node.data.byteLength > 0 && node.children.length > 0)) return skip
      for (const { node } of fetched) if (node.children.length === 0) return skip
      level = fetched
    }
    leaves.sort((a, b) => a.offset - b.offset)
    let expected = 0
    for (const leaf of leaves) {
      if (leaf.offset !== expected) return skip
      expected += leaf.size
    }
    if (expected !== total) return skip

    let failure = null
    const stop = (error) => {
      failure ??= error
      controller.abort()
    }
    let verified = 0
    const checks = []
    // Called as soon as a leaf's range is complete. WebCrypto copies its input when called, and
    // the cache copy is taken here too, so both see the bytes before the next read reuses `out`.
    const check = (leaf) => {
      const range = out.subarray(leaf.offset, leaf.offset + leaf.size)
      const digest = leaf.cid.multihash.code === 0x00 ? null : crypto.subtle.digest('SHA-256', range)
      checks.push(
        (async () => {
          try {
            if (digest == null) await verify(leaf.cid, range.slice())
            else if (leaf.cid.multihash.code !== sha256.code) await verify(leaf.cid, range)
            else if (!equalBytes(new Uint8Array(await digest), leaf.cid.multihash.digest))
              throw fail('tampered', 'mismatch')
          } catch (error) {
            stop(
              error.kind === 'tampered'
                ? fail(
                    'tampered',
                    `${url}: bytes ${leaf.offset}–${leaf.offset + leaf.size} do not hash to their block ${leaf.cid}`,
                    { url, block: leaf.cid.toString() }
                  )
                : error
            )
            return
          }
          verified += leaf.size
          onProgress?.(verified, total)
        })()
      )
    }
    idle.arm()
    try {
      const answer = await early
      if (answer.error != null)
        throw requestFailed(url, answer.error, idle, `no answer from ${url} for ${timeoutMs} ms`)
      const response = answer.response
      if (!response.ok || response.body == null) {
        response.body?.cancel().catch(() => {})
        return skip
      }
      let position = 0
      let next = 0
      const landed = (n) => {
        idle.arm()
        position += n
        while (next < leaves.length && leaves[next].offset + leaves[next].size <= position) check(leaves[next++])
      }
      try {
        // A BYOB reader writes the body straight into `out` (each read hands the buffer back
        // as a new view); otherwise each chunk is copied in.
        let byob = null
        try {
          byob = response.body.getReader({ mode: 'byob' })
        } catch {}
        if (byob != null) {
          while (position < total) {
            const { done, value } = await byob.read(
              new Uint8Array(out.buffer, position, Math.min(total - position, 4 * 1_048_576))
            )
            if (value != null) out = new Uint8Array(value.buffer)
            if (done) break
            landed(value.byteLength)
          }
          // More than the file's size: not the file (e.g. a page about it); go block by block.
          if (position === total && !(await byob.read(new Uint8Array(1))).done) return skip
        } else {
          const reader = response.body.getReader()
          for (;;) {
            const { done, value } = await reader.read()
            if (done) break
            if (position + value.byteLength > total) return skip
            out.set(value, position)
            landed(value.byteLength)
          }
        }
      } catch (error) {
        if (failure != null) throw failure
        throw requestFailed(url, error, idle, `no data from ${url} for ${timeoutMs} ms`)
      }
      if (position !== total) return skip
      await Promise.all(checks)
      if (failure != null) throw failure
      // The leaves go to the cache as ranges of the file, copied (and hashed again) when they
      // are written, off the download's critical path.
      for (const leaf of leaves) onRange?.(leaf.cid, out, leaf.offset, leaf.size)
      return { bytes: out, rootBytes }
    } finally {
      idle.clear()
      controller.abort()
    }
  } finally {
    idle.clear()
    controller.abort()
    getBlock.abort()
  }
}

/**
 * The root block of `cid` requested from `gateway` now, for `fetchStreamed`'s `requestedRoot`: a
 * one-block file's request leaves beside the cache lookup. `abort()` drops it (the cache had it).
 */
export function requestRoot(cid, gateway, timeoutMs) {
  const getter = blockGetter(gateway.replace(/\/$/, ''), timeoutMs)
  const root = getter.get(cid)
  // Awaited by `fetchStreamed`, or dropped: never an unhandled rejection.
  root.catch(() => {})
  return { getter, root, abort: () => getter.abort() }
}

/** A single-block file (a raw or identity CID): its bytes, size-checked. */
function checkedLeaf(cid, bytes, maxBytes, onProgress) {
  if (cid.code !== raw.code && cid.code !== 0x00)
    throw fail(
      'unsupported',
      `${cid} uses codec 0x${cid.code.toString(16)}; only UnixFS files (dag-pb, raw) can be opened`
    )
  if (maxBytes != null && bytes.byteLength > maxBytes)
    throw fail('too_large', `${bytes.byteLength} bytes`, { size: bytes.byteLength, limit: maxBytes })
  onProgress?.(bytes.byteLength, bytes.byteLength)
  return bytes
}
