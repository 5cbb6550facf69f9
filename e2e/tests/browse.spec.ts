/**
 * Browse (home) against the seeded stack: the real listings "Handwritten digits (8×8)"
 * (image-classification, open weights), "Text line direction (PaddleOCR)", "File type (magika)"
 * (file-type-detection) and a derivative of digits with 16 hidden units. Tasks are read from the
 * grid rather than assumed.
 * Other specs may list more models (with cards that can't be read), so counts are read from the
 * chain with Foundry's real `cast` or from what the page reports, never assumed.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { env, expect, test } from '../fixtures';
import { expectPage, section } from '../support/app';

const CAST = fileURLToPath(
  new URL('../../contracts/node_modules/@foundry-rs/cast-linux-amd64/bin/cast', import.meta.url),
);
/** Cards shown before "Show more" (assay_core::browse::PAGE). */
const PAGE = 48;

function cast(...args: string[]): string {
  return execFileSync(CAST, args, { encoding: 'utf8' }).trim();
}

/** The market's address, from the config.json the app is served with. */
async function market(): Promise<string> {
  const response = await fetch(new URL('config.json', env.appUrl));
  const config = (await response.json()) as { contracts?: Record<string, string> };
  const address = config.contracts?.AssayMarket;
  if (!address) throw new Error('config.json has no AssayMarket: run the suite through `cargo xtask test e2e`');
  return address;
}

function modelCount(marketAddress: string): number {
  return Number(cast('call', '--rpc-url', env.rpcUrl, marketAddress, 'modelCount()(uint256)').split(' ')[0]);
}

/** How many models moderation delisted (the market's `ModelDelisted` logs): Browse hides them by default. */
function delistedCount(marketAddress: string): number {
  const logs = cast(
    'logs',
    '--rpc-url',
    env.rpcUrl,
    '--from-block',
    '0',
    '--address',
    marketAddress,
    '--json',
    'ModelDelisted(uint256)',
  );
  return (JSON.parse(logs) as unknown[]).length;
}

const cards = (page: Page) => page.getByTestId('listing-card');
const results = (page: Page) => page.getByTestId('browse-results');

/** Waits until the page has filtered the loaded catalogue and no shown card is still loading. */
async function settled(page: Page) {
  await expect(results(page)).toBeVisible();
  await expect(results(page)).toHaveAttribute('data-undecided', '0');
  await expect(page.locator('[data-testid="listing-card"][data-loading="true"]')).toHaveCount(0);
}

/** The names of the shown cards, in order. */
async function names(page: Page): Promise<string[]> {
  return cards(page).getByTestId('listing-link').allInnerTexts();
}

async function ids(page: Page): Promise<string[]> {
  return cards(page).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id') ?? ''));
}

async function count(locator: Locator): Promise<number> {
  return Number(await locator.getAttribute('data-count'));
}

