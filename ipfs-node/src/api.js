/**
 * Kubo-RPC-compatible subset under `/api/v0/`: add, cat, ls, dag/import,
 * dag/export, block/stat, block/get, pin/add, pin/ls, id, version — each
 * answered as Kubo answers it (JSON field names, NDJSON where Kubo streams,
 * errors as `{"Message","Code","Type":"error"}`). Any other command is a 404
 * with that error shape, naming the commands this node has.
 *
 * @module api
 */
import { car, SubgraphExporter } from '@helia/car'
import { exporter } from 'ipfs-unixfs-exporter'
import { add } from './add.js'
import { notFoundOr, readBlock, resolvePath } from './blocks.js'
import { importCars, stagingDirFor } from './car-import.js'
import { readFileRange } from './file-reader.js'
import { boolParam, drainRequest, HttpError, sendJson, sendNdjson } from './http-util.js'
import { formatPeerId } from './identity.js'
import { listPins, PIN_TYPES, pinDirect, pinOf, pinRecursive } from './kubo-pins.js'
import { ls } from './ls.js'
import { parseMultipart } from './multipart.js'
import { parseIpfsPath } from './paths.js'
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
  const route = Object.hasOwn(routes, command) ? routes[command] : undefined
  if (route == null) {
    throw new HttpError(
      404,
      `command "${command}" is not supported by this dev node (it implements ${Object.keys(routes).join(', ')})`
    )
  }
  await route(node, req, res, url.searchParams)
}

/** @type {Record<string, (node: import('./node.js').AssayNode, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, params: URLSearchParams) => Promise<void>>} */
const routes = {
  add,
  cat,
  ls,
  'dag/import': dagImport,
  'dag/export': dagExport,
  'block/stat': blockStat,
  'block/get': blockGet,
  'pin/add': pinAdd,
  'pin/ls': pinLs,
  id,
  version
}

/**
 * The `arg` values of a command that needs at least one.
 *
 * @param {URLSearchParams} params
 * @param {string} name - the argument's name in Kubo's help, for the error
 * @returns {string[]}
 */
function requiredArgs(params, name) {
  const args = params.getAll('arg').filter((a) => a !== '')
  if (args.length === 0) throw new HttpError(400, `argument "${name}" is required`)
  return args
}

/**
 * Write chunks with back-pressure, then end the response; a failure once the
 * headers are gone can only cut the stream (Kubo sends it as a trailer).
 *
 * @param {import('node:http').ServerResponse} res
 * @param {AsyncIterable<Uint8Array>} chunks
 */
async function streamOut(res, chunks) {
  try {
    for await (const chunk of chunks) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
    }
    res.end()
  } catch (err) {
    res.destroy(err)
  }
}

/** `POST /api/v0/dag/import` — verified CAR import (see car-import.js). */
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
  sendNdjson(res, lines)
}

/**
 * `POST /api/v0/dag/export?arg=<cid>[/path]` — a CARv1 of the whole DAG, its
 * header root the (resolved) CID, blocks depth-first, each once (Kubo's
 * `TraverseV1` over ExploreAllRecursively).
 */
async function dagExport(node, _req, res, params) {
  const [arg] = requiredArgs(params, 'root')
  const cid = await resolvePath(node, arg)
  await readBlock(node, cid) // an absent root is a 404 before any byte is sent
  res.writeHead(200, { 'Content-Type': 'application/vnd.ipld.car', 'X-Stream-Output': '1' })
  await streamOut(res, car(node.helia).export(cid, { offline: true, exporter: new SubgraphExporter() }))
}

/**
 * `POST /api/v0/cat?arg=<path>…[&offset=&length=]` — the files' bytes, one
 * after the other; `offset` counts across them and skips whole files, `length`
 * caps the total (Kubo's `cat`).
 */
