/**
 * Verified CAR import: every block of every CAR is hashed and compared with
 * its CID, and nothing reaches the node's blockstore until the whole upload
 * has verified, so nothing from a bad upload is kept.
 *
 * @module car-import
 */
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CarBlockIterator } from '@ipld/car'
import { FsBlockstore } from 'blockstore-fs'
import { CID } from 'multiformats/cid'
import { equals } from 'uint8arrays/equals'
import { HttpError } from './http-util.js'

const IDENTITY = 0x00

/**
 * Check that `bytes` hash to the multihash in `cid`.
 *
 * @param {import('helia').Helia} helia - supplies the hashers
 * @param {import('multiformats/cid').CID} cid
 * @param {Uint8Array} bytes
 * @returns {Promise<void>}
 * @throws {HttpError} 400 on a mismatch or an unsupported hash function
 */
export async function verifyBlock(helia, cid, bytes) {
  const mh = cid.multihash
  if (mh.code === IDENTITY) {
    if (!equals(mh.digest, bytes)) throw new HttpError(400, `block ${cid} does not match its identity CID`)
    return
  }
  let hasher
  try {
    hasher = await helia.getHasher(mh.code)
  } catch {
    throw new HttpError(
      400,
      `block ${cid} uses an unsupported hash function (multihash code 0x${mh.code.toString(16)})`
    )
  }
  const digest = await hasher.digest(bytes)
  if (!equals(digest.bytes, mh.bytes)) {
    throw new HttpError(
      400,
      `hash mismatch: block ${cid} does not hash to its CID (the CAR is corrupt or has been tampered with); nothing from this import was kept`
    )
  }
}

/**
 * Import the blocks of one or more CAR streams into the node's blockstore,
 * verifying each block first. All-or-nothing: verified blocks are staged in
 * a temporary blockstore under `stagingDir` and only copied into the node's
 * blockstore once every block of every CAR has verified, so a bad upload
 * never touches the real blockstore (and never deletes anything from it).
 *
 * @param {import('helia').Helia} helia
 * @param {AsyncIterable<AsyncIterable<Uint8Array>>} cars - one byte stream per CAR
 * @param {object} options
 * @param {string} options.stagingDir - a fresh directory for the staging blockstore (removed afterwards)
 * @returns {Promise<{ roots: import('multiformats/cid').CID[], blockCount: number }>}
 */
export async function importCars(helia, cars, { stagingDir }) {
  const staging = new FsBlockstore(stagingDir)
  await staging.open()
  /** @type {import('multiformats/cid').CID[]} */
  const staged = []
  const roots = []
  let blockCount = 0
  try {
    for await (const stream of cars) {
      let iterator
      try {
        iterator = await CarBlockIterator.fromIterable(stream)
      } catch (err) {
        throw new HttpError(400, `invalid CAR: ${err.message}`)
      }
      roots.push(...(await iterator.getRoots()))
      const blocks = iterator[Symbol.asyncIterator]()
      while (true) {
        let step
        try {
          step = await blocks.next()
        } catch (err) {
          throw new HttpError(400, `invalid CAR: ${err.message}`)
        }
        if (step.done === true) break
        const { cid, bytes } = step.value
        await verifyBlock(helia, cid, bytes)
        blockCount++
        if (cid.multihash.code === IDENTITY) continue
        if ((await staging.has(cid)) || (await helia.blockstore.has(cid))) continue
        await staging.put(cid, bytes)
        // copy: the parsed CID is a view into the chunk holding the whole block,
        // keeping it would keep every block of the upload in memory
        staged.push(CID.decode(cid.bytes.slice()))
      }
    }
    // everything verified: commit
    for (const cid of staged) {
      const chunks = []
      for await (const c of staging.get(cid)) chunks.push(c)
      await helia.blockstore.put(cid, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))
    }
  } finally {
    await staging.close().catch(() => {})
    await rm(stagingDir, { recursive: true, force: true })
  }
  return { roots, blockCount }
}

/**
 * A fresh staging directory path under the repo (see {@link importCars}).
 *
 * @param {string} repo
 * @returns {string}
 */
export function stagingDirFor(repo) {
  return join(repo, STAGING, `${Date.now()}-${randomBytes(6).toString('hex')}`)
}

/** Name of the repo sub-directory holding in-progress CAR imports. */
export const STAGING = 'staging'
