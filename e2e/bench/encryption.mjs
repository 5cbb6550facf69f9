#!/usr/bin/env node
/**
 * Benchmark: encrypting and decrypting a model file in headless Chromium (bench/RESULTS.md,
 * "Encryption (browser)"). Drives the app's `#/bench/encryption` page, which runs the listing
 * wizard's and the library's code (assay-crypto's chunked AES-256-GCM, 1 MiB chunks, into a Blob)
 * on `--size` MiB, `--runs` times, in a fresh browser context; prints the page's JSON and a
 * Markdown row.
 *
 *   node scripts/local-stack.mjs -- node bench/encryption.mjs [--size 50] [--runs 5]
 */
import { parseArgs } from 'node:util';
import { launchChromium, startBenchPage } from './chromium.mjs';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '50' }, runs: { type: 'string', default: '5' } },
});

const browser = await launchChromium();
try {
  const page = await startBenchPage(browser, 'encryption', { 'bench-size': values.size, 'bench-runs': values.runs });
  const done = page.locator('[data-testid="bench-json"], [data-testid="bench-error"]');
  await done.first().waitFor({ timeout: 600_000 });
  if (await page.getByTestId('bench-error').count())
    throw new Error(await page.getByTestId('bench-error').textContent());
  const row = JSON.parse(await page.getByTestId('bench-json').textContent());
  row.userAgent = await page.evaluate(() => navigator.userAgent);
  console.log(JSON.stringify(row));
  const f = (v) => v.toFixed(1);
  console.log('\n| size | encrypt median ms | encrypt MB/s | decrypt median ms | decrypt MB/s | runs |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${values.size} MiB | ${f(row.encrypt_median_ms)} | ${f(row.encrypt_mb_s)} | ${f(row.decrypt_median_ms)} | ${f(row.decrypt_mb_s)} | ${row.runs} |`,
  );
} finally {
  await browser.close();
}
