/**
 * A full disk. The site's storage quota is made smaller than the files through Chromium's own
 * quota override (DevTools protocol `Storage.overrideQuotaForOrigin`, what DevTools' "simulate
 * custom storage quota" uses), so the browser's quota manager really refuses the IndexedDB
 * writes. Nothing is lost and the person is told: a download is still verified and used but not
 * kept offline (and nothing half-written stays cached); the listing wizard takes the file but
 * says a reload will ask for it again. With room again, the same file is cached.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { env, expect, test } from '../fixtures';
import { MODELS_DIR } from '../support/models';
import { chooseModelFile, next } from '../support/wizard';

const MAGIKA = join(MODELS_DIR, 'magika.onnx'); // 3.2 MB
const QUOTA = 1_000_000;

/**
 * Sets the app origin's storage quota to `bytes` for as long as the returned session is open.
 * Set before the page first writes to IndexedDB: seen here, a database that already holds data
 * goes on writing past a quota lowered afterwards.
 */
async function limitStorage(page: Page, bytes: number): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(env.appUrl).origin, quotaSize: bytes });
  return cdp;
}

async function liftLimit(cdp: CDPSession) {
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(env.appUrl).origin });
}

test('a download that does not fit the site storage is verified and used, not cached, and said; with room again it is cached', async ({
  page,
}) => {
  const cdp = await limitStorage(page, QUOTA);
  await page.goto(new URL('#/bench/ipfs', env.appUrl).href);
  await expect(page.locator('section[data-page="bench-ipfs"]')).toBeVisible();
  const bytes = randomBytes(4 * 1024 * 1024);
  await page
    .getByTestId('bench-file')
    .setInputFiles({ name: 'full-disk.bin', mimeType: 'application/octet-stream', buffer: bytes });
  await page.getByTestId('bench-upload-file').click();
  await expect(page.getByTestId('bench-upload-status')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const cid = (await page.getByTestId('bench-cid').textContent())!.trim();
  // (`navigator.storage.estimate()` in an off-the-record context goes on reporting the usual
  // quota, so the refusal is known once the cache commit fails — the page waits for it.)

  const fetchOnce = async () => {
    await page.getByTestId('bench-fetch-cid').fill(cid);
    await page.getByTestId('bench-fetch').click();
    await expect(page.getByTestId('bench-fetch-status')).toHaveAttribute('data-state', /done|error/, {
      timeout: 120_000,
    });
  };
  const cacheState = async () => {
    const state = page.getByTestId('bench-cache-state');
    const checks = Number(await state.getAttribute('data-checks'));
    await page.getByTestId('bench-check-cache').click();
    await expect(state).toHaveAttribute('data-checks', String(checks + 1));
    return (await state.textContent())!.trim();
  };

  await fetchOnce();
  await expect(page.getByTestId('bench-fetch-status')).toHaveAttribute('data-state', 'done');
  expect(await page.getByTestId('bench-fetch-sha256').textContent()).toBe(
    createHash('sha256').update(bytes).digest('hex'),
  );
  const error = page.getByTestId('bench-fetch-error');
  await expect(error).toHaveAttribute('data-kind', 'quota_exceeded');
  await expect(error).toContainText('Your browser has no room left to keep this file offline');
  expect(await cacheState()).toBe('not cached');

  // Room again: the same file is fetched and kept.
  await liftLimit(cdp);
  await fetchOnce();
  await expect(page.getByTestId('bench-fetch-status')).toHaveAttribute('data-state', 'done');
  await expect(error).toHaveCount(0);
  expect(await cacheState()).toBe('cached');
  await cdp.detach();
});

test('the trial of a model that does not fit the site storage still runs, and says it was not kept offline', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const cdp = await limitStorage(page, QUOTA);
  await page.goto('./');
  const card = page.getByTestId('listing-card').filter({ has: page.getByText('File type (magika)', { exact: true }) });
  await card.getByTestId('listing-link').click();
  await expect(page.getByTestId('model-name')).toHaveText('File type (magika)');
  await page.getByTestId('trial-start').click();
  await expect(page.locator('[data-step="2"]')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('trial-cache-note')).toContainText(
    'verified and is used, but not kept for offline use',
  );
  await expect(page.getByTestId('trial-cache-note')).toContainText('no room left');
  await expect(page.getByTestId('trial-error')).toHaveCount(0);
  await cdp.detach();
});

test('the listing wizard takes a model file it cannot keep for a reload, and says so', async ({ page }) => {
  test.setTimeout(120_000);
  const cdp = await limitStorage(page, QUOTA);
  await page.goto('./#/list');
  await chooseModelFile(page, MAGIKA);
  const note = page.getByTestId('file-not-kept');
  await expect(note).toContainText('The file is fine, but this browser could not keep a copy for the draft');
  await expect(note).toContainText("this browser's storage for the site is full");
  await expect(page.getByTestId('file-refused')).toHaveCount(0);
  // The file is in use: the wizard goes on to the next step.
  await next(page, 'io');
  await cdp.detach();
});
