#!/usr/bin/env node
/**
 * Benchmark: evaluation throughput in headless Chromium (bench/RESULTS.md, "Evaluation throughput
 * (issue #19)"). Publishes the folder bundles `cargo xtask bench-bundles <dir>` wrote (every one of
 * the 1,797 digits; magika's files of known types) to the stack's IPFS node as Reproduce expects
 * them (each array by CID, then the manifest naming them: its CID is the bundle's), serves the
 * models from ~/.cache/assay/models, and drives the app's `#/bench/evaluation` page in a fresh
 * browser context per set: the whole set through Reproduce's path and through onnxruntime-web's
 * wasm backend, warm, `--runs` repetitions, median. Prints one JSON line per set and a Markdown table.
 *
 *   cargo xtask bench-bundles /tmp/assay-bench-bundles
 *   cd e2e && node scripts/local-stack.mjs -- node bench/evaluation.mjs --bundles /tmp/assay-bench-bundles [--runs 5]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appUrl as benchAppUrl, launchChromium } from './chromium.mjs';

const { values } = parseArgs({
  options: { bundles: { type: 'string' }, runs: { type: 'string', default: '5' } },
});
if (!values.bundles) throw new Error('--bundles <dir> is required (cargo xtask bench-bundles <dir> writes it)');
const appUrl = benchAppUrl();
const ipfsApi = process.env.ASSAY_IPFS_URL;
if (!ipfsApi) throw new Error('ASSAY_IPFS_URL is not set: run through scripts/local-stack.mjs');
const modelsDir =
  process.env.ASSAY_MODELS ?? join(process.env.ASSAY_TOOLS ?? join(homedir(), '.cache', 'assay'), 'models');

/** The sets: the folder under --bundles, the seeded card, the array fed and the truth. */
const SETS = [
  { folder: 'digits', model: 'digits', feed: 'pixels', truth: 'digit' },
  { folder: 'magika', model: 'magika', feed: 'bytes', truth: 'type' },
];

/** Adds bytes to the node through its Kubo RPC API (the fixed import profile); their CID. */
async function add(bytes, name) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const params = new URLSearchParams({ 'cid-version': '1', 'raw-leaves': 'true', chunker: 'size-1048576' });
  const response = await fetch(`${ipfsApi}/api/v0/add?${params}`, { method: 'POST', body: form });
  if (response.status !== 200) throw new Error(`ipfs add ${name}: HTTP ${response.status} ${await response.text()}`);
  const lines = (await response.text()).trim().split('\n');
  return JSON.parse(lines[lines.length - 1]).Hash;
}

/** The folder bundle in `dir` published: each array, then the manifest naming them by CID. */
async function publish(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  for (const array of manifest.arrays) {
    array.cid = await add(readFileSync(join(dir, array.file)), array.file);
    delete array.file;
  }
  return add(Buffer.from(JSON.stringify(manifest)), 'manifest.json');
}

const server = createServer((req, res) => {
  const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
  if (!/^[\w.-]+\.onnx$/.test(name)) return void res.writeHead(404).end();
  try {
    res.writeHead(200, { 'access-control-allow-origin': '*' }).end(readFileSync(join(modelsDir, name)));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const modelsUrl = `http://127.0.0.1:${server.address().port}/`;

const browser = await launchChromium();
const rows = [];
try {
  for (const set of SETS) {
    const bundle = await publish(join(values.bundles, set.folder));
    const query = new URLSearchParams({
      model: set.model,
      models: modelsUrl,
      bundle,
      feed: set.feed,
      truth: set.truth,
      runs: values.runs,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL(`#/bench/evaluation?${query}`, appUrl).href);
    await page.getByTestId('bench-run').click();
    await page.locator('[data-testid="bench-json"], [data-testid="bench-error"]').first().waitFor({ timeout: 600_000 });
    if (await page.getByTestId('bench-error').count())
      throw new Error(`${set.model}: ${await page.getByTestId('bench-error').textContent()}`);
    const row = JSON.parse(await page.getByTestId('bench-json').textContent());
    row.userAgent = await page.evaluate(() => navigator.userAgent);
    console.log(JSON.stringify(row));
    rows.push(row);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const f = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
console.log(
  '\n| set | samples | Assay (engine, batch) median ms | samples/s | onnxruntime-web wasm (batch) median ms | samples/s | Assay ÷ ort time | same class |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const { assay, ort_wasm: ort } = r;
  console.log(
    `| ${r.model} | ${r.samples} | ${f(assay.median_ms)} (${assay.engine}, ${assay.batch}) | ${f(assay.samples_per_s)} | ${f(ort.median_ms)} (${ort.batch}) | ${f(ort.samples_per_s)} | ${(assay.median_ms / ort.median_ms).toFixed(2)} | ${r.same_class}/${r.samples} |`,
  );
}
