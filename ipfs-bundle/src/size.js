/**
 * A file's size without downloading the file: its root block alone, from the first gateway that
 * serves it, hashed against the CID (so the size is the one the CID commits to; the full fetch
 * checks every block against it later). A raw CID's root block is the file itself, which is small
 * (the import profile makes one only for files up to a leaf, 1 MiB).
 */
import { CID } from 'multiformats/cid'
import { fail, gatewaysFailed } from './errors.js'
import { blockGetter } from './fetch/block.js'
import { rootSize } from './unixfs.js'

/** `{ cid, gateways, timeoutMs }` → the file's size in bytes, or throws a `{kind}` error. */
export async function fileSize({ cid: cidText, gateways, timeoutMs = 30_000 }) {
  let cid
  try {
    cid = CID.parse(cidText)
  } catch (error) {
    throw fail('invalid_cid', `${cidText}: ${error.message}`)
  }
  const errors = []
  for (const gateway of gateways) {
    const { get, abort } = blockGetter(gateway.replace(/\/$/, ''), timeoutMs)
    try {
      const size = rootSize(cid, await get(cid))
      if (size == null) throw fail('unsupported', `${cid} is not a UnixFS file`)
      return size
    } catch (error) {
      errors.push(error.kind ? error : fail('other', String(error.message ?? error)))
    } finally {
      abort()
    }
  }
  throw gatewaysFailed(errors, gateways)
}
