/**
 * Parsing of CIDs and `/ipfs/<cid>/<path>` strings.
 *
 * @module paths
 */

import { base32 } from 'multiformats/bases/base32'
import { base36 } from 'multiformats/bases/base36'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import { HttpError } from './http-util.js'

const decoders = base32.decoder.or(base36.decoder).or(base58btc.decoder)

/**
 * Parse a CID string (CIDv0 `Qm…`, or CIDv1 in base32 / base36 / base58btc).
 *
 * @param {string} text
 * @returns {CID}
 * @throws {HttpError} 400 when the text is not a valid CID
 */
export function parseCid(text) {
  try {
    if (text.startsWith('Qm') || text.startsWith('1')) return CID.parse(text)
    return CID.parse(text, decoders)
  } catch (err) {
    throw new HttpError(400, `invalid CID "${text}": ${err.message}`)
  }
}

/**
 * Split `<cid>/<a>/<b>` or `/ipfs/<cid>/<a>/<b>` into the CID and the
 * (decoded, `..`-free) path segments.
 *
 * @param {string} text - the path, URL-decoded segment by segment by the caller or not
 * @returns {{ cid: CID, segments: string[] }}
 * @throws {HttpError} 400 for an invalid CID or a `..` segment
 */
export function parseIpfsPath(text) {
  let rest = text.replace(/^\/+/, '')
  if (rest.startsWith('ipfs/')) rest = rest.slice('ipfs/'.length)
  const [first, ...more] = rest.split('/')
  if (first === '') throw new HttpError(400, 'missing CID in path')
  const cid = parseCid(first)
  const segments = more.filter((s) => s !== '' && s !== '.')
  if (segments.includes('..')) throw new HttpError(400, 'path must not contain ".." segments')
  return { cid, segments }
}
