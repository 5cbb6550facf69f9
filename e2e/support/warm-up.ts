/**
 * Playwright global set-up: one load of the app in a throw-away browser before the first test.
 *
 * The first page a fresh headless Chromium opens on a busy 2-core machine has been seen to wait
 * more than 15 s for the app's wasm (later loads take about 1 s); the tests check what the app
 * does, not how fast a cold browser starts, so that cost is paid here, once, and printed.
 */
import { chromium } from '@playwright/test';
import config from '../playwright.config';
import { env } from './env';

export default async function warmUp() {
  const started = Date.now();
  const browser = await chromium.launch(config.use?.launchOptions);
  try {
    const page = await browser.newPage();
    // Not the default 30 s "load": on a loaded machine the first navigation itself has taken longer.
    await page.goto(env.appUrl, { waitUntil: 'commit', timeout: 180_000 });
    console.log(`e2e warm-up: first response after ${Date.now() - started} ms`);
    await page.locator('main[data-testid="page"] > section[data-page="browse"]').waitFor({ timeout: 180_000 });
  } finally {
    await browser.close();
  }
  console.log(`e2e warm-up: the app was up in a fresh browser after ${Date.now() - started} ms`);
}
