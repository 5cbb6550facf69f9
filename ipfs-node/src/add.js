/**
 * `POST /api/v0/add`: a streamed multipart upload of one or many files and
 * directories, imported the way Kubo imports them for the same parameters
 * (`add-options.js`), answered with Kubo's NDJSON lines, the root last.
 *
 * @module add
 */
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { importer } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { addOptionsFrom } from './add-options.js'
import { HttpError, sendNdjson } from './http-util.js'
import { pinRecursive } from './kubo-pins.js'
import { parseMultipart } from './multipart.js'

/**
 * Normalise a multipart filename into an importer path: no leading `/`,
 * no empty or `.` segments, no `..`.
 *
 * @param {string} path
 * @returns {string}
 */
function normaliseAddPath(path) {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.')
  if (segments.includes('..')) throw new HttpError(400, `invalid file path "${path}": ".." is not allowed`)
  return segments.join('/')
}

/**
 * kubo-rpc-client sends a file's mode and mtime in its part's field name
 * (`file?mode=0644&mtime=…`); Kubo stores them in the UnixFS node, which
 * changes its CID. This node does not, so it refuses them.
 *
 * @param {string} field
 */
function refusePartMetadata(field) {
  const query = field.indexOf('?')
  if (query === -1) return
  const params = new URLSearchParams(field.slice(query + 1))
  for (const name of ['mode', 'mtime', 'mtime-nsecs']) {
    if (params.has(name)) {
      throw new HttpError(
        400,
        `unsupported ${name} on a file part: UnixFS mode/mtime metadata is not stored by this node`
      )
    }
  }
}

/**
 * What a multipart upload named, in order: every part's path, and the
 * directories it declared.
 *
 * @typedef {object} Upload
 * @property {string[]} paths
 * @property {Set<string>} dirs
 */

/**
 * The import candidates of a multipart request, one part at a time, noted in
 * `upload` as they come.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {Upload} upload
 */
async function* candidatesOf(req, upload) {
  let partCount = 0
  for await (const part of parseMultipart(req)) {
    partCount++
    refusePartMetadata(part.field)
    const path = normaliseAddPath(part.path)
    upload.paths.push(path)
    if (part.isDirectory) {
      part.stream.resume()
      if (path === '') continue
      upload.dirs.add(path)
      yield { path }
    } else {
      yield { path, content: part.stream }
    }
  }
  if (partCount === 0) throw new HttpError(400, 'no file parts in the multipart request body')
}

/**
 * An empty UnixFS directory: the importer puts it in its parent but does not
 * report it, while Kubo does.
 *
 * @param {string} path
 * @param {0 | 1} cidVersion
 */
async function emptyDirectory(path, cidVersion) {
  const unixfs = new UnixFS({ type: 'directory' })
  const bytes = dagPb.encode(dagPb.prepare({ Data: unixfs.marshal(), Links: [] }))
  return {
    path,
    cid: CID.create(cidVersion, dagPb.code, await sha256.digest(bytes)),
    size: BigInt(bytes.length),
    unixfs
  }
}

/** Go's sort.Strings order: the bytes of the UTF-8 names. */
const byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))

/**
 * The imported entries in the order Kubo reports them: for each top-level
 * item in upload order (with `wrap-with-directory`, the one wrapper) its files
 * as they were added, then every directory under it, empty ones included,
 * children before parents and siblings by name (kubo `coreunix.Adder.outputDirs`).
 *
 * @param {Array<{ path?: string, cid: CID, size: bigint, unixfs?: UnixFS }>} entries
 * @param {Upload} upload
 * @param {import('./add-options.js').AddOptions} options
 */
async function inKuboOrder(entries, upload, options) {
  const isDir = (e) => e.unixfs?.isDirectory() === true
  const files = entries.filter((e) => !isDir(e))
  const dirs = new Map(entries.filter(isDir).map((e) => [e.path ?? '', e]))
  for (const path of upload.dirs) if (!dirs.has(path)) dirs.set(path, await emptyDirectory(path, options.cidVersion))

  const topOf = (path) => (options.wrapWithDirectory ? '' : path.split('/')[0])
  const parentOf = (path) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '')
  const dirsUnder = (path) => {
    const children = [...dirs.keys()].filter((d) => d !== '' && d !== path && parentOf(d) === path).sort(byteOrder)
    return [...children.flatMap(dirsUnder), ...(dirs.has(path) ? [dirs.get(path)] : [])]
  }
  const tops = [...new Set([...upload.paths, ...entries.map((e) => e.path ?? '')].map(topOf))]
  return tops.flatMap((top) => [
    ...files.filter((f) => topOf(f.path ?? '') === top),
    // an unnamed top-level file has no directories (only the wrapper is named "")
    ...(top !== '' || options.wrapWithDirectory ? dirsUnder(top) : [])
  ])
}

/**
 * `POST /api/v0/add`. Files stream part by part from the socket through the
 * importer to disk, never whole in memory. With `pin` (Kubo's default) each
 * root is pinned recursively once everything is written: the wrapping
 * directory with `wrap-with-directory`, else every top-level file or directory.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URLSearchParams} params
 */
export async function add(node, req, res, params) {
  const options = addOptionsFrom(params)
  // only-hash runs the same importer against a blockstore that keeps nothing
  const blockstore = options.onlyHash ? { put: async (cid) => cid } : node.helia.blockstore
  const imported = []
  const upload = { paths: [], dirs: new Set() }
  for await (const entry of importer(candidatesOf(req, upload), blockstore, options.importer)) imported.push(entry)
  const entries = await inKuboOrder(imported, upload, options)

  const roots = options.wrapWithDirectory ? entries.slice(-1) : entries.filter((e) => !(e.path ?? '').includes('/'))
  if (options.pin) {
    for (const root of roots) await pinRecursive(node, root.cid, { name: options.pinName })
  }

  const lines = options.silent
    ? []
    : entries.map((entry) => ({
        // Kubo names an unnamed file by its CID; the wrapping directory is ""
        Name: (entry.path ?? '') !== '' || options.wrapWithDirectory ? (entry.path ?? '') : entry.cid.toString(),
        Hash: entry.cid.toString(),
        Size: String(entry.size)
      }))
  sendNdjson(res, lines)
}
