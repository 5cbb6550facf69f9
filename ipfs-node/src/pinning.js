/**
 * IPFS Pinning Service API (https://ipfs.github.io/pinning-services-api-spec/) under `/psa/`:
 * `POST /psa/pins`, `GET /psa/pins`, `GET /psa/pins/{requestid}`, `DELETE /psa/pins/{requestid}`,
 * so the service's base URL (what clients and the app's `ipfs.pinningService` name) is
 * `http://<node>/psa`. Enabled by `--pinning-token <token>`; every request must carry
 * `Authorization: Bearer <token>`.
 *
 * Pinning is real: the whole DAG under the CID must be in this node's blockstore (every block
 * is checked, offline: this node never fetches from the network), and it is then pinned with
 * Helia's pins (`helia.pins.add`), the same pins as the Kubo RPC's (`kubo-pins.js`): deleting a
 * request never removes a pin the Kubo RPC also asked for. Status is `pinned` at once; content that is absent or
 * incomplete gives a pin request with status `failed` whose `info.status_details` names the
 * missing block (the spec's way to report a pin that can't be fulfilled). Pin requests are kept
 * in `<repo>/pins/<requestid>.json`, so they survive a restart.
 *
 * Errors are the spec's `Failure`: `{"error":{"reason":"…","details":"…"}}` with 400
 * (BAD_REQUEST), 401 (UNAUTHORIZED), 404 (NOT_FOUND).
 *
 * @module pinning
 */
import { randomUUID, timingSafeEqual } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { missingBlock } from './blocks.js'

const PREFIX = '/psa'
/** Pin requests, one JSON file each, in `<repo>/pins/`. */
const PINS_DIR = 'pins'
const STATUSES = ['queued', 'pinning', 'pinned', 'failed']
const MAX_BODY = 64 * 1024

/** An error answered as the spec's Failure object. */
class PsaError extends Error {
  constructor(status, reason, details) {
    super(details)
    this.status = status
    this.reason = reason
  }
}

function send(res, status, body) {
  const text = `${JSON.stringify(body)}\n`
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

/** Whether `pathname` belongs to the Pinning Service API. */
export function isPinningPath(pathname) {
  return pathname === PREFIX || pathname.startsWith(`${PREFIX}/`)
}

/**
 * Handle a request under `/psa/`.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {string | undefined} token - the access token; undefined: the API is off
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 */
export async function handlePinning(node, token, req, res, url) {
  try {
    if (token == null)
      throw new PsaError(404, 'NOT_FOUND', 'this node has no pinning service: start it with --pinning-token <token>')
    checkToken(token, req.headers.authorization)
    const rest = url.pathname.slice(PREFIX.length).replace(/\/+$/, '')
    if (rest === '/pins') {
      if (req.method === 'POST') return send(res, 202, await addPin(node, await readJson(req)))
      if (req.method === 'GET') return send(res, 200, await listPins(node, url.searchParams))
      throw new PsaError(400, 'BAD_REQUEST', `method ${req.method} is not allowed on /pins (GET, POST)`)
    }
    const match = rest.match(/^\/pins\/([^/]+)$/)
    if (match != null) {
      const id = decodeURIComponent(match[1])
      if (req.method === 'GET') return send(res, 200, await getPin(node, id))
      if (req.method === 'DELETE') {
        await removePin(node, id)
        res.writeHead(202, { 'Content-Length': 0 })
        return res.end()
      }
      throw new PsaError(400, 'BAD_REQUEST', `method ${req.method} is not allowed on /pins/{requestid} (GET, DELETE)`)
    }
    throw new PsaError(
      404,
      'NOT_FOUND',
      `no such endpoint: ${url.pathname} (the pinning service has /psa/pins and /psa/pins/{requestid})`
    )
  } catch (err) {
    if (!(err instanceof PsaError)) throw err
    req.resume()
    send(res, err.status, { error: { reason: err.reason, details: err.message } })
  }
}

function checkToken(token, header) {
  const match = /^Bearer (.+)$/i.exec(header ?? '')
  if (match == null)
    throw new PsaError(401, 'UNAUTHORIZED', 'an access token is required: send "Authorization: Bearer <token>"')
  const given = Buffer.from(match[1].trim())
  const expected = Buffer.from(token)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new PsaError(401, 'UNAUTHORIZED', 'the access token is not valid for this pinning service')
  }
}

