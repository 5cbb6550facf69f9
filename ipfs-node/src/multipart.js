/**
 * Streaming multipart/form-data parsing (on top of busboy) that turns a
 * Kubo-style `/api/v0/add` or `/api/v0/dag/import` upload into an async
 * sequence of parts, with back-pressure: the next part is only read once the
 * current part's content has been consumed, so nothing is buffered whole.
 *
 * @module multipart
 */
import busboy from 'busboy'
import { HttpError } from './http-util.js'

/**
 * @typedef {object} Part
 * @property {string} field - the form field name (kubo-rpc-client: `file`, `file-1`, `dir-2`,
 *   with `?mode=…&mtime=…` when it sends UnixFS metadata)
 * @property {string} path - decoded part filename (may contain `/`)
 * @property {boolean} isDirectory - `Content-Type: application/x-directory`
 * @property {string} mimeType
 * @property {import('node:stream').Readable} stream - the part body
 */

/**
 * Iterate over the file parts of a multipart request. Parts without a
 * filename (plain form fields) are ignored. The consumer must read (or
 * `resume()`) each part's stream before asking for the next one.
 *
 * @param {import('node:http').IncomingMessage} req
 * @returns {AsyncGenerator<Part>}
 */
export async function* parseMultipart(req) {
  const type = req.headers['content-type'] ?? ''
  if (!/^multipart\/form-data/i.test(type)) {
    throw new HttpError(400, `expected a multipart/form-data request body, got Content-Type "${type}"`)
  }
  let bb
  try {
    bb = busboy({ headers: req.headers, preservePath: true, defParamCharset: 'utf8' })
  } catch (err) {
    throw new HttpError(400, `invalid multipart request: ${err.message}`)
  }

  /** @type {Array<{ name: string, stream: import('node:stream').Readable, info: any }>} */
  const queue = []
  let finished = false
  let error = null
  let wake = null
  const notify = () => {
    if (wake != null) {
      const w = wake
      wake = null
      w()
    }
  }

  bb.on('file', (name, stream, info) => {
    queue.push({ name, stream, info })
    notify()
  })
  bb.on('close', () => {
    finished = true
    notify()
  })
  bb.on('error', (err) => {
    error = err
    notify()
  })
  req.on('error', (err) => {
    error = err
    notify()
  })
  req.on('aborted', () => {
    error = new Error('request aborted by client')
    notify()
  })
  req.pipe(bb)

  try {
    while (true) {
      if (error != null) throw new HttpError(400, `invalid multipart request: ${error.message}`)
      const next = queue.shift()
      if (next != null) {
        const raw = next.info.filename ?? ''
        let path
        try {
          path = decodeURIComponent(raw)
        } catch {
          path = raw
        }
        const mimeType = (next.info.mimeType ?? '').toLowerCase()
        yield {
          field: next.name,
          path,
          isDirectory: mimeType === 'application/x-directory',
          mimeType,
          stream: next.stream
        }
        // make sure an unconsumed part does not stall the parser
        if (!next.stream.readableEnded) next.stream.resume()
        continue
      }
      if (finished) return
      await new Promise((resolve) => {
        wake = resolve
      })
    }
  } finally {
    req.unpipe(bb)
    for (const p of queue) p.stream.resume()
  }
}
