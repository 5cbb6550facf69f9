/**
 * Browse through the indexer (`indexer/`, Ponder) that the e2e stack runs over its chain, and the
 * fallback to direct chain reads: an indexer that stops answering, or lags the chain by more than a
 * few blocks, is left within seconds (said quietly), and taken back once it recovers. The indexer
 * is the real one; a real HTTP proxy in front of it (support/indexer) takes it away from one page.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { env, expect, test } from '../fixtures';
import { account, buyOpen, market, rpc } from '../support/chain';
import { configWithIndexer, indexerProxy, indexerUrl } from '../support/indexer';
import { useConfig } from '../support/ipfs';

const CAST = fileURLToPath(
  new URL('../../contracts/node_modules/@foundry-rs/cast-linux-amd64/bin/cast', import.meta.url),
);
const cast = (...args: string[]) => execFileSync(CAST, args, { encoding: 'utf8' }).trim();

const results = (page: Page) => page.getByTestId('browse-results');
const card = (page: Page, name: string) =>
  page.getByTestId('listing-card').filter({ has: page.getByText(name, { exact: true }) });

/** Waits until the grid comes from `source` ('indexer' or 'chain') with every shown card read. */
async function servedBy(page: Page, source: string) {
  await expect(results(page)).toHaveAttribute('data-source', source, { timeout: 30_000 });
  await expect(results(page)).toHaveAttribute('data-undecided', '0', { timeout: 30_000 });
  await expect(page.locator('[data-testid="listing-card"][data-loading="true"]')).toHaveCount(0, { timeout: 30_000 });
}

test('Browse and search read the indexer page by page; the catalogue is never read whole', async ({ page }) => {
  const marketAddress = await market();
  const modelsPage = cast('sig', 'modelsPage(uint256,uint256)');
  const calls: string[] = [];
  page.on('request', (request) => {
    if (request.url() === env.rpcUrl || request.url().startsWith(env.rpcUrl)) calls.push(request.postData() ?? '');
  });
  await page.goto('./');
  await servedBy(page, 'indexer');
  await expect(page.getByTestId('catalogue')).toHaveAttribute('data-source', 'indexer');
  const listed = Number(cast('call', '--rpc-url', env.rpcUrl, marketAddress, 'modelCount()(uint256)').split(' ')[0]);
  await expect(page.getByTestId('catalogue-count')).toHaveAttribute('data-count', String(listed));
  await expect(card(page, 'Handwritten digits (8×8)')).toHaveCount(1);
  // The grid's badges come with the indexer's page: the seed's open case marks its listing.
  await expect(card(page, 'Handwritten digits, small (overstated card)').getByTestId('listing-reported')).toHaveText(
    'Reported: misrepresented — under review',
  );

  await page.getByTestId('browse-search').fill('digits');
  await expect(page).toHaveURL(/[?&]q=digits/);
  await servedBy(page, 'indexer');
  await expect(card(page, 'Handwritten digits (8×8)')).toHaveCount(1);
  await expect(card(page, 'File type (magika)')).toHaveCount(0);
  // A filter the indexer answers stays on it; the sort too.
  await page.getByTestId('browse-commercial').check();
  await page.getByTestId('browse-sort').selectOption('price-low');
  await servedBy(page, 'indexer');
  await expect(card(page, 'Handwritten digits (8×8)')).toHaveCount(1);
  // Browse served by the indexer reads its badges from it, not from the chain's logs (each an
  // `eth_getLogs` from the deployment's first block, which a public endpoint refuses or rate-limits).
  const badgeEvents = [
    'EvaluationReproduced(uint256,uint256,address,uint256,int256[],bool,bool)',
    'Flagged(uint256,uint256,address,uint8,uint256,uint64,string)',
  ].map((event) => cast('sig-event', event).slice(2));
  expect(
    calls.filter((body) => body.includes('eth_getLogs') && badgeEvents.some((topic) => body.includes(topic))),
    'no log query for the badges while Browse is served by the indexer',
  ).toEqual([]);

  // A creator's page reads their models from the indexer too.
  const creator = await account(1);
  await page.goto(`./#/creator/${creator}`);
  const created = cast(
    'call',
    '--rpc-url',
    env.rpcUrl,
    marketAddress,
    'modelsByCreator(address,uint256,uint256)(uint256[],uint256)',
    creator,
    '0',
    '1000',
  );
  const createdCount = (created.split('\n')[0].match(/\d+/g) ?? []).length;
  await expect(page.getByTestId('creator-models-count')).toHaveText(String(createdCount), { timeout: 30_000 });
  // What others built on their work (digits-small, listed by #2 on digits), from the indexer's lineage.
  await expect(page.getByTestId('creator-derivative').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('model-link').first()).not.toHaveText(/^Model #/, { timeout: 30_000 });

  expect(
    calls.filter((body) => body.includes(modelsPage.slice(2))),
    'no modelsPage read',
  ).toEqual([]);
  await page.goto('./');
  // The model page reads the chain, as every page that leads to a transaction does.
  await card(page, 'Handwritten digits (8×8)').getByTestId('listing-link').click();
  await expect(page.getByTestId('model-name')).toHaveText('Handwritten digits (8×8)');
});

/** How many of the start script's early answers (app/early.js) the app has not taken. */
const earlyLeft = (page: Page) =>
  page.evaluate(() => (window as unknown as { assayEarly: Map<string, unknown> }).assayEarly.size);

test('a first visit asks the indexer while the app loads, and the app takes those answers instead of asking again', async ({
  page,
}) => {
  const indexer = new URL(await indexerUrl());
  const asked: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === indexer.origin) asked.push(url.pathname + url.search);
    else if (url.pathname.endsWith('/config.json')) asked.push('config.json');
  });
  await page.goto('./');
  // The first answer on screen: everything asked so far was asked for it (Browse asks again only
  // after 5 s).
  await expect(results(page)).toHaveAttribute('data-source', 'indexer', { timeout: 30_000 });
  const first = [...asked];
  const once = (what: string) =>
    expect(
      first.filter((u) => u === what),
      `${what} asked once`,
    ).toHaveLength(1);
  once('config.json');
  once('/status');
  once('/api/models?offset=0&limit=1&delisted=include');
  once('/api/models?offset=0&limit=48&sort=newest&delisted=exclude');
  // Asked by index.html's start script (app/early.js), each taken by the app.
  expect(await earlyLeft(page)).toBe(0);
  await expect(card(page, 'Handwritten digits (8×8)')).toHaveCount(1, { timeout: 30_000 });

  // A shared link with a query: the start script asks only what does not depend on it.
  const again: string[] = [];
  const other = await page.context().newPage();
  other.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === indexer.origin) again.push(url.pathname + url.search);
  });
  await other.goto('./#/?q=digits');
  await expect(results(other)).toHaveAttribute('data-source', 'indexer', { timeout: 30_000 });
  expect(again.filter((u) => u === '/status')).toHaveLength(1);
  expect(again.filter((u) => u.includes('q=digits'))).toHaveLength(1);
  expect(await earlyLeft(other)).toBe(0);
  await other.close();
});

