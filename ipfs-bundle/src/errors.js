/**
 * Errors the Rust side understands (`app/src/ipfs/glue.rs` `to_error`, then
 * `assay_core::ipfs::IpfsError::from_kind`): an `Error` with a `kind`, one of not_found, timed_out,
 * tampered, too_large (with `size`, `limit`), quota_exceeded, unreachable, gateway_error, incomplete,
 * unsupported, invalid_cid, upload_rejected, pin_rejected, cid_mismatch (with `local`, `remote`)
 * or other. Other fields (`url`, `status`, `block`) travel with it.
 */

/** An error the Rust side understands: `kind` is one of the IpfsError variants. */
export function fail(kind, message, extra = {}) {
  return Object.assign(new Error(message), { kind, ...extra })
}

/** Whether `error` says the browser's storage is full. */
export function isQuota(error) {
  return /QuotaExceeded|quota/i.test(String(error?.message ?? error)) || error?.name === 'QuotaExceededError'
}

/** A cache failure as the plain `{kind, message}` that `fetchFile` returns as `cacheError`. */
export function cacheErrorOf(error) {
  return isQuota(error)
    ? { kind: 'quota_exceeded', message: String(error.message ?? error) }
    : { kind: 'other', message: String(error.message ?? error) }
}

/** The error to throw when every gateway failed, from each gateway's error (sorted in place). */
export function gatewaysFailed(errors, gateways) {
  // Report the most telling failure: tampering beats a size refusal beats time-outs beats absence.
  const rank = [
    'tampered',
    'too_large',
    'unsupported',
    'incomplete',
    'timed_out',
    'gateway_error',
    'not_found',
    'unreachable',
    'other'
  ]
  errors.sort((a, b) => rank.indexOf(a.kind) - rank.indexOf(b.kind))
  const first = errors[0] ?? fail('unreachable', 'no gateway is configured')
  // All gateways unreachable: say so as one error, naming them.
  if (errors.every((e) => e.kind === 'unreachable'))
    return fail('unreachable', errors.map((e) => e.message).join('; '), { url: gateways.join(', ') })
  return first
}
