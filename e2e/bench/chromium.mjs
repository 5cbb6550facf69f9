/**
 * What every browser benchmark shares: the app's URL from `scripts/local-stack.mjs`, Debian's
 * headless Chromium launched the same way (no background networking or component updates to
 * disturb the timings; `extraArgs` e.g. `--enable-unsafe-webgpu`), and the app's bench pages.
 */
import { chromium } from '@playwright/test';

/** `ASSAY_APP_URL`, which `scripts/local-stack.mjs` sets. */
export function appUrl() {
  const url = process.env.ASSAY_APP_URL;
  if (!url) throw new Error('ASSAY_APP_URL is not set: run through scripts/local-stack.mjs');
  return url;
}

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.ASSAY_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...extraArgs,
      '--no-sandbox',
      '--disable-gpu-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * Opens the app's `#/bench/<route>` in a new page (a fresh browser context) of `browser`, fills
 * its inputs (`fields`: test id → value) and presses Run; returns the page, the run going on.
 */
export async function startBenchPage(browser, route, fields) {
  const page = await browser.newPage();
  await page.goto(new URL(`#/bench/${route}`, appUrl()).href);
  for (const [testId, value] of Object.entries(fields)) await page.getByTestId(testId).fill(value);
  await page.getByTestId('bench-run').click();
  return page;
}
