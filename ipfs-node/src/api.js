/**
 * Kubo-RPC-compatible subset under `/api/v0/`: add, dag/import, cat,
 * block/stat, block/get, pin/add, version, id.
 *
 * @module api
 */
import { exporter } from 'ipfs-unixfs-exporter'
import { importer } from 'ipfs-unixfs-importer'
import { importCars, stagingDirFor } from './car-import.js'
import { readFileRange } from './file-reader.js'
import { boolParam, drainRequest, HttpError, sendJson } from './http-util.js'
import { parseMultipart } from './multipart.js'
import { parseIpfsPath } from './paths.js'
import { CHUNKER_NAME, CID_VERSION, HASH_NAME, importerOptions } from './profile.js'
import { NAME, VERSION } from './version.js'

/**
 * Handle a request under `/api/v0/`.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 * @returns {Promise<void>}
 */
export async function handleApi(node, req, res, url) {
  if (req.method !== 'POST') {
    throw new HttpError(405, `method ${req.method} not allowed: the RPC API only accepts POST`)
  }
  const command = url.pathname.slice('/api/v0/'.length).replace(/\/+$/, '')
  const route = routes[command]
  if (route == null) throw new HttpError(404, `unknown or unsupported command "${command}"`)
  await route(node, req, res, url.searchParams)
}

/** @type {Record<string, (node: import('./node.js').AssayNode, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, params: URLSearchParams) => Promise<void>>} */
const routes = {
  add,
  'dag/import': dagImport,
  cat,
  'block/stat': blockStat,
  'block/get': blockGet,
  'pin/add': pinAdd,
  version,
  id
}

/**
 * Reject any add option that would change CIDs away from the fixed profile.
 *
 * @param {URLSearchParams} params
 */
function checkProfileParams(params) {
  const cidVersion = params.get('cid-version')
  if (cidVersion != null && cidVersion !== String(CID_VERSION)) {
    throw new HttpError(
      400,
      `unsupported cid-version=${cidVersion}: this node only imports with the fixed profile (cid-version=1, raw-leaves=true, chunker=${CHUNKER_NAME})`
    )
  }
  if (!boolParam(params, 'raw-leaves', true)) {
    throw new HttpError(400, 'unsupported raw-leaves=false: this node always imports with raw leaves (fixed profile)')
  }
  const chunker = params.get('chunker')
  if (chunker != null && chunker !== CHUNKER_NAME) {
    throw new HttpError(400, `unsupported chunker "${chunker}": this node always uses ${CHUNKER_NAME} (fixed profile)`)
  }
  const hash = params.get('hash')
  if (hash != null && hash !== HASH_NAME) {
    throw new HttpError(400, `unsupported hash "${hash}": this node always uses ${HASH_NAME}`)
  }
  if (boolParam(params, 'trickle', false)) {
    throw new HttpError(400, 'unsupported trickle=true: this node always uses the balanced layout (fixed profile)')
  }
  if (boolParam(params, 'inline', false)) {
    throw new HttpError(400, 'unsupported inline=true')
  }
}

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
 * `POST /api/v0/add` — streaming import of one or many files / a directory
 * tree, answered with Kubo's NDJSON lines, the root last.
 */
async function add(node, req, res, params) {
  checkProfileParams(params)
  const wrapWithDirectory = boolParam(params, 'wrap-with-directory', false)
  const onlyHash = boolParam(params, 'only-hash', false)
  const quieter = boolParam(params, 'quieter', false)
  boolParam(params, 'pin', true) // accepted; this node never garbage-collects, so everything is kept
  boolParam(params, 'progress', false) // progress lines are never sent

  let partCount = 0
  async function* candidates() {
    for await (const part of parseMultipart(req)) {
      partCount++
      const path = normaliseAddPath(part.path)
      if (part.isDirectory) {
        part.stream.resume()
        if (path === '') continue
        yield { path }
      } else {
        yield { path, content: part.stream }
      }
    }
    if (partCount === 0) throw new HttpError(400, 'no file parts in the multipart request body')
  }

  // one file at a time: the parts arrive one after the other on one stream
  const options = importerOptions({ wrapWithDirectory, fileImportConcurrency: 1 })
  // normally through @helia/unixfs into Helia's blockstore; only-hash runs the
  // same importer against a blockstore that keeps nothing
  const results = onlyHash
    ? importer(candidates(), { put: async (cid) => cid }, options)
    : node.fs.addAll(candidates(), options)
  const lines = []
  for await (const entry of results) {
    lines.push({ Name: entry.path ?? entry.cid.toString(), Hash: entry.cid.toString(), Size: String(entry.size) })
  }
  const out = quieter ? lines.slice(-1) : lines
  const body = out.map((l) => `${JSON.stringify(l)}\n`).join('')
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'X-Chunked-Output': '1',
    'Content-Length': Buffer.byteLength(body)
  })
  res.end(body)
}

/**
 * `POST /api/v0/dag/import` — verified CAR import (see car-import.js).
 */
