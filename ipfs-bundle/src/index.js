/**
 * Assay's in-browser IPFS glue, bundled by esbuild into one ES module (`assay-ipfs.js`) that the
 * app imports on demand. The Rust side (`app/src/ipfs/glue.rs`) is the only caller and looks the
 * exports below up by name; it passes plain values (strings, numbers, Uint8Array, Blob/File,
 * callbacks) and reads plain values back.
 *
 * Trust model: no gateway is trusted. Every block is hashed here and compared with its CID, and
 * the file is rebuilt by walking the DAG from the CID that was asked for (each block fills the
 * byte range its verified parent gives it), so a gateway can neither change a byte nor
 * substitute, drop or resize blocks. With raw leaves the file itself is streamed and each
 * leaf's range hashed against the leaf's CID (see `fetch/streamed.js`); otherwise blocks are
 * fetched one by one (`fetch/assembled.js`), or as a CAR (`fetch/car.js`). Blocks reach the
 * IndexedDB cache only after the whole file verified, and the file counts as cached only once
 * all of them are committed (`cache.js`).
 *
 * Uploads (`upload.js`): the CID is computed here first (the fixed import profile,
 * `profile.js`), then the bytes go to a Kubo RPC `/api/v0/add` with the same profile; the
 * server's CID must equal ours; then, optionally, a pinning service pins it (`pinning.js`).
 *
 * Errors are thrown as `Error`s with a `kind` (see `errors.js`) that the Rust side maps to its enum.
 *
 * State: the only state kept between calls is the cache (`BlockCache`: the opened IndexedDB
 * blockstore and the commits still running), made once here and passed to what needs it.
 */
import { BlockCache, CACHE_NAME } from './cache.js'
import { fetchFile as fetchVerified } from './fetch/file.js'

export { rawFetch } from './fetch/raw.js'
export { PINNING_TOKEN_KEY } from './pinning.js'
export { PROFILE } from './profile.js'
export { fileSize } from './size.js'
export { cidOf, upload } from './upload.js'

const cache = new BlockCache(CACHE_NAME)

/**
 * Fetches the file `options.cid`, verified, from the cache or the gateways; returns
 * `{ bytes, source, cacheError, caching, committed }` (see `fetch/file.js`).
 */
export async function fetchFile(options) {
  return fetchVerified(cache, options)
}

/**
 * Opens the cache now, so that the first fetch finds it open: the app calls this as soon as it
 * starts (a failure to open is kept, as on first use: the cache is then off for the page).
 */
export function warmUp() {
  cache.open().catch(() => {})
}

/** Empties the IndexedDB cache (the benchmark's cold start). */
export async function clearCache() {
  return cache.clear()
}

/** Whether the cache holds the file `cid` completely (after any commit still running). */
export async function isCached(cid) {
  return cache.holds(cid)
}