test('the grid shows every listing on chain, with its facts and badges', async ({ page, saveScreenshot }, testInfo) => {
  const onChain = modelCount(await market());
  const delisted = delistedCount(await market());
  expect(onChain, 'the stack is seeded with the real models').toBeGreaterThanOrEqual(4);
  expect(delisted, 'the seed delists a copy of magika').toBeGreaterThanOrEqual(1);
  const listed = onChain - delisted;
  await page.goto('./');
  await expectPage(page, 'browse', 'Browse models');
  await expect(page.getByTestId('catalogue-count')).toHaveAttribute('data-count', String(onChain));
  await settled(page);
  await expect(results(page)).toHaveAttribute('data-count', String(listed));
  await expect(cards(page)).toHaveCount(Math.min(listed, PAGE));
  await expect(page.getByTestId('browse-more')).toHaveCount(listed > PAGE ? 1 : 0);

  const shown = await names(page);
  for (const name of ['Handwritten digits (8×8)', 'Text line direction (PaddleOCR)', 'File type (magika)']) {
    expect(shown, `the seeded listing "${name}"`).toContain(name);
  }
  expect(
    shown.filter((n) => /digits/i.test(n)).length,
    'digits and its 16-hidden-unit derivative',
  ).toBeGreaterThanOrEqual(2);

  // Newest first: ids descending.
  const order = (await ids(page)).map(Number);
  expect(order).toEqual([...order].sort((a, b) => b - a));

  const digits = cards(page).filter({ has: page.getByText('Handwritten digits (8×8)', { exact: true }) });
  await expect(digits.getByTestId('listing-task')).toHaveText('image-classification');
  await expect(digits.locator('[data-badge="open"]')).toHaveText('Open weights');
  await expect(digits.getByTestId('listing-price')).toHaveText(/ETH|Free|Not for sale/);
  await expect(digits.getByTestId('listing-rating')).toHaveText(/★|☆/);
  await expect(digits.getByTestId('listing-sales')).toHaveText(/sale/);
  await expect(digits.getByTestId('listing-creator')).toHaveAttribute('title', /^0x[0-9a-fA-F]{40}$/);
  await expect(digits.getByTestId('listing-creator')).toHaveAttribute('href', /^#\/creator\/0x[0-9a-fA-F]{40}$/);

  const firstPage = await page.evaluate(() => document.body.dataset.browseFirstPageMs);
  expect(Number(firstPage), 'the page reports its time to first page').toBeGreaterThanOrEqual(0);
  testInfo.annotations.push({ type: 'browse first page (ms)', description: String(firstPage) });
  await saveScreenshot('browse');
});

test('searching "digits" narrows the grid to the digits models, and the URL keeps it', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  const before = await count(results(page));
  await page.getByTestId('browse-search').fill('digits');
  await expect(page).toHaveURL(/#\/\?q=digits$/);
  await settled(page);
  const shown = await names(page);
  expect(shown.length).toBeGreaterThanOrEqual(2);
  expect(shown.length).toBeLessThan(before);
  for (const name of shown) expect(name.toLowerCase()).toContain('digits');
  expect(shown).toContain('Handwritten digits (8×8)');
  expect(shown).not.toContain('File type (magika)');
  await expect(results(page)).toHaveAttribute('data-count', String(shown.length));

  // A search is one history entry: Back returns to the whole catalogue.
  await page.goBack();
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(page.getByTestId('browse-search')).toHaveValue('');
  await settled(page);
  await expect(results(page)).toHaveAttribute('data-count', String(before));
});

test('the page stays on screen while Browse asks again: a search and the recheck every 5 seconds', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  // Anything that replaces the app or the page with a loading line while Browse re-asks its
  // source (a Suspense around them did, every 5 s and on each keystroke) is recorded.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { replaced: string[] }).replaced = seen;
    new MutationObserver((records) => {
      for (const record of records)
        for (const node of Array.from(record.addedNodes))
          if (node instanceof Element && node.matches('[data-testid=boot], [data-testid=part-loading]'))
            seen.push(node.getAttribute('data-testid') ?? '');
    }).observe(document.body, { childList: true, subtree: true });
  });
  const search = page.getByTestId('browse-search');
  await search.focus();
  await page.keyboard.type('digi');
  await expect(page).toHaveURL(/#\/\?q=digi$/);
  await settled(page);
  await expect(search).toBeFocused();
  // Past one recheck (source.rs, RECHECK = 5 s).
  await page.waitForTimeout(5_500);
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('digi');
  expect(await page.evaluate(() => (window as unknown as { replaced: string[] }).replaced)).toEqual([]);
});

test('a filter and a sort are reflected in the URL and survive a reload', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  // The tasks the seeded cards name, as the grid shows them.
  const taskOf = (name: string) =>
    cards(page)
      .filter({ has: page.getByText(name, { exact: true }) })
      .getByTestId('listing-task')
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText() is the text as rendered, as the grid shows it
      .innerText();
  const digitsTask = await taskOf('Handwritten digits (8×8)');
  const magikaTask = await taskOf('File type (magika)');
  expect(digitsTask).not.toBe(magikaTask);

  await page.getByTestId('browse-task').selectOption(digitsTask);
  await page.getByTestId('browse-sort').selectOption('price-low');
  await expect(page).toHaveURL(new RegExp(`[?&]task=${encodeURIComponent(digitsTask)}(&|$)`));
  await expect(page).toHaveURL(/[?&]sort=price-low(&|$)/);
  await settled(page);
  const tasks = await cards(page).getByTestId('listing-task').allInnerTexts();
  expect(tasks.length).toBeGreaterThanOrEqual(2);
  for (const task of tasks) expect(task).toBe(digitsTask);
  const shown = await names(page);
  expect(shown).toContain('Handwritten digits (8×8)');
  expect(shown).not.toContain('File type (magika)');
  const order = await ids(page);

  await page.reload();
  await expectPage(page, 'browse', 'Browse models');
  await settled(page);
  await expect(page.getByTestId('browse-task')).toHaveValue(digitsTask);
  await expect(page.getByTestId('browse-sort')).toHaveValue('price-low');
  expect(await ids(page)).toEqual(order);

  // The same view under the IPFS path gateway, from the shared URL's fragment.
  const fragment = new URL(page.url()).hash;
  await page.goto(new URL(fragment, env.appIpfsUrl).href);
  await settled(page);
  expect(await ids(page)).toEqual(order);
});

