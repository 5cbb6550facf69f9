#!/usr/bin/env node
/**
 * Benchmark: trial inference engines in headless Chromium (bench/RESULTS.md, "Trial inference").
 * Drives the app's `#/bench/inference` page: per model and engine — tract-wasm (simd, in its
 * worker), onnxruntime-web wasm, onnxruntime-web WebGPU — a fresh browser context (empty cache),
 * then the page's benchmark: engine start + compile + first result (cold), and `--runs` warm runs
 * (median). Models come from ~/.cache/assay/models (inference/models/setup.py), served here.
 * Prints one JSON line per measurement and a Markdown table.
 *
 *   node scripts/local-stack.mjs -- node bench/inference.mjs [--runs 20]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appUrl as benchAppUrl, launchChromium } from './chromium.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const appUrl = benchAppUrl();
const modelsDir =
  process.env.ASSAY_MODELS ?? join(process.env.ASSAY_TOOLS ?? join(homedir(), '.cache', 'assay'), 'models');

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

const browser = await launchChromium(['--enable-unsafe-webgpu']);
const rows = [];
try {
  const probe = await browser.newPage();
  await probe.goto(appUrl);
  const adapter = await probe.evaluate(async () => {
    if (!navigator.gpu) return 'no navigator.gpu';
    const a = await navigator.gpu.requestAdapter();
    if (!a) return 'no adapter';
    const i = a.info ?? {};
    return `${i.vendor || '?'} / ${i.architecture || '?'} / ${i.description || '?'}${i.isFallbackAdapter ? ' (fallback)' : ''}`;
  });
  console.log(JSON.stringify({ webgpuAdapter: adapter, userAgent: await probe.evaluate(() => navigator.userAgent) }));
  await probe.close();
  for (const model of ['digits', 'text-direction', 'magika']) {
    for (const engine of ['tract', 'ort-wasm', 'ort-webgpu']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(new URL(`#/bench/inference?model=${model}&models=${encodeURIComponent(modelsUrl)}`, appUrl).href);
      await page.getByTestId('bench-engine').selectOption(engine);
      await page.getByTestId('bench-runs').fill(values.runs);
      await page.getByTestId('bench-run').click();
      const done = page.locator('[data-testid="bench-json"], [data-testid="bench-error"]');
      await done.first().waitFor({ timeout: 300_000 });
      const error = await page.getByTestId('bench-error').count();
      const row = error
        ? { model, engine, error: await page.getByTestId('bench-error').textContent() }
        : JSON.parse(await page.getByTestId('bench-json').textContent());
      console.log(JSON.stringify(row));
      rows.push(row);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
const ms = (v) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
console.log(
  '\n| model | engine | cold first result ms (engine start + compile + first run) | warm median ms | warm mean ms (batch / runs) |',
);
console.log('|---|---|---:|---:|---:|');
for (const r of rows) {
  if (r.error) console.log(`| ${r.model} | ${r.engine} | error: ${r.error.slice(0, 160)} | | |`);
  else
    console.log(
      `| ${r.model} | ${r.engine} | ${ms(r.cold_first_result_ms)} (${ms(r.start_ms)} + ${ms(r.compile_ms)} + ${ms(r.first_run_ms)}) | ${ms(r.warm_median_ms)} | ${r.warm_mean_ms < 0.1 ? r.warm_mean_ms.toFixed(4) : ms(r.warm_mean_ms)} |`,
    );
}
