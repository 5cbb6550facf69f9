/**
 * Subdomain gateway: `http://<cid>.ipfs.<host>[:port]/<path>` serves what the path gateway serves
 * at `/ipfs/<cid>/<path>`, as Kubo's subdomain gateway does, so a published site gets an origin of
 * its own (browsers resolve `*.localhost` to the loopback address, so
 * `http://<cid>.ipfs.localhost:5001/` works with no DNS). The label must be a CIDv1 in base32:
 * a DNS name is case-insensitive, so base58 CIDv0 cannot appear there.
 */
import { CID } from 'multiformats/cid'

const LABEL = /^([a-z2-7]+)\.ipfs\.[^.:][^:]*(?::\d+)?$/

/**
 * The `/ipfs/<cid>` prefix a request's Host header stands for, or null when it is not a subdomain
 * gateway host.
 *
 * @param {string | undefined} host
 * @returns {string | null}
 */
export function subdomainPrefix(host) {
  const match = LABEL.exec((host ?? '').toLowerCase())
  if (!match) return null
  try {
    const cid = CID.parse(match[1])
    return cid.version === 1 ? `/ipfs/${cid.toString()}` : null
  } catch {
    return null
  }
}
