/** The IPFS Pinning Service API client: asks a remote service to pin what was uploaded. */
import { fail } from './errors.js'

/**
 * Where the pinning service's access token is kept in the browser (never in config.json, which
 * is public): localStorage under this key, per origin. `upload({ pinningToken })` overrides it.
 */
export const PINNING_TOKEN_KEY = 'assay.ipfs.pinningToken'

/**
 * Whether the page is served from a path gateway (`/ipfs/<cid>/`, `/ipns/<name>/`), whose origin
 * every other site on the gateway shares: a token kept there could be read by any of them.
 */
export function onSharedOrigin() {
  return /^\/(ipfs|ipns)\/[^/]+/.test(globalThis.location?.pathname ?? '')
}

/** The token saved in this browser under `PINNING_TOKEN_KEY`, or null; never on a shared origin. */
export function storedPinningToken() {
  if (onSharedOrigin()) return null
  try {
    return globalThis.localStorage?.getItem(PINNING_TOKEN_KEY) || null
  } catch {
    return null
  }
}

/** The spec's Failure body (`{error: {reason, details}}`) in words, else the text itself. */
function failureText(text) {
  try {
    const { error } = JSON.parse(text)
    if (error?.reason != null) return error.details ? `${error.reason}: ${error.details}` : String(error.reason)
  } catch {}
  return text.trim().slice(0, 300)
}

/**
 * IPFS Pinning Service API: `POST {service}/pins {cid, name}` with the bearer token. The answer
 * is a PinStatus: queued, pinning or pinned are accepted (a service may pin later); failed, a
 * refused token or any other error is a `pin_rejected` error that says the file was uploaded but
 * is not pinned, and why.
 */
export async function pin(service, token, cid, name) {
  const base = service.replace(/\/$/, '')
  const headers = { 'Content-Type': 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  let response
  try {
    response = await fetch(`${base}/pins`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ cid, name: name || undefined })
    })
  } catch (error) {
    throw fail('unreachable', `cannot reach the pinning service ${service}: ${error.message}`, { url: service })
  }
  const text = await response.text().catch(() => '')
  const notPinned = `the file was uploaded as ${cid} but is not pinned`
  if (response.status === 401 || response.status === 403) {
    const why = token
      ? `the pinning service ${base} refused the access token (HTTP ${response.status}, ${failureText(text)}); ${notPinned}. Check the token saved for this service`
      : onSharedOrigin()
        ? `the pinning service ${base} needs an access token, and none is read on this shared gateway address (other sites there could read it); ${notPinned}. Open Assay at its own address to pin`
        : `the pinning service ${base} needs an access token and none is set (localStorage "${PINNING_TOKEN_KEY}"); ${notPinned}`
    throw fail('pin_rejected', why, { status: response.status })
  }
  if (!response.ok) {
    throw fail(
      'pin_rejected',
      `the pinning service ${base} answered HTTP ${response.status} (${failureText(text)}); ${notPinned}`,
      { status: response.status }
    )
  }
  let status
  try {
    status = JSON.parse(text)
  } catch {}
  if (status?.status === 'failed') {
    const details = status.info?.status_details ?? 'no reason given'
    throw fail('pin_rejected', `the pinning service ${base} could not pin ${cid}: ${details}`, {
      status: response.status
    })
  }
  if (!['queued', 'pinning', 'pinned'].includes(status?.status)) {
    throw fail(
      'pin_rejected',
      `the pinning service ${base} answered ${text.slice(0, 200)}, not a pin status; ${notPinned}`,
      { status: response.status }
    )
  }
  return status
}
