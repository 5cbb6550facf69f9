// What a listing has on sale, kept on its row so Browse can filter and sort by it: the cheapest tier on sale and
// whether one allows commercial use or derivatives. Recomputed whenever a tier or the listing changes. Tiers are
// read one by one with `find` (Ponder's cached store), not with raw SQL, which would flush the indexing cache.

import type { Context } from 'ponder:registry'
import { model, tier } from 'ponder:schema'

export async function refreshAvailability(db: Context['db'], modelId: bigint) {
  const listed = await db.find(model, { id: modelId })
  if (!listed) return
  let minPrice: bigint | null = null
  let commercial = false
  let derivatives = false
  for (let tierId = 0; tierId < listed.tierCount && !listed.delisted; tierId++) {
    const t = await db.find(tier, { modelId, tierId })
    if (!t || t.paused || (t.maxSupply !== 0n && t.sold >= t.maxSupply)) continue
    if (minPrice === null || t.price < minPrice) minPrice = t.price
    commercial ||= t.commercialUse
    derivatives ||= t.derivativesAllowed
  }
  await db.update(model, { id: modelId }).set({ minPrice, commercial, derivatives })
}
