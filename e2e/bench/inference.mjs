#!/usr/bin/env node
/**
 * Benchmark: trial inference engines in headless Chromium (bench/RESULTS.md, "Trial inference").
 * Drives the app's `#/bench/inference` page, each measurement in a fresh browser context (empty
 * cache):
 *
 * - `tract`, `ort-wasm`, `ort-webgpu`: one engine from a standing start (engine start + compile +
 *   first result), then `--runs` warm runs;
 * - `pair`: tract (in its worker) and onnxruntime-web's wasm backend (on the page) both loaded and
 *   warm, one run each in turn for `--runs` rounds: the two see the same machine load, so their
 *   ratio holds on a busy machine where separate runs minutes apart do not.
 *
 * onnxruntime-web comes in two builds (`--ort`): `app`, the bundle the app ships and the trial uses
 * (`ort.webgpu.min.mjs`, asyncify runtime), and `plain`, its plain wasm build (`ort.wasm.min.mjs`),
 * served here from inference/ort/node_modules — the fastest onnxruntime-web CPU path.
 * `--workers` names tract worker loaders beside the app's (`app` is its own), e.g. an earlier
 * build copied into the dist folder under another name, to time two builds side by side.
 *
 * Models come from ~/.cache/assay/models (`ASSAY_MODELS` overrides; inference/models/setup.py:
 * the seeded ones and the generated architectures). Prints one JSON line per measurement and a
 * Markdown table.
 *
 *   node scripts/local-stack.mjs -- node bench/inference.mjs [--runs 20]
 *     [--models digits,magika,…] [--engines tract,ort-wasm,pair] [--ort app,plain]
 *     [--workers app,<loader>.js]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appUrl as benchAppUrl, launchChromium } from './chromium.mjs';

const MODELS = ['digits', 'text-direction', 'magika', 'arch-conv', 'arch-transformer', 'arch-lstm', 'arch-gru'];
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    models: { type: 'string', default: MODELS.join(',') },
    engines: { type: 'string', default: 'tract,ort-wasm,pair' },
    ort: { type: 'string', default: 'app,plain' },
    workers: { type: 'string', default: 'app' },
  },
});
const list = (v) => v.split(',').filter(Boolean);
const appUrl = benchAppUrl();
const modelsDir =
  process.env.ASSAY_MODELS ?? join(process.env.ASSAY_TOOLS ?? join(homedir(), '.cache', 'assay'), 'models');
const ortDist = join(dirname(fileURLToPath(import.meta.url)), '../../inference/ort/node_modules/onnxruntime-web/dist');
const PLAIN_ORT = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];
const TYPES = { mjs: 'text/javascript', wasm: 'application/wasm', onnx: 'application/octet-stream' };

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
  const [dir, name] = path.startsWith('ort/') ? [ortDist, path.slice(4)] : [modelsDir, path];
  const served = dir === ortDist ? PLAIN_ORT.includes(name) : /^[\w.-]+\.onnx$/.test(name);
  if (!served) return void res.writeHead(404).end();
  try {
    const body = readFileSync(join(dir, name));
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': TYPES[name.split('.').pop()] }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const served = `http://127.0.0.1:${server.address().port}/`;
const ortBuilds = { app: '', plain: `${served}ort/ort.wasm.min.mjs` };

const browser = await launchChromium(['--enable-unsafe-webgpu']);
const rows = [];
try {
  const probe = await browser.newPage();
  await probe.goto(appUrl);
  console.log(JSON.stringify({ userAgent: await probe.evaluate(() => navigator.userAgent) }));
  await probe.close();
  for (const model of list(values.models)) {
    for (const engine of list(values.engines)) {
      const builds = engine === 'tract' ? ['app'] : engine === 'ort-webgpu' ? ['app'] : list(values.ort);
      const workers = engine === 'tract' || engine === 'pair' ? list(values.workers) : ['app'];
      for (const [build, worker] of builds.flatMap((b) => workers.map((w) => [b, w]))) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const query = new URLSearchParams({ model, models: served });
        if (ortBuilds[build]) query.set('ort', ortBuilds[build]);
        if (worker !== 'app') query.set('worker', worker);
        await page.goto(new URL(`#/bench/inference?${query}`, appUrl).href);
        await page.getByTestId('bench-engine').selectOption(engine);
        await page.getByTestId('bench-runs').fill(values.runs);
        await page.getByTestId('bench-run').click();
        const done = page.locator('[data-testid="bench-json"], [data-testid="bench-error"]');
        await done.first().waitFor({ timeout: 600_000 });
        const error = await page.getByTestId('bench-error').count();
        const row = error
          ? { model, engine, error: await page.getByTestId('bench-error').textContent() }
          : JSON.parse(await page.getByTestId('bench-json').textContent());
        row.build = engine === 'tract' ? '' : build;
        row.tractWorker = worker;
        console.log(JSON.stringify(row));
        rows.push(row);
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}

const ms = (v) => (v === undefined || v === null ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const PAIR = 'tract-wasm vs onnxruntime-web wasm, in turn';
console.log(
  '\n| model | engine | onnxruntime-web build / tract worker | cold first result ms (start + compile + first run) | warm median ms | warm min ms | load again ms |',
);
console.log('|---|---|---|---:|---:|---:|---:|');
for (const r of rows.filter((r) => r.engine !== PAIR && r.engine !== 'pair')) {
  const build = r.engine.startsWith('tract') ? r.tractWorker : r.build;
  if (r.error) console.log(`| ${r.model} | ${r.engine} | ${build} | error: ${r.error.slice(0, 160)} | | | |`);
  else
    console.log(
      `| ${r.model} | ${r.engine} | ${build} | ${ms(r.cold_first_result_ms)} (${ms(r.start_ms)} + ${ms(r.compile_ms)} + ${ms(r.first_run_ms)}) | ${ms(r.warm_median_ms)} | ${ms(r.warm_min_ms)} | ${ms(r.reload_ms)} |`,
    );
}
const pairs = rows.filter((r) => r.engine === PAIR || r.engine === 'pair');
if (pairs.length) {
  console.log('\nWarm, in turn on one page (after a 4 s warm-up):\n');
  console.log(
    '| model | onnxruntime-web build | tract worker | tract median (min) ms | onnxruntime-web median (min) ms | ratio of medians | ratio of minima |',
  );
  console.log('|---|---|---|---:|---:|---:|---:|');
  for (const r of pairs) {
    if (r.error) console.log(`| ${r.model} | ${r.build} | ${r.tractWorker} | error: ${r.error.slice(0, 160)} | | | |`);
    else
      console.log(
        `| ${r.model} | ${r.build} | ${r.tractWorker} | ${ms(r.tract_median_ms)} (${ms(r.tract_min_ms)}) | ${ms(r.ort_median_ms)} (${ms(r.ort_min_ms)}) | ${ms(r.ratio_of_medians)} | ${ms(r.ratio_of_minima)} |`,
      );
  }
}
