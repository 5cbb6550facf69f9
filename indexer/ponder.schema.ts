// The indexer's tables: everything in them is derived from the contracts' events (and, for search, from the
// model cards those events name by CID, fetched and verified). Amounts are wei, times unix seconds.
import { index, onchainTable, primaryKey, relations, sql } from 'ponder'

/** One listed model: `AssayMarket.model(id)` and what the catalogue's pages need. */
export const model = onchainTable(
  'model',
  (t) => ({
    id: t.bigint().primaryKey(),
    creator: t.hex().notNull(),
    owner: t.hex().notNull(),
    /** The latest version's card (the listing's manifest until a version is published). */
    manifestCid: t.text().notNull(),
    keyCommitment: t.hex().notNull(),
    encrypted: t.boolean().notNull(),
    royaltyBps: t.integer().notNull(),
    versionCount: t.integer().notNull(),
    tierCount: t.integer().notNull(),
    /** Licences sold over all tiers, reclaimed and challenged ones excluded (`ModelSummary.sales`). */
    sales: t.bigint().notNull(),
    ratingSum: t.bigint().notNull(),
    ratingCount: t.bigint().notNull(),
    delisted: t.boolean().notNull(),
    /** The cheapest tier on sale (not paused, not sold out, not delisted); null when nothing is for sale. */
    minPrice: t.bigint(),
    /** A tier on sale allows commercial use / derivatives. */
    commercial: t.boolean().notNull(),
    derivatives: t.boolean().notNull(),
    /** Unclaimed earnings (`earningsOf`). */
    earnings: t.bigint().notNull(),
    listedBlock: t.bigint().notNull(),
    listedAt: t.bigint().notNull(),
    listedTx: t.hex().notNull(),
    /** The latest case against it (0: none) and that case's status. */
    latestCase: t.bigint().notNull(),
    caseStatus: t.text().notNull(),
    /** The latest card as read from IPFS: `ok`, `unavailable` (no gateway gave it) or `invalid` (not a card). */
    cardStatus: t.text().notNull(),
    name: t.text().notNull(),
    task: t.text().notNull(),
    tags: t.text().array().notNull(),
    /** name, task, tags and description: what full-text search matches. */
    searchText: t.text().notNull()
  }),
  (table) => ({
    creatorIndex: index().on(table.creator),
    ownerIndex: index().on(table.owner),
    // Browse's sorts other than by id.
    salesIndex: index().on(table.sales),
    priceIndex: index().on(table.minPrice),
    search: index('model_search').using('gin', sql`to_tsvector('simple', ${table.searchText})`)
  })
)

/**
 * The catalogue's size, kept by the handlers so that a page of the whole catalogue is not a `count(*)` of every
 * listing (120 ms at 100,000 in PGlite): one row, `id` = `all`.
 */
export const catalogueSize = onchainTable('catalogue_size', (t) => ({
  id: t.text().primaryKey(),
  /** Every listing ever made (`ModelListed`). */
  listed: t.integer().notNull(),
  /** Listings delisted by moderation (`ModelDelisted`). */
  delisted: t.integer().notNull()
}))

/** A licence tier (`tiersOf`). */
export const tier = onchainTable(
  'tier',
  (t) => ({
    modelId: t.bigint().notNull(),
    tierId: t.integer().notNull(),
    price: t.bigint().notNull(),
    duration: t.bigint().notNull(),
    maxSupply: t.bigint().notNull(),
    sold: t.bigint().notNull(),
    commercialUse: t.boolean().notNull(),
    derivativesAllowed: t.boolean().notNull(),
    transferable: t.boolean().notNull(),
    paused: t.boolean().notNull(),
    termsCid: t.text().notNull()
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.tierId] }) })
)

/** A version's card (`versionsOf`); version 0 is the listing. */
export const version = onchainTable(
  'version',
  (t) => ({
    modelId: t.bigint().notNull(),
    version: t.integer().notNull(),
    manifestCid: t.text().notNull(),
    publisher: t.hex().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull()
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.version] }) })
)

/** A co-author and their share (`coAuthorsOf`), in the listing's order. */
export const coAuthor = onchainTable(
  'co_author',
  (t) => ({
    modelId: t.bigint().notNull(),
    position: t.integer().notNull(),
    account: t.hex().notNull(),
    bps: t.integer().notNull()
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.position] }), account: index().on(table.account) })
)

/** A lineage edge: `childId` names `parentId` as a parent (`parentsOf`), in the listing's order. */
export const parent = onchainTable(
  'parent',
  (t) => ({
    childId: t.bigint().notNull(),
    position: t.integer().notNull(),
    parentId: t.bigint().notNull(),
    bps: t.integer().notNull(),
    licenceId: t.bigint().notNull()
  }),
  (table) => ({ pk: primaryKey({ columns: [table.childId, table.position] }), parent: index().on(table.parentId) })
)

/** A licence token (`licence(id)`); `burned` once reclaimed or successfully challenged. */
export const licence = onchainTable(
  'licence',
  (t) => ({
    id: t.bigint().primaryKey(),
    holder: t.hex().notNull(),
    buyer: t.hex().notNull(),
    modelId: t.bigint().notNull(),
    tierId: t.integer().notNull(),
    price: t.bigint().notNull(),
    expiresAt: t.bigint().notNull(),
    transferable: t.boolean().notNull(),
    reviewed: t.boolean().notNull(),
    paid: t.boolean().notNull(),
    /** Escrowed purchase not yet released (awaiting the key, or in the challenge period when `delivered`). */
    pending: t.boolean().notNull(),
    delivered: t.boolean().notNull(),
    escrowAmount: t.bigint().notNull(),
    deliveryDeadline: t.bigint().notNull(),
    buyerKey: t.hex().notNull(),
    keySalt: t.hex(),
    burned: t.boolean().notNull(),
    boughtAt: t.bigint().notNull()
  }),
  (table) => ({ holder: index().on(table.holder), model: index().on(table.modelId) })
)

