// Credits and withdrawals: each as it happened (`ledger`), and per account the sums that give its withdrawable
// balance on the market (`withdrawable`) and on the moderation contract; per model its unclaimed earnings.
import { type Context, ponder } from 'ponder:registry'
import { account, ledger, model } from 'ponder:schema'

const ROLES = ['Fee', 'Parent', 'CoAuthor', 'Owner', 'Refund'] as const

type Sums = {
  marketCredited?: bigint
  marketClaimed?: bigint
  marketWithdrawn?: bigint
  moderationCredited?: bigint
  moderationWithdrawn?: bigint
}

async function add(db: Context['db'], address: `0x${string}`, sums: Sums) {
  const zero = {
    marketCredited: 0n,
    marketClaimed: 0n,
    marketWithdrawn: 0n,
    moderationCredited: 0n,
    moderationWithdrawn: 0n
  }
  await db
    .insert(account)
    .values({ address, ...zero, ...sums })
    .onConflictDoUpdate((row) => ({
      marketCredited: row.marketCredited + (sums.marketCredited ?? 0n),
      marketClaimed: row.marketClaimed + (sums.marketClaimed ?? 0n),
      marketWithdrawn: row.marketWithdrawn + (sums.marketWithdrawn ?? 0n),
      moderationCredited: row.moderationCredited + (sums.moderationCredited ?? 0n),
      moderationWithdrawn: row.moderationWithdrawn + (sums.moderationWithdrawn ?? 0n)
    }))
}

type Logged = { id: string; block: { number: bigint; timestamp: bigint }; transaction: { hash: `0x${string}` } }
const at = (event: Logged) => ({
  id: event.id,
  block: event.block.number,
  timestamp: event.block.timestamp,
  tx: event.transaction.hash
})

ponder.on('AssayMarket:Credited', async ({ event, context }) => {
  const { account: to, licenceId, amount, role } = event.args
  await add(context.db, to, { marketCredited: amount })
  await context.db
    .insert(ledger)
    .values({ ...at(event), contract: 'market', kind: 'credit', account: to, licenceId, role: ROLES[role], amount })
})

ponder.on('AssayMarket:EarningsCredited', async ({ event, context }) => {
  const { modelId, licenceId, amount, role } = event.args
  await context.db.update(model, { id: modelId }).set((m) => ({ earnings: m.earnings + amount }))
  await context.db
    .insert(ledger)
    .values({ ...at(event), contract: 'market', kind: 'earning', modelId, licenceId, role: ROLES[role], amount })
})

ponder.on('AssayMarket:EarningsClaimed', async ({ event, context }) => {
  const { modelId, owner, amount } = event.args
  await context.db.update(model, { id: modelId }).set((m) => ({ earnings: m.earnings - amount }))
  // The claimed earnings are paid out with the owner's balance in the `Withdrawn` that follows.
  await add(context.db, owner, { marketClaimed: amount })
  await context.db
    .insert(ledger)
    .values({ ...at(event), contract: 'market', kind: 'claim', account: owner, modelId, amount })
})

ponder.on('AssayMarket:Withdrawn', async ({ event, context }) => {
  const { account: to, amount } = event.args
  await add(context.db, to, { marketWithdrawn: amount })
  await context.db.insert(ledger).values({ ...at(event), contract: 'market', kind: 'withdrawal', account: to, amount })
})

ponder.on('AssayModeration:Credited', async ({ event, context }) => {
  const { account: to, caseId, amount } = event.args
  await add(context.db, to, { moderationCredited: amount })
  await context.db
    .insert(ledger)
    .values({ ...at(event), contract: 'moderation', kind: 'credit', account: to, caseId, amount })
})

ponder.on('AssayModeration:Withdrawn', async ({ event, context }) => {
  const { account: to, amount } = event.args
  await add(context.db, to, { moderationWithdrawn: amount })
  await context.db
    .insert(ledger)
    .values({ ...at(event), contract: 'moderation', kind: 'withdrawal', account: to, amount })
})