async function readJson(req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY) throw new PsaError(400, 'BAD_REQUEST', `the request body is over ${MAX_BODY} bytes`)
    chunks.push(chunk)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch (err) {
    throw new PsaError(400, 'BAD_REQUEST', `the request body is not JSON: ${err.message}`)
  }
}

function parseCid(text) {
  if (typeof text !== 'string' || text === '')
    throw new PsaError(400, 'BAD_REQUEST', '"cid" is required: the CID to pin, as a string')
  try {
    return CID.parse(text)
  } catch (err) {
    throw new PsaError(400, 'BAD_REQUEST', `"cid" is not a valid CID: ${text} (${err.message})`)
  }
}

/** `POST /pins {cid, name?, origins?, meta?}` → PinStatus. */
async function addPin(node, body) {
  if (body == null || typeof body !== 'object' || Array.isArray(body))
    throw new PsaError(400, 'BAD_REQUEST', 'the body must be a Pin object: {"cid": "…", "name": "…"}')
  const cid = parseCid(body.cid)
  if (body.name != null && (typeof body.name !== 'string' || body.name.length > 255))
    throw new PsaError(400, 'BAD_REQUEST', '"name" must be a string of at most 255 characters')
  if (body.origins != null && (!Array.isArray(body.origins) || body.origins.some((o) => typeof o !== 'string')))
    throw new PsaError(400, 'BAD_REQUEST', '"origins" must be an array of multiaddr strings')
  if (
    body.meta != null &&
    (typeof body.meta !== 'object' ||
      Array.isArray(body.meta) ||
      Object.values(body.meta).some((v) => typeof v !== 'string'))
  ) {
    throw new PsaError(400, 'BAD_REQUEST', '"meta" must be an object of strings')
  }
  const pin = { cid: cid.toString() }
  if (body.name != null) pin.name = body.name
  if (body.origins != null) pin.origins = body.origins
  if (body.meta != null) pin.meta = body.meta
  const status = { requestid: randomUUID(), status: 'pinned', created: new Date().toISOString(), pin, delegates: [] }
  const missing = await missingBlock(node, cid)
  if (missing != null) {
    status.status = 'failed'
    status.info = {
      status_details: missing.equals(cid)
        ? `${cid} is not on this node, and this dev node never fetches from the network: add the content first`
        : `block ${missing} of ${cid} is not on this node (the DAG is incomplete), and this dev node never fetches from the network`
    }
  } else if (!(await node.helia.pins.isPinned(cid))) {
    // One Helia pin per CID, shared by every pin request for it (see removePin).
    const signal = AbortSignal.timeout(60_000)
    // eslint-disable-next-line no-unused-vars
    for await (const _ of node.helia.pins.add(cid, { signal, metadata: { requestid: status.requestid } })) {
    }
  }
  await savePin(node, status)
  return status
}

const pinFile = (node, id) => join(node.repo, PINS_DIR, `${id}.json`)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

async function savePin(node, status) {
  await mkdir(join(node.repo, PINS_DIR), { recursive: true })
  const file = pinFile(node, status.requestid)
  await writeFile(`${file}.tmp`, JSON.stringify(status))
  await rename(`${file}.tmp`, file)
}

async function allPins(node) {
  let names
  try {
    names = await readdir(join(node.repo, PINS_DIR))
  } catch {
    return []
  }
  const out = []
  for (const name of names.filter((n) => n.endsWith('.json')))
    out.push(JSON.parse(await readFile(join(node.repo, PINS_DIR, name), 'utf8')))
  return out
}

