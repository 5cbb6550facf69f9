/** Single blocks from a Trustless Gateway (`?format=raw`), each verified before it is returned. */
import { fail } from '../errors.js'
import { verify } from '../verify.js'

/** Blocks bigger than this are refused: the profile makes 1 MiB leaves and small dag-pb nodes. */
const MAX_BLOCK = 4 * 1_048_576

/**
 * `get(cid)`: one block from `{base}/ipfs/{cid}?format=raw`, hashed against its CID before it
 * is returned (an identity CID needs no request). Each request has `timeoutMs` to complete;
 * `abort()` cancels whatever is still in flight.
 */
export function blockGetter(base, timeoutMs) {
  const controller = new AbortController()
  const get = async (blockCid) => {
    if (blockCid.multihash.code === 0x00) return blockCid.multihash.digest
    const url = `${base}/ipfs/${blockCid}?format=raw`
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    try {
      let response
      try {
        // no-store: the verified copy is kept in IndexedDB; the HTTP cache would hold a second.
        response = await fetch(url, {
          signal: controller.signal,
          headers: { Accept: 'application/vnd.ipld.raw' },
          cache: 'no-store'
        })
      } catch (error) {
        if (timedOut) throw fail('timed_out', `no answer from ${url} for ${timeoutMs} ms`, { url })
        throw fail('unreachable', `${url}: ${error.message}`, { url })
      }
      if (response.status === 404 || response.status === 410)
        throw fail('not_found', `${url} answered ${response.status}`, { url })
      if (!response.ok)
        throw fail('gateway_error', `${url} answered HTTP ${response.status}`, { url, status: response.status })
      const length = Number(response.headers.get('content-length') ?? 0)
      if (length > MAX_BLOCK) throw fail('tampered', `${url} sent a ${length}-byte block`, { url })
      let bytes
      try {
        bytes = new Uint8Array(await response.arrayBuffer())
      } catch (error) {
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
