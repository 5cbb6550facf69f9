// Model cards for search: a listing names its card by CID on chain; its name, task, tags and description live
// in the card on IPFS. The card is fetched block by block from the deployment's gateways (Trustless Gateway
// `?format=raw`), each block hashed against its CID before it is used, then read as UnixFS (any DAG shape),
// so a gateway cannot make the indexer file a listing under words its card does not have. Cards are cached
// by CID for the process (the same card is often listed many times).
import { exporter } from 'ipfs-unixfs-exporter'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'

export type CardFields = {
  status: 'ok' | 'unavailable' | 'invalid'
  name: string
  task: string
  tags: string[]
  description: string
}

/** The most bytes of card read: a card is JSON, not weights. */
const MAX_CARD_BYTES = 4 * 1024 * 1024
const TIMEOUT_MS = Number(process.env.ASSAY_INDEXER_IPFS_TIMEOUT_MS ?? 10_000)
const cache = new Map<string, Promise<CardFields>>()

const empty = (status: CardFields['status']): CardFields => ({ status, name: '', task: '', tags: [], description: '' })

class Unavailable extends Error {}

/** A block from the first gateway that gives bytes whose hash is the CID's. */
async function verifiedBlock(gateways: string[], cid: CID): Promise<Uint8Array> {
  if (cid.multihash.code !== sha256.code) throw new Unavailable(`${cid}: only sha2-256 CIDs are verified`)
  for (const gateway of gateways) {
    try {
      const answer = await fetch(`${gateway.replace(/\/$/, '')}/ipfs/${cid}?format=raw`, {
        headers: { accept: 'application/vnd.ipld.raw' },
        signal: AbortSignal.timeout(TIMEOUT_MS)
      })
      if (!answer.ok) continue
      const bytes = new Uint8Array(await answer.arrayBuffer())
      const digest = await sha256.digest(bytes)
      if (
        digest.bytes.every((b, i) => b === cid.multihash.bytes[i]) &&
        digest.bytes.length === cid.multihash.bytes.length
      ) {
        return bytes
      }
    } catch {
      // the next gateway
    }
  }
  throw new Unavailable(`no gateway gave a verified block ${cid}`)
}

async function readCard(gateways: string[], cidText: string): Promise<CardFields> {
  let cid: CID
  try {
    cid = CID.parse(cidText)
  } catch {
    return empty('invalid')
  }
  // The exporter reads a block as a stream of chunks: one, verified whole.
  const blockstore = {
    async *get(c: CID) {
      yield await verifiedBlock(gateways, c)
    }
  }
  let bytes: Uint8Array
  try {
    const entry = await exporter(cid, blockstore as never)
    if (entry.type !== 'file' && entry.type !== 'raw') return empty('invalid')
    if (Number(entry.size) > MAX_CARD_BYTES) return empty('invalid')
    const parts: Uint8Array[] = []
    for await (const chunk of entry.content()) parts.push(chunk as Uint8Array)
    bytes = Buffer.concat(parts)
  } catch (e) {
    return empty(e instanceof Unavailable ? 'unavailable' : 'invalid')
  }
  try {
    const card = JSON.parse(new TextDecoder().decode(bytes))
    const text = (v: unknown) => (typeof v === 'string' ? v : '')
    return {
      status: 'ok',
      name: text(card.name),
      task: text(card.task),
      tags: Array.isArray(card.tags) ? card.tags.filter((t: unknown) => typeof t === 'string') : [],
      description: text(card.description)
    }
  } catch {
    return empty('invalid')
  }
}

/** The card's searchable fields; an unavailable card is not cached, so a later version or restart tries again. */
export function cardFields(gateways: string[], cid: string): Promise<CardFields> {
  const known = cache.get(cid)
  if (known) return known
  const reading = readCard(gateways, cid)
  cache.set(cid, reading)
  reading.then((fields) => {
    if (fields.status === 'unavailable') cache.delete(cid)
  })
  return reading
}

/** What full-text search matches: the name, task, tags and description. */
export function searchText(fields: CardFields): string {
  return [fields.name, fields.task, fields.tags.join(' '), fields.description].join(' ').trim()
}