test('a stopped indexer: Browse falls back to the chain, says so quietly, keeps working, and takes it back', async ({
  page,
  context,
}) => {
  const proxy = await indexerProxy(await indexerUrl());
  try {
    await useConfig(context, await configWithIndexer(proxy.url));
    await page.goto('./');
    await servedBy(page, 'indexer');

    await proxy.down();
    await servedBy(page, 'chain');
    await expect(page.getByTestId('browse-source-note')).toContainText('The indexer did not answer');
    await expect(card(page, 'Handwritten digits (8×8)')).toHaveCount(1);
    await page.getByTestId('browse-search').fill('magika');
    await servedBy(page, 'chain');
    await expect(card(page, 'File type (magika)')).toHaveCount(1);
    await expect(card(page, 'Handwritten digits (8×8)')).toHaveCount(0);

    await proxy.up();
    await servedBy(page, 'indexer');
    await expect(page.getByTestId('browse-source-note')).toHaveCount(0);
    await expect(card(page, 'File type (magika)')).toHaveCount(1);
  } finally {
    await proxy.close();
  }
});

test('a lagging indexer is detected: Browse reads the chain until it catches up', async ({ page, context }) => {
  const proxy = await indexerProxy(await indexerUrl());
  try {
    await useConfig(context, await configWithIndexer(proxy.url));
    await page.goto('./');
    await servedBy(page, 'indexer');
    // From now on the proxy answers /status as the indexer did now, and the chain moves on: a
    // purchase the indexer (as the page sees it) has not indexed, then ten blocks.
    proxy.freeze();
    await expect.poll(async () => (await fetch(`${proxy.url}/status`)).status, { timeout: 10_000 }).toBe(200);
    buyOpen(await market(), await account(18), 1, 2n * 10n ** 15n, 0);
    await rpc('anvil_mine', ['0xa']);
    await servedBy(page, 'chain');
    await expect(page.getByTestId('browse-source-note')).toContainText(/is \d+ blocks behind the chain/);
    await expect(card(page, 'Handwritten digits (8×8)')).toHaveCount(1);

    await proxy.up();
    await servedBy(page, 'indexer');
  } finally {
    await proxy.close();
  }
});
