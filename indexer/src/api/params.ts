// The list routes' query string → a typed `ListQuery`; a bad value is a 400 with a sentence naming it.
import { COUNT_LIMIT, type ListQuery, MAX_LIMIT, SORTS, type Sort } from './models'

export class QueryError extends Error {}

const whole = (name: string, text: string, max: number) => {
  if (!/^[0-9]+$/.test(text) || Number(text) > max) throw new QueryError(`${name} must be a whole number up to ${max}`)
  return Number(text)
}
const wei = (name: string, text: string) => {
  if (!/^[0-9]{1,78}$/.test(text)) throw new QueryError(`${name} must be an amount in wei`)
  return BigInt(text)
}
const flag = (name: string, text: string) => {
  if (text !== 'true' && text !== 'false') throw new QueryError(`${name} must be true or false`)
  return text === 'true'
}

export function listQuery(params: Record<string, string>): ListQuery {
  const sort = (params.sort ?? 'newest') as Sort
  if (!SORTS.includes(sort)) throw new QueryError(`sort must be one of ${SORTS.join(', ')}`)
  const delisted = (params.delisted ?? 'exclude') as ListQuery['delisted']
  if (!['exclude', 'include', 'only'].includes(delisted))
    throw new QueryError('delisted must be exclude, include or only')
  const hex = (name: string) => {
    const v = params[name]
    if (v === undefined) return undefined
    if (!/^0x[0-9a-fA-F]{40}$/.test(v)) throw new QueryError(`${name} must be an address`)
    return v.toLowerCase() as `0x${string}`
  }
  return {
    offset: params.offset === undefined ? 0 : whole('offset', params.offset, Number.MAX_SAFE_INTEGER),
    limit: params.limit === undefined ? 50 : Math.max(1, whole('limit', params.limit, MAX_LIMIT)),
    q: params.q?.trim() || undefined,
    creator: hex('creator'),
    owner: hex('owner'),
    task: params.task || undefined,
    tag: params.tag || undefined,
    delisted,
    commercial: params.commercial === undefined ? undefined : flag('commercial', params.commercial),
    derivatives: params.derivatives === undefined ? undefined : flag('derivatives', params.derivatives),
    encrypted: params.encrypted === undefined ? undefined : flag('encrypted', params.encrypted),
    minPrice: params.minPrice === undefined ? undefined : wei('minPrice', params.minPrice),
    maxPrice: params.maxPrice === undefined ? undefined : wei('maxPrice', params.maxPrice),
    minRating: params.minRating === undefined ? undefined : whole('minRating', params.minRating, 5),
    countUpTo:
      params.countUpTo === undefined ? COUNT_LIMIT : Math.max(1, whole('countUpTo', params.countUpTo, COUNT_LIMIT)),
    sort
  }
}
