// The indexer's HTTP API: Ponder's GraphQL (`/graphql`) and SQL-over-HTTP (`/sql/*`) over every table, and the
// REST routes the app reads (indexer/README.md documents each with its response). Ponder itself serves
// `/status` (the indexed block) and `/ready`.

import { db } from 'ponder:api'
import schema from 'ponder:schema'
import { Hono } from 'hono'
import { client, graphql, replaceBigInts } from 'ponder'
import { creditsOf, licencesOf, oneLicence } from './accounts'
import { casesOf } from './cases'
import { builtOn, listModels, modelLineage, oneModel } from './models'
import { listQuery, QueryError } from './params'

const app = new Hono()

app.use('/graphql', graphql({ db, schema }))
app.use('/sql/*', client({ db, schema }))

const json = (value: unknown) => replaceBigInts(value, (v) => v.toString())

const address = (text: string): `0x${string}` => {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new QueryError(`${JSON.stringify(text)} is not an address`)
  return text.toLowerCase() as `0x${string}`
}
const id = (text: string): bigint => {
  if (!/^[0-9]{1,78}$/.test(text)) throw new QueryError(`${JSON.stringify(text)} is not an id`)
  return BigInt(text)
}
/** Chain time for licence statuses: `?at=<unix seconds>`, else now. */
const at = (text: string | undefined): bigint => (text === undefined ? BigInt(Math.floor(Date.now() / 1000)) : id(text))

app.onError((error, c) => {
  if (error instanceof QueryError) return c.json({ error: error.message }, 400)
  throw error
})

app.get('/api/models', async (c) => c.json(json(await listModels(listQuery(c.req.query())))))
app.get('/api/search', async (c) => {
  const query = listQuery({ sort: 'relevance', ...c.req.query() })
  if (!query.q) throw new QueryError('search needs q=<words>')
  return c.json(json(await listModels(query)))
})
app.get('/api/models/:id', async (c) => {
  const found = await oneModel(id(c.req.param('id')))
  return found ? c.json(json(found)) : c.json({ error: 'no such model' }, 404)
})
app.get('/api/models/:id/lineage', async (c) => c.json(json(await modelLineage(id(c.req.param('id'))))))
app.get('/api/creators/:address/models', async (c) =>
  c.json(json(await listModels(listQuery({ ...c.req.query(), creator: address(c.req.param('address')) }))))
)
app.get('/api/creators/:address/built-on', async (c) =>
  c.json(json({ listings: await builtOn(address(c.req.param('address'))) }))
)
app.get('/api/accounts/:address/licences', async (c) =>
  c.json(json({ licences: await licencesOf(address(c.req.param('address')), at(c.req.query('at'))) }))
)
app.get('/api/licences/:id', async (c) => {
  const found = await oneLicence(id(c.req.param('id')), at(c.req.query('at')))
  return found ? c.json(json(found)) : c.json({ error: 'no such licence' }, 404)
})
app.get('/api/accounts/:address/credits', async (c) => c.json(json(await creditsOf(address(c.req.param('address'))))))
app.get('/api/cases', async (c) => {
  const model = c.req.query('modelId')
  return c.json(json({ cases: await casesOf(model === undefined ? undefined : id(model)) }))
})

export default app
