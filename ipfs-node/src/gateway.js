/**
 * `/ipfs/…` gateway: Trustless Gateway responses (`?format=raw|car`,
 * `Accept: application/vnd.ipld.raw|car`) and a path gateway that serves
 * UnixFS files and directories. Every read is offline: an absent CID is a
 * fast 404, never a network lookup.
 *
 * @module gateway
 */
import { BlockExporter, car, SubgraphExporter, UnixFSExporter, UnixFSPath } from '@helia/car'
import { exporter, walkPath } from 'ipfs-unixfs-exporter'
import { notFoundOr, readBlock } from './blocks.js'
import { readFileRange } from './file-reader.js'
import { HttpError } from './http-util.js'
import { sniffType, typeFromName } from './mime.js'
import { parseIpfsPath } from './paths.js'

/** Cache-Control for every immutable `/ipfs/` response. */
export const IMMUTABLE = 'public, max-age=29030400, immutable'
const RAW_TYPE = 'application/vnd.ipld.raw'
const CAR_TYPE = 'application/vnd.ipld.car'

/**
 * Handle `GET`/`HEAD /ipfs/<cid>[/path]`.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 * @returns {Promise<void>}
 */
export async function handleGateway(node, req, res, url) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new HttpError(405, `method ${req.method} not allowed on the gateway`)
  }
  const head = req.method === 'HEAD'
  const rawSegments = url.pathname.split('/')
  let decodedPath
  try {
    decodedPath = rawSegments.map((s) => decodeURIComponent(s)).join('/')
  } catch {
    throw new HttpError(400, `invalid percent-encoding in path "${url.pathname}"`)
  }
  const { cid, segments } = parseIpfsPath(decodedPath)
  const format = requestedFormat(req, url)

  // a fast, explicit 404 for a CID whose root block is not here
  if (!(await node.helia.blockstore.has(cid))) {
    throw new HttpError(404, `${cid} not found: this node is offline and does not have that block`)
  }

  const resolved = await resolvePath(node, cid, segments)
  const common = {
    'X-Ipfs-Path': url.pathname,
    'X-Ipfs-Roots': resolved.roots.map(String).join(','),
    'Cache-Control': IMMUTABLE,
    Vary: 'Accept'
  }

  if (format === 'raw') return serveRaw(node, req, res, resolved.cid, common, head)
  if (format === 'car') return serveCar(node, req, res, url, cid, segments, resolved.cid, common, head)
  return servePath(node, req, res, url, resolved, segments, common, head)
}

/**
 * Work out whether a trustless response format was asked for.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {URL} url
 * @returns {'raw' | 'car' | undefined}
 */
function requestedFormat(req, url) {
  const format = url.searchParams.get('format')
  if (format != null && format !== '') {
    if (format === 'raw' || format === 'car') return format
    throw new HttpError(400, `unsupported format "${format}" (supported: raw, car)`)
  }
  const accept = (req.headers.accept ?? '').toLowerCase()
  for (const part of accept.split(',')) {
    const type = part.split(';')[0].trim()
    if (type === RAW_TYPE) return 'raw'
    if (type === CAR_TYPE) return 'car'
  }
  return undefined
}

/**
 * Resolve a content path offline to its terminal CID and the CIDs of the
 * nodes along the way.
 *
 * @param {import('./node.js').AssayNode} node
 * @param {import('multiformats/cid').CID} root
 * @param {string[]} segments
 * @returns {Promise<{ cid: import('multiformats/cid').CID, roots: import('multiformats/cid').CID[] }>}
 */
async function resolvePath(node, root, segments) {
  if (segments.length === 0) return { cid: root, roots: [root] }
  let last
  try {
    for await (const entry of walkPath([root.toString(), ...segments].join('/'), node.helia.blockstore, {
      offline: true
    })) {
      last = entry
    }
  } catch (err) {
    throw notFoundOr(err, `/ipfs/${root}/${segments.join('/')} not found`)
  }
  if (last == null || last.remainder?.length > 0)
    throw new HttpError(404, `/ipfs/${root}/${segments.join('/')} not found`)
  return { cid: last.cid, roots: last.roots?.length > 0 ? last.roots : [root] }
}

/**
 * Answer 304 when `If-None-Match` matches the etag.
 *
 * @returns {boolean} true when a 304 was sent
 */
function notModified(req, res, etag, headers) {
  const inm = req.headers['if-none-match']
  if (inm == null) return false
  const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''))
  if (!tags.includes(etag) && !tags.includes('*')) return false
  res.writeHead(304, { ...headers, Etag: etag })
  res.end()
  return true
}

