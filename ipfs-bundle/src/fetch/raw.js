/** The benchmark's baseline: a plain download, nothing verified. */
import { fail } from '../errors.js'

/** For the benchmark: a plain `fetch()` of `url`, bytes counted, nothing verified. */
export async function rawFetch(url) {
  const response = await fetch(url, { cache: 'no-store' })
  if (!response.ok)
    throw fail('gateway_error', `${url} answered HTTP ${response.status}`, { url, status: response.status })
  const buffer = await response.arrayBuffer()
  return buffer.byteLength
}
