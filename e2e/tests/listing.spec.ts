/**
 * The researcher's journey, against real anvil, the IPFS node and Chromium, with the test wallet:
 * a new account lists a real model from the browser (two co-authors, a parent model, two tiers);
 * it shows in Browse; another account buys a licence; the dashboard shows the sale with the exact
 * split; claiming grows the ETH balance by the owner's part minus gas. Also: a broken ONNX
 * file is refused before anything is uploaded; shares over 100 % are refused in the form; a
 * rejected mint keeps the draft and the retry uploads nothing again; a reload in the middle of
 * the wizard resumes it; publishing a version updates the model page and the trial's file.
 *
 * Accounts of this file's own: #10 lists, #11 and #12 co-author, #13 buys. The parent is the
 * seeded model #1 (owned by #1): #10 derives under its licence of #1, bought when the wizard
 * names the tiers that allow derivatives.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Page, Request } from '@playwright/test';
import { expect, test } from '../fixtures';
import { balanceOf, connectAs, expectConnectedAs } from '../support/app';
import { account, buyOpen, callNumber, cast, ipfsAdd, market, rpc, withdrawable } from '../support/chain';
import { env } from '../support/env';
import { DIGITS, DIGITS_CARD, DIGITS_SMALL } from '../support/models';
import { tryDrawnOne } from '../support/trial';
import { chooseModelFile, next, step } from '../support/wizard';

const ETH = 10n ** 18n;
const NAME = 'Digits, listed from the browser';

/** Requests to the IPFS node's upload API made by the page. */
function countUploads(page: Page): () => number {
  const uploads: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/api/v0/add')) uploads.push(request);
  });
  return () => uploads.length;
}

/** `assay_core::units::format_bytes` for the sizes these specs meet (under 100 MB): `999 B`, `5.5 kB`, `3.2 MB`. */
function readableBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const tenths = (unit: number) => Math.floor((bytes * 10) / unit + 0.5);
  if (tenths(1000) < 1000) return `${Math.floor(tenths(1000) / 10)}.${tenths(1000) % 10} kB`;
  if (Math.floor(bytes / 1000 + 0.5) < 1000) return `${Math.floor(bytes / 1000 + 0.5)} kB`;
  if (tenths(1e6) < 1000) return `${Math.floor(tenths(1e6) / 10)}.${tenths(1e6) % 10} MB`;
  throw new Error(`readableBytes: ${bytes} bytes is outside what the specs use`);
}

/** The contract's split rule: fee, then parents' and co-authors' shares of the rest, the owner the remainder. */
function expectedSplit(price: bigint, feeBps: bigint, shares: bigint[]): bigint[] {
  const fee = (price * feeBps) / 10_000n;
  const rest = price - fee;
  const parts = shares.map((bps) => (rest * bps) / 10_000n);
  return [fee, ...parts, rest - parts.reduce((a, b) => a + b, 0n)];
}

// The journey's model is the one the version test publishes to.
test.describe.configure({ mode: 'serial' });
let listedId: string | undefined;

test('a broken ONNX file is refused before anything is uploaded', async ({ page, wallet }) => {
  test.setTimeout(120_000);
  const uploads = countUploads(page);
  await connectAs(page, wallet, 10, './#/list');
  const input = page.getByTestId('model-file');
  await input.setInputFiles({
    name: 'notes.onnx',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('these are not weights\n'),
  });
  await expect(page.getByTestId('file-refused')).toContainText(
    "notes.onnx can't be listed: This is not an ONNX model",
    { timeout: 60_000 },
  );
  const digits = readFileSync(DIGITS);
  await input.setInputFiles({
    name: 'half.onnx',
    mimeType: 'application/octet-stream',
    buffer: digits.subarray(0, digits.length >> 1),
  });
  await expect(page.getByTestId('file-refused')).toContainText('truncated', { timeout: 60_000 });
  await expect(page.getByTestId('file-report')).toHaveCount(0);
  await page.getByTestId('wizard-next').click();
  await expect(step(page, 'file')).toBeVisible();
  expect(uploads()).toBe(0);
});

