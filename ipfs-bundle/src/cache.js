/**
 * The IndexedDB cache of verified blocks. Blocks reach it only after the whole file verified,
 * and a file counts as cached only once all of them are committed: the root block is written
 * last, alone.
 */
import { IDBBlockstore } from 'blockstore-idb'
import { base32upper } from 'multiformats/bases/base32'
import { CID } from 'multiformats/cid'
import { cacheErrorOf } from './errors.js'
import { exportBytes } from './unixfs.js'
import { verify } from './verify.js'

/** The IndexedDB database (blockstore-idb's location) that holds the blocks. */
export const CACHE_NAME = 'assay-ipfs-blocks'

/** The IndexedDB key of a block (blockstore-idb's scheme: `/` + base32upper multihash). */
const blockKey = (cid) => `/${base32upper.encode(cid.multihash.bytes)}`

/**
 * The cache of one page: the IndexedDB blockstore, opened on first use (a failure to open is
 * kept: the cache is then off for the page), and the commits still running after their fetch
 * returned. One is made by `index.js` and passed to whatever reads or writes the cache.
 */
export class BlockCache {
  constructor(name) {
    this.name = name
    this.opening = null
    /** Cache commits still running after their fetch returned, by CID; each settles to its error or null. */
    this.pending = new Map()
    /** CIDs whose last background commit failed, with that failure (their next fetch commits in the foreground). */
    this.failed = new Map()
  }

  /** The opened IndexedDB blockstore. */
  open() {
    this.opening ??= (async () => {
      const store = new IDBBlockstore(this.name)
      await store.open()
      return store
    })()
    return this.opening
  }

  /** Waits until no cache commit is running. */
  async settled() {
    while (this.pending.size > 0) await Promise.all(this.pending.values())
  }

  /** Waits until no commit of the file `key` (a CID's string) is running. */
  async settledFor(key) {
    while (this.pending.has(key)) await this.pending.get(key)
  }

  /** The whole file `cid` from the cache (its bytes), or null when it is not all there. */
  async read(cid, maxBytes) {
    let store
    try {
      store = await this.open()
    } catch {
      return null
    }
    try {
      if (!(await store.has(cid))) return null
      return await exportBytes(cid, store, maxBytes)
    } catch (error) {
      if (error.kind === 'too_large') throw error
      return null
    }
  }

  /** Whether the cache holds the file `cidText` completely (after any commit still running). */
  async holds(cidText) {
    await this.settled()
    return (await this.read(CID.parse(cidText))) != null
  }

  /** A writer for one download's blocks. Rejects when IndexedDB can't be opened. */
  async writer() {
    return new CacheWriter(await this.open())
  }

  /** Puts every staged block into the cache (the CAR fallback's staging store). */
  async commit(store, root) {
    const writer = await this.writer()
    for (const { cid, bytes } of store.blocks.values()) if (!cid.equals(root)) writer.add(cid, bytes)
    try {
      await writer.finish(root, store.blocks.get(root.toString()).bytes)
    } catch (error) {
      await writer.discard()
      throw error
    }
  }

  /** Whether the last background commit of `key` failed (its next fetch then waits for its own). */
  lastCommitFailed(key) {
    return this.failed.has(key)
  }

  /** Records how a commit of `key` waited for in the foreground ended (`error` or null). */
  commitEnded(key, error) {
    if (error == null) this.failed.delete(key)
    else this.failed.set(key, error)
  }

  /**
   * Keeps track of a commit of `key` that goes on after its fetch returned: `settled()` waits for
   * it, and a failure is remembered and passed to `onCacheError`. Returns the commit, settling to
   * its error or null.
   */
  track(key, committing, onCacheError) {
    const settled = committing.then((error) => {
      this.pending.delete(key)
      if (error != null) {
        this.failed.set(key, error)
        try {
          onCacheError?.(Object.assign(new Error(error.message), error))
        } catch {}
      }
      return error
    })
    this.pending.set(key, settled)
    return settled
  }

  /** Empties the cache (the benchmark's cold start). */
  async clear() {
    await this.settled()
    this.failed.clear()
    // Emptied, not deleted: the next fetch then doesn't pay for creating the database again.
    const store = await this.open()
    const tx = store.db.transaction(store.location, 'readwrite')
    await Promise.all([tx.store.clear(), tx.done])
  }
}

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
  constructor(idb) {
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
  reserve(size) {
    this.ready = (async () => {
      const estimate = await globalThis.navigator?.storage?.estimate?.()
      if (estimate?.quota != null && estimate.usage != null && estimate.usage + size > estimate.quota) {
        this.error ??= Object.assign(
          new Error(`${size} bytes do not fit: the site may store ${estimate.quota - estimate.usage} more`),
          { name: 'QuotaExceededError' }
        )
      }
    })().catch(() => {})
  }

  /** Queues a verified block; `range` = [offset, size] makes it that part of `bytes`. */
  add(cid, bytes, range) {
    if (this.stopped || this.error != null) return
    const key = blockKey(cid)
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.queue.push([cid, bytes, range])
    if (!this.deferred) this.running ??= this.drain()
  }

  async drain() {
    try {
      await this.ready
      while (this.queue.length > 0 && !this.stopped && this.error == null) {
        const batch = this.queue.splice(0)
        try {
          await this.write(batch)
        } catch (error) {
          this.error = error
        }
      }
    } finally {
      this.running = null
    }
  }

  async write(batch) {
    // A range of the returned file is copied here (IndexedDB would store a view's whole
    // buffer) and hashed again, so the cache holds verified bytes even if the caller changed
    // the file it was given. Before the transaction: it must not wait on anything else.
    for (const entry of batch) {
      const [cid, bytes, range] = entry
      if (range == null) continue
      const copy = bytes.slice(range[0], range[0] + range[1])
      try {
        await verify(cid, copy)
      } catch {
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

  async finish(root, rootBytes) {
    this.running ??= this.drain()
    await this.ready
    while (this.running != null) await this.running
    if (this.error != null) throw this.error
    await this.write([[root, rootBytes]])
  }

  /**
   * `finish`, after the caller has its bytes: settles, never rejecting, to null once the file is
   * cached, or to its `cacheError` once what was written is discarded.
   */
  finishLater(root, rootBytes) {
    // The commit starts in a task of its own: the caller's continuation (a chain of
    // microtasks through wasm-bindgen) runs first instead of waiting behind each write step.
    return new Promise((resolve) => setTimeout(resolve, 0))
      .then(() => this.finish(root, rootBytes))
      .then(
        () => null,
        async (error) => {
          await this.discard()
          return cacheErrorOf(error)
        }
      )
  }

  async discard() {
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
