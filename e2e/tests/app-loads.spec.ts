import type { Page } from '@playwright/test';
import { env, expect, test } from '../fixtures';
import { expectPage } from '../support/app';

/** Collects everything that went wrong on the page: console errors, uncaught errors, failed or 4xx/5xx requests. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

for (const [where, url] of [
  ['at the server root', env.appUrl],
  ['under the IPFS path gateway', env.appIpfsUrl],
] as const) {
  test(`the app loads ${where} without console errors or failed requests`, async ({ page }) => {
    const problems = watchProblems(page);
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle(/Assay/);
    await expectPage(page, 'browse', 'Browse models');
    // The app read config.json (no banner, no error) and reached the chain it names.
    await expect(page.getByTestId('network-chain')).toContainText(`Chain ${env.chainId}`);
    await expect(page.getByTestId('config-missing')).toHaveCount(0);
    await expect(page.getByTestId('config-error')).toHaveCount(0);
    await expect(page.getByTestId('wallet-connect')).toHaveText('Connect wallet');
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
  });
}
