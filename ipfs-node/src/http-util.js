/**
 * Small HTTP helpers shared by the API and the gateway: CORS, JSON and
 * Kubo-style error responses, request-body draining.
 *
 * @module http-util
 */

/** CORS headers sent on every response (the app runs on another origin). */
export const CORS_HEADERS = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Content-Type, Range, Accept, Accept-Encoding, If-None-Match, X-Requested-With, User-Agent, Authorization',
  'Access-Control-Expose-Headers':
    'Content-Length, Content-Range, Content-Type, X-Ipfs-Path, X-Ipfs-Roots, Etag, X-Chunked-Output, X-Stream-Output, X-Content-Type-Options, Location',
  'Access-Control-Max-Age': '86400'
})

/**
 * An error carrying an HTTP status code, turned into a response by the
 * request handlers.
 */
export class HttpError extends Error {
  /**
   * @param {number} status - HTTP status code
   * @param {string} message - human readable message
   */
  constructor(status, message) {
    super(message)
    this.name = 'HttpError'
    this.status = status
  }
}

/**
 * Add the CORS headers to a response.
 *
 * @param {import('node:http').ServerResponse} res
 */
export function setCors(res) {
  for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v)
}

/**
 * Send a JSON body.
 *
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
export function sendJson(res, status, body) {
  const text = `${JSON.stringify(body)}\n`
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text)
  })
  res.end(text)
}

/**
 * Send a Kubo-RPC style error: `{"Message":"…","Code":0,"Type":"error"}`.
 *
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 */
export function sendKuboError(res, status, message) {
  sendJson(res, status, { Message: message, Code: 0, Type: 'error' })
}

/**
 * Send a plain-text error (used by the gateway).
 *
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 * @param {boolean} [head] - HEAD request: no body
 */
export function sendText(res, status, message, head = false) {
  const text = `${message}\n`
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text)
  })
  res.end(head ? undefined : text)
}

/**
 * Read and discard whatever is left of a request body, so that a response
 * sent before the whole upload was read still reaches the client.
 * Resolves when the body ended (or after `timeoutMs`).
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [timeoutMs]
 * @returns {Promise<void>}
 */
export function drainRequest(req, timeoutMs = 10_000) {
  if (req.readableEnded || req.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs)
    function done() {
      clearTimeout(timer)
      req.off('end', done)
      req.off('error', done)
      req.off('close', done)
      resolve()
    }
    req.on('end', done)
    req.on('error', done)
    req.on('close', done)
    req.resume()
  })
}

/**
 * Parse a boolean query parameter the way Kubo does ("true"/"false"/"1"/"0",
 * an empty value means true).
 *
 * @param {URLSearchParams} params
 * @param {string} name
 * @param {boolean} def - value when absent
 * @returns {boolean}
 */
export function boolParam(params, name, def) {
  if (!params.has(name)) return def
  const v = (params.get(name) ?? '').toLowerCase()
  if (v === '' || v === 'true' || v === '1' || v === 'yes') return true
  if (v === 'false' || v === '0' || v === 'no') return false
  throw new HttpError(400, `invalid boolean value for "${name}": "${v}"`)
}

/**
 * Write an NDJSON body (Kubo's streamed output).
 *
 * @param {import('node:http').ServerResponse} res
 * @param {unknown[]} lines
 */
export function sendNdjson(res, lines) {
  const body = lines.map((l) => `${JSON.stringify(l)}\n`).join('')
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'X-Chunked-Output': '1',
    'Content-Length': Buffer.byteLength(body)
  })
  res.end(body)
}
