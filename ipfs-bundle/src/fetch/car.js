/** The fallback for gateways that cannot serve raw blocks: the file as one CAR, every block verified. */
import { CarBlockIterator } from '@ipld/car/iterator'
import * as raw from 'multiformats/codecs/raw'
import { fail } from '../errors.js'
import { rootSize } from '../unixfs.js'
import { verify } from '../verify.js'
import { gatewayGet, idleTimer, requestFailed } from './request.js'

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
  const idle = idleTimer(controller, timeoutMs)
  idle.arm()
  const silence = `no data from ${url} for ${timeoutMs} ms`
  try {
    const response = await gatewayGet(url, 'application/vnd.ipld.car', { signal: controller.signal, idle, silence })
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
          idle.arm()
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
      if (idle.timedOut || error.name === 'AbortError') throw requestFailed(url, error, idle, silence)
      // A CAR that does not parse was changed or cut on the way.
      throw fail('tampered', `${url} sent a malformed CAR: ${error.message}`, { url })
    }
    return store
  } finally {
    idle.clear()
    controller.abort()
  }
}
