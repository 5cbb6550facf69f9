/**
 * Assay's import profile (the one the app computes CIDs with in the browser,
 * and `assay-core`'s `ipfs` module in Rust) spelled as Kubo `add` parameters:
 * CIDv1, raw leaves, fixed-size 1 MiB chunks, balanced layout with at most
 * 1024 links per file node, sha2-256. (IPIP-499 calls it `unixfs-v1-2025`.)
 *
 * The node itself follows whatever a request asks for, with Kubo's defaults
 * (`add-options.js`); callers that need Assay's CIDs send these parameters,
 * which give the same CIDs on this node and on a Kubo (≥ 0.35, for
 * `max-file-links`).
 *
 * @module profile
 */

/** Fixed chunk size in bytes (1 MiB). */
export const CHUNK_SIZE = 1_048_576
/** Maximum number of links per UnixFS file node (balanced layout). */
export const MAX_FILE_LINKS = 1024

/**
 * The profile as `/api/v0/add` query parameters.
 *
 * @returns {Record<string, string>}
 */
export function profileAddParams() {
  return {
    'cid-version': '1',
    'raw-leaves': 'true',
    chunker: `size-${CHUNK_SIZE}`,
    'max-file-links': String(MAX_FILE_LINKS),
    hash: 'sha2-256'
  }
}
