/**
 * `POST /api/v0/ls?arg=<path>…`: the links of UnixFS directories (and of
 * chunked files), answered as Kubo answers (kubo `core/commands/ls.go`,
 * `core/coreapi/unixfs.go`):
 * `{"Objects":[{"Hash":"<arg as given>","Links":[{Name, Hash, Size, Type, Target, Mode, ModTime}]}]}`,
 * links sorted by name, one object per argument; with `stream=true` one line
 * per link instead.
 *
 * Type is UnixFS's: 1 directory (also HAMT shards), 2 file (also raw
 * blocks), 4 symlink (with its Target); 0 for a child that is not resolved.
 * Size is a file's size (a raw child: its block size), 0 for directories.
 * This node never stores UnixFS mode or mtime, so Mode is 0 and ModTime the
 * zero time, as Kubo prints them for such nodes.
 *
 * @module ls
 */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { exporter } from 'ipfs-unixfs-exporter'
import * as raw from 'multiformats/codecs/raw'
import { notFoundOr, readBlock, resolvePath } from './blocks.js'
import { boolParam, HttpError, sendJson, sendNdjson } from './http-util.js'

/** Go's zero `time.Time`, which Kubo prints for a node without mtime. */
const ZERO_TIME = '0001-01-01T00:00:00Z'
/** UnixFS `Data.DataType` numbers. */
const TYPE = Object.freeze({ raw: 0, directory: 1, file: 2, metadata: 3, symlink: 4, 'hamt-sharded-directory': 5 })

/**
 * One link as Kubo's `processLink` reports it.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {{ name: string, cid: import('multiformats/cid').CID, tsize: number }} link
 * @param {boolean} resolve - read dag-pb children for their type and size
 */
async function describeLink(node, link, resolve) {
  const out = { Name: link.name, Hash: link.cid.toString(), Size: 0, Type: 0, Target: '', Mode: 0, ModTime: ZERO_TIME }
  if (link.cid.code === raw.code) {
    out.Type = TYPE.file
    out.Size = link.tsize
  } else if (link.cid.code === dagPb.code && resolve) {
    const unixfs = unixfsOf(link.cid, dagPb.decode(await readBlock(node, link.cid)))
    if (unixfs.type === 'file' || unixfs.type === 'raw') {
      out.Type = TYPE.file
      out.Size = Number(unixfs.fileSize())
    } else if (unixfs.type === 'symlink') {
      out.Type = TYPE.symlink
      out.Target = new TextDecoder().decode(unixfs.data ?? new Uint8Array(0))
    } else {
      out.Type = TYPE.directory
    }
  }
  return out
}

/**
 * The UnixFS data of a dag-pb node.
 *
 * @param {import('multiformats/cid').CID} cid
 * @param {import('@ipld/dag-pb').PBNode} pb
 * @returns {UnixFS}
 */
function unixfsOf(cid, pb) {
  if (pb.Data == null) throw new HttpError(400, `${cid} is a dag-pb node without UnixFS data`)
  try {
    return UnixFS.unmarshal(pb.Data)
  } catch (err) {
    throw new HttpError(400, `${cid} has invalid UnixFS data: ${err.message}`)
  }
}

/**
 * The links `ls` lists for the node `cid`: a directory's entries (a HAMT's
 * entries, not its shards), else the node's own links (a chunked file's
 * chunks, named "").
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} cid
 * @returns {AsyncGenerator<{ name: string, cid: import('multiformats/cid').CID, tsize: number }>}
 */
async function* linksToList(node, cid) {
  if (cid.code === raw.code) return
  if (cid.code !== dagPb.code) {
    throw new HttpError(400, `cannot ls ${cid}: only UnixFS (dag-pb) nodes and raw blocks are listed by this node`)
  }
  const pb = dagPb.decode(await readBlock(node, cid))
  const unixfs = pb.Data == null ? null : unixfsOf(cid, pb)
  if (unixfs?.type === 'hamt-sharded-directory') {
    const dir = await exporter(cid, node.helia.blockstore, { offline: true })
    for await (const child of dir.content({ offline: true })) {
      // a raw child's size is its block size, which is all Kubo reads from its link
      yield { name: child.name, cid: child.cid, tsize: child.cid.code === raw.code ? Number(child.size) : 0 }
    }
    return
  }
  for (const link of pb.Links) yield { name: link.Name ?? '', cid: link.Hash, tsize: link.Tsize ?? 0 }
}

/**
 * `POST /api/v0/ls`.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('node:http').IncomingMessage} _req
 * @param {import('node:http').ServerResponse} res
 * @param {URLSearchParams} params
 */
export async function ls(node, _req, res, params) {
  const args = params.getAll('arg')
  if (args.length === 0) throw new HttpError(400, 'argument "ipfs-path" is required')
  const resolve = boolParam(params, 'resolve-type', true) || boolParam(params, 'size', true)
  const stream = boolParam(params, 'stream', false)
  const objects = []
  for (const arg of args) {
    const cid = await resolvePath(node, arg)
    const links = []
    try {
      for await (const link of linksToList(node, cid)) links.push(await describeLink(node, link, resolve))
    } catch (err) {
      throw notFoundOr(err, `${arg} not found in this node's blockstore`)
    }
    // Go's strings.Compare: byte order of the UTF-8 names
    if (!stream) links.sort((a, b) => Buffer.compare(Buffer.from(a.Name), Buffer.from(b.Name)))
    objects.push({ Hash: arg, Links: links })
  }
  if (!stream) {
    sendJson(res, 200, { Objects: objects })
    return
  }
  const lines = objects.flatMap((o) => o.Links.map((link) => ({ Objects: [{ Hash: o.Hash, Links: [link] }] })))
  sendNdjson(res, lines)
}