/** A review (`Reviewed`). */
/** An escrow opened by `EscrowHeld`, which `buyLicense` emits before `LicencePurchased`: kept here until the
 *  licence's row exists, then moved into it. */
export const heldEscrow = onchainTable('held_escrow', (t) => ({
  id: t.bigint().primaryKey(),
  amount: t.bigint().notNull(),
  deliveryDeadline: t.bigint().notNull(),
  keySalt: t.hex().notNull()
}))

export const review = onchainTable(
  'review',
  (t) => ({
    licenceId: t.bigint().primaryKey(),
    modelId: t.bigint().notNull(),
    reviewer: t.hex().notNull(),
    rating: t.integer().notNull(),
    commentCid: t.text().notNull(),
    timestamp: t.bigint().notNull()
  }),
  (table) => ({ model: index().on(table.modelId) })
)

/** An account's balance on the market (`withdrawable`) and on the moderation contract (its stakes' credits). */
export const account = onchainTable('account', (t) => ({
  address: t.hex().primaryKey(),
  /** Market: credited (fee, co-author shares, refunds) + earnings claimed − withdrawn. */
  marketCredited: t.bigint().notNull(),
  marketClaimed: t.bigint().notNull(),
  marketWithdrawn: t.bigint().notNull(),
  moderationCredited: t.bigint().notNull(),
  moderationWithdrawn: t.bigint().notNull()
}))

/** One credit (market `Credited`/`EarningsCredited`, moderation `Credited`) or withdrawal, as it happened. */
export const ledger = onchainTable(
  'ledger',
  (t) => ({
    id: t.text().primaryKey(),
    contract: t.text().notNull(),
    kind: t.text().notNull(),
    account: t.hex(),
    modelId: t.bigint(),
    licenceId: t.bigint(),
    caseId: t.bigint(),
    role: t.text(),
    amount: t.bigint().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    tx: t.hex().notNull()
  }),
  (table) => ({ account: index().on(table.account), model: index().on(table.modelId) })
)

/** A moderation case (`caseOf`). */
export const moderationCase = onchainTable(
  'moderation_case',
  (t) => ({
    id: t.bigint().primaryKey(),
    modelId: t.bigint().notNull(),
    flagger: t.hex().notNull(),
    reason: t.integer().notNull(),
    status: t.integer().notNull(),
    responseDeadline: t.bigint().notNull(),
    stake: t.bigint().notNull(),
    held: t.bigint().notNull(),
    responder: t.hex().notNull(),
    arbitrationFee: t.bigint().notNull(),
    disputeId: t.bigint().notNull(),
    evidenceCid: t.text().notNull(),
    openedAt: t.bigint().notNull()
  }),
  (table) => ({ model: index().on(table.modelId) })
)

/** ERC-1497 evidence submitted to a case. */
export const evidence = onchainTable('evidence', (t) => ({
  id: t.text().primaryKey(),
  caseId: t.bigint().notNull(),
  party: t.hex().notNull(),
  uri: t.text().notNull(),
  timestamp: t.bigint().notNull()
}))

/** A reproduced claim (`EvaluationReproduced`). */
export const attestation = onchainTable(
  'attestation',
  (t) => ({
    id: t.text().primaryKey(),
    modelId: t.bigint().notNull(),
    version: t.bigint().notNull(),
    account: t.hex().notNull(),
    resultIndex: t.bigint().notNull(),
    observed: t.text().array().notNull(),
    matched: t.boolean().notNull(),
    licensed: t.boolean().notNull(),
    timestamp: t.bigint().notNull()
  }),
  (table) => ({ model: index().on(table.modelId) })
)

export const modelRelations = relations(model, ({ many }) => ({
  tiers: many(tier),
  versions: many(version),
  coAuthors: many(coAuthor),
  parents: many(parent, { relationName: 'child' }),
  children: many(parent, { relationName: 'parent' }),
  licences: many(licence),
  reviews: many(review)
}))
export const tierRelations = relations(tier, ({ one }) => ({
  model: one(model, { fields: [tier.modelId], references: [model.id] })
}))
export const versionRelations = relations(version, ({ one }) => ({
  model: one(model, { fields: [version.modelId], references: [model.id] })
}))
export const coAuthorRelations = relations(coAuthor, ({ one }) => ({
  model: one(model, { fields: [coAuthor.modelId], references: [model.id] })
}))
export const parentRelations = relations(parent, ({ one }) => ({
  child: one(model, { fields: [parent.childId], references: [model.id], relationName: 'child' }),
  parent: one(model, { fields: [parent.parentId], references: [model.id], relationName: 'parent' })
}))
export const licenceRelations = relations(licence, ({ one }) => ({
  model: one(model, { fields: [licence.modelId], references: [model.id] })
}))
export const reviewRelations = relations(review, ({ one }) => ({
  model: one(model, { fields: [review.modelId], references: [model.id] })
}))
