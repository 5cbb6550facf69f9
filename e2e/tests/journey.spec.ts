/**
 * The buyer's journey on the model page and in the library, against real anvil, the IPFS node and
 * Chromium, with the test wallet: the card renders safely, contributors/lineage/versions/on-chain
 * facts show, the buy summary's split equals the contract's, buying puts the licence in the
 * library, the download is the listed file's bytes, a review shows with the new average; a
 * sold-out tier can't be bought; an expired licence shows as expired and is renewed.
 *
 * Accounts of this file's own: #6 lists the parent model, #7 the model, #8 buys, #9 co-authors.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { connectAs } from '../support/app';
import { account, buyOpen, callNumber, cast, ipfsAdd, listModel, market, timeTravel } from '../support/chain';
import { env } from '../support/env';
import { DIGITS, DIGITS_CARD } from '../support/models';
import { tryDrawnOne } from '../support/trial';

const ETH = 10n ** 18n;

/** Uploads digits.onnx and a card for it named `name` with `description`; returns both CIDs. */
async function publishCard(name: string, description: string): Promise<{ card: string; model: string; bytes: Buffer }> {
  const bytes = readFileSync(DIGITS);
  const model = await ipfsAdd(bytes, 'digits.onnx');
  const base = JSON.parse(readFileSync(DIGITS_CARD, 'utf8'));
  const card = await ipfsAdd(Buffer.from(JSON.stringify({ ...base, name, description, model })), 'card.json');
  return { card, model, bytes };
}

/** The text of the toast of the transaction titled `title` (several toasts can be up at once). */
function toastText(page: Page, title: string) {
  return page.getByTestId('toast').filter({ hasText: title }).getByTestId('toast-text');
}

/** The contract's split, recomputed here from its rule (fee, parents, co-authors, owner). */
function expectedSplit(price: bigint, feeBps: bigint, parents: bigint[], coAuthors: bigint[]): bigint[] {
  const fee = (price * feeBps) / 10_000n;
  const rest = price - fee;
  const shares = [...parents, ...coAuthors].map((bps) => (rest * bps) / 10_000n);
  const owner = rest - shares.reduce((a, b) => a + b, 0n);
  return [fee, ...shares, owner].filter((x) => x > 0n);
}

const HOSTILE =
  '# Digits for the journey\n\nA *small* MLP. <script>window.__pwned = 1</script>\n\n' +
  '[click me](javascript:window.__pwned=2) and [the paper](https://example.org/paper)\n\n' +
  '<img src="x" onerror="window.__pwned=3">\n';

test('from the home page: search, filter, open the seeded digits model, try it on a drawn 1, buy, find it in the library', async ({
  page,
  wallet,
}) => {
  test.setTimeout(240_000);
  await connectAs(page, wallet, 8, './');
  const cards = page.getByTestId('listing-card');
  const named = (name: string) => cards.filter({ has: page.getByText(name, { exact: true }) });
  await expect(named('File type (magika)')).toHaveCount(1);
  await page.getByTestId('browse-search').fill('digits');
  await expect(named('Handwritten digits (8×8)')).toHaveCount(1);
  await expect(named('File type (magika)')).toHaveCount(0);
  await page.getByTestId('browse-commercial').check();
  await expect(page).toHaveURL(/commercial=/);
  await expect(named('Handwritten digits (8×8)')).toHaveCount(1);
  await named('Handwritten digits (8×8)').getByTestId('listing-link').click();
  await expect(page.getByTestId('model-name')).toHaveText('Handwritten digits (8×8)');

  // Try before buying: the listed ONNX file, fetched from IPFS and verified, on the CPU engine.
  await tryDrawnOne(page);

  // Buy the 365-day commercial tier.
  const tier = page.getByTestId('tier').filter({ hasText: '365 days' });
  await tier.getByTestId('tier-choose').click();
  await expect(page.getByTestId('buy-rights')).toContainText('commercial use');
  await page.getByTestId('buy-accept').check();
  await page.getByTestId('buy-confirm').click();
  await expect(toastText(page, 'Buy a licence')).toContainText('Confirmed', { timeout: 30_000 });
  await expect(page.getByTestId('licence-held')).toBeVisible();
  await expect(page.getByTestId('buy-next')).toContainText('Open your library to download the model');

  await page.getByTestId('licence-held').locator('a').click();
  const item = page
    .getByTestId('licence')
    .filter({ has: page.getByTestId('licence-model').getByText('Handwritten digits (8×8)', { exact: true }) });
  await expect(item.first()).toHaveAttribute('data-status', 'active');
  await expect(item.first().getByTestId('licence-status')).toContainText('Active until');
});