/** `?format=raw`: the block bytes, exactly. */
async function serveRaw(node, req, res, cid, common, head) {
  const etag = `"${cid}.raw"`
  if (notModified(req, res, etag, common)) return
  const block = await readBlock(node, cid)
  res.writeHead(200, {
    ...common,
    'Content-Type': RAW_TYPE,
    'Content-Length': block.length,
    'Content-Disposition': `attachment; filename="${cid}.bin"`,
    'X-Content-Type-Options': 'nosniff',
    Etag: etag
  })
  res.end(head ? undefined : block)
}

/**
 * `?format=car`: a CARv1 stream of the DAG, in depth-first order, honouring
 * `dag-scope` (all | entity | block) and `entity-bytes`.
 */
async function serveCar(node, req, res, url, root, segments, target, common, head) {
  const version = url.searchParams.get('car-version')
  if (version != null && version !== '1') throw new HttpError(400, `unsupported car-version "${version}" (only 1)`)
  const scope = url.searchParams.get('dag-scope') ?? 'all'
  const entityBytes = url.searchParams.get('entity-bytes')
  let exporterStrategy
  if (scope === 'block') {
    exporterStrategy = new BlockExporter()
  } else if (scope === 'entity') {
    exporterStrategy =
      entityBytes != null ? new UnixFSExporter(await parseEntityBytes(node, target, entityBytes)) : new UnixFSExporter()
  } else if (scope === 'all') {
    exporterStrategy = new SubgraphExporter()
  } else {
    throw new HttpError(400, `invalid dag-scope "${scope}" (all, entity or block)`)
  }
  const etag = `"${root}${segments.length > 0 ? `/${segments.join('/')}` : ''}.car.${scope}${entityBytes != null ? `.${entityBytes}` : ''}"`
  if (notModified(req, res, etag, common)) return
  res.writeHead(200, {
    ...common,
    'Content-Type': `${CAR_TYPE}; version=1; order=dfs; dups=n`,
    'Content-Disposition': `attachment; filename="${root}.car"`,
    'X-Content-Type-Options': 'nosniff',
    'Accept-Ranges': 'none',
    Etag: etag
  })
  if (head) {
    res.end()
    return
  }
  const options = { offline: true, exporter: exporterStrategy }
  if (segments.length > 0) {
    options.traversal = new UnixFSPath(root, `/${segments.join('/')}`)
    options.includeTraversalBlocks = true
  }
  try {
    for await (const chunk of car(node.helia).export(target, options)) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
    }
    res.end()
  } catch (err) {
    // headers are gone: all we can do is cut the stream so the CAR is visibly truncated
    res.destroy(err)
  }
}

/**
 * Parse `entity-bytes=from:to` (to may be `*`, negative values count from
 * the end) into exporter offset/length.
 */
async function parseEntityBytes(node, cid, spec) {
  const m = /^(-?\d+):(-?\d+|\*)$/.exec(spec)
  if (m == null) throw new HttpError(400, `invalid entity-bytes "${spec}"`)
  let from = Number(m[1])
  let to = m[2] === '*' ? undefined : Number(m[2])
  if (from < 0 || (to != null && to < 0)) {
    const entry = await exporter(cid, node.helia.blockstore, { offline: true })
    const size = Number(entry.size)
    if (from < 0) from = Math.max(0, size + from)
    if (to != null && to < 0) to = size + to
  }
  if (to != null && to < from) throw new HttpError(400, `invalid entity-bytes "${spec}": to < from`)
  return { offset: from, length: to == null ? undefined : to - from + 1 }
}

/**
 * Path gateway: serve a UnixFS file (with Range support), redirect a
 * directory to its trailing-slash form, serve its index.html or a listing.
 */
