/**
 * The page's wasm in parts (app/src/split.rs, app/src/pages/parts.rs, xtask/src/app_wasm.rs): a
 * first visit to Browse that the indexer serves downloads the main module only; another page's part (and the shared parts it needs)
 * arrives when that page is first shown; a part that cannot be fetched is a sentence and a
 * button that tries again, and the rest of the app keeps working.
 */
import type { Page, Request } from '@playwright/test';
import { expect, test } from '../fixtures';
import { connect, expectConnectedAs, expectPage, section } from '../support/app';

/** The wasm files of the app's folder (`app-<hash>/…`) that the page requested. */
function recordAppWasm(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request: Request) => {
    const match = /\/app-[0-9a-f]{16}\/([^/?#]+\.wasm)$/.exec(new URL(request.url()).pathname);
    if (match) names.push(match[1]);
  });
  return names;
}

/** Makes every request of part `name` (`split_<name>.wasm`) fail as a dropped connection, counting them; `allow()` lets them through again. */
async function refusePart(page: Page, name: string) {
  const pattern = `**/app-*/split_${name}.wasm`;
  const refused = { count: 0, allow: () => page.unroute(pattern) };
  await page.route(pattern, (route) => {
    refused.count += 1;
    return route.abort('connectionreset');
  });
  return refused;
}

test('a first visit to Browse fetches the main module only; a model page fetches its part when first shown', async ({
  page,
}) => {
  const fetched = recordAppWasm(page);
  await page.goto('./');
  await expectPage(page, 'browse', 'Browse models');
  await expect(page.locator('[data-testid="listing-card"][data-loading="true"]')).toHaveCount(0, { timeout: 30_000 });
  // Served by the stack's indexer, as a first visit is: the chain path (a part of its own) is not needed.
  await expect(page.getByTestId('browse-results')).toHaveAttribute('data-source', 'indexer');
  expect(fetched).toEqual(['assay-app_bg.wasm']);

  await page.goto('./#/model/1');
  await expect(section(page, 'model')).toBeVisible({ timeout: 30_000 });
  expect(fetched).toContain('split_model.wasm');
  expect(fetched.filter((name) => name === 'assay-app_bg.wasm')).toHaveLength(1);

  // Browse and the model page again: nothing is fetched twice.
  const before = [...fetched];
  await page.getByTestId('nav-browse').click();
  await expectPage(page, 'browse', 'Browse models');
  await page.goBack();
  await expect(section(page, 'model')).toBeVisible();
  expect(fetched).toEqual(before);
});

test('a part that does not arrive is a sentence and a retry; the rest of the app keeps working', async ({ page }) => {
  const refused = await refusePart(page, 'about');
  await page.goto('./#/about');
  const failed = page.getByTestId('part-failed');
  await expect(failed).toBeVisible({ timeout: 30_000 });
  await expect(failed).toHaveAttribute('role', 'alert');
  await expect(failed).toContainText("This page's code could not be downloaded");
  expect(refused.count).toBe(1);

  // The rest of the app works while the part is missing, and coming back tries again.
  await page.getByTestId('nav-browse').click();
  await expectPage(page, 'browse', 'Browse models');
  await page.getByTestId('nav-about').click();
  await expect(failed).toBeVisible();
  expect(refused.count).toBe(2);

  // The connection is back: "Try again" fetches the part and shows the page.
  await refused.allow();
  await failed.getByRole('button', { name: 'Try again' }).click();
  await expectPage(page, 'about', 'How Assay works');
  await expect(failed).toBeHidden();
});

test("the wallet's part arrives at the first Connect: one that does not is said, and Connect again connects", async ({
  page,
  wallet,
}) => {
  const fetched = recordAppWasm(page);
  const refused = await refusePart(page, 'wallet');
  await page.goto('./');
  await expectPage(page, 'browse', 'Browse models');
  // A visitor with a wallet installed who has not connected: nothing of it downloaded.
  await expect(page.getByTestId('wallet-connect')).toBeEnabled();
  expect(fetched).not.toContain('split_wallet.wasm');

  await connect(page);
  await expect(page.getByTestId('wallet-error')).toHaveText(
    'The code that talks to wallets could not be downloaded (the connection to the site was lost or the gateway dropped the request): try again.',
  );
  expect(refused.count).toBe(1);
  await expect(page.getByTestId('wallet-connect')).toHaveText('Connect wallet');
  await expect(page.getByTestId('wallet-connect')).toBeEnabled();
  expect(wallet.requests.filter((m) => m === 'eth_requestAccounts')).toHaveLength(0);

  await refused.allow();
  await connect(page);
  await expectConnectedAs(page, wallet);
  await expect(page.getByTestId('wallet-error')).toHaveCount(0);
});

test('Browse reads the chain for a query the indexer cannot answer: its part arrives then, and a lost one is retried', async ({
  page,
}) => {
  const fetched = recordAppWasm(page);
  const refused = await refusePart(page, 'browse_chain');
  // "Reproduced on chain" is a filter only the chain path answers.
  await page.goto('./#/?reproduced=1');
  await expectPage(page, 'browse', 'Browse models');
  const failed = page.getByTestId('part-failed');
  await expect(failed).toBeVisible({ timeout: 30_000 });
  await expect(failed).toContainText("This page's code could not be downloaded");
  expect(refused.count).toBeGreaterThan(0);
  // The page around the grid keeps working: the search box and the catalogue's size.
  await expect(page.getByTestId('browse-search')).toBeEditable();

  await refused.allow();
  await failed.getByRole('button', { name: 'Try again' }).click();
  await expect(failed).toBeHidden();
  const results = page.getByTestId('browse-results');
  await expect(results).toHaveAttribute('data-source', 'chain', { timeout: 30_000 });
  await expect(page.getByTestId('catalogue-count')).toBeVisible({ timeout: 30_000 });
  // The chain path and the catalogue's chain reads are one part.
  expect(fetched).toContain('split_browse_chain.wasm');
  expect(fetched).not.toContain('split_catalogue.wasm');
});
