#!/usr/bin/env node
/**
 * CLI: start the local IPFS node.
 *
 *   node ipfs-node/src/main.js --host 127.0.0.1 --port 5001 --repo .assay/ipfs [--pinning-token <token>]
 *
 * With a pinning token (or $ASSAY_PINNING_TOKEN) it also serves the IPFS Pinning Service API
 * at /psa (see pinning.js).
 * Prints exactly one line to stdout when listening:
 *   {"ready":true,"url":"http://127.0.0.1:<port>"}
 * and runs until SIGINT/SIGTERM (clean shutdown, exit 0). Exit 1 when the
 * port is taken or the arguments are wrong.
 *
 * @module main
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'

const USAGE =
  'usage: node ipfs-node/src/main.js --host 127.0.0.1 --port <port, 0 = any free> --repo <dir> [--pinning-token <token>]'

/**
 * Print an error and exit 1.
 *
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  process.stderr.write(`assay ipfs-node: error: ${message}\n`)
  process.exit(1)
}

const major = Number(process.versions.node.split('.')[0])
if (major < 22) fail(`Node.js >= 22 is required (Helia 7), this is ${process.version} at ${process.execPath}`)

let args
try {
  args = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '5001' },
      repo: { type: 'string' },
      'pinning-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  }).values
} catch (err) {
  fail(`${err.message}\n${USAGE}`)
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
if (args.repo == null || args.repo === '') fail(`--repo is required\n${USAGE}`)
const port = Number(args.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port "${args.port}"\n${USAGE}`)
const repo = resolve(args.repo)
// The Pinning Service API (/psa/pins) is on when a token is given ($ASSAY_PINNING_TOKEN keeps it off the command line).
const pinningToken = args['pinning-token'] ?? process.env.ASSAY_PINNING_TOKEN
if (pinningToken != null && !/^[\x21-\x7e]{8,}$/.test(pinningToken))
  fail('--pinning-token must be at least 8 printable characters without spaces')

// listen first: a taken port must fail before the repo is touched
let resolveNode
const nodePromise = new Promise((resolve) => {
  resolveNode = resolve
})
const { createHttpServer } = await import('./server.js')
const server = createHttpServer(nodePromise, { pinningToken })

server.on('error', (err) => {
  if (err.code === 'EADDRINUSE')
    fail(
      `port ${port} on ${args.host} is already in use (another node or program is listening there); choose another --port or stop it`
    )
  if (err.code === 'EACCES') fail(`permission denied to listen on ${args.host}:${port}`)
  fail(`cannot listen on ${args.host}:${port}: ${err.message}`)
})

await new Promise((resolve) => server.listen(port, args.host, resolve))

let node
try {
  // loaded only now: importing Helia takes a while, and a taken port should fail fast
  const { createNode } = await import('./node.js')
  node = await createNode({ repo })
} catch (err) {
  fail(`cannot open the repo at ${repo}: ${err.message}`)
}
resolveNode(node)

const address = server.address()
const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
process.stdout.write(`${JSON.stringify({ ready: true, url: `http://${host}:${address.port}` })}\n`)

let stopping = false
async function shutdown(signal) {
  if (stopping) return
  stopping = true
  process.stderr.write(`assay ipfs-node: ${signal} received, shutting down\n`)
  server.close()
  server.closeAllConnections()
  try {
    await node.stop()
  } catch (err) {
    process.stderr.write(`assay ipfs-node: error while stopping: ${err.message}\n`)
    process.exit(1)
  }
  process.exit(0)
}
process.on('SIGINT', () => {
  shutdown('SIGINT')
})
process.on('SIGTERM', () => {
  shutdown('SIGTERM')
})
