/** Reading UnixFS files: their root and file nodes, checked in words, and whole files from a blockstore. */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { exporter } from 'ipfs-unixfs-exporter'
import * as raw from 'multiformats/codecs/raw'
import { fail } from './errors.js'

/** Rebuilds the bytes of `cid` from `store`, into one preallocated buffer. */
export async function exportBytes(cid, store, maxBytes) {
  const entry = await exporter(cid, store)
  if (entry.type !== 'file' && entry.type !== 'raw' && entry.type !== 'identity') {
    throw fail('unsupported', `${cid} is a ${entry.type}, not a file`)
  }
  const size = Number(entry.size)
  if (maxBytes != null && size > maxBytes) throw fail('too_large', `${size} bytes`, { size, limit: maxBytes })
  const out = new Uint8Array(size)
  let offset = 0
  for await (const chunk of entry.content()) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  if (offset !== size) throw fail('tampered', `${cid}: the blocks add up to ${offset} bytes, the file says ${size}`)
  return out
}

/** File size promised by a root block (dag-pb UnixFS or raw), or null. */
export function rootSize(cid, bytes) {
  if (cid.code === raw.code) return bytes.byteLength
  if (cid.code === dagPb.code) {
    const node = dagPb.decode(bytes)
    if (node.Data == null) return null
    const unixfs = UnixFS.unmarshal(node.Data)
    return Number(unixfs.fileSize())
  }
  return null
}

/**
 * A UnixFS file node (dag-pb): its inline data, its children with the byte range each covers,
 * and its size, all checked against one another. Anything else is refused in words.
 */
export function fileNode(cid, bytes) {
  let node, unixfs
  try {
    node = dagPb.decode(bytes)
    if (node.Data == null) throw new Error('it has no UnixFS data')
    unixfs = UnixFS.unmarshal(node.Data)
  } catch (error) {
    throw fail('unsupported', `${cid} is not a UnixFS file node (${error.message})`)
  }
  if (unixfs.type !== 'file' && unixfs.type !== 'raw')
    throw fail('unsupported', `${cid} is a UnixFS ${unixfs.type}, not a file`)
  const data = unixfs.data ?? new Uint8Array(0)
  if (unixfs.blockSizes.length !== node.Links.length) {
    throw fail(
      'unsupported',
      `${cid} is a malformed file node: ${node.Links.length} links but ${unixfs.blockSizes.length} block sizes`
    )
  }
  const children = []
  let offset = data.byteLength
  for (const [i, link] of node.Links.entries()) {
    const size = Number(unixfs.blockSizes[i])
    children.push({ cid: link.Hash, offset, size })
    offset += size
  }
  const size = Number(unixfs.fileSize())
  if (offset !== size)
    throw fail('unsupported', `${cid} is a malformed file node: its parts add up to ${offset} bytes, it says ${size}`)
  return { data, children, size }
}