test('list a real model with co-authors, a parent and two tiers; it sells, the dashboard shows the split, the creator withdraws', async ({
  page,
  wallet,
  saveScreenshot,
}) => {
  test.setTimeout(420_000);
  const marketAddress = await market();
  const [creator, alice, bob, parentOwner] = await Promise.all([account(10), account(11), account(12), account(1)]);
  const feeBps = callNumber(marketAddress, 'protocolFeeBps()(uint16)');
  const uploads = countUploads(page);
  await connectAs(page, wallet, 10, './#/list');

  // 1. The file, inspected by the worker.
  await chooseModelFile(page, DIGITS);
  await expect(page.getByTestId('file-inputs')).toContainText('pixels float32');
  const modelCid = (await page.getByTestId('file-cid').textContent())!;
  // Its size in a unit that shows a figure (never "0.0 MB"), what buyers download and how long;
  // a file this small is no large download.
  const modelBytes = statSync(DIGITS).size;
  await expect(page.getByTestId('file-name')).toHaveText(`digits.onnx · ${readableBytes(modelBytes)}`);
  await expect(page.getByTestId('file-download-time')).toHaveText('under a second at 50 Mbit/s');
  await expect(page.getByTestId('file-large-download')).toHaveCount(0);
  await next(page, 'io');

  // 2. The proposed schema, then the seeded card imported (schema and descriptive fields).
  await expect(page.getByTestId('io-schema')).toHaveValue(/"classification"/);
  await page.getByTestId('import-card').setInputFiles(DIGITS_CARD);
  await expect(page.getByTestId('io-ok')).toContainText('Filled the I/O schema and the model card');
  await expect(page.getByTestId('io-schema')).toHaveValue(/"invert": true/);

  // A reload in the middle resumes the wizard where it was, with the file restored.
  await page.reload();
  await expect(step(page, 'io')).toBeVisible();
  await expect(page.getByTestId('io-schema')).toHaveValue(/"invert": true/);
  await page.getByTestId('wizard-step').filter({ hasText: 'Model file' }).getByRole('button').click();
  await expect(page.getByTestId('file-cid')).toHaveText(modelCid, { timeout: 60_000 });
  await next(page, 'io');

  // 3. Validated against the model, then tried on a drawn 1.
  await next(page, 'try');
  await tryDrawnOne(page);
  await next(page, 'card');

  // 4. The card: the imported fields, a new name, the Markdown preview.
  await page.getByTestId('card-name').fill(NAME);
  await page.getByTestId('card-description').fill('Recognises **handwritten digits**, listed in a browser.');
  await expect(page.getByTestId('description-preview').locator('strong')).toHaveText('handwritten digits');
  // The compliance section came with the imported card; a contact that is no address is refused.
  await expect(page.getByTestId('compliance-risk')).toHaveValue('minimal');
  await expect(page.getByTestId('compliance-personal-data')).toHaveValue('none');
  await page.getByTestId('compliance-risk').selectOption('limited');
  await expect(page.getByTestId('compliance-risk-meaning')).toContainText('Art. 50');
  await page.getByTestId('compliance-contact').fill('javascript:alert(1)');
  await page.getByTestId('wizard-next').click();
  await expect(page.locator('[data-testid="field-error"][data-field="card.compliance.contact"]')).toContainText(
    'neither an e-mail address nor an https:// page',
  );
  await page.getByTestId('compliance-contact').fill('lab@example.org');
  await next(page, 'tiers');

  // 5. Two tiers: research (0.02 ETH, perpetual) and commercial (0.1 ETH, 365 days).
  await expect(page.getByTestId('tier-form')).toHaveCount(2);
  await page.getByTestId('tier-0-price').fill('zero');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('field-error').filter({ hasText: '“zero” is not an amount of ETH' })).toBeVisible();
  await page.getByTestId('tier-0-price').fill('0.02');
  // The research tier prohibits medical use and excludes the EU (a name that is no country is refused).
  await page.getByTestId('tier-0-restrictions').locator('summary').click();
  await page.getByTestId('tier-0-prohibit-medical').check();
  await page.getByTestId('tier-0-territories').fill('EU, Atlantis');
  await page.getByTestId('wizard-next').click();
  await expect(page.locator('[data-testid="field-error"][data-field="tiers.0.excludedTerritories"]')).toContainText(
    '“Atlantis” is not a country code',
  );
  await page.getByTestId('tier-0-territories').fill('EU');
  await next(page, 'shares');

  // 6. Shares, checked as they are typed.
  await page.getByTestId('add-co-author').click();
  await page.getByTestId('add-co-author').click();
  await page.getByTestId('co-author-0-account').fill(alice);
  await page.getByTestId('co-author-0-percent').fill('10');
  await page.getByTestId('co-author-1-account').fill(bob);
  await page.getByTestId('co-author-1-percent').fill('75');
  await page.getByTestId('add-parent').click();
  await page.getByTestId('parent-0-model').fill('1');
  await page.getByTestId('parent-0-percent').fill('20');
  await expect(page.getByTestId('parent-0-name')).toContainText('Handwritten digits (8×8)');
  // Naming #1 needs a licence of it whose tier allows derivatives: the wizard says which to buy.
  const parentError = page.locator('[data-testid="field-error"][data-field="parents.0.modelId"]');
  await expect(parentError).toContainText(
    'To name model #1 as a parent you need a licence of it that allows derivatives: buy tier 1 (0.05 ETH)',
  );
  await expect(page.getByTestId('parent-0-licence')).toHaveText('');
  // Bought (its commercial tier, as its page would sell it), then read again from the wizard.
  const parentLicence = buyOpen(marketAddress, creator, 1, (5n * ETH) / 100n, 1);
  await page.getByTestId('parent-licences-read-again').click();
  await expect(page.getByTestId('parent-0-licence')).toHaveText(`Derived under your licence #${parentLicence}.`, {
    timeout: 30_000,
  });
  await expect(parentError).toHaveCount(0);
  const total = page.locator('[data-testid="field-error"][data-field="shares.total"]');
  await expect(total).toContainText('105%');
  await page.getByTestId('wizard-next').click();
  await expect(step(page, 'shares')).toBeVisible();
  await page.getByTestId('co-author-1-percent').fill('15');
  await expect(total).toHaveCount(0);
  await expect(page.getByTestId('shares-total')).toContainText('45%');
  await next(page, 'review');

  // 7. The review shows each tier's split, to the wei.
  const research = page.getByTestId('review-tier').first();
  const price = (2n * ETH) / 100n;
  const split = expectedSplit(price, feeBps, [2000n, 1000n, 1500n]);
  // The split is shown once the market's fee has been read: waited for, then read at once.
  await expect(research.getByTestId('split-amount')).toHaveCount(split.length);
  const shown = await research
    .getByTestId('split-amount')
    .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-wei')));
  expect(shown.map((w) => BigInt(w!))).toEqual(split);
  await saveScreenshot('list-review');
  await next(page, 'publish');

  // 8. The model was tried in step 3: no warning. The wallet rejects the mint: uploads are done
  //    and kept, the draft too.
  await expect(page.getByTestId('publish-untried')).toHaveCount(0);
  wallet.rejectNext();
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('publish-failed')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('publish-phase').last()).toHaveAttribute('data-state', 'failed');
  expect(uploads()).toBe(4); // the file, the card, two terms
  await saveScreenshot('list-publish-rejected');
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('listed')).toBeVisible({ timeout: 120_000 });
  expect(uploads()).toBe(4);
  await expect(page.getByTestId('publish-phase')).toHaveCount(0);
  const id = (await page.getByTestId('listed').getAttribute('data-id'))!;
  listedId = id;
  expect(callNumber(marketAddress, 'modelCount()(uint256)')).toBe(BigInt(id));

  // In Browse, by name.
  await page.goto('./');
  await page.getByTestId('browse-search').fill('listed from the browser');
  const card = page.getByTestId('listing-card').filter({ has: page.getByText(NAME, { exact: true }) });
  await expect(card).toHaveCount(1, { timeout: 30_000 });
  // The card's summary is the description's words, its Markdown left to the model page.
  await expect(card.getByTestId('listing-description')).toHaveText(
    'Recognises handwritten digits, listed in a browser.',
  );
  // The search reads the words too: a phrase the Markdown splits with ** is found.
  await page.getByTestId('browse-search').fill('recognises handwritten digits, listed');
  await expect(page).toHaveURL(/[?&]q=recognises/);
  await expect(page.getByTestId('browse-results')).toHaveAttribute('data-undecided', '0');
  await expect(card).toHaveCount(1);
  await card.getByTestId('listing-link').click();
  await expect(page.getByTestId('model-name')).toHaveText(NAME);
  await expect(page.getByTestId('model-description').locator('strong')).toHaveText('handwritten digits');
  await expect(page.getByTestId('trial-source')).toHaveAttribute('data-cid', modelCid);
  // The model file's size, read from IPFS without downloading it, and its download time.
  const size = page.getByTestId('model-download-size');
  await expect(size).toHaveAttribute('data-bytes', String(modelBytes), { timeout: 30_000 });
  await expect(size).toHaveText(readableBytes(modelBytes));
  await expect(page.getByTestId('model-download-time')).toHaveText('under a second at 50 Mbit/s');
  // Each tier's terms, read back from IPFS: the title the wizard suggested and the terms in full.
  const researchTier = page.getByTestId('tier').filter({ hasText: '0.02 ETH' });
  await expect(researchTier.getByTestId('tier-title')).toHaveText('Research licence', { timeout: 30_000 });
  await researchTier.getByTestId('tier-title').click();
  await expect(researchTier.getByTestId('tier-terms-text')).toContainText('non-commercial use for research');
  await expect(page.getByTestId('tier').nth(1).getByTestId('tier-title')).toHaveText('Commercial licence (365 days)');
  // Its restrictions, read from the terms document, and the card's compliance section.
  await expect(researchTier.getByTestId('tier-prohibited')).toHaveAttribute('data-uses', 'medical');
  await expect(researchTier.getByTestId('tier-excluded')).toContainText('Not in: European Union (EU)');
  await expect(page.getByTestId('tier').nth(1).getByTestId('tier-prohibited')).toHaveCount(0);
  await expect(page.getByTestId('compliance-risk')).toHaveAttribute('data-risk', 'limited');
  await expect(page.getByTestId('compliance-contact').locator('a')).toHaveAttribute('href', 'mailto:lab@example.org');

  // Another account buys the research licence.
  await wallet.setAccount(13);
  await expectConnectedAs(page, wallet);
  await page.getByTestId('tier').filter({ hasText: '0.02 ETH' }).getByTestId('tier-choose').click();
  // The purchase waits for the buyer to confirm the terms, restrictions named.
  await expect(page.getByTestId('buy-confirm')).toBeDisabled();
  await expect(page.getByTestId('buy-gate')).toHaveAttribute('data-gate', 'confirm');
  await expect(page.getByTestId('buy-accept-text')).toHaveText(
    'I accept “Research licence”, and will not use the model for medical diagnosis or treatment decisions, nor in European Union (EU).',
  );
  await page.getByTestId('buy-summary').scrollIntoViewIfNeeded();
  await saveScreenshot('model-terms-confirm');
  await page.getByTestId('buy-accept').check();
  await expect(page.getByTestId('buy-gate')).toHaveCount(0);
  await page.getByTestId('buy-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Buy a licence' }).getByTestId('toast-text')).toContainText(
    'Confirmed',
    { timeout: 60_000 },
  );

  // The creator's dashboard: the sale with its exact split.
  await wallet.setAccount(10);
  await page.goto('./#/dashboard');
  await expectConnectedAs(page, wallet);
  const mine = page.locator(`[data-testid="my-model"][data-id="${id}"]`);
  await expect(mine.getByTestId('my-model-sales')).toHaveText('1 licence sold', { timeout: 30_000 });
  const sale = mine.getByTestId('sale');
  await expect(sale).toHaveCount(1, { timeout: 30_000 });
  await expect(sale).toHaveAttribute('data-balanced', 'true');
  const credits = await sale
    .getByTestId('sale-credit')
    .evaluateAll((rows) =>
      rows.map((r) => [r.getAttribute('data-account')!.toLowerCase(), r.getAttribute('data-wei')!]),
    );
  const treasury = cast('call', '--rpc-url', env.rpcUrl, marketAddress, 'treasury()(address)');
  // In the order of the contract's `Credited` logs (the fee last); each party's amount to the wei.
  const byAccount = (rows: string[][]) => [...rows].sort((a, b) => a[0].localeCompare(b[0]));
  expect(byAccount(credits)).toEqual(
    byAccount([
      [treasury.toLowerCase(), split[0].toString()],
      [parentOwner.toLowerCase(), split[1].toString()],
      [alice.toLowerCase(), split[2].toString()],
      [bob.toLowerCase(), split[3].toString()],
      [creator.toLowerCase(), split[4].toString()],
    ]),
  );
  await expect(sale.getByTestId('sale-credit').filter({ hasText: 'You' })).toHaveAttribute(
    'data-wei',
    split[4].toString(),
  );
  await saveScreenshot('dashboard-sale-split');

  // Claim: the owner's part accrued to the model; claiming it grows the balance by that part minus
  // the gas paid.
  const earningsOf = () => callNumber(marketAddress, 'earningsOf(uint256)(uint256)', id.toString());
  expect(withdrawable(marketAddress, creator)).toBe(0n);
  const owed = earningsOf();
  expect(owed).toBe(split[4]);
  await expect(page.locator(`[data-testid="model-earning"][data-id="${id}"]`)).toHaveAttribute(
    'data-wei',
    owed.toString(),
  );
  await expect(page.getByTestId('claimable')).toHaveAttribute('data-wei', owed.toString());
  const before = await balanceOf(wallet, creator);
  await page.getByTestId('claim').click();
  await expect.poll(earningsOf, { timeout: 60_000 }).toBe(0n);
  const block = (await rpc('eth_getBlockByNumber', ['latest', false])) as { transactions: string[] };
  const receipt = (await rpc('eth_getTransactionReceipt', [block.transactions[0]])) as {
    from: string;
    gasUsed: string;
    effectiveGasPrice: string;
  };
  expect(receipt.from.toLowerCase()).toBe(creator.toLowerCase());
  const gas = BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
  expect(await balanceOf(wallet, creator)).toBe(before + owed - gas);
});

test("publishing a version updates the model page, its history and the trial's file", async ({ page, wallet }) => {
  test.setTimeout(240_000);
  const id = listedId!;
  const smallCid = await ipfsAdd(readFileSync(DIGITS_SMALL), 'digits-small.onnx');
  await connectAs(page, wallet, 10, `./#/model/${id}`);
  await expect(page.getByTestId('version')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('version-file').setInputFiles(DIGITS_SMALL);
  await page.getByTestId('version-changelog').fill('A smaller network: 16 hidden units.');
  await page.getByTestId('version-publish').click();
  // The page re-renders with the new version (the form with it), so the transaction's toast says it.
  await expect(
    page.getByTestId('toast').filter({ hasText: 'Publish a new version' }).getByTestId('toast-text'),
  ).toContainText('Confirmed', { timeout: 120_000 });
  await expect(page.getByTestId('version')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('version').first()).toContainText('(current)');
  await expect(page.getByTestId('version-changelog-text')).toHaveText('A smaller network: 16 hidden units.');
  await expect(page.getByTestId('trial-source')).toHaveAttribute('data-cid', smallCid, { timeout: 30_000 });
});
