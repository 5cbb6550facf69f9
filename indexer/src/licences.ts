// Licence tokens: purchases, escrow (delivery, challenge, release, reclaim), renewals, transfers and reviews,
// with the sales and ratings they add to their model and tier.
import { type Context, ponder } from 'ponder:registry'
import { heldEscrow, licence, model, review, tier } from 'ponder:schema'
import { refreshAvailability } from '../lib/availability'

ponder.on('AssayMarket:LicencePurchased', async ({ event, context }) => {
  const { licenceId, modelId, buyer, tierId, price, expiresAt, buyerKey, escrowed } = event.args
  const sold = await context.db.update(tier, { modelId, tierId: Number(tierId) }).set((t) => ({ sold: t.sold + 1n }))
  await context.db.update(model, { id: modelId }).set((m) => ({ sales: m.sales + 1n }))
  await refreshAvailability(context.db, modelId)
  // An encrypted model's purchase: its escrow was opened earlier in the same transaction.
  const held = escrowed ? await context.db.find(heldEscrow, { id: licenceId }) : null
  if (held) await context.db.delete(heldEscrow, { id: licenceId })
  await context.db.insert(licence).values({
    id: licenceId,
    holder: buyer,
    buyer,
    modelId,
    tierId: Number(tierId),
    price,
    expiresAt,
    transferable: sold.transferable,
    reviewed: false,
    paid: price > 0n,
    pending: escrowed,
    delivered: false,
    escrowAmount: held?.amount ?? 0n,
    deliveryDeadline: held?.deliveryDeadline ?? 0n,
    buyerKey,
    keySalt: held?.keySalt ?? null,
    burned: false,
    boughtAt: event.block.timestamp
  })
})

// `buyLicense` emits `EscrowHeld` before `LicencePurchased`: the licence has no row yet, so the escrow waits.
ponder.on('AssayMarket:EscrowHeld', async ({ event, context }) => {
  const { licenceId, amount, deliveryDeadline, keySalt } = event.args
  if (await context.db.find(licence, { id: licenceId })) {
    await context.db.update(licence, { id: licenceId }).set({ escrowAmount: amount, deliveryDeadline, keySalt })
  } else {
    await context.db.insert(heldEscrow).values({ id: licenceId, amount, deliveryDeadline, keySalt })
  }
})

ponder.on('AssayMarket:KeyDelivered', async ({ event, context }) => {
  const { licenceId, expiresAt, challengeDeadline } = event.args
  await context.db
    .update(licence, { id: licenceId })
    .set({ delivered: true, expiresAt, deliveryDeadline: challengeDeadline })
})

ponder.on('AssayMarket:EscrowReleased', async ({ event, context }) => {
  await context.db
    .update(licence, { id: event.args.licenceId })
    .set({ pending: false, escrowAmount: 0n, deliveryDeadline: 0n })
})

/** A reclaimed or successfully challenged licence: burned, and no longer a sale of its tier. */
async function unsell(db: Context['db'], licenceId: bigint) {
  const burned = await db
    .update(licence, { id: licenceId })
    .set({ burned: true, pending: false, escrowAmount: 0n, deliveryDeadline: 0n })
  await db.update(tier, { modelId: burned.modelId, tierId: burned.tierId }).set((t) => ({ sold: t.sold - 1n }))
  await db.update(model, { id: burned.modelId }).set((m) => ({ sales: m.sales - 1n }))
  await refreshAvailability(db, burned.modelId)
}

ponder.on('AssayMarket:LicenceReclaimed', async ({ event, context }) => {
  await unsell(context.db, event.args.licenceId)
})

ponder.on('AssayMarket:DeliveryChallenged', async ({ event, context }) => {
  await unsell(context.db, event.args.licenceId)
})

ponder.on('AssayMarket:LicenceRenewed', async ({ event, context }) => {
  await context.db.update(licence, { id: event.args.licenceId }).set({ expiresAt: event.args.expiresAt })
})

// Moves of the licence token; mints are recorded by `LicencePurchased` (which follows), burns by the reclaim or
// challenge (which follow).
ponder.on('AssayMarket:Transfer', async ({ event, context }) => {
  const { from, to, tokenId } = event.args
  const zero = '0x0000000000000000000000000000000000000000'
  if (from === zero || to === zero) return
  await context.db.update(licence, { id: tokenId }).set({ holder: to })
})

ponder.on('AssayMarket:Reviewed', async ({ event, context }) => {
  const { licenceId, modelId, reviewer, rating, commentCid } = event.args
  await context.db.insert(review).values({
    licenceId,
    modelId,
    reviewer,
    rating: Number(rating),
    commentCid,
    timestamp: event.block.timestamp
  })
  await context.db.update(licence, { id: licenceId }).set({ reviewed: true })
  await context.db
    .update(model, { id: modelId })
    .set((m) => ({ ratingSum: m.ratingSum + BigInt(rating), ratingCount: m.ratingCount + 1n }))
})