async function getPin(node, id) {
  try {
    if (!UUID.test(id)) throw new Error('not an id')
    return JSON.parse(await readFile(pinFile(node, id), 'utf8'))
  } catch {
    throw new PsaError(404, 'NOT_FOUND', `no pin request with id ${id}`)
  }
}

/** `DELETE /pins/{requestid}`: the request is removed; the CID is unpinned unless another request pins it. */
async function removePin(node, id) {
  const status = await getPin(node, id)
  await rm(pinFile(node, id), { force: true })
  if (status.status !== 'pinned') return
  const others = (await allPins(node)).some((p) => p.status === 'pinned' && p.pin.cid === status.pin.cid)
  const cid = CID.parse(status.pin.cid)
  if (others) return
  let pin = null
  try {
    pin = await node.helia.pins.get(cid)
  } catch (err) {
    // not a pin of its own (e.g. only inside another pinned DAG): nothing to unpin
    if (err?.name !== 'NotFoundError') throw err
  }
  if (pin == null) return
  if (pin.metadata?.kubo === true) {
    // also pinned through the Kubo RPC (`pin/add`, `add`): that pin stays, without this request
    const { requestid: _requestid, ...metadata } = pin.metadata
    await node.helia.pins.setMetadata(cid, metadata)
    return
  }
  // eslint-disable-next-line no-unused-vars
  for await (const _ of node.helia.pins.rm(cid)) {
  }
}

/** `GET /pins?cid=&name=&match=&status=&before=&after=&limit=&meta=` → `{count, results}`. */
async function listPins(node, params) {
  const cids = params
    .get('cid')
    ?.split(',')
    .filter(Boolean)
    .map((c) => parseCid(c).toString())
  if (cids != null && cids.length > 10) throw new PsaError(400, 'BAD_REQUEST', '"cid" takes at most 10 CIDs')
  const name = params.get('name')
  const match = params.get('match') ?? 'exact'
  if (!['exact', 'iexact', 'partial', 'ipartial'].includes(match))
    throw new PsaError(400, 'BAD_REQUEST', `"match" must be exact, iexact, partial or ipartial, not ${match}`)
  const statuses = (params.get('status') ?? 'pinned').split(',').filter(Boolean)
  for (const s of statuses)
    if (!STATUSES.includes(s))
      throw new PsaError(400, 'BAD_REQUEST', `"status" must be among ${STATUSES.join(', ')}, not ${s}`)
  const date = (key) => {
    const text = params.get(key)
    if (text == null) return null
    const time = Date.parse(text)
    if (Number.isNaN(time))
      throw new PsaError(400, 'BAD_REQUEST', `"${key}" must be an ISO 8601 date-time, not ${text}`)
    return time
  }
  const before = date('before')
  const after = date('after')
  const limit = params.has('limit') ? Number(params.get('limit')) : 10
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new PsaError(400, 'BAD_REQUEST', `"limit" must be an integer from 1 to 1000, not ${params.get('limit')}`)
  let meta = null
  if (params.has('meta')) {
    try {
      meta = JSON.parse(params.get('meta'))
    } catch {
      throw new PsaError(400, 'BAD_REQUEST', '"meta" must be a JSON object of strings')
    }
  }
  const named = (pinName) => {
    if (name == null) return true
    if (pinName == null) return false
    if (match === 'exact') return pinName === name
    if (match === 'iexact') return pinName.toLowerCase() === name.toLowerCase()
    if (match === 'partial') return pinName.includes(name)
    return pinName.toLowerCase().includes(name.toLowerCase())
  }
  const results = (await allPins(node))
    .filter((p) => statuses.includes(p.status))
    .filter((p) => cids == null || cids.includes(p.pin.cid))
    .filter((p) => named(p.pin.name))
    .filter((p) => before == null || Date.parse(p.created) < before)
    .filter((p) => after == null || Date.parse(p.created) > after)
    .filter((p) => meta == null || Object.entries(meta).every(([k, v]) => p.pin.meta?.[k] === v))
    .sort((a, b) => b.created.localeCompare(a.created))
  return { count: results.length, results: results.slice(0, limit) }
}
