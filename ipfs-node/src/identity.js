/**
 * The node's peer identity, as Kubo's `id` reports it: an Ed25519 key pair
 * kept in `<repo>/peer-key.pem` (created on first start, so the ID survives
 * restarts like Kubo's `Identity` in its config), its libp2p peer ID
 * (`12D3KooW…`, the identity multihash of the protobuf-encoded public key) and
 * that public key in base64 (`CAESI…`). This node has no libp2p, so nobody can
 * dial this ID: it only lets clients that parse `id` (kubo-rpc-client does)
 * get a well-formed answer.
 *
 * @module identity
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { base32 } from 'multiformats/bases/base32'
import { base36 } from 'multiformats/bases/base36'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { HttpError } from './http-util.js'

/** The key file in the repo. */
export const KEY_FILE = 'peer-key.pem'
/** Multicodec `libp2p-key`, the codec of a peer ID written as a CID. */
const LIBP2P_KEY = 0x72
/** libp2p's `PublicKey` protobuf for Ed25519: field 1 (Type) = 1, field 2 (Data) of 32 bytes. */
const ED25519_PUBLIC_KEY_PREFIX = [0x08, 0x01, 0x12, 0x20]

/**
 * @typedef {object} PeerIdentity
 * @property {string} peerId - base58btc multihash, as Kubo prints it by default
 * @property {string} publicKey - base64 of the protobuf-encoded public key
 * @property {import('multiformats/hashes/digest').Digest<0, number>} multihash
 */

/**
 * Load the repo's key, creating it when missing.
 *
 * @param {string} repo
 * @returns {Promise<PeerIdentity>}
 */
export async function loadIdentity(repo) {
  const file = join(repo, KEY_FILE)
  let pem
  try {
    pem = await readFile(file, 'utf8')
  } catch (err) {
    if (err?.code !== 'ENOENT') throw err
    pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })
    await writeFile(`${file}.tmp`, pem, { mode: 0o600 })
    await rename(`${file}.tmp`, file)
  }
  const spki = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' })
  // the raw Ed25519 public key is the last 32 bytes of its SPKI encoding
  const protobuf = Uint8Array.from([...ED25519_PUBLIC_KEY_PREFIX, ...spki.subarray(spki.length - 32)])
  const multihash = identity.digest(protobuf)
  return {
    peerId: base58btc.baseEncode(multihash.bytes),
    publicKey: Buffer.from(protobuf).toString('base64'),
    multihash
  }
}

/**
 * The peer ID in the encoding `id --peerid-base` asks for: `b58mh` (default),
 * or a CIDv1 (`libp2p-key`) in `base36` or `base32`.
 *
 * @param {PeerIdentity} id
 * @param {string | null} base
 * @returns {string}
 */
export function formatPeerId(id, base) {
  if (base == null || base === '' || base === 'b58mh') return id.peerId
  const cid = CID.createV1(LIBP2P_KEY, id.multihash)
  if (base === 'base36') return cid.toString(base36)
  if (base === 'base32') return cid.toString(base32)
  throw new HttpError(400, `unsupported peerid-base "${base}" (b58mh, base36 or base32)`)
}
