// Catalogue queries: the paged list (filters, sort, full-text search), one model with everything its page shows,
// a creator's models and the lineage. JSON: integers above 2^53 (ids, wei, bps sums) as decimal strings.

import { db } from 'ponder:api'
import {
  attestation,
  catalogueSize,
  coAuthor,
  model,
  moderationCase,
  parent,
  review,
  tier,
  version
} from 'ponder:schema'
import { and, asc, desc, eq, gte, inArray, isNotNull, lte, ne, or, sql } from 'ponder'
import { CASE_STATUS } from './cases'

/** A case still open: awaiting the owner's response, or before the arbitrator. */
const OPEN_CASE = ['AwaitingResponse', 'InArbitration']

export const MAX_LIMIT = 200
/**
 * A filtered or searched page counts its matches up to this many (`countUpTo`, at most this): past it the answer
 * says `totalExact: false` ("10,000+"), so a broad search does not count 50,000 matches to show 48.
 */
export const COUNT_LIMIT = 10_000

export type ListQuery = {
  offset: number
  limit: number
  q?: string
  creator?: `0x${string}`
  owner?: `0x${string}`
  task?: string
  tag?: string
  delisted: 'exclude' | 'include' | 'only'
  commercial?: boolean
  derivatives?: boolean
  encrypted?: boolean
  minPrice?: bigint
  maxPrice?: bigint
  minRating?: number
  /** A filtered or searched page counts its matches up to this many (at most `COUNT_LIMIT`). */
  countUpTo: number
  sort: Sort
}

export const SORTS = [
  'newest',
  'oldest',
  'price-low',
  'price-high',
  'rating',
  'sales',
  'reproduced',
  'relevance'
] as const
export type Sort = (typeof SORTS)[number]

/** Search words as a prefix query: every word must occur (`digit hand` finds "Handwritten digits"). */
export function tsQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  return words.length === 0 ? null : words.map((w) => `${w}:*`).join(' & ')
}

const vector = sql`to_tsvector('simple', ${model.searchText})`

/** Accounts that reproduced the latest version's claims (matched), a subquery per listing. */
const reproducedBy = sql<number>`(select count(distinct ${attestation.account}) from ${attestation}
  where ${attestation.modelId} = ${model.id} and ${attestation.version} = ${model.versionCount} - 1
  and ${attestation.matched})`

/**
 * The query's `where`, its search words, and whether it filters the catalogue by more than `delisted` (a page of
 * the whole catalogue has its size kept by the handlers, not counted).
 */
function conditions(query: ListQuery) {
  const filters = []
  const words = query.q ? tsQuery(query.q) : null
  if (words) filters.push(sql`${vector} @@ to_tsquery('simple', ${words})`)
  if (query.creator) filters.push(eq(model.creator, query.creator))
  if (query.owner) filters.push(eq(model.owner, query.owner))
  if (query.task) filters.push(sql`lower(${model.task}) = lower(${query.task})`)
  if (query.tag)
    filters.push(sql`${query.tag.toLowerCase()} = any(array(select lower(t) from unnest(${model.tags}) t))`)
  if (query.commercial) filters.push(eq(model.commercial, true))
  if (query.derivatives) filters.push(eq(model.derivatives, true))
  if (query.encrypted !== undefined) filters.push(eq(model.encrypted, query.encrypted))
  if (query.minPrice !== undefined) filters.push(and(isNotNull(model.minPrice), gte(model.minPrice, query.minPrice)))
  if (query.maxPrice !== undefined) filters.push(and(isNotNull(model.minPrice), lte(model.minPrice, query.maxPrice)))
  if (query.minRating !== undefined && query.minRating > 0) {
    filters.push(sql`${model.ratingCount} > 0 and ${model.ratingSum} >= ${query.minRating} * ${model.ratingCount}`)
  }
  const where = [...filters]
  if (query.delisted === 'exclude') where.push(eq(model.delisted, false))
  if (query.delisted === 'only') where.push(eq(model.delisted, true))
  return { where: where.length ? and(...where) : undefined, words, filtered: filters.length > 0 }
}

function ordering(sort: Sort, words: string | null) {
  const rating = sql`case when ${model.ratingCount} = 0 then null else ${model.ratingSum}::float8 / ${model.ratingCount} end`
  switch (sort) {
    case 'oldest':
      return [asc(model.id)]
    case 'price-low':
      return [sql`${model.minPrice} asc nulls last`, desc(model.id)]
    case 'price-high':
      return [sql`${model.minPrice} desc nulls last`, desc(model.id)]
    case 'rating':
      return [sql`${rating} desc nulls last`, desc(model.ratingCount), desc(model.id)]
    case 'sales':
      return [desc(model.sales), desc(model.id)]
    case 'reproduced':
      return [sql`${reproducedBy} desc`, desc(model.id)]
    case 'relevance':
      return words ? [sql`ts_rank(${vector}, to_tsquery('simple', ${words})) desc`, desc(model.id)] : [desc(model.id)]
    default:
      return [desc(model.id)]
  }
}

