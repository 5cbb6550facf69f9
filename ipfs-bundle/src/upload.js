/**
 * Uploads: the CID is computed here first (the fixed import profile: CIDv1, raw leaves, 1 MiB
 * chunks, balanced layout with 1024 links), then the bytes go to a Kubo RPC `/api/v0/add`
 * with the same profile; the server's CID must equal ours.
 */
import { importer } from 'ipfs-unixfs-importer'
import { fail } from './errors.js'
import { pin, storedPinningToken } from './pinning.js'
import { importerOptions, PROFILE } from './profile.js'

/** A blockstore that keeps nothing: the importer only needs somewhere to put blocks. */
const nullBlockstore = {
  async put(cid) {
    return cid
  },
  async has() {
    return false
  },
  // biome-ignore lint/correctness/useYield: the blockstore interface's get is a generator; this one never has a block to yield
  *get() {
    throw new Error('nothing is stored')
  }
}

/** Reads a Blob as an async iterable of chunks, reporting bytes read. */
async function* blobChunks(blob, onRead) {
  const reader = blob.stream().getReader()
  let read = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      read += value.byteLength
      onRead?.(read)
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

function toBlob(source) {
  if (source instanceof Blob) return source
  if (source instanceof Uint8Array) return new Blob([source])
  throw fail('other', 'upload source must be a Blob, File or Uint8Array')
}

/**
 * The CID of `source` (Blob/File/Uint8Array) under the import profile, computed locally and
 * streamed (a File is never read whole into memory). `onProgress(hashed, total)`.
 */
export async function cidOf(source, onProgress) {
  const blob = toBlob(source)
  const total = blob.size
  let root
  for await (const entry of importer(
    [{ content: blobChunks(blob, (n) => onProgress?.(n, total)) }],
    nullBlockstore,
    importerOptions()
  )) {
    root = entry.cid
  }
  onProgress?.(total, total)
  return root.toString()
}

/** POSTs a multipart form with XHR (fetch has no upload progress). Resolves with the response text. */
function postForm(url, form, onSent, timeoutMs) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.timeout = timeoutMs
    xhr.upload.onprogress = (event) => onSent?.(event.loaded)
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(xhr.responseText)
      } else {
        let message = xhr.responseText
        try {
          message = JSON.parse(xhr.responseText).Message ?? message
        } catch {}
        reject(fail('upload_rejected', `HTTP ${xhr.status}: ${message}`.slice(0, 500), { status: xhr.status }))
      }
    }
    xhr.onerror = () => reject(fail('unreachable', `cannot reach ${url}`, { url }))
    xhr.ontimeout = () => reject(fail('timed_out', `no answer from ${url} within ${timeoutMs} ms`, { url }))
    xhr.send(form)
  })
}

/**
 * Uploads `source` to a Kubo RPC API (`api` = `…/api/v0`) after computing its CID locally.
 * `onProgress(phase, done, total)` with phase `"hash"` then `"send"`. Returns the CID string.
 * With `pinningService`, also asks it to pin the CID (`POST {pinningService}/pins`), with
 * `pinningToken`, else the token saved in this browser (`PINNING_TOKEN_KEY`).
 */
export async function upload({ source, api, name, pinningService, pinningToken, timeoutMs, onProgress }) {
  const blob = toBlob(source)
  const total = blob.size
  const local = await cidOf(blob, (done) => onProgress?.('hash', done, total))
  const params = new URLSearchParams({
    'cid-version': '1',
    'raw-leaves': 'true',
    chunker: `size-${PROFILE.chunkSize}`,
    // Kubo's default is 174 links per file node; the profile's 1024 must be asked for
    'max-file-links': String(PROFILE.maxChildrenPerNode),
    hash: 'sha2-256',
    pin: 'true'
  })
  const form = new FormData()
  form.append('file', blob, name || 'file')
  const text = await postForm(
    `${api.replace(/\/$/, '')}/add?${params}`,
    form,
    (sent) => onProgress?.('send', Math.min(sent, total), total),
    timeoutMs ?? 600_000
  )
  onProgress?.('send', total, total)
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  let remote
  try {
    remote = JSON.parse(lines[lines.length - 1]).Hash
  } catch {}
  if (typeof remote !== 'string') throw fail('upload_rejected', `the upload API answered ${text.slice(0, 200)}`)
  if (remote !== local)
    throw fail('cid_mismatch', `the node stored ${remote} but the bytes hash to ${local}`, { local, remote })
  if (pinningService) await pin(pinningService, pinningToken ?? storedPinningToken(), local, name)
  return local
}
