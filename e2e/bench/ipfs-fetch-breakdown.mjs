#!/usr/bin/env node
/**
 * Where the time of a verified IPFS fetch goes (bench/RESULTS.md, "IPFS verified fetch"): drives
 * the bundle (`assay-ipfs.js`) straight from a page of the app, without the Rust side, and times
 * per run, in a rotating order so no variant always follows another:
 *
 *   raw       a plain fetch() of the path-gateway URL (the baseline);
 *   nocache   fetchFile with the cache off (verification alone);
 *   cold      clearCache(), then fetchFile with the cache on (the benchmark's cold cache);
 *   settled   the same, with `--settle` ms between emptying the cache and the fetch.
 *
 * Every fetch first waits for the previous one's background cache commit, outside the timing.
 * Prints medians as JSON.
 *
 *   node scripts/local-stack.mjs --dist ../dist -- node bench/ipfs-fetch-breakdown.mjs [--mb 50] [--runs 5] [--settle 1000]
 */
import { parseArgs } from 'node:util';
import { appUrl as benchAppUrl, launchChromium } from './chromium.mjs';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '50' },
    runs: { type: 'string', default: '5' },
    settle: { type: 'string', default: '1000' },
  },
});
const appUrl = benchAppUrl();

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  await page.goto(new URL('#/bench/ipfs', appUrl).href);
  const result = await page.evaluate(
    async ({ mb, runs, settle }) => {
      const ipfs = await import(new URL('assay-ipfs.js', location.href).href);
      const config = await (await fetch('config.json')).json();
      const gateways = config.ipfs.gateways.map((g) => g.replace(/\/$/, ''));
      const size = Math.round(mb * 1e6);
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)));
      const cid = String(await ipfs.upload({ source: bytes, api: config.ipfs.uploadApi, name: 'breakdown.bin' }));
      const url = `${gateways[0]}/ipfs/${cid}`;
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      const variants = {
        raw: async () => {
          const t = performance.now();
          await ipfs.rawFetch(url);
          return performance.now() - t;
        },
        nocache: async () => {
          const t = performance.now();
          await ipfs.fetchFile({ cid: String(cid), gateways, useCache: false });
          return performance.now() - t;
        },
        cold: async () => {
          await ipfs.clearCache();
          const t = performance.now();
          const r = await ipfs.fetchFile({ cid: String(cid), gateways });
          if (r.source === 'cache') throw new Error('cold fetch came from the cache');
          return performance.now() - t;
        },
        settled: async () => {
          await ipfs.clearCache();
          await sleep(settle);
          const t = performance.now();
          const r = await ipfs.fetchFile({ cid: String(cid), gateways });
          if (r.source === 'cache') throw new Error('settled fetch came from the cache');
          return performance.now() - t;
        },
      };
      const names = Object.keys(variants);
      const times = Object.fromEntries(names.map((n) => [n, []]));
      for (let run = 0; run < runs; run++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(run + k) % names.length];
          await ipfs.isCached(String(cid)); // waits for any background commit
          await sleep(200);
          times[name].push(Math.round(await variants[name]()));
        }
        console.log(`run ${run + 1}: ${names.map((n) => `${n} ${times[n][run]} ms`).join(', ')}`);
      }
      const median = (v) => {
        const s = [...v].sort((a, b) => a - b);
        const m = s.length >> 1;
        return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
      };
      const medians = Object.fromEntries(names.map((n) => [n, median(times[n])]));
      const ratios = Object.fromEntries(
        names.filter((n) => n !== 'raw').map((n) => [n, +(medians.raw / medians[n]).toFixed(3)]),
      );
      return {
        cid: String(cid),
        bytes: size,
        runs,
        settleMs: settle,
        times,
        medians,
        ratios,
        userAgent: navigator.userAgent,
      };
    },
    { mb: Number(values.mb), runs: Number(values.runs), settle: Number(values.settle) },
  );
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
}