test('model page → buy → library → download → review', async ({ page, wallet, saveScreenshot }) => {
  test.setTimeout(180_000);
  const marketAddress = await market();
  const [parentOwner, creator, buyer, coAuthor] = [
    await account(6),
    await account(7),
    await account(8),
    await account(9),
  ];
  const parentName = `Journey parent ${Date.now()}`;
  const parentCard = await publishCard(parentName, 'The parent.');
  const parentId = listModel(marketAddress, parentOwner, parentCard.card, [{ price: ETH / 100n }]);
  // The creator derives under its own licence of the parent (a tier allowing derivatives).
  const parentLicence = buyOpen(marketAddress, creator, parentId, ETH / 100n);
  const name = `Journey digits ${Date.now()}`;
  const published = await publishCard(name, HOSTILE);
  const price = ETH / 5n;
  const id = listModel(
    marketAddress,
    creator,
    published.card,
    [
      { price },
      { price: ETH / 20n, duration: 86_400, maxSupply: 5, commercial: false, derivatives: false, transferable: false },
    ],
    { coAuthors: [[coAuthor, 2000]], parents: [[parentId, 1500, parentLicence]] },
  );

  await connectAs(page, wallet, 8, `./#/model/${id}`);
  await expect(page.getByTestId('model-name')).toHaveText(name);

  // The hostile card: its HTML is shown as text and runs nothing; only the safe link is a link.
  const description = page.getByTestId('model-description');
  await expect(description).toContainText('<script>window.__pwned = 1</script>');
  await expect(description.locator('a')).toHaveCount(1);
  await expect(description.locator('a')).toHaveAttribute('href', 'https://example.org/paper');
  await expect(description.locator('script, img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // Contributors, lineage, versions, on-chain facts.
  await expect(page.getByTestId('co-author')).toHaveText(/20% of each sale/);
  // Parents and derivatives by the names on their cards, linked by id.
  await expect(page.getByTestId('parent')).toHaveAttribute('data-id', String(parentId));
  await expect(page.getByTestId('parent').getByTestId('model-link')).toHaveText(parentName);
  await expect(page.getByTestId('version')).toHaveCount(1);
  await expect(page.getByTestId('version')).toContainText(published.card);
  await expect(page.getByTestId('listing-tx')).toHaveText(/^0x[0-9a-f]{64}$/);
  await expect(page.getByTestId('model-file-cid')).toHaveText(published.model);
  await expect(page.getByTestId('tier')).toHaveCount(2);
  await expect(page.getByTestId('tier').nth(1)).toContainText('1 day');
  await expect(page.getByTestId('tier').nth(1).getByTestId('tier-supply')).toHaveText('5 of 5 left');

  // The summary: what the licence allows and the exact split.
  await page.getByTestId('tier').first().getByTestId('tier-choose').click();
  const summary = page.getByTestId('buy-summary');
  await expect(summary.getByTestId('buy-price')).toHaveText('0.2 ETH');
  await expect(summary.getByTestId('buy-rights')).toHaveText('commercial use, derivatives allowed, transferable');
  await expect(summary.getByTestId('buy-duration')).toHaveText('perpetual');
  const feeBps = callNumber(marketAddress, 'protocolFeeBps()(uint16)');
  const expected = expectedSplit(price, feeBps, [1500n], [2000n]);
  await expect(summary.getByTestId('split-amount')).toHaveCount(expected.length);
  const shown = await summary
    .getByTestId('split-amount')
    .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-wei')));
  expect(shown.map((w) => BigInt(w!))).toEqual(expected);
  await saveScreenshot('model-buy-summary');

  // Buy: one transaction through the lifecycle; the licence is there at once.
  const creditedBefore = callNumber(marketAddress, 'withdrawable(address)(uint256)', coAuthor);
  await summary.getByTestId('buy-confirm').click();
  await expect(toastText(page, 'Buy a licence')).toContainText('Confirmed', { timeout: 30_000 });
  await expect(page.getByTestId('licence-held')).toBeVisible();
  expect(
    cast('call', '--rpc-url', env.rpcUrl, marketAddress, 'hasLicence(address,uint256)(bool)', buyer, id.toString()),
  ).toBe('true');
  expect(callNumber(marketAddress, 'withdrawable(address)(uint256)', coAuthor) - creditedBefore).toBe(expected[2]);
  await expect(page.getByTestId('model-sales')).toHaveText('1 licence sold');

  // Library: the licence, a verified download equal to the listed file, a review.
  await page.goto('./#/library');
  const item = page.getByTestId('licence').filter({ hasText: name });
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-status', 'active');
  await expect(item.getByTestId('licence-status')).toHaveText('Active, perpetual');
  const [download] = await Promise.all([page.waitForEvent('download'), item.getByTestId('licence-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^journey-digits-\d+\.onnx$/);
  const saved = readFileSync((await download.path())!);
  expect(Buffer.compare(saved, published.bytes)).toBe(0);
  await expect(item.getByTestId('licence-download-status')).toContainText(published.model);
  await saveScreenshot('library');

  await item.getByTestId('review-rating').selectOption('4');
  await item.getByTestId('review-text').fill('Recognised my sevens every time.');
  await item.getByTestId('review-submit').click();
  await expect(toastText(page, 'Review with licence')).toContainText('Confirmed', { timeout: 30_000 });
  await expect(page.getByTestId('licence').filter({ hasText: name }).getByTestId('licence-reviewed')).toBeVisible();

  await page.goto(`./#/model/${id}`);
  await expect(page.getByTestId('review')).toHaveCount(1);
  await expect(page.getByTestId('review-text')).toHaveText('Recognised my sevens every time.');
  await expect(page.getByTestId('review')).toHaveAttribute('data-rating', '4');
  await expect(page.getByTestId('reviews-average')).toHaveText('★ 4.0 (1 review)');
  await saveScreenshot('model-page');

  await page.goto(`./#/model/${parentId}`);
  await expect(page.getByTestId('derivative')).toHaveAttribute('data-id', String(id));
  await expect(page.getByTestId('derivative').getByTestId('model-link')).toHaveText(name);

  // Profiles: the creator's record lists the model with its sale; the parent's owner sees the derivative.
  await page.goto(`./#/creator/${creator}`);
  await expect(page.getByTestId('creator-model').filter({ hasText: name })).toContainText('1 sold');
  expect(Number(await page.getByTestId('creator-sales').textContent())).toBeGreaterThanOrEqual(1);
  await page.goto(`./#/creator/${parentOwner}`);
  await expect(page.getByTestId('creator-derivative').filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByTestId('creator-derivative').filter({ hasText: name })).toHaveAttribute('data-id', String(id));
  await saveScreenshot('creator-page');
});

test('a sold-out tier cannot be bought and says so', async ({ page }) => {
  const marketAddress = await market();
  const published = await publishCard(`Sold out ${Date.now()}`, 'Only one.');
  const id = listModel(marketAddress, await account(7), published.card, [
    { price: ETH / 100n, maxSupply: 1 },
    { price: ETH / 10n },
  ]);
  buyOpen(marketAddress, await account(9), id, (ETH / 100n).toString());
  await page.goto(`./#/model/${id}`);
  const soldOut = page.getByTestId('tier').first();
  await expect(soldOut.getByTestId('tier-unavailable')).toHaveText('Sold out');
  await expect(soldOut.getByTestId('tier-supply')).toHaveText('0 of 1 left');
  await expect(soldOut.getByTestId('tier-choose')).toHaveCount(0);
  await expect(page.getByTestId('tier').nth(1).getByTestId('tier-choose')).toBeVisible();
});

test('an expired licence shows as expired and can be renewed', async ({ page, wallet }) => {
  const marketAddress = await market();
  const buyer = await account(8);
  const name = `Expiring ${Date.now()}`;
  const published = await publishCard(name, 'A day at a time.');
  const price = ETH / 50n;
  const id = listModel(marketAddress, await account(7), published.card, [{ price, duration: 86_400 }]);
  buyOpen(marketAddress, buyer, id, price.toString());
  await timeTravel(2 * 86_400);

  await connectAs(page, wallet, 8, './#/library');
  const item = page.getByTestId('licence').filter({ hasText: name });
  await expect(item).toHaveAttribute('data-status', 'expired');
  await expect(item.getByTestId('licence-status')).toContainText('Expired on');
  await expect(item.getByTestId('licence-download')).toHaveCount(0);
  await item.getByTestId('licence-renew').click();
  await expect(toastText(page, 'Renew licence')).toContainText('Confirmed', { timeout: 30_000 });
  await expect(page.getByTestId('licence').filter({ hasText: name })).toHaveAttribute('data-status', 'active');
  await expect(page.getByTestId('licence').filter({ hasText: name }).getByTestId('licence-status')).toContainText(
    'Active until',
  );
});

test('the dashboard shows each model’s sales and the exact share earned, revenue per day, and manages tiers', async ({
  page,
  wallet,
  saveScreenshot,
}) => {
  test.setTimeout(120_000);
  const marketAddress = await market();
  const [creator, buyer] = [await account(7), await account(8)];
  const name = `Dashboard digits ${Date.now()}`;
  const published = await publishCard(name, 'Earns.');
  const price = ETH / 10n;
  const id = listModel(marketAddress, creator, published.card, [{ price }, { price: ETH / 4n }], {
    coAuthors: [[await account(9), 2500]],
  });
  buyOpen(marketAddress, buyer, id, price.toString());
  const feeBps = callNumber(marketAddress, 'protocolFeeBps()(uint16)');
  const [, , ownerShare] = expectedSplit(price, feeBps, [], [2500n]);

  await connectAs(page, wallet, 7, './#/dashboard');
  const mine = page.locator(`[data-testid="my-model"][data-id="${id}"]`);
  await expect(mine).toContainText(name);
  await expect(mine.getByTestId('my-model-sales')).toHaveText('1 licence sold');
  await expect(mine.getByTestId('my-model-revenue')).toHaveAttribute('data-wei', ownerShare.toString());
  const bars = page.getByTestId('revenue-bar');
  await expect(bars).toHaveCount(14);
  const perDay = await bars.evaluateAll((rects) => rects.map((r) => BigInt(r.getAttribute('data-wei')!)));
  expect(perDay.reduce((a, b) => a + b, 0n)).toBeGreaterThanOrEqual(ownerShare);
  await saveScreenshot('dashboard');

  // Reprice tier 1, pause tier 0, add a tier: each one transaction, reflected on the model page.
  const rows = mine.getByTestId('tier-admin-row');
  await rows.nth(1).getByTestId('tier-admin-price').fill('0.3');
  await rows.nth(1).getByTestId('tier-admin-reprice').click();
  await expect(toastText(page, 'Reprice')).toContainText('Confirmed', { timeout: 30_000 });
  await mine.getByTestId('tier-admin-row').first().getByTestId('tier-admin-pause').click();
  await expect(toastText(page, 'Pause tier')).toContainText('Confirmed', { timeout: 30_000 });
  await mine.getByTestId('add-tier-price').fill('0.02');
  await mine.getByTestId('add-tier-days').fill('30');
  await mine.getByTestId('add-tier-submit').click();
  await expect(toastText(page, 'Add a')).toContainText('Confirmed', { timeout: 30_000 });
  await expect(page.locator(`[data-testid="my-model"][data-id="${id}"]`).getByTestId('tier-admin-row')).toHaveCount(3, {
    timeout: 15_000,
  });

  await page.goto(`./#/model/${id}`);
  const tiers = page.getByTestId('tier');
  await expect(tiers).toHaveCount(3);
  await expect(tiers.nth(0).getByTestId('tier-unavailable')).toHaveText("Paused by the model's owner");
  await expect(tiers.nth(1).getByTestId('tier-price')).toHaveText('0.3 ETH');
  await expect(tiers.nth(2).getByTestId('tier-price')).toHaveText('0.02 ETH');
  await expect(tiers.nth(2)).toContainText('30 days');
  // The owner's part accrued to the model; the dashboard shows it and claims it in one transaction.
  expect(callNumber(marketAddress, 'earningsOf(uint256)(uint256)', id.toString())).toBe(ownerShare);
  expect(callNumber(marketAddress, 'withdrawable(address)(uint256)', creator)).toBe(0n);
  await page.goto('./#/dashboard');
  const earning = page.locator(`[data-testid="model-earning"][data-id="${id}"]`);
  await expect(earning).toHaveAttribute('data-wei', ownerShare.toString(), { timeout: 30_000 });
  const claimable = BigInt((await page.getByTestId('claimable').getAttribute('data-wei'))!);
  expect(claimable).toBeGreaterThanOrEqual(ownerShare);
  await expect(page.getByTestId('claim')).toBeEnabled();
  await page.getByTestId('claim').click();
  await expect(toastText(page, 'Claim')).toContainText('Confirmed', { timeout: 30_000 });
  expect(callNumber(marketAddress, 'earningsOf(uint256)(uint256)', id.toString())).toBe(0n);
  await expect(page.getByTestId('claimable')).toHaveAttribute('data-wei', '0', { timeout: 30_000 });
  await expect(page.getByTestId('claim')).toBeDisabled();
  await expect(page.getByTestId('claim-reason')).toHaveText(
    "Nothing to claim yet: the owner's part of each sale of your models accrues to the model until you claim it.",
  );
});
