#!/usr/bin/env node
/**
 * Benchmark: Browse with a large catalogue in headless Chromium (bench/RESULTS.md, "Browse").
 * Against a running app whose chain holds many listings — e.g.
 *
 *   ASSAY_SEED_LISTINGS=10000 ASSAY_APP_PORT=8090 cargo xtask dev --release &
 *   (or `cargo xtask dev --no-build` to serve the dist/ already built, without a Trunk build)
 *   cd e2e && ASSAY_APP_URL=http://127.0.0.1:8090/ node bench/browse.mjs --runs 5
 *
 * Per run, in a fresh browser context: opens `#/`, waits for the grid, and reads the timing marks
 * the page writes on <body> (app/src/pages/browse.rs): `data-browse-first-page-ms` (catalogue data
 * to the first grid painted), then for each change (tick "Commercial use", search "digits", sort
 * by price, clear) waits for `data-browse-renders` to move and reads `data-browse-apply-ms` (filter
 * + sort) and `data-browse-render-ms` (change to the frame after the grid updated). Prints medians
 * as JSON.
 */
import { parseArgs } from 'node:util';
import { launchChromium } from './chromium.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const appUrl = process.env.ASSAY_APP_URL;
if (!appUrl) throw new Error('ASSAY_APP_URL is not set (the app of a running `cargo xtask dev --release`)');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const browser = await launchChromium();
const samples = { firstPage: [], catalogueLoad: [], changes: {} };
let listings = 0;
try {
  for (let run = 0; run < Number(values.runs); run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const opened = Date.now();
    await page.goto(new URL('#/', appUrl).href);
    await page.waitForFunction(() => document.body.dataset.browseFirstPageMs !== undefined, null, { timeout: 600_000 });
    samples.catalogueLoad.push(Date.now() - opened);
    samples.firstPage.push(Number(await page.evaluate(() => document.body.dataset.browseFirstPageMs)));
    listings = Number(await page.getByTestId('catalogue-count').getAttribute('data-count'));
    const changes = {
      commercial: () => page.getByTestId('browse-commercial').check(),
      search: () => page.getByTestId('browse-search').fill('digits'),
      sortByPrice: () => page.getByTestId('browse-sort').selectOption({ index: 1 }),
      clear: () => page.goto(new URL('#/', appUrl).href),
    };
    for (const [name, change] of Object.entries(changes)) {
      const before = Number(await page.evaluate(() => document.body.dataset.browseRenders ?? '0'));
      await change();
      await page.waitForFunction((n) => Number(document.body.dataset.browseRenders ?? '0') > n, before, {
        timeout: 60_000,
      });
      // The search is debounced: wait for the render after it settles.
      await page.waitForTimeout(400);
      const [apply, render] = await page.evaluate(() => [
        Number(document.body.dataset.browseApplyMs),
        Number(document.body.dataset.browseRenderMs),
      ]);
      samples.changes[name] ??= { apply: [], render: [] };
      samples.changes[name].apply.push(apply);
      samples.changes[name].render.push(render);
    }
    await context.close();
  }
  const result = {
    listings,
    runs: Number(values.runs),
    catalogueLoadMs: median(samples.catalogueLoad),
    firstPageMs: median(samples.firstPage),
    changes: Object.fromEntries(
      Object.entries(samples.changes).map(([k, v]) => [k, { applyMs: median(v.apply), renderMs: median(v.render) }]),
    ),
    chromium: browser.version(),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
}
