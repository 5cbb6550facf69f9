// The catalogue: listings, versions, tiers, co-authors, lineage, delisting and the model NFT's owner.
import { ponder } from 'ponder:registry'
import { catalogueSize, coAuthor, model, parent, tier, version } from 'ponder:schema'
import { refreshAvailability } from '../lib/availability'
import { cardFields, searchText } from '../lib/card'
import { readDeployment } from '../lib/deployment'

const gateways = readDeployment().gateways
const ZERO = '0x0000000000000000000000000000000000000000000000000000000000000000'

async function cardColumns(cid: string) {
  const fields = await cardFields(gateways, cid)
  return {
    cardStatus: fields.status,
    name: fields.name,
    task: fields.task,
    tags: fields.tags,
    searchText: searchText(fields)
  }
}

ponder.on('AssayMarket:ModelListed', async ({ event, context }) => {
  const { modelId, creator, manifestCid, keyCommitment, royaltyBps, coAuthors, parents } = event.args
  await context.db.insert(model).values({
    id: modelId,
    creator,
    // The mint's Transfer came first in the same transaction, to the creator.
    owner: creator,
    manifestCid,
    keyCommitment,
    encrypted: keyCommitment !== ZERO,
    royaltyBps: Number(royaltyBps),
    versionCount: 1,
    tierCount: 0,
    sales: 0n,
    ratingSum: 0n,
    ratingCount: 0n,
    delisted: false,
    minPrice: null,
    commercial: false,
    derivatives: false,
    earnings: 0n,
    listedBlock: event.block.number,
    listedAt: event.block.timestamp,
    listedTx: event.transaction.hash,
    latestCase: 0n,
    caseStatus: 'None',
    ...(await cardColumns(manifestCid))
  })
  await context.db
    .insert(catalogueSize)
    .values({ id: 'all', listed: 1, delisted: 0 })
    .onConflictDoUpdate((row) => ({ listed: row.listed + 1 }))
  await context.db.insert(version).values({
    modelId,
    version: 0,
    manifestCid,
    publisher: creator,
    block: event.block.number,
    timestamp: event.block.timestamp
  })
  if (coAuthors.length > 0) {
    await context.db
      .insert(coAuthor)
      .values(coAuthors.map((a, position) => ({ modelId, position, account: a.account, bps: Number(a.bps) })))
  }
  if (parents.length > 0) {
    await context.db.insert(parent).values(
      parents.map((p, position) => ({
        childId: modelId,
        position,
        parentId: p.modelId,
        bps: Number(p.bps),
        licenceId: p.licenceId
      }))
    )
  }
})

ponder.on('AssayMarket:VersionPublished', async ({ event, context }) => {
  const { modelId, version: index, manifestCid, publisher } = event.args
  await context.db.insert(version).values({
    modelId,
    version: Number(index),
    manifestCid,
    publisher,
    block: event.block.number,
    timestamp: event.block.timestamp
  })
  const card = await cardColumns(manifestCid)
  await context.db
    .update(model, { id: modelId })
    .set((m) => ({ manifestCid, versionCount: m.versionCount + 1, ...card }))
})

ponder.on('AssayMarket:TierAdded', async ({ event, context }) => {
  const { modelId, tierId, tier: t } = event.args
  await context.db.insert(tier).values({
    modelId,
    tierId: Number(tierId),
    price: t.price,
    duration: BigInt(t.duration),
    maxSupply: BigInt(t.maxSupply),
    sold: 0n,
    commercialUse: t.commercialUse,
    derivativesAllowed: t.derivativesAllowed,
    transferable: t.transferable,
    paused: false,
    termsCid: t.termsCid
  })
  await context.db.update(model, { id: modelId }).set((m) => ({ tierCount: m.tierCount + 1 }))
  await refreshAvailability(context.db, modelId)
})

ponder.on('AssayMarket:TierPriceChanged', async ({ event, context }) => {
  const { modelId, tierId, newPrice } = event.args
  await context.db.update(tier, { modelId, tierId: Number(tierId) }).set({ price: newPrice })
  await refreshAvailability(context.db, modelId)
})

ponder.on('AssayMarket:TierPausedSet', async ({ event, context }) => {
  const { modelId, tierId, paused } = event.args
  await context.db.update(tier, { modelId, tierId: Number(tierId) }).set({ paused })
  await refreshAvailability(context.db, modelId)
})

ponder.on('AssayMarket:ModelDelisted', async ({ event, context }) => {
  const before = await context.db.find(model, { id: event.args.modelId })
  await context.db.update(model, { id: event.args.modelId }).set({ delisted: true })
  // Counted once per listing, even if a second `ModelDelisted` came for it.
  if (before && !before.delisted) {
    await context.db.update(catalogueSize, { id: 'all' }).set((row) => ({ delisted: row.delisted + 1 }))
  }
  await refreshAvailability(context.db, event.args.modelId)
})

// The model NFT's owner. The mint precedes `ModelListed` (which records the creator as owner), so only moves of
// an existing listing change anything here.
ponder.on('AssayModels:Transfer', async ({ event, context }) => {
  const { to, tokenId } = event.args
  const listed = await context.db.find(model, { id: tokenId })
  if (listed) await context.db.update(model, { id: tokenId }).set({ owner: to })
})
