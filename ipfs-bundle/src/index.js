/**
 * Assay's in-browser IPFS glue, bundled by esbuild into one ES module (`assay-ipfs.js`) that the
 * app imports on demand. The Rust side (`app/src/ipfs/`) is the only caller; it passes plain
 * values (strings, numbers, Uint8Array, Blob/File, callbacks) and reads plain values back.
 *
 * Trust model: no gateway is trusted. Every block is hashed here and compared with its CID, and
 * the file is rebuilt by walking the DAG from the CID that was asked for (each block fills the
 * byte range its verified parent gives it), so a gateway can neither change a byte nor
 * substitute, drop or resize blocks. With raw leaves the file itself is streamed and each
 * leaf's range hashed against the leaf's CID (see `fetchStreamed`); otherwise blocks are
 * fetched one by one, or as a CAR. Blocks reach the IndexedDB cache only after the whole file
 * verified, and the file counts as cached only once all of them are committed.
 *
 * Uploads: the CID is computed here first (the fixed import profile: CIDv1, raw leaves, 1 MiB
 * chunks, balanced layout with 1024 links), then the bytes go to a Kubo RPC `/api/v0/add`
 * with the same profile; the server's CID must equal ours.
 *
 * Errors are thrown as `Error`s with a `kind` (see KINDS) that the Rust side maps to its enum.
 */
import { CarBlockIterator } from '@ipld/car/iterator'
import * as dagPb from '@ipld/dag-pb'
import { IDBBlockstore } from 'blockstore-idb'
import { UnixFS } from 'ipfs-unixfs'
import { exporter } from 'ipfs-unixfs-exporter'
import { importer } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { base32upper } from 'multiformats/bases/base32'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'

/** The import profile; must equal ipfs-node/src/profile.js and assay-core's `ipfs` module. */
export const PROFILE = Object.freeze({ cidVersion: 1, rawLeaves: true, chunkSize: 1_048_576, maxChildrenPerNode: 1024 })

const CACHE_NAME = 'assay-ipfs-blocks'

function importerOptions () {
  return {
    cidVersion: PROFILE.cidVersion,
    rawLeaves: PROFILE.rawLeaves,
    chunker: fixedSize({ chunkSize: PROFILE.chunkSize }),
    layout: balanced({ maxChildrenPerNode: PROFILE.maxChildrenPerNode })
  }
}

/** An error the Rust side understands: `kind` is one of the IpfsError variants. */
function fail (kind, message, extra = {}) {
  return Object.assign(new Error(message), { kind, ...extra })
}

/** A blockstore that keeps nothing: the importer only needs somewhere to put blocks. */
const nullBlockstore = {
  async put (cid) { return cid },
  async has () { return false },
  // eslint-disable-next-line require-yield
  * get () { throw new Error('nothing is stored') }
}

/** A blockstore in memory: the staging area of a download, committed to IndexedDB when complete. */
class MemoryStore {
  constructor () { this.blocks = new Map() }
  async put (cid, bytes) { this.blocks.set(cid.toString(), { cid, bytes }); return cid }
  async has (cid) { return this.blocks.has(cid.toString()) }
  * get (cid) {
    const entry = this.blocks.get(cid.toString())
    if (entry == null) throw fail('incomplete', `the gateway's CAR lacks block ${cid}`)
    yield entry.bytes
  }
}

/** Reads a Blob as an async iterable of chunks, reporting bytes read. */
async function * blobChunks (blob, onRead) {
  const reader = blob.stream().getReader()
  let read = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      read += value.byteLength
      onRead?.(read)
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

function toBlob (source) {
  if (source instanceof Blob) return source
  if (source instanceof Uint8Array) return new Blob([source])
  throw fail('other', 'upload source must be a Blob, File or Uint8Array')
}

/**
 * The CID of `source` (Blob/File/Uint8Array) under the import profile, computed locally and
 * streamed (a File is never read whole into memory). `onProgress(hashed, total)`.
 */
export async function cidOf (source, onProgress) {
  const blob = toBlob(source)
  const total = blob.size
  let root
  for await (const entry of importer([{ content: blobChunks(blob, (n) => onProgress?.(n, total)) }], nullBlockstore, importerOptions())) {
    root = entry.cid
  }
  onProgress?.(total, total)
  return root.toString()
}

/** POSTs a multipart form with XHR (fetch has no upload progress). Resolves with the response text. */
function postForm (url, form, onSent, timeoutMs) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.timeout = timeoutMs
    xhr.upload.onprogress = (event) => onSent?.(event.loaded)
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(xhr.responseText)
      } else {
        let message = xhr.responseText
        try { message = JSON.parse(xhr.responseText).Message ?? message } catch {}
        reject(fail('upload_rejected', `HTTP ${xhr.status}: ${message}`.slice(0, 500), { status: xhr.status }))
      }
    }
    xhr.onerror = () => reject(fail('unreachable', `cannot reach ${url}`, { url }))
    xhr.ontimeout = () => reject(fail('timed_out', `no answer from ${url} within ${timeoutMs} ms`, { url }))
    xhr.send(form)
  })
}

