#!/usr/bin/env node
/**
 * The indexer's benchmark, after `cargo xtask bench-indexer` has seeded a chain, backfilled the
 * indexer and served the app twice (bench/RESULTS.md, "Indexer (issue 21)"):
 *
 * 1. The indexer's HTTP API as the app asks it (`/api/models?limit=48`, a search, a sort): the
 *    first (cold) answer and the median of the rest.
 * 2. Browse in headless Chromium, alternately through the indexer (`ASSAY_INDEXED_APP_URL`, whose
 *    config.json names `indexerUrl`) and through the chain (`ASSAY_CHAIN_APP_URL`, without it),
 *    each visit in a fresh context: from navigation to the grid's results with the expected
 *    `data-source` (page clock, `performance.now()`), to every card's text shown, the app's own
 *    `data-browse-first-page-ms` mark, then a search (`#/?q=digits` set on the URL, so the input's
 *    150 ms debounce is not counted) until its results are shown; memory after each (garbage
 *    collected first): the JS heap (CDP `Performance.getMetrics`), the app's wasm linear memory
 *    (the main module's `WebAssembly.Memory`, which never shrinks) and the renderer's RSS.
 *
 * Prints one JSON object: medians per path, every sample, and the machine's load averages.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { launchChromium } from '../../e2e/bench/chromium.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through \`cargo xtask bench-indexer\``);
  return value;
};
const indexedApp = env('ASSAY_INDEXED_APP_URL');
const chainApp = env('ASSAY_CHAIN_APP_URL');
const indexer = env('ASSAY_INDEXER_URL');

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, digits = 1) => (x === null ? null : Number(x.toFixed(digits)));
const loads = [os.loadavg()];

// 1. The API.
const queries = {
  firstPage: '/api/models?limit=48',
  search: '/api/models?q=digits&limit=48',
  sortPriceLow: '/api/models?sort=price-low&limit=48',
  searchSortedByPrice: '/api/models?q=digits&sort=price-low&limit=48',
  countAll: '/api/models?offset=0&limit=1&delisted=include',
};
const api = {};
for (const [name, path] of Object.entries(queries)) {
  const times = [];
  let answer;
  for (let i = 0; i < 1 + runs * 4; i++) {
    const started = performance.now();
    const response = await fetch(indexer + path);
    const body = await response.text();
    times.push(performance.now() - started);
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 300)}`);
    answer = { total: Number(JSON.parse(body).total), bytes: body.length };
  }
  api[name] = {
    path,
    cold: round(times[0]),
    median: round(median(times.slice(1))),
    max: round(Math.max(...times.slice(1))),
    ...answer,
  };
}
console.error(`bench-indexer api: ${JSON.stringify(api)}`);

// 2. The browser.
const browser = await launchChromium(['--js-flags=--expose-gc']);

/** RSS (MB) of this browser's renderer processes (descendants of this Node process, which Playwright's Chromium is). */
function rendererRss() {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' });
  const rows = out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [pid, ppid, rss, ...args] = l.trim().split(/\s+/);
      return {
        pid: Number(pid),
        ppid: Number(ppid),
        rss: Number(rss),
        renderer: args.join(' ').includes('--type=renderer'),
      };
    });
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) {
      if (!mine.has(r.pid) && mine.has(r.ppid)) {
        mine.add(r.pid);
        grew = true;
      }
    }
  }
  return rows.filter((r) => r.renderer && mine.has(r.pid)).reduce((kb, r) => kb + r.rss, 0) / 1024;
}

/** Keeps the page's main wasm memories reachable from the test (`window.__assayWasmMemories`). */
const captureWasmMemory = () => {
  const keep = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    const memory = instance?.exports?.memory;
    if (memory instanceof WebAssembly.Memory) (window.__assayWasmMemories ??= []).push(memory);
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (...args) => streaming(...args).then(keep);
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = (...args) => plain(...args).then(keep);
};

