/**
 * The verified fetch of a file: the cache first, then each gateway in turn, with the strategy
 * that gateway allows (streamed, block by block, or one CAR), every block verified either way.
 */
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { cacheErrorOf, fail, gatewaysFailed } from '../errors.js'
import { exportBytes } from '../unixfs.js'
import { fetchAssembled } from './assembled.js'
import { fetchCar } from './car.js'
import { fetchStreamed, requestRoot } from './streamed.js'

/**
 * Fetches the file `cid` (a string), verified block by block: from the IndexedDB cache (`cache`,
 * a `BlockCache`) if it is all there, else from each of `gateways` in order until one succeeds
 * (see `fetchStreamed`, `fetchAssembled`; `urls[i]`, the CAR URL of gateway i, when that gateway
 * cannot serve raw blocks). `onProgress(done, total)` is monotonic and ends with done == total.
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
 * waits for its own commit, so its `cacheError` is exact. Downloads of a file of several blocks
 * wait for the commits still running first, so at most one such file's blocks are held in
 * memory for the cache; a one-block file waits only for a commit of the same CID.
 */
export async function fetchFile(
  cache,
  { cid: cidText, gateways, urls, timeoutMs = 30_000, maxBytes, useCache = true, onProgress, onCacheError }
) {
  let cid
  try {
    cid = CID.parse(cidText)
  } catch (error) {
    throw fail('invalid_cid', `${cidText}: ${error.message}`)
  }
  const key = cid.toString()
  let last = 0
  let lastTotal = 0
  const progress = (done, total) => {
    if (total > 0) lastTotal = total
    if (done >= last) {
      last = done
      onProgress?.(done, lastTotal)
    }
  }
  // A file of one raw block (any file up to a chunk under the import profile: a card, a terms
  // document) shares no block with another file, so it waits only for a commit of its own CID:
  // Browse's cards are not fetched one commit after another. Any other file waits for every
  // commit still running, so at most one file's blocks are held in memory for the cache.
  const oneBlock = cid.code === raw.code
  if (oneBlock) await cache.settledFor(key)
  else await cache.settled()
  // A one-block file's request to the first gateway leaves beside the cache lookup, whose
  // IndexedDB answer may come only after the page's next rendering task; a hit drops it.
  const early = oneBlock && useCache && gateways.length > 0 ? requestRoot(cid, gateways[0], timeoutMs) : null
  if (useCache) {
    let cached
    try {
      cached = await cache.read(cid, maxBytes)
    } catch (error) {
      early?.abort()
      throw error
    }
    if (cached != null) {
      early?.abort()
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
      try {
        writer = await cache.writer()
      } catch (error) {
        cacheError = cacheErrorOf(error)
      }
    }
    try {
      // The file nodes as raw blocks, then the file in one stream, each leaf's range hashed
      // against its CID; block by block (parallel `?format=raw`) for other DAGs or gateways
      // without a path gateway; the CAR request for gateways that cannot serve raw blocks.
      // Every block is verified here either way.
      let bytes
      let committing = null
      try {
        const options = {
          requestedRoot: index === 0 ? early : null,
          timeoutMs,
          maxBytes,
          onProgress: progress,
          onBlock: writer && ((c, b) => writer.add(c, b)),
          onRange: writer && ((c, b, offset, size) => writer.add(c, b, [offset, size])),
          onSize: writer && ((n) => writer.reserve(n))
        }
        let fetched = await fetchStreamed(cid, gateway, options)
        if (fetched.bytes == null) fetched = await fetchAssembled(cid, gateway, options, fetched.rootBytes)
        bytes = fetched.bytes
        // The commit starts in a task of its own (`finishLater`), after this returns.
        if (writer != null) committing = writer.finishLater(cid, fetched.rootBytes)
      } catch (error) {
        await writer?.discard()
        if (error.kind !== 'gateway_error' || urls?.[index] == null) throw error
        const store = await fetchCar(cid, url, { timeoutMs, maxBytes, onProgress: progress })
        bytes = await exportBytes(cid, store, maxBytes)
        if (useCache && cacheError == null) {
          try {
            await cache.commit(store, cid)
          } catch (error) {
            cacheError = cacheErrorOf(error)
          }
        }
      }
      progress(bytes.byteLength, bytes.byteLength)
      let caching = false
      let committed = null
      if (committing != null) {
        if (writer.error != null || cache.lastCommitFailed(key)) {
          // Already failed, or failed last time: wait, so this answer is exact.
          cacheError = await committing
          cache.commitEnded(key, cacheError)
        } else {
          caching = true
          committed = cache.track(key, committing, onCacheError)
        }
      }
      return { bytes, source: gateway, cacheError, caching, committed: committed ?? Promise.resolve(cacheError) }
    } catch (error) {
      errors.push(error.kind != null ? error : fail('other', String(error.message ?? error)))
    }
  }
  throw gatewaysFailed(errors, gateways)
}
