/** The fallback for gateways that cannot serve raw blocks: the file as one CAR, every block verified. */
import { CarBlockIterator } from '@ipld/car/iterator'
import * as raw from 'multiformats/codecs/raw'
import { fail } from '../errors.js'
import { rootSize } from '../unixfs.js'
import { verify } from '../verify.js'

/** A blockstore in memory: the staging area of a download, committed to IndexedDB when complete. */
class MemoryStore {
  constructor() {
    this.blocks = new Map()
  }
  async put(cid, bytes) {
    this.blocks.set(cid.toString(), { cid, bytes })
    return cid
  }
  async has(cid) {
    return this.blocks.has(cid.toString())
  }
  *get(cid) {
    const entry = this.blocks.get(cid.toString())
    if (entry == null) throw fail('incomplete', `the gateway's CAR lacks block ${cid}`)
    yield entry.bytes
  }
}

/** Async chunks of a fetch body; each chunk resets the idle timer via `onChunk`. */
async function* bodyChunks(response, onChunk) {
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onChunk(value.byteLength)
    yield value
  }
}

/** One gateway: fetch the CAR, verify every block, stage in memory; returns the staging store. */
export async function fetchCar(cid, url, { timeoutMs, maxBytes, onProgress }) {
  const controller = new AbortController()
  let timedOut = false
  let timer
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
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
      response = await fetch(url, {
        signal: controller.signal,
        headers: { Accept: 'application/vnd.ipld.car' },
        cache: 'no-store'
      })
    } catch (error) {
      throw wrap(error)
    }
    if (response.status === 404 || response.status === 410)
      throw fail('not_found', `${url} answered ${response.status}`, { url })
    if (!response.ok)
      throw fail('gateway_error', `${url} answered HTTP ${response.status}`, { url, status: response.status })
    const store = new MemoryStore()
    let received = 0
    let total = null
    let verified = 0
    // A CAR is the file plus per-block framing; anything far beyond the limit is junk.
    const byteBudget = maxBytes == null ? Infinity : maxBytes * 1.05 + 1_048_576
    try {
      const blocks = await CarBlockIterator.fromIterable(
        bodyChunks(response, (n) => {
          received += n
          arm()
          if (received > byteBudget)
            throw fail('too_large', `${url} sent more than ${maxBytes} bytes`, { limit: maxBytes })
        })
      )
      for await (const { cid: blockCid, bytes } of blocks) {
        await verify(blockCid, bytes)
        await store.put(blockCid, bytes)
        if (total == null && blockCid.equals(cid)) {
          total = rootSize(cid, bytes)
          if (total != null && maxBytes != null && total > maxBytes)
            throw fail('too_large', `${total} bytes`, { size: total, limit: maxBytes })
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
