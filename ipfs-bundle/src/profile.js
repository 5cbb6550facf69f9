/** The import profile: CIDv1, raw leaves, 1 MiB chunks, balanced layout with 1024 links. */
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

/** The import profile; must equal ipfs-node/src/profile.js and assay-core's `ipfs` module. */
export const PROFILE = Object.freeze({ cidVersion: 1, rawLeaves: true, chunkSize: 1_048_576, maxChildrenPerNode: 1024 })

/** `ipfs-unixfs-importer` options for the profile. */
export function importerOptions() {
  return {
    cidVersion: PROFILE.cidVersion,
    rawLeaves: PROFILE.rawLeaves,
    chunker: fixedSize({ chunkSize: PROFILE.chunkSize }),
    layout: balanced({ maxChildrenPerNode: PROFILE.maxChildrenPerNode })
  }
}