async function tiersOf(ids: bigint[]) {
  if (ids.length === 0) return new Map<bigint, (typeof tier.$inferSelect)[]>()
  const rows = await db
    .select()
    .from(tier)
    .where(inArray(tier.modelId, ids))
    .orderBy(asc(tier.modelId), asc(tier.tierId))
  const by = new Map<bigint, (typeof tier.$inferSelect)[]>()
  for (const row of rows) by.set(row.modelId, [...(by.get(row.modelId) ?? []), row])
  return by
}

const tierJson = (t: typeof tier.$inferSelect) => ({
  tierId: t.tierId,
  price: t.price,
  duration: t.duration,
  maxSupply: t.maxSupply,
  sold: t.sold,
  commercialUse: t.commercialUse,
  derivativesAllowed: t.derivativesAllowed,
  transferable: t.transferable,
  paused: t.paused,
  termsCid: t.termsCid
})

/** The latest version's reproduced claims as the app counts them (`assay_core::attestations::Tally`). */
export type Tally = { accounts: number; licensees: number; disputed: number }
/** What Browse marks on a listing besides the catalogue's fields. */
export type Badges = { reproduced: Tally; report: number | null }

const NO_TALLY: Tally = { accounts: 0, licensees: 0, disputed: 0 }

/**
 * Browse's badges for a page of listings, two queries for the page: the latest version's tally — each account's
 * latest run of each result (by the event's position), an account reproducing the version when all its latest runs
 * matched and disputing it when one did not, licence holders among the former counted apart — and the reason of
 * the listing's open moderation case (one at most: `flag` refuses a second).
 */
async function badgesOf(rows: (typeof model.$inferSelect)[]) {
  const badges = new Map<bigint, Badges>()
  for (const m of rows) badges.set(m.id, { reproduced: { ...NO_TALLY }, report: null })
  if (rows.length === 0) return badges
  const versions = rows.filter((m) => m.versionCount > 0)
  const latestRuns = versions.length
    ? db
        .selectDistinctOn([attestation.modelId, attestation.resultIndex, attestation.account], {
          modelId: attestation.modelId,
          account: attestation.account,
          matched: attestation.matched,
          licensed: attestation.licensed
        })
        .from(attestation)
        .where(
          or(
            ...versions.map((m) =>
              and(eq(attestation.modelId, m.id), eq(attestation.version, BigInt(m.versionCount - 1)))
            )
          )
        )
        .orderBy(attestation.modelId, attestation.resultIndex, attestation.account, desc(attestation.id))
    : Promise.resolve([])
  const open = db
    .select({ modelId: moderationCase.modelId, reason: moderationCase.reason })
    .from(moderationCase)
    .where(
      and(
        inArray(
          moderationCase.modelId,
          rows.map((m) => m.id)
        ),
        inArray(
          moderationCase.status,
          OPEN_CASE.map((name) => CASE_STATUS.indexOf(name))
        )
      )
    )
  const [runs, cases] = await Promise.all([latestRuns, open])
  const accounts = new Map<string, { modelId: bigint; matched: boolean; licensed: boolean }>()
  for (const run of runs) {
    const key = `${run.modelId}:${run.account}`
    const seen = accounts.get(key) ?? { modelId: run.modelId, matched: true, licensed: false }
    accounts.set(key, { ...seen, matched: seen.matched && run.matched, licensed: seen.licensed || run.licensed })
  }
  for (const { modelId, matched, licensed } of accounts.values()) {
    const tally = badges.get(modelId)?.reproduced
    if (!tally) continue
    if (!matched) tally.disputed += 1
    else {
      tally.accounts += 1
      if (licensed) tally.licensees += 1
    }
  }
  for (const { modelId, reason } of cases) {
    const badge = badges.get(modelId)
    if (badge) badge.report = reason
  }
  return badges
}

/** A listing as the catalogue shows it: `ModelSummary`'s fields, the card's words and the availability. */
export function summaryJson(m: typeof model.$inferSelect, tiers: (typeof tier.$inferSelect)[]) {
  return {
    id: m.id,
    owner: m.owner,
    creator: m.creator,
    manifestCid: m.manifestCid,
    encrypted: m.encrypted,
    versionCount: m.versionCount,
    royaltyBps: m.royaltyBps,
    ratingSum: m.ratingSum,
    ratingCount: m.ratingCount,
    sales: m.sales,
    delisted: m.delisted,
    tiers: tiers.map(tierJson),
    minPrice: m.minPrice,
    commercial: m.commercial,
    derivatives: m.derivatives,
    listedAt: m.listedAt,
    listedBlock: m.listedBlock,
    latestCase: m.latestCase,
    caseStatus: m.caseStatus,
    card: { status: m.cardStatus, name: m.name, task: m.task, tags: m.tags }
  }
}

