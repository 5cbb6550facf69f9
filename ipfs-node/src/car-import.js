/**
 * Verified CAR import: every block of every CAR is hashed and compared with
 * its CID before it is stored. If any block fails, every block this import
 * added is removed again, so nothing from a bad upload is kept.
 *
 * @module car-import
 */
import { CarBlockIterator } from '@ipld/car'
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
export async function verifyBlock (helia, cid, bytes) {
  const mh = cid.multihash
  if (mh.code === IDENTITY) {
    if (!equals(mh.digest, bytes)) throw new HttpError(400, `block ${cid} does not match its identity CID`)
    return
  }
  let hasher
  try {
    hasher = await helia.getHasher(mh.code)
  } catch {
    throw new HttpError(400, `block ${cid} uses an unsupported hash function (multihash code 0x${mh.code.toString(16)})`)
  }
  const digest = await hasher.digest(bytes)
  if (!equals(digest.bytes, mh.bytes)) {
    throw new HttpError(400, `hash mismatch: block ${cid} does not hash to its CID (the CAR is corrupt or has been tampered with); nothing from this import was kept`)
  }
}

/**
 * Import the blocks of one or more CAR streams into the node's blockstore,
 * verifying each block first. All-or-nothing: on any error the blocks that
 * this call newly stored are deleted before the error is rethrown.
 *
 * @param {import('helia').Helia} helia
 * @param {AsyncIterable<AsyncIterable<Uint8Array>>} cars - one byte stream per CAR
 * @returns {Promise<{ roots: import('multiformats/cid').CID[], blockCount: number }>}
 */
export async function importCars (helia, cars) {
  /** @type {import('multiformats/cid').CID[]} */
  const added = []
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
      roots.push(...await iterator.getRoots())
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
        if (await helia.blockstore.has(cid)) continue
        await helia.blockstore.put(cid, bytes)
        added.push(cid)
      }
    }
  } catch (err) {
    for (const cid of added) {
      try { await helia.blockstore.delete(cid) } catch {}
    }
    throw err
  }
  return { roots, blockCount }
}
