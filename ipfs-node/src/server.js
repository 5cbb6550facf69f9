/**
 * The HTTP server: one port for the RPC API (`/api/v0/…`) and the gateway
 * (`/ipfs/…`), with CORS on every response.
 *
 * @module server
 */
import { createServer } from 'node:http'
import { handleApi } from './api.js'
import { handleGateway } from './gateway.js'
import { drainRequest, HttpError, sendKuboError, sendText, setCors } from './http-util.js'
import { handlePinning, isPinningPath } from './pinning.js'
import { subdomainPrefix } from './subdomain.js'
import { NAME, VERSION } from './version.js'

/**
 * Create (but do not start) the HTTP server for a node.
 *
 * @param {import('./node.js').AssayNode | Promise<import('./node.js').AssayNode>} nodeOrPromise
 *   the node, or a promise of it (requests wait for it)
 * @param {{ pinningToken?: string }} [options] - pinningToken: serve the Pinning Service API at /psa
 * @returns {import('node:http').Server}
 */
export function createHttpServer(nodeOrPromise, options = {}) {
  const server = createServer((req, res) => {
    handle(nodeOrPromise, req, res, options).catch((err) => {
      // last resort: handle() already turns errors into responses
      process.stderr.write(`unhandled error for ${req.method} ${req.url}: ${err?.stack ?? err}\n`)
      if (!res.headersSent) sendText(res, 500, 'internal error')
      else res.destroy()
    })
  })
  // large uploads (models of hundreds of MB) must not hit the default 5 minute limit
  server.requestTimeout = 0
  return server
}

/**
 * Route one request and turn thrown errors into responses.
 *
 * @param {import('./node.js').AssayNode | Promise<import('./node.js').AssayNode>} nodeOrPromise
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function handle(nodeOrPromise, req, res, { pinningToken } = {}) {
  setCors(res)
  const url = new URL(req.url ?? '/', 'http://localhost')
  const isApi = url.pathname.startsWith('/api/v0/')
  try {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Content-Length': 0 })
      res.end()
      return
    }
    const node = await nodeOrPromise
    const prefix = subdomainPrefix(req.headers.host)
    if (prefix) {
      // A subdomain gateway host serves only its own content, as Kubo's does.
      const path = new URL(`${prefix}${url.pathname}${url.search}`, 'http://localhost')
      path.subdomainPrefix = prefix
      return await handleGateway(node, req, res, path)
    }
    if (isApi) return await handleApi(node, req, res, url)
    if (isPinningPath(url.pathname)) return await handlePinning(node, pinningToken, req, res, url)
    if (url.pathname === '/ipfs' || url.pathname.startsWith('/ipfs/')) return await handleGateway(node, req, res, url)
    if (url.pathname.startsWith('/ipns/')) throw new HttpError(501, 'IPNS is not supported by this offline dev node')
    if (url.pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      return sendText(
        res,
        200,
        `${NAME}/${VERSION}: Kubo RPC subset under /api/v0/, gateway under /ipfs/<cid>`,
        req.method === 'HEAD'
      )
    }
    throw new HttpError(404, `not found: ${url.pathname}`)
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500
    const message = err instanceof HttpError ? err.message : `internal error: ${err?.message ?? err}`
    if (status === 500) process.stderr.write(`error for ${req.method} ${req.url}: ${err?.stack ?? err}\n`)
    if (res.headersSent) {
      res.destroy()
      return
    }
    await drainRequest(req)
    if (isApi) sendKuboError(res, status, message)
    else sendText(res, status, message, req.method === 'HEAD')
  }
}
