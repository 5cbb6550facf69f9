/**
 * Assay's in-browser IPFS glue, bundled by esbuild into one ES module (`assay-ipfs.js`) that the
 * app imports on demand. The Rust side (`app/src/ipfs/`) is the only caller; it passes plain
 * values (strings, numbers, Uint8Array, Blob/File, callbacks) and reads plain values back.
 *
 * Trust model: no gateway is trusted. Downloads are CARs whose every block is hashed here and
 * compared with its CID; the file is then rebuilt from the verified blocks by walking the DAG
 * from the CID that was asked for, so a gateway can neither change a byte nor substitute blocks.
 * Blocks reach the IndexedDB cache only after the whole file verified.
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
 * With `pinningService`, also asks it to pin the CID (`POST {pinningService}/pins`).
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
  if (pinningService) await pin(pinningService, pinningToken, local, name)
  return local
}

/** IPFS Pinning Service API: `POST /pins` with the CID. */
async function pin (service, token, cid, name) {
  const headers = { 'Content-Type': 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  let response
  try {
    response = await fetch(`${service.replace(/\/$/, '')}/pins`, { method: 'POST', headers, body: JSON.stringify({ cid, name: name || undefined }) })
  } catch (error) {
    throw fail('unreachable', `cannot reach the pinning service ${service}: ${error.message}`, { url: service })
  }
  if (!response.ok) {
    throw fail('pin_rejected', `the pinning service answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`, { status: response.status })
  }
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
/** Parallel block requests per gateway. */
const CONCURRENCY = 8

/**
 * One gateway, block by block: `GET {gw}/ipfs/{cid}?format=raw` for the root, then every linked
 * block (CONCURRENCY at a time), each hashed against its CID before its links are followed.
 * Returns the staging store holding the whole verified DAG.
 */
async function fetchBlocks (cid, gateway, { timeoutMs, maxBytes, onProgress }) {
  const controller = new AbortController()
  const store = new MemoryStore()
  const getBlock = async (blockCid) => {
    const url = `${gateway.replace(/\/$/, '')}/ipfs/${blockCid}?format=raw`
    let timedOut = false
    const timer = setTimeout(() => { timedOut = true; controller.abort() }, timeoutMs)
    try {
      let response
      try {
        response = await fetch(url, { signal: controller.signal, headers: { Accept: 'application/vnd.ipld.raw' } })
      } catch (error) {
        if (timedOut) throw fail('timed_out', `no answer from ${url} for ${timeoutMs} ms`, { url })
        if (error.kind != null) throw error
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
      await verify(blockCid, bytes)
      await store.put(blockCid, bytes)
      return bytes
    } finally {
      clearTimeout(timer)
    }
  }
  try {
    const rootBytes = await getBlock(cid)
    const total = rootSize(cid, rootBytes)
    if (total != null && maxBytes != null && total > maxBytes) throw fail('too_large', `${total} bytes`, { size: total, limit: maxBytes })
    onProgress?.(0, total ?? 0)
    let verified = cid.code === raw.code ? rootBytes.byteLength : 0
    const pending = cid.code === dagPb.code ? dagPb.decode(rootBytes).Links.map((l) => l.Hash) : []
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      while (pending.length > 0) {
        const next = pending.shift()
        if (store.blocks.has(next.toString())) continue
        const bytes = await getBlock(next)
        if (next.code === dagPb.code) {
          pending.push(...dagPb.decode(bytes).Links.map((l) => l.Hash))
        } else if (next.code === raw.code && total != null) {
          verified = Math.min(total, verified + bytes.byteLength)
          onProgress?.(verified, total)
        }
      }
    })
    await Promise.all(workers)
    return store
  } finally {
    controller.abort()
  }
}

/** Puts every staged block into the IndexedDB cache. */
async function commit (store) {
  const idb = await cache()
  const db = idb.db
  if (db?.transaction == null) {
    await Promise.all([...store.blocks.values()].map(({ cid, bytes }) => idb.put(cid, bytes)))
    return
  }
  // One transaction for the whole file (all or nothing, and far faster than one per block), with
  // blockstore-idb's key scheme (`/` + base32upper multihash) so its reads find the blocks.
  const tx = db.transaction(idb.location, 'readwrite')
  for (const { cid, bytes } of store.blocks.values()) {
    tx.store.put(bytes, `/${base32upper.encode(cid.multihash.bytes)}`)
  }
  await tx.done
}

/**
 * Fetches the file `cid` (a string), verified block by block: from the IndexedDB cache if it is
 * all there, else from each of `gateways` in order until one succeeds (blocks via `?format=raw`;
 * `urls[i]`, the CAR URL of gateway i, when that gateway cannot serve raw blocks).
 * `onProgress(done, total)` is monotonic and ends with done == total.
 * Returns `{ bytes, source, cacheError }`: source is "cache" or the gateway used; cacheError is a
 * message when the verified bytes could not be cached (e.g. quota).
 */
export async function fetchFile ({ cid: cidText, gateways, urls, timeoutMs = 30_000, maxBytes, useCache = true, onProgress }) {
  let cid
  try { cid = CID.parse(cidText) } catch (error) { throw fail('invalid_cid', `${cidText}: ${error.message}`) }
  let last = 0
  let lastTotal = 0
  const progress = (done, total) => {
    if (total > 0) lastTotal = total
    if (done >= last) { last = done; onProgress?.(done, lastTotal) }
  }
  if (useCache) {
    const cached = await fromCache(cid, maxBytes)
    if (cached != null) {
      progress(cached.byteLength, cached.byteLength)
      return { bytes: cached, source: 'cache', cacheError: null }
    }
  }
  const errors = []
  for (const [index, gateway] of gateways.entries()) {
    const url = urls?.[index] ?? gateway
    try {
      // Block by block (parallel `?format=raw`); a gateway that cannot serve raw blocks gets
      // the CAR request instead. Either way every block is verified here.
      let store
      try {
        store = await fetchBlocks(cid, gateway, { timeoutMs, maxBytes, onProgress: progress })
      } catch (error) {
        if (error.kind !== 'gateway_error' || urls?.[index] == null) throw error
        store = await fetchCar(cid, url, { timeoutMs, maxBytes, onProgress: progress })
      }
      const bytes = await exportBytes(cid, store, maxBytes)
      progress(bytes.byteLength, bytes.byteLength)
      let cacheError = null
      if (useCache) {
        try { await commit(store) } catch (error) {
          cacheError = isQuota(error) ? { kind: 'quota_exceeded', message: String(error.message ?? error) } : { kind: 'other', message: String(error.message ?? error) }
        }
      }
      return { bytes, source: gateway, cacheError }
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
  const store = await cache()
  await store.close()
  cachePromise = undefined
  await store.destroy()
}

/** Whether the cache holds the file `cid` completely. */
export async function isCached (cid) {
  return (await fromCache(CID.parse(cid))) != null
}

/** For the benchmark: a plain `fetch()` of `url`, bytes counted, nothing verified. */
export async function rawFetch (url) {
  const response = await fetch(url, { cache: 'no-store' })
  if (!response.ok) throw fail('gateway_error', `${url} answered HTTP ${response.status}`, { url, status: response.status })
  const buffer = await response.arrayBuffer()
  return buffer.byteLength
}
