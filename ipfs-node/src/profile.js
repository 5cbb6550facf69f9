/**
 * The one import profile used by every import in this node (and the one the
 * Assay app uses in the browser): CIDv1, raw leaves, fixed-size 1 MiB chunks,
 * balanced DAG layout with at most 1024 links per node.
 *
 * Every other importer setting is left at the `ipfs-unixfs-importer` default,
 * which is exactly what `@helia/unixfs` uses in the browser, so the same bytes
 * give the same CID in both places.
 *
 * @module profile
 */
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'

/** CID version of every CID produced by imports. */
export const CID_VERSION = 1
/** File leaves are `raw` blocks (codec 0x55), not dag-pb wrapped. */
export const RAW_LEAVES = true
/** Fixed chunk size in bytes (1 MiB). */
export const CHUNK_SIZE = 1_048_576
/** Maximum number of children per DAG node (balanced layout). */
export const MAX_CHILDREN_PER_NODE = 1024
/** Kubo-style chunker name that corresponds to {@link CHUNK_SIZE}. */
export const CHUNKER_NAME = `size-${CHUNK_SIZE}`
/** Multihash used for every block: sha2-256. */
export const HASH_NAME = 'sha2-256'

/**
 * Build the options object for `ipfs-unixfs-importer` / `@helia/unixfs`
 * implementing the fixed Assay profile.
 *
 * @param {object} [extra] - options that do not change CIDs of file content,
 *   e.g. `{ wrapWithDirectory: true, fileImportConcurrency: 1 }`.
 * @returns {import('ipfs-unixfs-importer').ImporterOptions}
 */
export function importerOptions(extra = {}) {
  return {
    ...extra,
    cidVersion: CID_VERSION,
    rawLeaves: RAW_LEAVES,
    chunker: fixedSize({ chunkSize: CHUNK_SIZE }),
    layout: balanced({ maxChildrenPerNode: MAX_CHILDREN_PER_NODE })
  }
}