test('an impossible search shows the empty state with its reason', async ({ page }) => {
  const words = 'no-such-model-zq7x';
  await page.goto(`./#/?q=${words}&commercial=1`);
  await expect(results(page)).toHaveAttribute('data-count', '0');
  await expect(results(page)).toHaveAttribute('data-undecided', '0');
  const empty = page.getByTestId('browse-empty');
  await expect(empty).toBeVisible();
  await expect(empty.getByTestId('browse-empty-reason')).toHaveText(
    `No model matches “${words}” with commercial use allowed. Clear the search or the filters.`,
  );
  await expect(page.getByTestId('browse-search')).toHaveValue(words);
  await expect(page.getByTestId('browse-commercial')).toBeChecked();
  await expect(cards(page)).toHaveCount(0);

  await empty.getByTestId('browse-clear-search').click();
  await expect(page).toHaveURL(/#\/\?commercial=1$/);
  await expect(page.getByTestId('browse-search')).toHaveValue('');
  await expect(page.getByTestId('browse-commercial')).toBeChecked();
  // Whatever the seeded tiers allow, the search is no longer part of the reason.
  await expect(page.getByText(words)).toHaveCount(0);
});

test('a listing card links to its model page', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  const card = cards(page).filter({ has: page.getByText('File type (magika)', { exact: true }) });
  const id = await card.getAttribute('data-id');
  expect(id).toMatch(/^\d+$/);
  await card.getByTestId('listing-link').click();
  await expect(page).toHaveURL(new URL(`#/model/${id}`, env.appUrl).href);
  await expectPage(page, 'model', 'File type (magika)');
  await expect(section(page, 'model')).toHaveAttribute('data-model-id', id!);
  await page.goBack();
  await expect(section(page, 'browse')).toBeVisible();
});

test('a reported model is marked and still listed; the delisted copy shows only when asked for', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  const reported = cards(page).filter({
    has: page.getByText('Handwritten digits, small (overstated card)', { exact: true }),
  });
  await expect(reported.getByTestId('listing-reported')).toHaveText('Reported: misrepresented — under review');
  await expect(
    cards(page).getByTestId('listing-link').filter({ hasText: 'File type detector (re-upload)' }),
  ).toHaveCount(0);
  await expect(cards(page).getByTestId('listing-delisted')).toHaveCount(0);

  await page.goto('./#/?delisted=1');
  await settled(page);
  const copy = cards(page).filter({ has: page.getByText('File type detector (re-upload)', { exact: true }) });
  await expect(copy.getByTestId('listing-delisted')).toHaveText('Delisted by moderation: no new licences');
  await expect(copy.getByTestId('listing-reported')).toHaveCount(0);
});

test('compliance filters: the declared risk and personal data from the cards, uses and territories from the tiers’ terms', async ({
  page,
  saveScreenshot,
}) => {
  await page.goto('./');
  await settled(page);
  const all = await count(results(page));

  // Only the digits card declares a compliance section (minimal risk, no personal data).
  await page.getByTestId('browse-risk').selectOption('minimal');
  await expect(page).toHaveURL(/[?&]risk=minimal(&|$)/);
  await settled(page);
  let shown = await names(page);
  expect(shown).toContain('Handwritten digits (8×8)');
  expect(shown).not.toContain('File type (magika)');
  expect(shown).not.toContain('Text line direction (PaddleOCR)');
  await page.getByTestId('browse-risk').selectOption('');
  await page.getByTestId('browse-no-personal-data').check();
  await settled(page);
  shown = await names(page);
  expect(shown).toContain('Handwritten digits (8×8)');
  expect(shown).not.toContain('File type (magika)');
  await page.getByTestId('browse-no-personal-data').uncheck();

  // The seeded research and commercial terms prohibit military use; only a founding tier allows it,
  // so text direction (research and commercial tiers only) is never licensable for it.
  await page.getByTestId('browse-use').selectOption('military');
  await expect(page).toHaveURL(/[?&]use=military(&|$)/);
  await settled(page);
  shown = await names(page);
  expect(shown).not.toContain('Text line direction (PaddleOCR)');
  expect(await count(results(page))).toBeLessThan(all);

  // Commercial use in North Korea: the commercial terms exclude it; the research tier allows no
  // commercial use, so text direction is out again.
  await page.getByTestId('browse-use').selectOption('');
  await page.getByTestId('browse-commercial').check();
  await page.getByTestId('browse-territory').selectOption('KP');
  await expect(page).toHaveURL(/[?&]territory=KP(&|$)/);
  await settled(page);
  shown = await names(page);
  expect(shown).not.toContain('Text line direction (PaddleOCR)');
  // Anywhere else it is licensable.
  await page.getByTestId('browse-territory').selectOption('CH');
  await settled(page);
  await expect(
    cards(page).filter({ has: page.getByText('Text line direction (PaddleOCR)', { exact: true }) }),
  ).toHaveCount(1);

  // The model page shows the restrictions before any purchase, and the compliance section.
  await page.goto('./');
  await settled(page);
  await cards(page)
    .filter({ has: page.getByText('Handwritten digits (8×8)', { exact: true }) })
    .getByTestId('listing-link')
    .click();
  const commercial = page.getByTestId('tier').filter({ hasText: '365 days' });
  await expect(commercial.getByTestId('tier-prohibited')).toHaveAttribute('data-uses', 'military,surveillance', {
    timeout: 30_000,
  });
  await expect(commercial.getByTestId('tier-excluded')).toHaveText('Not in: North Korea (KP)');
  await expect(page.getByTestId('compliance-risk')).toHaveAttribute('data-risk', 'minimal');
  await expect(page.getByTestId('compliance-personal-data')).toHaveText('No personal data');
  await expect(page.getByTestId('compliance-out-of-scope')).toContainText('Identifying the person who wrote a digit');
  await page.getByTestId('compliance').scrollIntoViewIfNeeded();
  await saveScreenshot('model-compliance');
});
