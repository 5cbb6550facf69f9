#!/usr/bin/env node
/**
 * Benchmark: what the result count costs the indexer's pages (bench/RESULTS.md, "Indexer"), in the
 * database the indexer embeds (PGlite, from indexer/node_modules), on a `model` table shaped like the
 * indexer's (the columns a page filters, sorts and searches on, a card's worth of search text, the
 * same GIN index) filled with `--listings` synthetic rows, half of them matching "digits" as the
 * 100,000-listing seed's do:
 *
 *   node bench/indexer/count.mjs --listings 100000 --runs 15
 *
 * Side by side, medians of `--runs` after one warm-up each: the first page's `count(*)` of every
 * listing (before) against reading the kept size (after), and a search's `count(*)` of all its
 * matches against the count bounded at 10,000; with the page query itself for scale.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../../indexer/package.json', import.meta.url));
const { PGlite } = await import(require.resolve('@electric-sql/pglite'));

const { values } = parseArgs({
  options: { listings: { type: 'string', default: '100000' }, runs: { type: 'string', default: '15' } },
});
const n = Number(values.listings);
const runs = Number(values.runs);

const db = new PGlite();
await db.exec(`
  create table model (id bigint primary key, delisted boolean not null, min_price numeric, sales bigint not null,
    search_text text not null, creator text not null, manifest_cid text not null, tags text[] not null);
  create index model_search on model using gin (to_tsvector('simple', search_text));
  create table catalogue_size (id text primary key, listed integer not null, delisted integer not null);
`);
const started = performance.now();
for (let from = 1; from <= n; from += 5000) {
  await db.exec(`insert into model
    select i, i % 1000 = 0, (i % 97) * 1000000000000000, i % 13,
      case when i % 2 = 0 then 'Handwritten digits classifier ' || i || ' image-classification mnist'
           else 'Text direction model ' || i || ' text-classification language' end
        || repeat(' a description of the model, its data and its limits', 12),
      '0x' || md5(i::text) || '00000000', 'bafkrei' || md5(i::text) || md5((i + 1)::text), array['tag', 'other']
    from generate_series(${from}, ${Math.min(from + 4999, n)}) i`);
}
await db.exec(`insert into catalogue_size select 'all', count(*), count(*) filter (where delisted) from model;
  analyze model;`);
const fill = performance.now() - started;

const search = `to_tsvector('simple', search_text) @@ to_tsquery('simple', 'digits:*')`;
const queries = {
  'first page: count(*) of every listing (before)': 'select count(*)::int from model where not delisted',
  'first page: the kept size (after)': `select listed - delisted from catalogue_size where id = 'all'`,
  'search "digits": count(*) of every match (before)': `select count(*)::int from model where ${search}`,
  'search "digits": count bounded at 10,000 (after)': `select count(*)::int from (select 1 from model where ${search} limit 10001) b`,
  'first page itself (48 newest)': 'select * from model where not delisted order by id desc limit 48',
  'search page itself (48 newest matches)': `select * from model where ${search} order by id desc limit 48`,
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const times = Object.fromEntries(Object.keys(queries).map((k) => [k, []]));
// Alternated, so each query sees the same machine.
for (let run = -1; run < runs; run++) {
  for (const [name, sql] of Object.entries(queries)) {
    const t = performance.now();
    const result = await db.query(sql);
    const ms = performance.now() - t;
    if (result.rows.length === 0) throw new Error(`${name}: no rows`);
    if (run >= 0) times[name].push(ms);
  }
}
const counts = {
  listed: (await db.query('select count(*)::int as c from model where not delisted')).rows[0].c,
  digits: (await db.query(`select count(*)::int as c from model where ${search}`)).rows[0].c,
};
console.log(JSON.stringify({ listings: n, runs, fillMs: Math.round(fill), counts }, null, 2));
for (const [name, xs] of Object.entries(times)) console.log(`${median(xs).toFixed(2).padStart(9)} ms  ${name}`);
await db.close();