/**
 * Uploads `source` to a Kubo RPC API (`api` = `…/api/v0`) after computing its CID locally.
 * `onProgress(phase, done, total)` with phase `"hash"` then `"send"`. Returns the CID string.
 * With `pinningService`, also asks it to pin the CID (`POST {pinningService}/pins`), with
 * `pinningToken`, else the token saved in this browser (`PINNING_TOKEN_KEY`).
 */
export async function upload ({ source, api, name, pinningService, pinningToken, timeoutMs, onProgress }) {
  const blob = toBlob(source)
  const total = blob.size
  const local = await cidOf(blob, (done) => onProgress?.('hash', done, total))
  const params = new URLSearchParams({ 'cid-version': '1', 'raw-leaves': 'true', chunker: `size-${PROFILE.chunkSize}`, hash: 'sha2-256', pin: 'true' })
  const form = new FormData()
  form.append('file', blob, name || 'file')
  const text = await postForm(`${api.replace(/\/$/, '')}/add?${params}`, form, (sent) => onProgress?.('send', Math.min(sent, total), total), timeoutMs ?? 600_000)
  onProgress?.('send', total, total)
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  let remote
  try { remote = JSON.parse(lines[lines.length - 1]).Hash } catch {}
  if (typeof remote !== 'string') throw fail('upload_rejected', `the upload API answered ${text.slice(0, 200)}`)
  if (remote !== local) throw fail('cid_mismatch', `the node stored ${remote} but the bytes hash to ${local}`, { local, remote })
  if (pinningService) await pin(pinningService, pinningToken ?? storedPinningToken(), local, name)
  return local
}

/**
 * Where the pinning service's access token is kept in the browser (never in config.json, which
 * is public): localStorage under this key, per origin. `upload({ pinningToken })` overrides it.
 */
export const PINNING_TOKEN_KEY = 'assay.ipfs.pinningToken'

function storedPinningToken () {
  try { return globalThis.localStorage?.getItem(PINNING_TOKEN_KEY) || null } catch { return null }
}

/** The spec's Failure body (`{error: {reason, details}}`) in words, else the text itself. */
function failureText (text) {
  try {
    const { error } = JSON.parse(text)
    if (error?.reason != null) return error.details ? `${error.reason}: ${error.details}` : String(error.reason)
  } catch {}
  return text.trim().slice(0, 300)
}

/**
 * IPFS Pinning Service API: `POST {service}/pins {cid, name}` with the bearer token. The answer
 * is a PinStatus: queued, pinning or pinned are accepted (a service may pin later); failed, a
 * refused token or any other error is a `pin_rejected` error that says the file was uploaded but
 * is not pinned, and why.
 */
