/**
 * Kubo's `/api/v0/add` parameters turned into `ipfs-unixfs-importer` options,
 * with Kubo's defaults and Kubo's rules between them (kubo
 * `core/commands/add.go` and `core/coreiface/options/unixfs.go`):
 *
 * - `cid-version`: 0 unless given (or implied by another option);
 * - `raw-leaves`: false, but true when `cid-version=1` and `raw-leaves` is not given;
 * - `chunker`: `size-262144`; any `size-N` up to 2 MiB − 256 bytes is honoured;
 * - layout: balanced with at most `max-file-links` (174) links per file node;
 * - `hash`: `sha2-256`.
 *
 * What this node cannot build the way Kubo does (rabin/buzhash chunkers,
 * trickle layout, other hashes, inlining, UnixFS mode/mtime, …) is refused
 * with a 400 naming the parameter, never silently imported another way.
 *
 * @module add-options
 */
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { boolParam, HttpError } from './http-util.js'

/** Kubo's default chunk size (`size-262144`). */
export const KUBO_CHUNK_SIZE = 262_144
/** Kubo's default maximum links per UnixFS file node (boxo `helpers.DefaultLinksPerBlock`). */
export const KUBO_MAX_FILE_LINKS = 174
/** Largest `size-N` Kubo accepts: 2 MiB minus 256 bytes of framing. */
export const KUBO_MAX_CHUNK_SIZE = 2_096_896

/**
 * @typedef {object} AddOptions
 * @property {import('ipfs-unixfs-importer').ImporterOptions} importer - options for the importer
 * @property {0 | 1} cidVersion
 * @property {boolean} rawLeaves
 * @property {number} chunkSize
 * @property {number} maxFileLinks
 * @property {boolean} wrapWithDirectory
 * @property {boolean} onlyHash - compute CIDs, store nothing
 * @property {boolean} pin - pin each added root recursively
 * @property {string | undefined} pinName
 * @property {boolean} silent - no output lines
 */

/**
 * Resolve the add parameters of one request.
 *
 * @param {URLSearchParams} params
 * @returns {AddOptions}
 * @throws {HttpError} 400 for an invalid value or a parameter this node does not implement
 */
export function addOptionsFrom(params) {
  refuseUnsupported(params)

  const hash = (params.get('hash') ?? 'sha2-256').toLowerCase()
  if (hash !== 'sha2-256') {
    throw new HttpError(400, `unsupported hash "${hash}": this node only hashes with sha2-256`)
  }

  let cidVersion = 0
  if (params.has('cid-version')) {
    const text = params.get('cid-version')
    if (text !== '0' && text !== '1') throw new HttpError(400, `unknown CID version: ${text} (0 or 1)`)
    cidVersion = Number(text)
  }
  // Kubo: CIDv1 makes raw leaves the default; an explicit raw-leaves wins either way. (With
  // CIDv0 and raw leaves, the leaves are CIDv1 `raw` blocks under CIDv0 dag-pb parents, in
  // Kubo as in the importer.)
  const rawLeaves = boolParam(params, 'raw-leaves', cidVersion === 1)

  const chunkSize = parseChunker(params.get('chunker') ?? `size-${KUBO_CHUNK_SIZE}`)
  const maxFileLinks = params.has('max-file-links')
    ? parsePositiveInt(params, 'max-file-links', 2)
    : KUBO_MAX_FILE_LINKS

  const onlyHash = boolParam(params, 'only-hash', false)
  // only-hash stores nothing, so Kubo does not pin it either
  const pin = boolParam(params, 'pin', true) && !onlyHash
  const pinName = params.get('pin-name') ?? undefined
  if (pinName != null && !pin) throw new HttpError(400, 'pin-name option requires pin to be set')
  const wrapWithDirectory = boolParam(params, 'wrap-with-directory', false)

  return {
    importer: {
      cidVersion,
      rawLeaves,
      chunker: fixedSize({ chunkSize }),
      layout: balanced({ maxChildrenPerNode: maxFileLinks }),
      wrapWithDirectory,
      // the parts arrive one after the other on one stream
      fileImportConcurrency: 1
    },
    cidVersion,
    rawLeaves,
    chunkSize,
    maxFileLinks,
    wrapWithDirectory,
    onlyHash,
    pin,
    pinName,
    silent: boolParam(params, 'silent', false)
  }
}

/**
 * `size-N` → N. Kubo's other chunkers (rabin, buzhash) cut content-defined
 * chunks this node cannot reproduce byte for byte, so they are refused.
 *
 * @param {string} chunker
 * @returns {number}
 */
function parseChunker(chunker) {
  const m = /^size-(\d+)$/.exec(chunker)
  if (m == null) {
    throw new HttpError(
      400,
      `unsupported chunker "${chunker}": this node only implements Kubo's fixed-size chunker (size-<bytes>)`
    )
  }
  const size = Number(m[1])
  if (size <= 0) throw new HttpError(400, `invalid chunker "${chunker}": the size must be greater than 0`)
  if (size > KUBO_MAX_CHUNK_SIZE) {
    throw new HttpError(400, `invalid chunker "${chunker}": the size must be at most ${KUBO_MAX_CHUNK_SIZE} bytes`)
  }
  return size
}

/**
 * An integer parameter of at least `min`.
 *
 * @param {URLSearchParams} params
 * @param {string} name
 * @param {number} min
 * @returns {number}
 */
function parsePositiveInt(params, name, min) {
  const text = params.get(name) ?? ''
  const value = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new HttpError(400, `invalid ${name}=${text}: an integer of at least ${min} is required`)
  }
  return value
}

/**
 * Parameters Kubo honours that would change CIDs or need features this node
 * does not have; given with a non-default value they are refused.
 *
 * @param {URLSearchParams} params
 */
function refuseUnsupported(params) {
  const flags = [
    ['trickle', 'the trickle DAG layout is not implemented here (balanced only)'],
    ['inline', 'inlining blocks into identity CIDs is not implemented here'],
    ['nocopy', 'this node has no filestore'],
    ['preserve-mode', 'UnixFS mode metadata is not stored by this node'],
    ['preserve-mtime', 'UnixFS mtime metadata is not stored by this node']
  ]
  for (const [name, why] of flags) {
    if (boolParam(params, name, false)) throw new HttpError(400, `unsupported ${name}=true: ${why}`)
  }
  for (const name of ['mode', 'mtime', 'mtime-nsecs']) {
    if (params.has(name) && params.get(name) !== '0') {
      throw new HttpError(400, `unsupported ${name}: UnixFS mode/mtime metadata is not stored by this node`)
    }
  }
  if (params.has('to-files')) throw new HttpError(400, 'unsupported to-files: this node has no MFS (Files API)')
  if (!boolParam(params, 'empty-dirs', true)) {
    throw new HttpError(400, 'unsupported empty-dirs=false: this node always keeps empty directories (Kubo default)')
  }
  const maxDirectoryLinks = params.get('max-directory-links')
  if (maxDirectoryLinks != null && maxDirectoryLinks !== '0') {
    throw new HttpError(400, 'unsupported max-directory-links: only the default (0, no limit) is implemented here')
  }
  const fanout = params.get('max-hamt-fanout')
  if (fanout != null && fanout !== '256') {
    throw new HttpError(400, 'unsupported max-hamt-fanout: only the default (256) is implemented here')
  }
  const cidBase = params.get('cid-base')
  if (cidBase != null && cidBase !== '') {
    throw new HttpError(400, 'unsupported cid-base: CIDs are printed in their default base (base58btc v0, base32 v1)')
  }
}
