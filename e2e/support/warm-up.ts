/**
 * Playwright global set-up: one load of the app in a throw-away browser before the first test.
 *
 * The first page a fresh headless Chromium opens on a busy 2-core machine has been seen to wait
 * minutes for the app (later loads take about 1 s; the cause is not found yet). The tests check
 * what the app does, not how fast a cold browser starts, so that cost is paid here, once: if the
 * app is not up after 90 s, what the page was still waiting for is printed and it is reloaded.
 */
import { chromium, type Page } from '@playwright/test';
import config from '../playwright.config';
import { env } from './env';

const UP = 'main[data-testid="page"] > section[data-page="browse"]';

export default async function warmUp() {
  const started = Date.now();
  const browser = await chromium.launch(config.use?.launchOptions);
  try {
    const page = await browser.newPage();
    const pending = watch(page);
    // Not the default 30 s "load": on a loaded machine the first navigation itself has taken longer.
    await page.goto(env.appUrl, { waitUntil: 'commit', timeout: 180_000 });
    console.log(`e2e warm-up: first response after ${Date.now() - started} ms`);
    try {
      await page.locator(UP).waitFor({ timeout: 90_000 });
    } catch {
      console.log(
        `e2e warm-up: the app was not up after ${Date.now() - started} ms; still waiting for: ${[...pending].join(', ') || 'no request'}; reloading`,
      );
      await page.reload({ waitUntil: 'commit', timeout: 180_000 });
      await page.locator(UP).waitFor({ timeout: 120_000 });
    }
  } finally {
    await browser.close();
  }
  console.log(`e2e warm-up: the app was up in a fresh browser after ${Date.now() - started} ms`);
}

/** The URLs the page has asked for and not yet received; console errors are printed as they come. */
function watch(page: Page): Set<string> {
  const pending = new Set<string>();
  page.on('request', (r) => pending.add(r.url()));
  page.on('requestfinished', (r) => pending.delete(r.url()));
  page.on('requestfailed', (r) => {
    pending.delete(r.url());
    console.log(`e2e warm-up: ${r.url()} failed: ${r.failure()?.errorText}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`e2e warm-up: console error: ${m.text()}`);
  });
  return pending;
}
