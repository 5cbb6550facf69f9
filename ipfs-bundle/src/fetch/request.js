/** What the gateway fetchers share: an idle timer that aborts a request, and the failures it reports. */
import { fail } from '../errors.js'

/**
 * A timer on `controller`: `arm()` (re)starts it for `timeoutMs`; if it runs out, `timedOut` is
 * set and the controller aborted. `clear()` stops it.
 */
export function idleTimer(controller, timeoutMs) {
  let timer
  const idle = {
    timedOut: false,
    arm() {
      clearTimeout(timer)
      timer = setTimeout(() => {
        idle.timedOut = true
        controller.abort()
      }, timeoutMs)
    },
    clear() {
      clearTimeout(timer)
    }
  }
  return idle
}

/** A request to `url` that threw `error`: `timed_out` (saying `silence`) if `idle` ran out, else `unreachable`. */
export function requestFailed(url, error, idle, silence) {
  if (idle.timedOut) return fail('timed_out', silence, { url })
  return fail('unreachable', `${url}: ${error.message}`, { url })
}

/**
 * `GET url` as media type `accept`, aborted by `idle`'s controller (`signal`); no-store: the
 * verified copy is kept in IndexedDB, the HTTP cache would hold a second. A request that throws
 * is `requestFailed` (saying `silence`), 404 and 410 are `not_found`, another error status
 * `gateway_error`.
 */
export async function gatewayGet(url, accept, { signal, idle, silence }) {
  let response
  try {
    response = await fetch(url, { signal, headers: { Accept: accept }, cache: 'no-store' })
  } catch (error) {
    throw requestFailed(url, error, idle, silence)
  }
  if (response.status === 404 || response.status === 410)
    throw fail('not_found', `${url} answered ${response.status}`, { url })
  if (!response.ok)
    throw fail('gateway_error', `${url} answered HTTP ${response.status}`, { url, status: response.status })
  return response
}
