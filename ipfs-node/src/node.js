/**
 * Helia setup: an offline Helia node (no libp2p, no routers, no block
 * brokers) with its blockstore and datastore on disk.
 *
 * @module node
 */
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { unixfs } from '@helia/unixfs'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import { FsBlockstore } from 'blockstore-fs'
import { FsDatastore } from 'datastore-fs'
import { createHeliaLight } from 'helia'
import { STAGING } from './car-import.js'
import { loadIdentity } from './identity.js'

/**
 * @typedef {object} AssayNode
 * @property {import('helia').Helia} helia - the Helia node
 * @property {import('@helia/unixfs').UnixFS} fs - UnixFS API bound to the node
 * @property {string} repo - the repo directory
 * @property {import('./identity.js').PeerIdentity} identity - the peer identity `id` reports
 * @property {() => Promise<void>} stop - stop Helia and close the stores
 */

/**
 * Create and start an offline Helia node whose blocks live in
 * `<repo>/blocks` and whose datastore (pins, metadata) lives in
 * `<repo>/datastore` (`<repo>/staging` holds CAR imports until they have
 * verified). Nothing ever touches the network: there are no routers
 * and no block brokers, and every read in this package is done with
 * `offline: true`, so a missing block fails at once instead of hanging.
 *
 * @param {object} options
 * @param {string} options.repo - repo directory, created if missing
 * @returns {Promise<AssayNode>}
 */
export async function createNode({ repo }) {
  await mkdir(repo, { recursive: true })
  // leftovers of CAR imports interrupted by a crash (see car-import.js)
  await rm(join(repo, STAGING), { recursive: true, force: true })
  const identity = await loadIdentity(repo)
  const blockstore = new FsBlockstore(join(repo, 'blocks'))
  const datastore = new FsDatastore(join(repo, 'datastore'))
  await blockstore.open()
  await datastore.open()

  const helia = createHeliaLight({
    blockstore,
    datastore,
    // dag-pb and raw are built in; these let CARs of CBOR/JSON DAGs be exported too
    codecs: [dagCbor, dagJson],
    routers: [],
    blockBrokers: []
  })
  await helia.start()

  return {
    helia,
    fs: unixfs(helia),
    repo,
    identity,
    async stop() {
      await helia.stop()
      await blockstore.close()
      await datastore.close()
    }
  }
}