async function servePath(node, req, res, url, resolved, segments, common, head) {
  let entry
  try {
    entry = await exporter(resolved.cid, node.helia.blockstore, { offline: true })
  } catch (err) {
    throw notFoundOr(err, `${url.pathname} not found`)
  }
  const name = segments.at(-1) ?? ''
  const filename = url.searchParams.get('filename')
  if (filename != null && filename !== '') {
    const disposition = url.searchParams.get('download') === 'true' ? 'attachment' : 'inline'
    common = {
      ...common,
      'Content-Disposition': `${disposition}; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`
    }
  }

  if (entry.type === 'directory') {
    if (!url.pathname.endsWith('/')) {
      // On a subdomain gateway host the address has no `/ipfs/<cid>` prefix.
      const path = url.subdomainPrefix ? url.pathname.slice(url.subdomainPrefix.length) : url.pathname
      const location = `${path}/${url.search}`
      res.writeHead(301, { ...common, Location: location, 'Content-Type': 'text/html; charset=utf-8' })
      res.end(head ? undefined : `<a href="${escapeHtml(location)}">Moved Permanently</a>.\n`)
      return
    }
    let index
    try {
      index = await exporter(`${entry.cid}/index.html`, node.helia.blockstore, { offline: true })
    } catch (err) {
      if (notFoundOr(err, '') instanceof HttpError) index = undefined
      else throw err
    }
    if (index != null && (index.type === 'file' || index.type === 'raw')) {
      return serveFile(node.helia.blockstore, req, res, index, 'text/html; charset=utf-8', common, head)
    }
    return serveListing(req, res, url, entry, common, head)
  }
  if (entry.type === 'file' || entry.type === 'raw' || entry.type === 'identity') {
    let type = typeFromName(name) ?? (filename != null ? typeFromName(filename) : undefined)
    if (type == null) {
      const first = []
      let got = 0
      for await (const chunk of readFileRange(node.helia.blockstore, entry.cid, 0, Math.min(512, Number(entry.size)))) {
        first.push(chunk)
        got += chunk.length
      }
      type = got === 0 ? 'application/octet-stream' : sniffType(Buffer.concat(first))
    }
    return serveFile(node.helia.blockstore, req, res, entry, type, common, head)
  }
  throw new HttpError(
    501,
    `${url.pathname} is a ${entry.type} node: only UnixFS files and directories are served by the path gateway (use ?format=raw or ?format=car)`
  )
}

/**
 * Parse a single-range `Range: bytes=…` header.
 *
 * @param {string | undefined} header
 * @param {number} size
 * @returns {{ start: number, end: number } | null | 'unsatisfiable'} null: serve the whole file
 */
export function parseRange(header, size) {
  if (header == null) return null
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (m == null) return null // multi-range or malformed: ignore, serve 200
  let start
  let end
  if (m[1] === '' && m[2] === '') return null
  if (m[1] === '') {
    const suffix = Number(m[2])
    if (suffix === 0) return 'unsatisfiable'
    start = Math.max(0, size - suffix)
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
    if (end < start && m[2] !== '') return null
  }
  if (start >= size) return 'unsatisfiable'
  return { start, end }
}

/** Serve a file entry, honouring Range and If-None-Match. */
async function serveFile(blockstore, req, res, entry, type, common, head) {
  const size = Number(entry.size)
  const etag = `"${entry.cid}"`
  if (notModified(req, res, etag, common)) return
  const headers = { ...common, 'Content-Type': type, Etag: etag, 'Accept-Ranges': 'bytes' }
  const range = parseRange(req.headers.range, size)
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 })
    res.end()
    return
  }
  let offset = 0
  let length = size
  if (range == null) {
    res.writeHead(200, { ...headers, 'Content-Length': size })
  } else {
    offset = range.start
    length = range.end - range.start + 1
    res.writeHead(206, {
      ...headers,
      'Content-Length': length,
      'Content-Range': `bytes ${range.start}-${range.end}/${size}`
    })
  }
  if (head || length === 0) {
    res.end()
    return
  }
  try {
    for await (const chunk of readFileRange(blockstore, entry.cid, offset, offset + length)) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
    }
    res.end()
  } catch (err) {
    res.destroy(err)
  }
}

/** Simple HTML listing of a directory without index.html. */
async function serveListing(req, res, url, entry, common, head) {
  const etag = `"DirIndex-${entry.cid}"`
  if (notModified(req, res, etag, common)) return
  const rows = []
  for await (const child of entry.entries({ offline: true })) {
    const href = url.pathname + encodeURIComponent(child.name)
    rows.push(
      `<tr><td><a href="${escapeHtml(href)}">${escapeHtml(child.name)}</a></td><td><code>${child.cid}</code></td><td>${child.size}</td></tr>`
    )
  }
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(url.pathname)}</title></head>
<body><h1>Index of ${escapeHtml(url.pathname)}</h1>
<p><code>${entry.cid}</code></p>
<table><thead><tr><th>Name</th><th>CID</th><th>Size</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></body></html>
`
  res.writeHead(200, {
    ...common,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    Etag: etag
  })
  res.end(head ? undefined : html)
}

/**
 * @param {string} s
 * @returns {string}
 */
function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])
}
