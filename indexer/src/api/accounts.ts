// An account's licences and balances.

import { db } from 'ponder:api'
import { account, ledger, licence } from 'ponder:schema'
import { and, asc, eq } from 'ponder'

/** `IAssayMarket.LicenceStatus`, by the contract's rule, at chain time `now`. */
export const LICENCE_STATUS = ['None', 'AwaitingKey', 'Active', 'Expired', 'InChallengePeriod'] as const

export function licenceStatus(l: typeof licence.$inferSelect, now: bigint): (typeof LICENCE_STATUS)[number] {
  if (l.burned) return 'None'
  if (l.pending) return l.delivered ? 'InChallengePeriod' : 'AwaitingKey'
  return l.expiresAt === 0n || l.expiresAt > now ? 'Active' : 'Expired'
}

/** A licence as `IAssayMarket.licence(id)` returns it, with its status at `now`. */
export function licenceJson(l: typeof licence.$inferSelect, now: bigint) {
  return {
    id: l.id,
    holder: l.holder,
    modelId: l.modelId,
    tierId: l.tierId,
    expiresAt: l.expiresAt,
    status: licenceStatus(l, now),
    transferable: l.transferable,
    reviewed: l.reviewed,
    paid: l.paid,
    escrowAmount: l.escrowAmount,
    deliveryDeadline: l.deliveryDeadline,
    price: l.price,
    buyer: l.buyer,
    buyerKey: l.buyerKey,
    keySalt: l.keySalt,
    boughtAt: l.boughtAt
  }
}

/** The licences `holder` holds now (burned ones are gone), oldest first. */
export async function licencesOf(holder: `0x${string}`, now: bigint) {
  const rows = await db
    .select()
    .from(licence)
    .where(and(eq(licence.holder, holder), eq(licence.burned, false)))
    .orderBy(asc(licence.id))
  return rows.map((l) => licenceJson(l, now))
}

export async function oneLicence(id: bigint, now: bigint) {
  const [l] = await db.select().from(licence).where(eq(licence.id, id))
  return l && !l.burned ? licenceJson(l, now) : null
}

/** `withdrawable` on the market and on the moderation contract, with every credit and withdrawal. */
export async function creditsOf(address: `0x${string}`) {
  const [sums] = await db.select().from(account).where(eq(account.address, address))
  const entries = await db
    .select()
    .from(ledger)
    .where(eq(ledger.account, address))
    .orderBy(asc(ledger.block), asc(ledger.id))
  const z = 0n
  const s = sums ?? {
    marketCredited: z,
    marketClaimed: z,
    marketWithdrawn: z,
    moderationCredited: z,
    moderationWithdrawn: z
  }
  return {
    account: address,
    market: {
      credited: s.marketCredited,
      claimed: s.marketClaimed,
      withdrawn: s.marketWithdrawn,
      withdrawable: s.marketCredited + s.marketClaimed - s.marketWithdrawn
    },
    moderation: {
      credited: s.moderationCredited,
      withdrawn: s.moderationWithdrawn,
      withdrawable: s.moderationCredited - s.moderationWithdrawn
    },
    ledger: entries
  }
}
