/** Single blocks from a Trustless Gateway (`?format=raw`), each verified before it is returned. */
import { fail } from '../errors.js'
import { verify } from '../verify.js'
import { gatewayGet, idleTimer, requestFailed } from './request.js'

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
    const idle = idleTimer(controller, timeoutMs)
    idle.arm()
    try {
      const response = await gatewayGet(url, 'application/vnd.ipld.raw', {
        signal: controller.signal,
        idle,
        silence: `no answer from ${url} for ${timeoutMs} ms`
      })
      const length = Number(response.headers.get('content-length') ?? 0)
      if (length > MAX_BLOCK) throw fail('tampered', `${url} sent a ${length}-byte block`, { url })
      let bytes
      try {
        bytes = new Uint8Array(await response.arrayBuffer())
      } catch (error) {
        throw requestFailed(url, error, idle, `${url} stalled for ${timeoutMs} ms`)
      }
      if (bytes.byteLength > MAX_BLOCK) throw fail('tampered', `${url} sent a ${bytes.byteLength}-byte block`, { url })
      await verify(blockCid, bytes)
      return bytes
    } finally {
      idle.clear()
    }
  }
  return { get, abort: () => controller.abort() }
}
