/**
 * Content types for the path gateway, by file extension, with a tiny
 * content sniffer for names without an extension.
 *
 * @module mime
 */

const TYPES = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  webmanifest: 'application/manifest+json',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml',
  wasm: 'application/wasm',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  onnx: 'application/octet-stream',
  safetensors: 'application/octet-stream',
  gguf: 'application/octet-stream',
  bin: 'application/octet-stream',
  car: 'application/vnd.ipld.car'
}

/**
 * Content type for a file name, or `undefined` when the extension is unknown
 * or missing.
 *
 * @param {string} name
 * @returns {string | undefined}
 */
export function typeFromName(name) {
  const dot = name.lastIndexOf('.')
  if (dot <= 0 && !name.startsWith('.')) return undefined
  return TYPES[name.slice(dot + 1).toLowerCase()]
}

/**
 * Guess a content type from the first bytes of a file.
 *
 * @param {Uint8Array} head - the first bytes (up to a few hundred)
 * @returns {string}
 */
export function sniffType(head) {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength)
  if (b.length >= 4 && b[0] === 0x00 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d) return 'application/wasm'
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= 4 && b.subarray(0, 4).toString('latin1') === '%PDF') return 'application/pdf'
  const text = b.subarray(0, 512).toString('utf8').trimStart().toLowerCase()
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'text/html; charset=utf-8'
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'image/svg+xml'
  if (
    b.length > 0 &&
    !b.subarray(0, 512).includes(0) &&
    Buffer.from(text, 'utf8').length > 0 &&
    isUtf8(b.subarray(0, 512))
  )
    return 'text/plain; charset=utf-8'
  return 'application/octet-stream'
}

/**
 * @param {Buffer} b
 * @returns {boolean}
 */
function isUtf8(b) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b)
    return true
  } catch {
    // a multi-byte character may be cut at the end of the sample
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, Math.max(0, b.length - 3)))
      return true
    } catch {
      return false
    }
  }
}