async function dagImport(node, req, res, params) {
  const pinRoots = boolParam(params, 'pin-roots', true)
  async function* cars() {
    for await (const part of parseMultipart(req)) {
      if (part.isDirectory) {
        part.stream.resume()
        continue
      }
      yield part.stream
    }
  }
  let result
  try {
    result = await importCars(node.helia, cars(), { stagingDir: stagingDirFor(node.repo) })
  } catch (err) {
    await drainRequest(req)
    throw err
  }
  const lines = []
  if (pinRoots) {
    for (const root of result.roots) {
      const present = await node.helia.blockstore.has(root)
      lines.push({
        Root: {
          Cid: { '/': root.toString() },
          PinErrorMsg: present ? '' : `root block ${root} is not in this CAR nor in the blockstore`
        }
      })
    }
  }
  if (boolParam(params, 'stats', false)) lines.push({ Stats: { BlockCount: result.blockCount, BlockBytesCount: 0 } })
  const body = lines.map((l) => `${JSON.stringify(l)}\n`).join('')
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'X-Chunked-Output': '1',
    'Content-Length': Buffer.byteLength(body)
  })
  res.end(body)
}

/**
 * Resolve the `arg` query parameter (`<cid>[/path]` or `/ipfs/<cid>[/path]`)
 * to a UnixFS entry, offline.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {URLSearchParams} params
 */
async function resolveArg(node, params) {
  const arg = params.get('arg')
  if (arg == null || arg === '') throw new HttpError(400, 'argument "arg" is required')
  const { cid, segments } = parseIpfsPath(arg)
  try {
    return await exporter([cid.toString(), ...segments].join('/'), node.helia.blockstore, { offline: true })
  } catch (err) {
    throw notFoundOr(err, `${arg} not found in this node's blockstore`)
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

/** `POST /api/v0/cat?arg=<cid>[&offset=&length=]` */
async function cat(node, _req, res, params) {
  const entry = await resolveArg(node, params)
  if (entry.type === 'directory') throw new HttpError(400, 'this dag node is a directory')
  if (entry.type !== 'file' && entry.type !== 'raw' && entry.type !== 'identity') {
    throw new HttpError(400, `cannot cat a ${entry.type} node`)
  }
  const size = Number(entry.size)
  const offset = params.has('offset') ? Number(params.get('offset')) : 0
  const length = params.has('length') ? Number(params.get('length')) : size
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0)
    throw new HttpError(400, 'offset and length must be non-negative integers')
  res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Stream-Output': '1' })
  for await (const chunk of readFileRange(node.helia.blockstore, entry.cid, offset, Math.min(size, offset + length))) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
  }
  res.end()
}

/**
 * Read a whole block, offline.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} cid
 * @returns {Promise<Buffer>}
 */
export async function readBlock(node, cid) {
  const chunks = []
  try {
    for await (const c of node.helia.blockstore.get(cid, { offline: true })) chunks.push(c)
  } catch (err) {
    throw notFoundOr(err, `block ${cid} not found in this node's blockstore`)
  }
  return Buffer.concat(chunks)
}

/** `POST /api/v0/block/stat?arg=<cid>` */
async function blockStat(node, _req, res, params) {
  const { cid, segments } = parseIpfsPath(params.get('arg') ?? '')
  if (segments.length > 0) throw new HttpError(400, 'block/stat takes a bare CID')
  const block = await readBlock(node, cid)
  sendJson(res, 200, { Key: cid.toString(), Size: block.length })
}

/** `POST /api/v0/block/get?arg=<cid>` */
async function blockGet(node, _req, res, params) {
  const { cid, segments } = parseIpfsPath(params.get('arg') ?? '')
  if (segments.length > 0) throw new HttpError(400, 'block/get takes a bare CID')
  const block = await readBlock(node, cid)
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': block.length })
  res.end(block)
}

/** `POST /api/v0/pin/add?arg=<cid>` — success when the root block is present (nothing is ever garbage-collected here). */
async function pinAdd(node, _req, res, params) {
  const pins = []
  for (const arg of params.getAll('arg')) {
    const { cid } = parseIpfsPath(arg)
    if (!(await node.helia.blockstore.has(cid)))
      throw new HttpError(404, `cannot pin ${cid}: block not found in this node's blockstore`)
    pins.push(cid.toString())
  }
  if (pins.length === 0) throw new HttpError(400, 'argument "arg" is required')
  sendJson(res, 200, { Pins: pins })
}

/** `POST /api/v0/version` */
async function version(_node, _req, res) {
  sendJson(res, 200, {
    Version: `${NAME}/${VERSION}`,
    Commit: '',
    Repo: '',
    System: `${process.arch}/${process.platform}`,
    Golang: ''
  })
}

/** `POST /api/v0/id` — this node has no libp2p identity; it is HTTP-only. */
async function id(_node, _req, res) {
  sendJson(res, 200, { ID: NAME, PublicKey: '', Addresses: [], AgentVersion: `${NAME}/${VERSION}`, Protocols: [] })
}