async function pin (service, token, cid, name) {
  const base = service.replace(/\/$/, '')
  const headers = { 'Content-Type': 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  let response
  try {
    response = await fetch(`${base}/pins`, { method: 'POST', headers, body: JSON.stringify({ cid, name: name || undefined }) })
  } catch (error) {
    throw fail('unreachable', `cannot reach the pinning service ${service}: ${error.message}`, { url: service })
  }
  const text = await response.text().catch(() => '')
  const notPinned = `the file was uploaded as ${cid} but is not pinned`
  if (response.status === 401 || response.status === 403) {
    const why = token
      ? `the pinning service ${base} refused the access token (HTTP ${response.status}, ${failureText(text)}); ${notPinned}. Check the token saved for this service`
      : `the pinning service ${base} needs an access token and none is set (localStorage "${PINNING_TOKEN_KEY}"); ${notPinned}`
    throw fail('pin_rejected', why, { status: response.status })
  }
  if (!response.ok) {
    throw fail('pin_rejected', `the pinning service ${base} answered HTTP ${response.status} (${failureText(text)}); ${notPinned}`, { status: response.status })
  }
  let status
  try { status = JSON.parse(text) } catch {}
  if (status?.status === 'failed') {
    const details = status.info?.status_details ?? 'no reason given'
    throw fail('pin_rejected', `the pinning service ${base} could not pin ${cid}: ${details}`, { status: response.status })
  }
  if (!['queued', 'pinning', 'pinned'].includes(status?.status)) {
    throw fail('pin_rejected', `the pinning service ${base} answered ${text.slice(0, 200)}, not a pin status; ${notPinned}`, { status: response.status })
  }
  return status
}

let cachePromise
function cache () {
  cachePromise ??= (async () => {
    const store = new IDBBlockstore(CACHE_NAME)
    await store.open()
    return store
  })()
  return cachePromise
}

function isQuota (error) {
  return /QuotaExceeded|quota/i.test(String(error?.message ?? error)) || error?.name === 'QuotaExceededError'
}

/** Rebuilds the bytes of `cid` from `store`, into one preallocated buffer. */
async function exportBytes (cid, store, maxBytes) {
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

/** Whether the whole file `cid` is in the IndexedDB cache (its bytes, or null). */
async function fromCache (cid, maxBytes) {
  let store
  try { store = await cache() } catch { return null }
  try {
    if (!(await store.has(cid))) return null
    return await exportBytes(cid, store, maxBytes)
  } catch (error) {
    if (error.kind === 'too_large') throw error
    return null
  }
}

/** Async chunks of a fetch body; each chunk resets the idle timer via `onChunk`. */
async function * bodyChunks (response, onChunk) {
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onChunk(value.byteLength)
    yield value
  }
}

/** Checks one block against its CID. */
async function verify (cid, bytes) {
  if (cid.multihash.code === 0x00) {
    if (!equalBytes(cid.multihash.digest, bytes)) throw fail('tampered', `identity block ${cid} does not match its bytes`, { block: cid.toString() })
    return
  }
  if (cid.multihash.code !== sha256.code) throw fail('unsupported', `block ${cid} uses hash 0x${cid.multihash.code.toString(16)}; only sha2-256 is accepted`)
  const digest = await sha256.digest(bytes)
  if (!equalBytes(digest.digest, cid.multihash.digest)) {
    throw fail('tampered', `block ${cid} does not hash to its CID`, { block: cid.toString() })
  }
}

function equalBytes (a, b) {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

/** File size promised by a root block (dag-pb UnixFS or raw), or null. */
function rootSize (cid, bytes) {
  if (cid.code === raw.code) return bytes.byteLength
  if (cid.code === dagPb.code) {
    const node = dagPb.decode(bytes)
    if (node.Data == null) return null
    const unixfs = UnixFS.unmarshal(node.Data)
    return Number(unixfs.fileSize())
  }
  return null
}

/** One gateway: fetch the CAR, verify every block, stage in memory; returns the staging store. */
async function fetchCar (cid, url, { timeoutMs, maxBytes, onProgress }) {
  const controller = new AbortController()
  let timedOut = false
  let timer
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => { timedOut = true; controller.abort() }, timeoutMs)
  }
  arm()
  const wrap = (error) => {
    if (error.kind != null) return error
    if (timedOut) return fail('timed_out', `no data from ${url} for ${timeoutMs} ms`, { url })
    return fail('unreachable', `${url}: ${error.message}`, { url })
  }
  try {
    let response
    try {
      response = await fetch(url, { signal: controller.signal, headers: { Accept: 'application/vnd.ipld.car' }, cache: 'no-store' })
    } catch (error) { throw wrap(error) }
    if (response.status === 404 || response.status === 410) throw fail('not_found', `${url} answered ${response.status}`, { url })
    if (!response.ok) throw fail('gateway_error', `${url} answered HTTP ${response.status}`, { url, status: response.status })
    const store = new MemoryStore()
    let received = 0
    let total = null
    let verified = 0
    // A CAR is the file plus per-block framing; anything far beyond the limit is junk.
    const byteBudget = maxBytes == null ? Infinity : maxBytes * 1.05 + 1_048_576
    try {
      const blocks = await CarBlockIterator.fromIterable(bodyChunks(response, (n) => {
        received += n
        arm()
        if (received > byteBudget) throw fail('too_large', `${url} sent more than ${maxBytes} bytes`, { limit: maxBytes })
      }))
      for await (const { cid: blockCid, bytes } of blocks) {
        await verify(blockCid, bytes)
        await store.put(blockCid, bytes)
        if (total == null && blockCid.equals(cid)) {
          total = rootSize(cid, bytes)
          if (total != null && maxBytes != null && total > maxBytes) throw fail('too_large', `${total} bytes`, { size: total, limit: maxBytes })
          onProgress?.(0, total ?? 0)
        }
        if (blockCid.code === raw.code && total != null) {
          verified = Math.min(total, verified + bytes.byteLength)
          onProgress?.(verified, total)
        }
      }
    } catch (error) {
      if (error.kind != null) throw error
      if (timedOut || error.name === 'AbortError') throw wrap(error)
      // A CAR that does not parse was changed or cut on the way.
      throw fail('tampered', `${url} sent a malformed CAR: ${error.message}`, { url })
    }
    return store
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
}

/** Blocks bigger than this are refused: the profile makes 1 MiB leaves and small dag-pb nodes. */
const MAX_BLOCK = 4 * 1_048_576
/**
 * Parallel block requests per gateway. Chromium opens at most 6 HTTP/1.1 connections per host;
 * two more keep a request queued so a connection never idles while a block is being hashed.
 */
const CONCURRENCY = 8

/**
 * A UnixFS file node (dag-pb): its inline data, its children with the byte range each covers,
 * and its size, all checked against one another. Anything else is refused in words.
 */
function fileNode (cid, bytes) {
  let node, unixfs
  try {
    node = dagPb.decode(bytes)
    if (node.Data == null) throw new Error('it has no UnixFS data')
    unixfs = UnixFS.unmarshal(node.Data)
  } catch (error) {
    throw fail('unsupported', `${cid} is not a UnixFS file node (${error.message})`)
  }
  if (unixfs.type !== 'file' && unixfs.type !== 'raw') throw fail('unsupported', `${cid} is a UnixFS ${unixfs.type}, not a file`)
  const data = unixfs.data ?? new Uint8Array(0)
  if (unixfs.blockSizes.length !== node.Links.length) {
    throw fail('unsupported', `${cid} is a malformed file node: ${node.Links.length} links but ${unixfs.blockSizes.length} block sizes`)
  }
  const children = []
  let offset = data.byteLength
  for (const [i, link] of node.Links.entries()) {
    const size = Number(unixfs.blockSizes[i])
    children.push({ cid: link.Hash, offset, size })
    offset += size
  }
  const size = Number(unixfs.fileSize())
  if (offset !== size) throw fail('unsupported', `${cid} is a malformed file node: its parts add up to ${offset} bytes, it says ${size}`)
  return { data, children, size }
}

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
async function fetchAssembled (cid, gateway, { timeoutMs, maxBytes, onProgress, onBlock, onSize }, knownRoot) {
  const getter = blockGetter(gateway.replace(/\/$/, ''), timeoutMs)
  const getBlock = getter.get
  const checkSize = (size) => {
    if (maxBytes != null && size > maxBytes) throw fail('too_large', `${size} bytes`, { size, limit: maxBytes })
  }
  try {
    const rootBytes = knownRoot ?? await getBlock(cid)
    if (cid.code === raw.code || cid.code === 0x00) {
      checkSize(rootBytes.byteLength)
      onProgress?.(rootBytes.byteLength, rootBytes.byteLength)
      return { bytes: rootBytes, rootBytes }
    }
    if (cid.code !== dagPb.code) throw fail('unsupported', `${cid} uses codec 0x${cid.code.toString(16)}; only UnixFS files (dag-pb, raw) can be opened`)
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
        if (bytes.byteLength !== size) throw fail('unsupported', `block ${blockCid} is ${bytes.byteLength} bytes where its file node says ${size}`, { block: key })
        out.set(bytes, offset)
        verified += size
        onProgress?.(verified, total)
      } else if (blockCid.code === dagPb.code) {
        const node = fileNode(blockCid, bytes)
        if (node.size !== size) throw fail('unsupported', `file node ${blockCid} holds ${node.size} bytes where its parent says ${size}`, { block: key })
        out.set(node.data, offset)
        verified += node.data.byteLength
        for (const child of node.children) pending.push({ cid: child.cid, offset: offset + child.offset, size: child.size })
      } else {
        throw fail('unsupported', `block ${blockCid} uses codec 0x${blockCid.code.toString(16)}, which is not part of a UnixFS file`)
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
          if (inFlight === 0) { wake?.(); return }
          await new Promise((resolve) => { const prev = wake; wake = () => { prev?.(); resolve() } })
          continue
        }
        inFlight++
        try { await place(next) } finally {
          inFlight--
          const w = wake
          wake = null
          w?.()
        }
      }
    })
    await Promise.all(workers)
    if (verified !== total) throw fail('unsupported', `${cid}: the blocks add up to ${verified} bytes, the file says ${total}`)
    return { bytes: out, rootBytes }
  } finally {
    getter.abort()
  }
}