async function cat(node, _req, res, params) {
  const args = requiredArgs(params, 'ipfs-path')
  const offset = params.has('offset') ? Number(params.get('offset')) : 0
  if (!Number.isSafeInteger(offset)) throw new HttpError(400, `invalid offset "${params.get('offset')}"`)
  if (offset < 0) throw new HttpError(400, 'cannot specify negative offset')
  const max = params.has('length') ? Number(params.get('length')) : -1
  if (!Number.isSafeInteger(max)) throw new HttpError(400, `invalid length "${params.get('length')}"`)
  if (params.has('length') && max < 0) throw new HttpError(400, 'cannot specify negative length')

  const ranges = []
  let skip = offset
  let total = 0
  for (const arg of max === 0 ? [] : args) {
    const entry = await resolveFile(node, arg)
    const size = Number(entry.size)
    if (skip > size) {
      skip -= size
      continue
    }
    let end = size
    if (max > 0 && total + (size - skip) >= max) end = skip + (max - total)
    ranges.push({ cid: entry.cid, start: skip, end })
    total += end - skip
    skip = 0
    if (max > 0 && total >= max) break
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Stream-Output': '1', 'X-Content-Length': String(total) })
  await streamOut(
    res,
    (async function* () {
      for (const r of ranges) yield* readFileRange(node.helia.blockstore, r.cid, r.start, r.end)
    })()
  )
}

/**
 * Resolve `<cid>[/path]` (or `/ipfs/…`) to a UnixFS file or raw block, offline.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {string} arg
 */
async function resolveFile(node, arg) {
  const { cid, segments } = parseIpfsPath(arg)
  let entry
  try {
    entry = await exporter([cid.toString(), ...segments].join('/'), node.helia.blockstore, { offline: true })
  } catch (err) {
    throw notFoundOr(err, `${arg} not found in this node's blockstore`)
  }
  if (entry.type === 'directory') throw new HttpError(400, 'this dag node is a directory')
  if (entry.type !== 'file' && entry.type !== 'raw' && entry.type !== 'identity') {
    throw new HttpError(400, `cannot cat a ${entry.type} node`)
  }
  return entry
}

/** `POST /api/v0/block/stat?arg=<cid>[/path]` — `{"Key":"<cid>","Size":<n>}` */
async function blockStat(node, _req, res, params) {
  const [arg] = requiredArgs(params, 'cid')
  const cid = await resolvePath(node, arg)
  const block = await readBlock(node, cid)
  sendJson(res, 200, { Key: cid.toString(), Size: block.length })
}

/** `POST /api/v0/block/get?arg=<cid>[/path]` — the raw block bytes */
async function blockGet(node, _req, res, params) {
  const [arg] = requiredArgs(params, 'cid')
  const block = await readBlock(node, await resolvePath(node, arg))
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': block.length })
  res.end(block)
}

/**
 * `POST /api/v0/pin/add?arg=<path>…[&recursive=false][&name=]` —
 * `{"Pins":[…]}` (kubo-pins.js).
 */
async function pinAdd(node, _req, res, params) {
  const args = requiredArgs(params, 'ipfs-path')
  const recursive = boolParam(params, 'recursive', true)
  const name = params.get('name') ?? undefined
  const pins = []
  for (const arg of args) {
    const cid = await resolvePath(node, arg)
    if (recursive) await pinRecursive(node, cid, { name })
    else await pinDirect(node, cid, { name })
    pins.push(cid.toString())
  }
  sendJson(res, 200, { Pins: pins })
}

/**
 * `POST /api/v0/pin/ls[?arg=<path>…][&type=][&stream=][&names=][&name=]` —
 * `{"Keys":{"<cid>":{"Type","Name"}}}`, or with `stream=true` one
 * `{"Cid","Name","Type"}` line per pin (Name left out when empty), as Kubo.
 */
async function pinLs(node, _req, res, params) {
  const type = params.get('type') ?? 'all'
  if (!PIN_TYPES.includes(type)) {
    throw new HttpError(400, `invalid type '${type}', must be one of {direct, indirect, recursive, all}`)
  }
  const nameFilter = params.get('name') ?? ''
  const withNames = boolParam(params, 'names', false) || nameFilter !== ''
  const pins = []
  if (params.getAll('arg').length > 0) {
    for (const arg of params.getAll('arg')) {
      const pin = await pinOf(node, await resolvePath(node, arg), type)
      if (pin == null) throw new HttpError(400, `path '${arg}' is not pinned`)
      pins.push(pin)
    }
  } else {
    for await (const pin of listPins(node, type)) if (pin.name.includes(nameFilter)) pins.push(pin)
  }
  const shown = pins.map((p) => ({ cid: p.cid, type: p.type, name: withNames ? p.name : '' }))
  if (boolParam(params, 'stream', false)) {
    sendNdjson(
      res,
      shown.map((p) => (p.name === '' ? { Cid: p.cid, Type: p.type } : { Cid: p.cid, Name: p.name, Type: p.type }))
    )
    return
  }
  const keys = Object.fromEntries(shown.map((p) => [p.cid, { Type: p.type, Name: p.name }]))
  // Kubo leaves `Keys` out when there are none (Go's omitempty)
  sendJson(res, 200, shown.length === 0 ? {} : { Keys: keys })
}

/**
 * `POST /api/v0/version` — Kubo's fields; `Version` names this node, not a
 * Kubo release.
 */
async function version(_node, _req, res) {
  const goArch = { x64: 'amd64', ia32: '386' }[process.arch] ?? process.arch
  sendJson(res, 200, {
    Version: `${NAME}/${VERSION}`,
    Commit: '',
    Repo: '',
    System: `${goArch}/${process.platform}`,
    Golang: ''
  })
}

/**
 * `POST /api/v0/id[?arg=<peer>][&peerid-base=]` — this node's identity in
 * Kubo's shape. It has no libp2p, so no addresses and no protocols, and no
 * other peer can be looked up.
 */
async function id(node, _req, res, params) {
  const own = formatPeerId(node.identity, params.get('peerid-base'))
  const asked = params.get('arg')
  if (asked != null && asked !== '' && asked !== node.identity.peerId && asked !== own) {
    throw new HttpError(404, `cannot look up peer ${asked}: this dev node has no network (it only knows itself)`)
  }
  sendJson(res, 200, {
    ID: own,
    PublicKey: node.identity.publicKey,
    Addresses: [],
    AgentVersion: `${NAME}/${VERSION}`,
    Protocols: []
  })
}
