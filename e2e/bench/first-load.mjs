#!/usr/bin/env node
/**
 * Benchmark: a first visit (bench/RESULTS.md, "First load"). Two builds of the app side by side
 * in one run — the anchor (e.g. a `dist/` from before a change) and the candidate — served here
 * with the same `config.json`, that of a running stack (`ASSAY_APP_URL`, e.g. `cargo xtask dev`),
 * so both read the same chain and IPFS node:
 *
 *   cd e2e && ASSAY_APP_URL=http://127.0.0.1:8080/ node bench/first-load.mjs \
 *     --anchor /tmp/dist-before --candidate ../dist --runs 9
 *
 * Per run and build, alternately, a fresh browser context (empty cache): navigation →
 * DOMContentLoaded, the main wasm's response end, the app started (the start script's
 * `TrunkApplicationStarted`), the Connect button shown, the first listing card with its text
 * (`performance.now()` in the page, recorded by a MutationObserver), and where the wait goes: the
 * first indexer request and its last answer before that card, the first IPFS request and answer
 * (resource timings; none when the build reads no indexer). Prints medians, and the
 * initial download of each build (index.html's script, its wasm, the stylesheet), raw and
 * gzip -9, with the bytes of wasm the visit fetched.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { launchChromium } from './chromium.mjs';

const { values } = parseArgs({
  options: { anchor: { type: 'string' }, candidate: { type: 'string' }, runs: { type: 'string', default: '7' } },
});
const stackUrl = process.env.ASSAY_APP_URL;
if (!stackUrl || !values.anchor || !values.candidate) {
  throw new Error('usage: ASSAY_APP_URL=<running stack> node bench/first-load.mjs --anchor DIR --candidate DIR');
}
const config = await (await fetch(new URL('config.json', stackUrl))).text();

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves `dir` (and `config.json` from the stack) on a free port; resolves to its URL. */
async function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/config.json') return void res.writeHead(200, { 'content-type': TYPES['.json'] }).end(config);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(normalize(dir))) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/** What index.html makes a first visit download before anything renders: raw and gzip -9. */
function initialBundle(dir) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const wasm = /module_or_path: '\.\/([^']+)'/.exec(html)?.[1];
  const js = /from '\.\/([^']+\.js)'/.exec(html)?.[1];
  const css = /href="\.\/([^"]+\.css)"/.exec(html)?.[1];
  const sizes = {};
  for (const [what, file] of Object.entries({ wasm, js, css })) {
    if (!file) throw new Error(`${dir}/index.html: no ${what} found`);
    const bytes = readFileSync(join(dir, file));
    sizes[what] = { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  const parts = readdirSync(join(dir, wasm, '..')).filter((f) => f.endsWith('.wasm') && f !== wasm.split('/').pop());
  sizes.parts = parts.length;
  sizes.partsRaw = parts.reduce((sum, f) => sum + statSync(join(dir, wasm, '..', f)).size, 0);
  return sizes;
}

const MARKS = `
  window.__marks = {};
  const mark = (name) => { if (!(name in window.__marks)) window.__marks[name] = performance.now(); };
  addEventListener('TrunkApplicationStarted', () => mark('started'));
  new MutationObserver(() => {
    if (document.querySelector('[data-testid="wallet-connect"]')) mark('connect');
    const card = document.querySelector('[data-testid="listing-card"][data-loading="false"] [data-testid="listing-link"]');
    if (card && card.textContent.trim()) mark('firstCard');
  }).observe(document, { childList: true, subtree: true, characterData: true });
`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const builds = { anchor: values.anchor, candidate: values.candidate };
const servers = {};
for (const [name, dir] of Object.entries(builds)) servers[name] = await serve(dir);
const browser = await launchChromium();
const samples = {};
try {
  for (let run = 0; run < Number(values.runs); run++) {
    const order = run % 2 ? ['candidate', 'anchor'] : ['anchor', 'candidate'];
    for (const name of order) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(MARKS);
      const page = await context.newPage();
      await page.goto(servers[name].url);
      await page.waitForFunction(
        () => window.__marks?.firstCard !== undefined && window.__marks?.connect !== undefined,
        null,
        {
          timeout: 60_000,
        },
      );
      const row = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const wasm = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm'));
        const main = wasm.find(
          (r) => r.name.endsWith('assay-app_bg.wasm') || /assay-app-[0-9a-f]+_bg\.wasm$/.test(r.name),
        );
        // Where the wait goes: the indexer's answers (its `/api/`, `/status`) and the cards' IPFS requests.
        const others = performance.getEntriesByType('resource');
        const indexer = others.filter((r) => /\/(api\/|status|ready)/.test(new URL(r.name).pathname));
        const ipfs = others.filter((r) => new URL(r.name).pathname.startsWith('/ipfs/'));
        const first = (xs, key) => (xs.length ? Math.min(...xs.map((r) => r[key])) : null);
        const last = (xs, key) => (xs.length ? Math.max(...xs.map((r) => r[key])) : null);
        return {
          domContentLoaded: nav.domContentLoadedEventEnd,
          indexerFirstRequest: first(indexer, 'startTime'),
          indexerLastAnswer: last(
            indexer.filter((r) => r.startTime < window.__marks.firstCard),
            'responseEnd',
          ),
          ipfsFirstRequest: first(ipfs, 'startTime'),
          ipfsFirstAnswer: first(ipfs, 'responseEnd'),
          mainWasmResponseEnd: main?.responseEnd,
          started: window.__marks.started,
          connect: window.__marks.connect,
          firstCard: window.__marks.firstCard,
          wasmFiles: wasm.length,
          wasmBytes: wasm.reduce((sum, r) => sum + r.decodedBodySize, 0),
        };
      });
      for (const [key, value] of Object.entries(row)) {
        samples[name] ??= {};
        samples[name][key] ??= [];
        samples[name][key].push(value);
      }
      console.log(JSON.stringify({ run, build: name, ...row }));
      await context.close();
    }
  }
} finally {
  await browser.close();
  for (const { server } of Object.values(servers)) server.close();
}

const result = {};
for (const [name, dir] of Object.entries(builds)) {
  result[name] = { dir, bundle: initialBundle(dir), medians: {} };
  for (const [key, all] of Object.entries(samples[name])) {
    const xs = all.filter((x) => x != null);
    result[name].medians[key] = xs.length ? Math.round(median(xs) * 10) / 10 : null;
  }
}
console.log(JSON.stringify(result, null, 2));