/**
 * `get(cid)`: one block from `{base}/ipfs/{cid}?format=raw`, hashed against its CID before it
 * is returned (an identity CID needs no request). Each request has `timeoutMs` to complete;
 * `abort()` cancels whatever is still in flight.
 */
function blockGetter (base, timeoutMs) {
  const controller = new AbortController()
  const get = async (blockCid) => {
    if (blockCid.multihash.code === 0x00) return blockCid.multihash.digest
    const url = `${base}/ipfs/${blockCid}?format=raw`
    let timedOut = false
    const timer = setTimeout(() => { timedOut = true; controller.abort() }, timeoutMs)
    try {
      let response
      try {
        // no-store: the verified copy is kept in IndexedDB; the HTTP cache would hold a second.
        response = await fetch(url, { signal: controller.signal, headers: { Accept: 'application/vnd.ipld.raw' }, cache: 'no-store' })
      } catch (error) {
        if (timedOut) throw fail('timed_out', `no answer from ${url} for ${timeoutMs} ms`, { url })
        throw fail('unreachable', `${url}: ${error.message}`, { url })
      }
      if (response.status === 404 || response.status === 410) throw fail('not_found', `${url} answered ${response.status}`, { url })
      if (!response.ok) throw fail('gateway_error', `${url} answered HTTP ${response.status}`, { url, status: response.status })
      const length = Number(response.headers.get('content-length') ?? 0)
      if (length > MAX_BLOCK) throw fail('tampered', `${url} sent a ${length}-byte block`, { url })
      let bytes
      try { bytes = new Uint8Array(await response.arrayBuffer()) } catch (error) {
        if (timedOut) throw fail('timed_out', `${url} stalled for ${timeoutMs} ms`, { url })
        throw fail('unreachable', `${url}: ${error.message}`, { url })
      }
      if (bytes.byteLength > MAX_BLOCK) throw fail('tampered', `${url} sent a ${bytes.byteLength}-byte block`, { url })
      await verify(blockCid, bytes)
      return bytes
    } finally {
      clearTimeout(timer)
    }
  }
  return { get, abort: () => controller.abort() }
}

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
 * bytes, offset, size)` each verified leaf as a range of the returned bytes.
 */
async function fetchStreamed (cid, gateway, { timeoutMs, maxBytes, onProgress, onBlock, onRange, onSize }) {
  const base = gateway.replace(/\/$/, '')
  const getBlock = blockGetter(base, timeoutMs)
  const controller = new AbortController()
  const url = `${base}/ipfs/${cid}`
  let timedOut = false
  let timer
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => { timedOut = true; controller.abort() }, timeoutMs)
  }
  // The file is requested from the path gateway at once, beside its root block, so the root's
  // round trip is not waited for; if the root says the file can't be streamed, the request is
  // dropped (the `finally` below aborts it).
  let early = null
  if (cid.code === dagPb.code) {
    arm()
    early = fetch(url, { signal: controller.signal, cache: 'no-store' }).then((response) => ({ response }), (error) => ({ error }))
  }
  try {
    const rootBytes = await getBlock.get(cid)
    // Not streamable: the caller goes block by block, starting from this verified root.
    const skip = { bytes: null, rootBytes }
    if (cid.code !== dagPb.code) return { bytes: checkedLeaf(cid, rootBytes, maxBytes, onProgress), rootBytes }
    const root = fileNode(cid, rootBytes)
    if (maxBytes != null && root.size > maxBytes) throw fail('too_large', `${root.size} bytes`, { size: root.size, limit: maxBytes })
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
          else throw fail('unsupported', `block ${child.cid} uses codec 0x${child.cid.code.toString(16)}, which is not part of a UnixFS file`)
        }
      }
      // Inner nodes with data of their own, or leaves that are not raw: block by block instead.
      const fetched = await Promise.all(inner.map(async (at) => {
        const bytes = await getBlock.get(at.cid)
        const node = fileNode(at.cid, bytes)
        if (node.size !== at.size) throw fail('unsupported', `file node ${at.cid} holds ${node.size} bytes where its parent says ${at.size}`)
        onBlock?.(at.cid, bytes)
        return { node, offset: at.offset }
      }))
      if (fetched.some(({ node }) => node.data.byteLength > 0 && node.children.length > 0)) return skip
      for (const { node, offset } of fetched) if (node.children.length === 0) return skip
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
    const stop = (error) => { failure ??= error; controller.abort() }
    let verified = 0
    const checks = []
    // Called as soon as a leaf's range is complete. WebCrypto copies its input when called, and
    // the cache copy is taken here too, so both see the bytes before the next read reuses `out`.
    const check = (leaf) => {
      const range = out.subarray(leaf.offset, leaf.offset + leaf.size)
      const digest = leaf.cid.multihash.code === 0x00 ? null : crypto.subtle.digest('SHA-256', range)
      checks.push((async () => {
        try {
          if (digest == null) await verify(leaf.cid, range.slice())
          else if (leaf.cid.multihash.code !== sha256.code) await verify(leaf.cid, range)
          else if (!equalBytes(new Uint8Array(await digest), leaf.cid.multihash.digest)) throw fail('tampered', 'mismatch')
        } catch (error) {
          stop(error.kind === 'tampered' ? fail('tampered', `${url}: bytes ${leaf.offset}–${leaf.offset + leaf.size} do not hash to their block ${leaf.cid}`, { url, block: leaf.cid.toString() }) : error)
          return
        }
        verified += leaf.size
        onProgress?.(verified, total)
      })())
    }
    arm()
    try {
      const answer = await early
      if (answer.error != null) {
        if (timedOut) throw fail('timed_out', `no answer from ${url} for ${timeoutMs} ms`, { url })
        throw fail('unreachable', `${url}: ${answer.error.message}`, { url })
      }
      const response = answer.response
      if (!response.ok || response.body == null) {
        response.body?.cancel().catch(() => {})
        return skip
      }
      let position = 0
      let next = 0
      const landed = (n) => {
        arm()
        position += n
        while (next < leaves.length && leaves[next].offset + leaves[next].size <= position) check(leaves[next++])
      }
      try {
        // A BYOB reader writes the body straight into `out` (each read hands the buffer back
        // as a new view); otherwise each chunk is copied in.
        let byob = null
        try { byob = response.body.getReader({ mode: 'byob' }) } catch {}
        if (byob != null) {
          while (position < total) {
            const { done, value } = await byob.read(new Uint8Array(out.buffer, position, Math.min(total - position, 4 * 1_048_576)))
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
        if (timedOut) throw fail('timed_out', `no data from ${url} for ${timeoutMs} ms`, { url })
        throw fail('unreachable', `${url}: ${error.message}`, { url })
      }
      if (position !== total) return skip
      await Promise.all(checks)
      if (failure != null) throw failure
      // The leaves go to the cache as ranges of the file, copied (and hashed again) when they
      // are written, off the download's critical path.
      for (const leaf of leaves) onRange?.(leaf.cid, out, leaf.offset, leaf.size)
      return { bytes: out, rootBytes }
    } finally {
      clearTimeout(timer)
      controller.abort()
    }
  } finally {
    clearTimeout(timer)
    controller.abort()
    getBlock.abort()
  }
}

/** A single-block file (a raw or identity CID): its bytes, size-checked. */
function checkedLeaf (cid, bytes, maxBytes, onProgress) {
  if (cid.code !== raw.code && cid.code !== 0x00) throw fail('unsupported', `${cid} uses codec 0x${cid.code.toString(16)}; only UnixFS files (dag-pb, raw) can be opened`)
  if (maxBytes != null && bytes.byteLength > maxBytes) throw fail('too_large', `${bytes.byteLength} bytes`, { size: bytes.byteLength, limit: maxBytes })
  onProgress?.(bytes.byteLength, bytes.byteLength)
  return bytes
}

/** The IndexedDB key of a block (blockstore-idb's scheme: `/` + base32upper multihash). */
const blockKey = (cid) => `/${base32upper.encode(cid.multihash.bytes)}`

/**
 * Writes a downloaded file's verified blocks to IndexedDB. Blocks are queued during the
 * download and written once it is verified (`finish`), so the writes never compete with it;
 * they go in batches, one transaction at a time, and a block the cache already holds is not
 * written again. `reserve(size)` checks the storage estimate first, so a file that can't fit
 * fails before anything is written. `finish(root, rootBytes)` writes every queued block, then
 * the root block alone, last: the root is what makes a file count as cached, so a file is
 * never cached unless all its blocks are committed. `discard()` (a failed download or a failed
 * write) stops and deletes the blocks this writer added, so a failure keeps nothing.
 */
class CacheWriter {
  constructor (idb) {
    this.idb = idb
    this.queue = []
    this.running = null
    this.error = null
    this.stopped = false
    this.added = []
    this.seen = new Set()
    // Writes start with `finish`, so they never compete with the download for the CPU.
    this.deferred = true
  }

  /** Checks the storage estimate for `size` more bytes: a file that can't fit fails at once. */
  reserve (size) {
    this.ready = (async () => {
      const estimate = await globalThis.navigator?.storage?.estimate?.()
      if (estimate?.quota != null && estimate.usage != null && estimate.usage + size > estimate.quota) {
        this.error ??= Object.assign(new Error(`${size} bytes do not fit: the site may store ${estimate.quota - estimate.usage} more`), { name: 'QuotaExceededError' })
      }
    })().catch(() => {})
  }

  /** Queues a verified block; `range` = [offset, size] makes it that part of `bytes`. */
  add (cid, bytes, range) {
    if (this.stopped || this.error != null) return
    const key = blockKey(cid)
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.queue.push([cid, bytes, range])
    if (!this.deferred) this.running ??= this.drain()
  }

  async drain () {
    try {
      await this.ready
      while (this.queue.length > 0 && !this.stopped && this.error == null) {
        const batch = this.queue.splice(0)
        try { await this.write(batch) } catch (error) { this.error = error }
      }
    } finally {
      this.running = null
    }
  }

  async write (batch) {
    // A range of the returned file is copied here (IndexedDB would store a view's whole
    // buffer) and hashed again, so the cache holds verified bytes even if the caller changed
    // the file it was given. Before the transaction: it must not wait on anything else.
    for (const entry of batch) {
      const [cid, bytes, range] = entry
      if (range == null) continue
      const copy = bytes.slice(range[0], range[0] + range[1])
      try { await verify(cid, copy) } catch {
        throw new Error(`the bytes of block ${cid} changed after they were verified; not cached`)
      }
      entry[1] = copy
    }
    const tx = this.idb.db.transaction(this.idb.location, 'readwrite')
    const store = tx.store
    await Promise.all([
      ...batch.map(async ([cid, bytes]) => {
        const key = blockKey(cid)
        if ((await store.getKey(key)) !== undefined) return
        this.added.push(key)
        await store.put(bytes, key)
      }),
      tx.done
    ])
  }

  async finish (root, rootBytes) {
    this.running ??= this.drain()
    await this.ready
    while (this.running != null) await this.running
    if (this.error != null) throw this.error
    await this.write([[root, rootBytes]])
  }

  async discard () {
    this.stopped = true
    this.queue.length = 0
    while (this.running != null) await this.running
    if (this.added.length === 0) return
    try {
      const tx = this.idb.db.transaction(this.idb.location, 'readwrite')
      await Promise.all([...this.added.map((key) => tx.store.delete(key)), tx.done])
      this.added = []
    } catch {}
  }
}

function cacheErrorOf (error) {
  return isQuota(error) ? { kind: 'quota_exceeded', message: String(error.message ?? error) } : { kind: 'other', message: String(error.message ?? error) }
}

/** Puts every staged block into the IndexedDB cache (the CAR fallback's staging store). */
async function commit (store, root) {
  const writer = new CacheWriter(await cache())
  for (const { cid, bytes } of store.blocks.values()) if (!cid.equals(root)) writer.add(cid, bytes)
  try { await writer.finish(root, store.blocks.get(root.toString()).bytes) } catch (error) {
    await writer.discard()
    throw error
  }
}

/** Cache commits still running after their fetch returned, by CID; each settles to its error or null. */
const pendingCommits = new Map()
/** CIDs whose last background commit failed, with that failure (their next fetch commits in the foreground). */
const failedCommits = new Map()

/** Waits until no cache commit is running. */
async function commitsSettled () {
  while (pendingCommits.size > 0) await Promise.all(pendingCommits.values())
}

/**
 * Fetches the file `cid` (a string), verified block by block: from the IndexedDB cache if it is
 * all there, else from each of `gateways` in order until one succeeds (see `fetchStreamed`,
 * `fetchAssembled`; `urls[i]`, the CAR URL of gateway i, when that gateway cannot serve raw
 * blocks). `onProgress(done, total)` is monotonic and ends with done == total.
 * Returns `{ bytes, source, cacheError, caching, committed }`: source is "cache" or the gateway
 * used; `committed` settles, never rejecting, once the cache has the file (null) or has failed
 * to keep it (the error, as `cacheError`) — a storage estimate can say there is room where the
 * writes are then refused.
 *
 * Caching: verified blocks are written to IndexedDB during the download, the root block last,
 * so a file counts as cached only once all its blocks are committed. The bytes are returned as
 * soon as they are verified; `caching: true` says the last writes are still going on.
 * `cacheError` is every cache failure known by then (no IndexedDB, a storage estimate the file
 * does not fit, a write that already failed). A commit that fails later deletes what it wrote,
 * is passed to `onCacheError(error)`, makes `isCached` false, and the next fetch of that CID
 * waits for its own commit, so its `cacheError` is exact. Downloads wait for the previous
 * file's commit first, so at most one file's blocks are held in memory for the cache.
 */
export async function fetchFile ({ cid: cidText, gateways, urls, timeoutMs = 30_000, maxBytes, useCache = true, onProgress, onCacheError }) {
  let cid
  try { cid = CID.parse(cidText) } catch (error) { throw fail('invalid_cid', `${cidText}: ${error.message}`) }
  const key = cid.toString()
  let last = 0
  let lastTotal = 0
  const progress = (done, total) => {
    if (total > 0) lastTotal = total
    if (done >= last) { last = done; onProgress?.(done, lastTotal) }
  }
  await commitsSettled()
  if (useCache) {
    const cached = await fromCache(cid, maxBytes)
    if (cached != null) {
      progress(cached.byteLength, cached.byteLength)
      return { bytes: cached, source: 'cache', cacheError: null, caching: false, committed: Promise.resolve(null) }
    }
  }
  const errors = []
  for (const [index, gateway] of gateways.entries()) {
    const url = urls?.[index] ?? gateway
    // Verified blocks go to IndexedDB while the rest download; a cache that can't be opened
    // only costs the offline copy.
    let writer = null
    let cacheError = null
    if (useCache) {
      try { writer = new CacheWriter(await cache()) } catch (error) { cacheError = cacheErrorOf(error) }
    }
    try {
      // The file nodes as raw blocks, then the file in one stream, each leaf's range hashed
      // against its CID; block by block (parallel `?format=raw`) for other DAGs or gateways
      // without a path gateway; the CAR request for gateways that cannot serve raw blocks.
      // Every block is verified here either way.
      let bytes
      let committing = null
      try {
        const options = { timeoutMs, maxBytes, onProgress: progress, onBlock: writer && ((c, b) => writer.add(c, b)), onRange: writer && ((c, b, offset, size) => writer.add(c, b, [offset, size])), onSize: writer && ((n) => writer.reserve(n)) }
        let fetched = await fetchStreamed(cid, gateway, options)
        if (fetched.bytes == null) fetched = await fetchAssembled(cid, gateway, options, fetched.rootBytes)
        bytes = fetched.bytes
        if (writer != null) {
          // The commit starts in a task of its own: the caller's continuation (a chain of
          // microtasks through wasm-bindgen) runs first instead of waiting behind each write step.
          const rootBytes = fetched.rootBytes
          committing = new Promise((resolve) => setTimeout(resolve, 0))
            .then(() => writer.finish(cid, rootBytes))
            .then(() => null, async (error) => {
              await writer.discard()
              return cacheErrorOf(error)
            })
        }
      } catch (error) {
        await writer?.discard()
        if (error.kind !== 'gateway_error' || urls?.[index] == null) throw error
        const store = await fetchCar(cid, url, { timeoutMs, maxBytes, onProgress: progress })
        bytes = await exportBytes(cid, store, maxBytes)
        if (useCache && cacheError == null) {
          try { await commit(store, cid) } catch (error) { cacheError = cacheErrorOf(error) }
        }
      }
      progress(bytes.byteLength, bytes.byteLength)
      let caching = false
      let committed = null
      if (committing != null) {
        if (writer.error != null || failedCommits.has(key)) {
          // Already failed, or failed last time: wait, so this answer is exact.
          cacheError = await committing
          if (cacheError == null) failedCommits.delete(key)
          else failedCommits.set(key, cacheError)
        } else {
          caching = true
          const settled = committing.then((error) => {
            pendingCommits.delete(key)
            if (error != null) {
              failedCommits.set(key, error)
              try { onCacheError?.(Object.assign(new Error(error.message), error)) } catch {}
            }
            return error
          })
          pendingCommits.set(key, settled)
          committed = settled
        }
      }
      return { bytes, source: gateway, cacheError, caching, committed: committed ?? Promise.resolve(cacheError) }
    } catch (error) {
      errors.push(error.kind != null ? error : fail('other', String(error.message ?? error)))
    }
  }
  // Report the most telling failure: tampering beats a size refusal beats time-outs beats absence.
  const rank = ['tampered', 'too_large', 'unsupported', 'incomplete', 'timed_out', 'gateway_error', 'not_found', 'unreachable', 'other']
  errors.sort((a, b) => rank.indexOf(a.kind) - rank.indexOf(b.kind))
  const first = errors[0] ?? fail('unreachable', 'no gateway is configured')
  // All gateways unreachable: say so as one error, naming them.
  if (errors.every((e) => e.kind === 'unreachable')) throw fail('unreachable', errors.map((e) => e.message).join('; '), { url: gateways.join(', ') })
  throw first
}

/** Empties the IndexedDB cache (the benchmark's cold start). */
export async function clearCache () {
  await commitsSettled()
  failedCommits.clear()
  // Emptied, not deleted: the next fetch then doesn't pay for creating the database again.
  const store = await cache()
  const tx = store.db.transaction(store.location, 'readwrite')
  await Promise.all([tx.store.clear(), tx.done])
}

/** Whether the cache holds the file `cid` completely (after any commit still running). */
export async function isCached (cid) {
  await commitsSettled()
  return (await fromCache(CID.parse(cid))) != null
}

/** For the benchmark: a plain `fetch()` of `url`, bytes counted, nothing verified. */
export async function rawFetch (url) {
  const response = await fetch(url, { cache: 'no-store' })
  if (!response.ok) throw fail('gateway_error', `${url} answered HTTP ${response.status}`, { url, status: response.status })
  const buffer = await response.arrayBuffer()
  return buffer.byteLength
}