async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
  const wasm = await page.evaluate(() =>
    (window.__assayWasmMemories ?? []).reduce((sum, m) => sum + m.buffer.byteLength, 0),
  );
  return {
    jsHeapUsedMB: round(metric('JSHeapUsedSize') / 2 ** 20),
    jsHeapTotalMB: round(metric('JSHeapTotalSize') / 2 ** 20),
    wasmMB: round(wasm / 2 ** 20),
    rendererRssMB: round(rendererRss()),
    nodes: metric('Nodes'),
  };
}

/** In the page: the time the results from `source` are shown (a count other than `count`), else false. */
const resultsShown = ({ source, count: previousCount }) => {
  const r = document.querySelector('[data-testid="browse-results"]');
  if (!r || r.dataset.source !== source || !(Number(r.dataset.count) > 0)) return false;
  if (previousCount !== null && r.dataset.count === previousCount) return false;
  return performance.now();
};
const cardsShown = () => {
  const cards = document.querySelectorAll('[data-testid="listing-card"]');
  return cards.length > 0 && !document.querySelector('[data-testid="listing-card"][data-loading="true"]')
    ? performance.now()
    : false;
};

async function visit(appUrl, source) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(captureWasmMemory);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const wait = (fn, arg) =>
    page.waitForFunction(fn, arg, { polling: 'raf', timeout: 600_000 }).then((handle) => handle.jsonValue());
  try {
    await page.goto(new URL('#/', appUrl).href);
    const shown = await wait(resultsShown, { source, count: null });
    const cards = await wait(cardsShown);
    const count = await page.getByTestId('browse-results').getAttribute('data-count');
    const mark = Number(await page.evaluate(() => document.body.dataset.browseFirstPageMs));
    const afterFirstPage = await memory(page, cdp);
    const searchFrom = await page.evaluate(() => {
      const t = performance.now();
      location.hash = '#/?q=digits';
      return t;
    });
    const searched = await wait(resultsShown, { source, count });
    const searchCount = await page.getByTestId('browse-results').getAttribute('data-count');
    const afterSearch = await memory(page, cdp);
    return {
      source,
      listed: Number(count),
      firstPageMs: round(shown),
      cardsShownMs: round(cards),
      appMarkMs: mark,
      searchMs: round(searched - searchFrom),
      searchCount: Number(searchCount),
      afterFirstPage,
      afterSearch,
    };
  } finally {
    await context.close();
  }
}

const visits = { indexer: [], chain: [] };
try {
  for (let run = 0; run < runs; run++) {
    for (const [source, url] of [
      ['indexer', indexedApp],
      ['chain', chainApp],
    ]) {
      // A visit that fails (e.g. the chain path running out of time or memory) is recorded as such.
      const v = await visit(url, source).catch((e) => ({ source, error: String(e).split('\n')[0] }));
      console.error(`bench-indexer browser run ${run + 1} ${source}: ${JSON.stringify(v)}`);
      visits[source].push(v);
    }
  }
} finally {
  await browser.close();
}
loads.push(os.loadavg());

const summary = (all) => {
  const vs = all.filter((v) => !v.error);
  return {
    failed: all.length - vs.length,
    listed: vs[0]?.listed,
    searchCount: vs[0]?.searchCount,
    firstPageMs: median(vs.map((v) => v.firstPageMs)),
    cardsShownMs: median(vs.map((v) => v.cardsShownMs)),
    appMarkMs: median(vs.map((v) => v.appMarkMs)),
    searchMs: median(vs.map((v) => v.searchMs)),
    jsHeapUsedMB: median(vs.map((v) => v.afterFirstPage.jsHeapUsedMB)),
    jsHeapUsedAfterSearchMB: median(vs.map((v) => v.afterSearch.jsHeapUsedMB)),
    wasmMB: median(vs.map((v) => v.afterSearch.wasmMB)),
    rendererRssMB: median(vs.map((v) => v.afterSearch.rendererRssMB)),
  };
};
console.log(
  JSON.stringify(
    {
      runs,
      loadAverages: loads,
      api,
      browser: { indexer: summary(visits.indexer), chain: summary(visits.chain) },
      visits,
    },
    null,
    1,
  ),
);