/**
 * How many listings match: for the whole catalogue, from the size the handlers keep; else counted up to
 * `query.countUpTo` (`exact` false past it).
 */
async function matches(query: ListQuery, { where, filtered }: ReturnType<typeof conditions>) {
  if (!filtered) {
    const [size] = await db.select().from(catalogueSize).where(eq(catalogueSize.id, 'all'))
    const listed = size?.listed ?? 0
    const delisted = size?.delisted ?? 0
    const total = query.delisted === 'include' ? listed : query.delisted === 'only' ? delisted : listed - delisted
    return { total, exact: true }
  }
  const bounded = db
    .select({ one: sql`1` })
    .from(model)
    .where(where)
    .limit(query.countUpTo + 1)
    .as('bounded')
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(bounded)
  return n > query.countUpTo ? { total: query.countUpTo, exact: false } : { total: n, exact: true }
}

export async function listModels(query: ListQuery) {
  const condition = conditions(query)
  const { where, words } = condition
  const [{ total, exact }, rows] = await Promise.all([
    matches(query, condition),
    db
      .select()
      .from(model)
      .where(where)
      .orderBy(...ordering(query.sort, words))
      .limit(query.limit)
      .offset(query.offset)
  ])
  const [tiers, badges] = await Promise.all([tiersOf(rows.map((r) => r.id)), badgesOf(rows)])
  return {
    total,
    totalExact: exact,
    offset: query.offset,
    limit: query.limit,
    models: rows.map((m) => ({ ...summaryJson(m, tiers.get(m.id) ?? []), ...badges.get(m.id) }))
  }
}

/** One listing with everything its page reads: versions, co-authors, parents, children, reviews, cases, and the
 * reproduced claims (`EvaluationReproduced`, oldest first). */
export async function oneModel(id: bigint) {
  const [m] = await db.select().from(model).where(eq(model.id, id))
  if (!m) return null
  const [tiers, versions, coAuthors, lineage, reviews, cases, attestations] = await Promise.all([
    tiersOf([id]),
    db.select().from(version).where(eq(version.modelId, id)).orderBy(asc(version.version)),
    db.select().from(coAuthor).where(eq(coAuthor.modelId, id)).orderBy(asc(coAuthor.position)),
    modelLineage(id),
    db.select().from(review).where(eq(review.modelId, id)).orderBy(asc(review.licenceId)),
    db.select().from(moderationCase).where(eq(moderationCase.modelId, id)).orderBy(asc(moderationCase.id)),
    db
      .select()
      .from(attestation)
      .where(eq(attestation.modelId, id))
      .orderBy(asc(attestation.timestamp), asc(attestation.id))
  ])
  return {
    ...summaryJson(m, tiers.get(id) ?? []),
    keyCommitment: m.keyCommitment,
    earnings: m.earnings,
    listedTx: m.listedTx,
    versions: versions.map(({ modelId: _, ...v }) => v),
    coAuthors: coAuthors.map((a) => ({ account: a.account, bps: a.bps })),
    parents: lineage.parents,
    children: lineage.children,
    reviews: reviews.map(({ modelId: _, ...r }) => r),
    cases,
    attestations: attestations.map(({ modelId: _, ...a }) => a)
  }
}

/** Both directions of one listing's lineage: the parents it names (in its order) and the listings naming it. */
export async function modelLineage(id: bigint) {
  const edges = await db
    .select()
    .from(parent)
    .where(or(eq(parent.childId, id), eq(parent.parentId, id)))
    .orderBy(asc(parent.childId), asc(parent.position))
  const edge = (p: typeof parent.$inferSelect) => ({
    childId: p.childId,
    parentId: p.parentId,
    bps: p.bps,
    licenceId: p.licenceId
  })
  return {
    parents: edges.filter((p) => p.childId === id).map(edge),
    children: edges.filter((p) => p.parentId === id).map(edge)
  }
}

/**
 * What other creators built on `creator`'s listings: every listing by someone else that names one of them as a
 * parent, once, with its creator, oldest first — the creator page's "Built on by others" in one request.
 */
export async function builtOn(creator: `0x${string}`) {
  const own = await db.select({ id: model.id }).from(model).where(eq(model.creator, creator))
  if (own.length === 0) return []
  const rows = await db
    .select({ modelId: parent.childId, creator: model.creator })
    .from(parent)
    .innerJoin(model, eq(model.id, parent.childId))
    .where(
      and(
        inArray(
          parent.parentId,
          own.map((m) => m.id)
        ),
        ne(model.creator, creator)
      )
    )
    .orderBy(asc(parent.childId))
  return rows.filter((row, i) => i === 0 || rows[i - 1].modelId !== row.modelId)
}
