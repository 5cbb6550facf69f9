/** Block verification: every block that reaches the caller or the cache is hashed here first. */
import { sha256 } from 'multiformats/hashes/sha2'
import { fail } from './errors.js'

/** Checks one block against its CID. */
export async function verify(cid, bytes) {
  if (cid.multihash.code === 0x00) {
    if (!equalBytes(cid.multihash.digest, bytes))
      throw fail('tampered', `identity block ${cid} does not match its bytes`, { block: cid.toString() })
    return
  }
  if (cid.multihash.code !== sha256.code)
    throw fail('unsupported', `block ${cid} uses hash 0x${cid.multihash.code.toString(16)}; only sha2-256 is accepted`)
  const digest = await sha256.digest(bytes)
  if (!equalBytes(digest.digest, cid.multihash.digest)) {
    throw fail('tampered', `block ${cid} does not hash to its CID`, { block: cid.toString() })
  }
}

export function equalBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
