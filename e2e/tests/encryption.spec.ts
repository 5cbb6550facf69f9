/**
 * Encrypted models with provable key delivery, end to end against real anvil, the IPFS node and
 * Chromium, with the test wallet (anvil signs `eth_signTypedData_v4` with RFC 6979, like real
 * wallets): a creator lists a real model with its weights encrypted in the browser and a public
 * trial file; the encrypted file on IPFS contains none of the plaintext; a buyer pays into escrow
 * with a key of this purchase's own; the creator delivers the key from the dashboard, which starts
 * the challenge period (the payment stays in escrow, both sides see its end in chain time); the
 * buyer downloads, and the decrypted file is byte for byte the original; after the period (anvil
 * time travel) the creator releases the escrow and the split is credited. A second buyer whose key
 * is not delivered reclaims the full price after the deadline; declining the key's signature
 * request buys nothing. A creator who delivers a wrong key (sent straight to the market in the
 * test) is challenged from the library: the buyer is refunded in full and the creator's record
 * counts a failed delivery.
 *
 * Accounts of this file's own: #14 lists, #15 buys and gets the key, #16 buys and reclaims, #19
 * buys and gets a wrong key.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { connectAs, expectConnectedAs } from '../support/app';
import { account, callNumber, cast, market, send, timeTravel, withdrawable, ZERO32 } from '../support/chain';
import { env } from '../support/env';
import { heldOutDigitsFolder } from '../support/evaluation';
import { DIGITS, DIGITS_CARD, DIGITS_SMALL } from '../support/models';
import { chooseModelFile, next } from '../support/wizard';

const NAME = 'Digits, encrypted weights';
const PRICE = 5n * 10n ** 16n; // 0.05 ETH
const CHUNK = 1 << 20;

const signatures = (requests: string[]) => requests.filter((m) => m === 'eth_signTypedData_v4').length;
const LICENCE_VIEW = '(uint256,address,uint256,uint256,uint64,uint8,bool,bool,bool,uint96,uint64)';

/** `licence(id)`'s fields as `cast` prints them (the id is 0 for a licence that does not exist). */
function licenceView(marketAddress: string, licenceId: string): string[] {
  const view = cast('call', '--rpc-url', env.rpcUrl, marketAddress, `licence(uint256)(${LICENCE_VIEW})`, licenceId);
  return view
    .replace(/^\(|\)$/g, '')
    .split(', ')
    .map((field) => field.split(' ')[0]);
}

/** A licence's escrow deadline (`LicenceView.deliveryDeadline`: the challenge deadline once delivered). */
function escrowDeadline(marketAddress: string, licenceId: string): number {
  return Number(licenceView(marketAddress, licenceId)[10]);
}

/** A block timestamp as the app writes it (`core::units::utc_date_time`). */
function chainTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Model `id`'s unclaimed earnings (its owner's part of each released sale). */
function earningsOf(marketAddress: string, id: string): bigint {
  return callNumber(marketAddress, 'earningsOf(uint256)(uint256)', id);
}

async function confirmed(page: Page, label: string) {
  await expect(page.getByTestId('toast').filter({ hasText: label }).getByTestId('toast-text').last()).toContainText(
    'Confirmed',
    { timeout: 90_000 },
  );
}

async function buy(page: Page) {
  await page.getByTestId('tier').first().getByTestId('tier-choose').click();
  await expect(page.getByTestId('buy-escrow')).toBeVisible();
  await page.getByTestId('buy-accept').check();
  await page.getByTestId('buy-confirm').click();
  await confirmed(page, 'Buy a licence');
  await expect(page.getByTestId('buy-next')).toContainText('your payment waits in escrow');
}

test.describe.configure({ mode: 'serial' });
let listedId: string | undefined;

test('an encrypted model: listed from the browser, bought into escrow, its key delivered, decrypted to the original bytes', async ({
  page,
  wallet,
  saveScreenshot,
}) => {
  test.setTimeout(600_000);
  const marketAddress = await market();
  const creator = await account(14);
  const plain = readFileSync(DIGITS);
  await connectAs(page, wallet, 14, './#/list');

  // 1. The file, encrypted, with a public trial file (a smaller model with the same inputs and outputs).
  await chooseModelFile(page, DIGITS);
  await page.getByTestId('encrypt-weights').check();
  await expect(page.getByTestId('trial-file-none')).toBeVisible();
  await page.getByTestId('trial-file').setInputFiles(DIGITS_SMALL);
  await expect(page.getByTestId('trial-file-ok')).toBeVisible({ timeout: 60_000 });
  const trialCid = (await page.getByTestId('trial-file-cid').textContent())!;
  await next(page, 'io');
  await page.getByTestId('import-card').setInputFiles(DIGITS_CARD);
  await expect(page.getByTestId('io-ok')).toContainText('Filled the I/O schema and the model card');
  // Both files are validated against the schema; the trial step shows what buyers will try.
  await next(page, 'try');
  await expect(page.getByTestId('try-what')).toContainText('your public trial file');
  await next(page, 'card');
  await page.getByTestId('card-name').fill(NAME);
  // An evaluation set: the claim is computed on the plaintext file in the wizard, before encryption.
  const heldOut = heldOutDigitsFolder();
  await page.getByTestId('bundle-files').setInputFiles(heldOut.paths);
  await expect(page.getByTestId('bundle-summary')).toContainText(`${heldOut.manifest.samples} samples`);
  await page.getByTestId('evaluation-dataset').fill('scikit-learn digits, held out');
  await page.getByTestId('evaluation-compute').click();
  await expect(page.getByTestId('evaluation-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await next(page, 'tiers');
  await page.getByTestId('tier-1-remove').click();
  await expect(page.getByTestId('tier-form')).toHaveCount(1);
  await page.getByTestId('tier-0-price').fill('0.05');
  await next(page, 'shares');
  await next(page, 'review');
  await expect(page.getByTestId('review-weights')).toContainText(
    'Encrypted in your browser at publication; buyers try the public file digits-small.onnx',
  );
  await next(page, 'publish');

  // Nobody ran a trial in this flow: publishing asks for a deliberate tick first.
  await expect(page.getByTestId('publish-untried')).toContainText('No trial of this model has succeeded');
  await expect(page.getByTestId('publish')).toBeDisabled();
  await page.getByTestId('publish-untried-ok').check();

  // 2. Publish: the wallet signs the content key's typed data twice (the determinism check), the
  //    file is encrypted in the page, uploaded, and the commitment goes into listModel.
  const signedBefore = signatures(wallet.requests);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('listed')).toBeVisible({ timeout: 240_000 });
  expect(signatures(wallet.requests) - signedBefore).toBe(2);
  const id = (await page.getByTestId('listed').getAttribute('data-id'))!;
  listedId = id;
  const commitment = cast('call', '--rpc-url', env.rpcUrl, marketAddress, 'keyCommitment(uint256)(bytes32)', id);
  expect(commitment).toMatch(/^0x[0-9a-f]{64}$/);
  expect(commitment).not.toBe(ZERO32);

  // The card says how the file is encrypted and names the public trial; the encrypted file on
  // IPFS has the Assay header and the expected length, and contains no piece of the plaintext.
  const versions = cast('call', '--rpc-url', env.rpcUrl, marketAddress, 'versionsOf(uint256)(string[])', id);
  const manifest = versions.match(/baf[a-z0-9]+/)![0];
  const card = (await (await fetch(`${env.ipfsUrl}/ipfs/${manifest}`)).json()) as {
    model: string;
    trial: string;
    encryption: { format: string; keyId: string; size: number };
  };
  expect(card.encryption.format).toBe('assay-enc-1');
  expect(card.encryption.keyId).toMatch(/^0x[0-9a-f]{64}$/);
  expect(card.encryption.size).toBe(plain.length);
  expect(card.trial).toBe(trialCid);
  const encrypted = Buffer.from(await (await fetch(`${env.ipfsUrl}/ipfs/${card.model}`)).arrayBuffer());
  expect(encrypted.subarray(0, 8).toString('latin1')).toBe('ASSAYENC');
  expect(encrypted.length).toBe(60 + plain.length + 16 * Math.ceil(plain.length / CHUNK));
  expect(encrypted.subarray(28, 60).toString('hex')).toBe(card.encryption.keyId.slice(2));
  for (const offset of [0, 4096, plain.length >> 1, plain.length - 64]) {
    expect(
      encrypted.indexOf(plain.subarray(offset, offset + 48)),
      `plaintext at ${offset} found in the encrypted file`,
    ).toBe(-1);
  }

  // 3. The model page: encrypted, the trial runs the public file, labelled as such.
  await page.getByTestId('listed-link').click();
  await expect(page.getByTestId('model-name')).toHaveText(NAME);
  await expect(page.getByTestId('trial-public-artifact')).toContainText('not the licensed model');
  await expect(page.getByTestId('trial-source')).toHaveAttribute('data-cid', trialCid);
  await expect(page.getByTestId('model-trial-cid')).toHaveText(trialCid);
  await expect(page.getByTestId('model-file-cid')).toHaveText(card.model);
  // Before purchase, Reproduce can only run the public trial file, and says so.
  await expect(page.getByTestId('claimed-results').getByTestId('reproduce-public-trial')).toContainText(
    'not the licensed model',
  );
  const claim = page.locator('[data-testid=claimed-result][data-provenance=reproducible]');
  await claim.getByTestId('reproduce').click();
  await expect(claim.getByTestId('reproduce-state')).toHaveAttribute('data-state', /^(reproduced|does-not-match)$/, {
    timeout: 120_000,
  });

  // 4. A buyer pays into escrow; their public key (from two signatures) goes with the purchase.
  await wallet.setAccount(15);
  await expectConnectedAs(page, wallet);
  const buyerSignedBefore = signatures(wallet.requests);
  await buy(page);
  expect(signatures(wallet.requests) - buyerSignedBefore).toBe(2);
  // Each wallet request was explained in the page before it opened: the key signatures as free and
  // never to be given to another site, the purchase with what it sends and its network fee.
  const keySignatures = wallet.prompts.filter((p) => p.method === 'eth_signTypedData_v4');
  expect(keySignatures.length).toBeGreaterThanOrEqual(2);
  for (const { shown } of keySignatures) {
    expect(shown).toContain('It costs nothing and sends no transaction.');
    expect(shown).toContain('Never sign this message on another site');
  }
  const purchase = wallet.prompts.filter((p) => p.method === 'eth_sendTransaction').at(-1);
  expect(purchase?.shown).toMatch(
    /“Buy a licence[^”]*”\. It sends [0-9.]+ ETH, and pays about [<0-9.]+ ETH in network fees/,
  );
  expect(callNumber(marketAddress, 'totalEscrowed()(uint256)')).toBe(PRICE);
  expect(withdrawable(marketAddress, creator)).toBe(0n);

  await page.goto('./#/library');
  const item = page.getByTestId('licence').filter({ has: page.getByText(NAME) });
  await expect(item).toHaveAttribute('data-status', 'awaiting-key', { timeout: 30_000 });
  await expect(item.getByTestId('licence-waiting')).toContainText('waits in escrow');
  await expect(item.getByTestId('licence-download')).toHaveCount(0);
  await expect(item.getByTestId('licence-reclaim')).toHaveCount(0);
  const licenceId = (await item.getAttribute('data-licence-id'))!;
  const buyerKey = cast('call', '--rpc-url', env.rpcUrl, marketAddress, 'buyerKeyOf(uint256)(bytes32)', licenceId);
  expect(buyerKey).not.toBe(ZERO32);
  await saveScreenshot('library-awaiting-key');

  // 5. The creator delivers the key from the dashboard: the term starts, the payment stays in
  //    escrow for the challenge period (nothing split yet), whose end both sides see in chain time.
  await wallet.setAccount(14);
  await page.goto('./#/dashboard');
  await expectConnectedAs(page, wallet);
  const row = page.locator(`[data-testid="delivery"][data-licence-id="${licenceId}"]`);
  await expect(row).toHaveAttribute('data-state', 'open', { timeout: 30_000 });
  await saveScreenshot('dashboard-key-deliveries');
  // The sale says its price is in escrow: nothing split yet.
  const sale = page.locator(
    `[data-testid="my-model"][data-id="${id}"] [data-testid="sale"][data-licence="${licenceId}"]`,
  );
  await expect(sale).toHaveAttribute('data-state', 'escrow', { timeout: 30_000 });
  await expect(sale).toContainText('in escrow until you deliver the key');
  await expect(sale.getByTestId('sale-credit')).toHaveCount(0);
  await row.getByTestId('deliver-key').click();
  await confirmed(page, 'Deliver the key');
  await expect(page.getByTestId('deliveries-none')).toBeVisible({ timeout: 30_000 });
  const sealed = cast('call', '--rpc-url', env.rpcUrl, marketAddress, 'deliveredKey(uint256)(bytes)', licenceId);
  expect(sealed).toMatch(/^0x[0-9a-f]{128}$/); // 64 bytes: E.x and the masked key
  expect(callNumber(marketAddress, 'totalEscrowed()(uint256)')).toBe(PRICE);
  expect(earningsOf(marketAddress, id)).toBe(0n);
  expect(withdrawable(marketAddress, creator)).toBe(0n);
  const challengePeriod = Number(callNumber(marketAddress, 'challengePeriod()(uint64)'));
  const until = escrowDeadline(marketAddress, licenceId);
  const untilWords = chainTime(until);
  // The dashboard: the sale is in its challenge period, the escrow cannot be released yet.
  await expect(sale).toHaveAttribute('data-state', 'challenge', { timeout: 30_000 });
  await expect(sale).toContainText(`in challenge period (until ${untilWords})`);
  await expect(sale.getByTestId('sale-credit')).toHaveCount(0);
  const escrowRow = page.locator(`[data-testid="escrow"][data-licence-id="${licenceId}"]`);
  await expect(escrowRow).toHaveAttribute('data-state', 'challenge', { timeout: 30_000 });
  await expect(escrowRow).toContainText(untilWords);
  await expect(escrowRow.getByTestId('escrow-release')).toHaveCount(0);

  // 6. The buyer sees the same window, downloads: verified, key opened with this licence's secret
  //    and checked against the commitment, decrypted. A right key offers no Challenge.
  await wallet.setAccount(15);
  await page.goto('./#/library');
  await expectConnectedAs(page, wallet);
  await expect(item).toHaveAttribute('data-status', 'in-challenge', { timeout: 30_000 });
  await expect(item.getByTestId('licence-status')).toContainText(`in challenge period until ${untilWords}`);
  await expect(item.getByTestId('licence-challenge-window')).toContainText(`stays in escrow until ${untilWords}`);
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    item.getByTestId('licence-download').click(),
  ]);
  const saved = readFileSync((await download.path())!);
  expect(saved.length).toBe(plain.length);
  expect(saved.equals(plain)).toBe(true);
  await expect(item.getByTestId('licence-download-status')).toContainText('key checked against the commitment');
  await expect(item.getByTestId('licence-challenge')).toHaveCount(0);
  // The library offers the claim's check on the decrypted model itself: reproduced.
  const decrypted = item.getByTestId('licence-reproduce');
  await expect(decrypted.getByTestId('reproduce-public-trial')).toHaveCount(0);
  const decryptedClaim = decrypted.locator('[data-testid=claimed-result][data-provenance=reproducible]');
  await decryptedClaim.getByTestId('reproduce').click();
  await expect(decryptedClaim.getByTestId('reproduce-state')).toHaveAttribute('data-state', 'reproduced', {
    timeout: 120_000,
  });
  await saveScreenshot('library-decrypted');

  // 7. Past the challenge period (block time), the creator releases the escrow from the dashboard:
  //    the split is credited, to the wei, and the licence is active.
  await timeTravel(challengePeriod + 60);
  // The buyer's page says so too, and anyone may release (the buyer as well as the creator).
  await page.reload();
  await expectConnectedAs(page, wallet);
  await expect(item).toHaveAttribute('data-status', 'releasable', { timeout: 30_000 });
  await expect(item.getByTestId('licence-challenge-window')).toContainText(
    `The challenge period ended on ${untilWords}`,
  );
  await expect(item.getByTestId('licence-release')).toBeVisible();
  await wallet.setAccount(14);
  await page.goto('./#/dashboard');
  await expectConnectedAs(page, wallet);
  await expect(escrowRow).toHaveAttribute('data-state', 'releasable', { timeout: 30_000 });
  await escrowRow.getByTestId('escrow-release').click();
  await confirmed(page, 'Release the payment');
  await expect(escrowRow).toHaveCount(0, { timeout: 30_000 });
  expect(callNumber(marketAddress, 'totalEscrowed()(uint256)')).toBe(0n);
  const feeBps = callNumber(marketAddress, 'protocolFeeBps()(uint16)');
  const creatorShare = PRICE - (PRICE * feeBps) / 10_000n;
  expect(earningsOf(marketAddress, id)).toBe(creatorShare);
  await expect(sale).toHaveAttribute('data-state', 'settled', { timeout: 30_000 });
  await expect(sale).toHaveAttribute('data-balanced', 'true');
  await expect(sale.locator(`[data-testid="sale-credit"][data-wei="${creatorShare}"]`)).toHaveCount(1);
  // The creator's activity, read from the chain's logs: the delivery and the release.
  await page.reload();
  await expectConnectedAs(page, wallet);
  const history = page.getByTestId('activity').locator('[data-testid="activity-item"][data-origin="chain"]');
  await expect(history.filter({ hasText: `Delivered the key of model #${id} for licence #${licenceId}` })).toHaveCount(
    1,
    { timeout: 30_000 },
  );
  await expect(history.filter({ hasText: `Released the escrow of licence #${licenceId} of model #${id}` })).toHaveCount(
    1,
  );

  await wallet.setAccount(15);
  await page.goto('./#/library');
  await expectConnectedAs(page, wallet);
  await expect(item).toHaveAttribute('data-status', 'active', { timeout: 30_000 });
});

test('a key not delivered in time: the buyer reclaims the full price after the deadline', async ({ page, wallet }) => {
  test.setTimeout(240_000);
  const id = listedId!;
  const marketAddress = await market();
  const buyer = await account(16);
  await connectAs(page, wallet, 16, `./#/model/${id}`);
  // Declining the key's signature request stops the purchase before any transaction.
  const sentBefore = wallet.requests.filter((m) => m === 'eth_sendTransaction').length;
  await page.getByTestId('tier').first().getByTestId('tier-choose').click();
  await page.getByTestId('buy-accept').check();
  wallet.rejectNext();
  await page.getByTestId('buy-confirm').click();
  await expect(page.getByTestId('buy-key-problem')).toContainText('cancelled', { timeout: 30_000 });
  expect(wallet.requests.filter((m) => m === 'eth_sendTransaction').length).toBe(sentBefore);
  await page.getByTestId('buy-confirm').click();
  await confirmed(page, 'Buy a licence');

  await page.goto('./#/library');
  const item = page.getByTestId('licence').filter({ has: page.getByText(NAME) });
  await expect(item).toHaveAttribute('data-status', 'awaiting-key', { timeout: 30_000 });
  await expect(item.getByTestId('licence-reclaim')).toHaveCount(0);

  // Past the delivery window, in block time.
  const window = callNumber(marketAddress, 'deliveryWindow()(uint64)');
  await timeTravel(Number(window) + 60);
  await page.reload();
  await expectConnectedAs(page, wallet);
  await expect(item.getByTestId('licence-waiting')).toContainText('was not delivered', { timeout: 30_000 });
  const before = withdrawable(marketAddress, buyer);
  await item.getByTestId('licence-reclaim').click();
  await confirmed(page, 'Reclaim 0.05 ETH');
  expect(withdrawable(marketAddress, buyer) - before).toBe(PRICE);
  await expect(page.getByTestId('licence').filter({ has: page.getByText(NAME) })).toHaveCount(0, { timeout: 30_000 });

  // The creator's dashboard no longer lists it; its sale says the price went back to the buyer.
  await wallet.setAccount(14);
  await page.goto('./#/dashboard');
  await expectConnectedAs(page, wallet);
  await expect(page.getByTestId('deliveries-none')).toBeVisible({ timeout: 30_000 });
  const refunded = page.locator(
    `[data-testid="my-model"][data-id="${id}"] [data-testid="sale"][data-state="refunded"]`,
  );
  await expect(refunded).toHaveCount(1, { timeout: 30_000 });
  await expect(refunded).toContainText('refunded to the buyer');
  await expect(refunded).toHaveAttribute('data-balanced', 'true');
  expect((await refunded.getByTestId('sale-credit').getAttribute('data-account'))!.toLowerCase()).toBe(
    buyer.toLowerCase(),
  );
});

test('a wrong key delivered: the buyer challenges it from the library and is refunded in full', async ({
  page,
  wallet,
}) => {
  test.setTimeout(300_000);
  const id = listedId!;
  const marketAddress = await market();
  const [creator, buyer] = await Promise.all([account(14), account(19)]);
  const failedBefore = callNumber(marketAddress, 'failedDeliveries(address)(uint256)', creator);
  await connectAs(page, wallet, 19, `./#/model/${id}`);
  await buy(page);
  await page.goto('./#/library');
  const item = page.getByTestId('licence').filter({ has: page.getByText(NAME) });
  await expect(item).toHaveAttribute('data-status', 'awaiting-key', { timeout: 30_000 });
  const licenceId = (await item.getAttribute('data-licence-id'))!;

  // The creator's account sends a 64-byte "sealed key" of random bytes: not the committed key.
  const garbage = `0x${randomBytes(64).toString('hex')}`;
  send(creator, marketAddress, 'deliverKey(uint256,bytes)', [licenceId, garbage]);
  expect(callNumber(marketAddress, 'totalEscrowed()(uint256)')).toBe(PRICE);
  const untilWords = chainTime(escrowDeadline(marketAddress, licenceId));

  // The buyer's page cannot open it to the committed key: nothing is saved, Challenge is offered.
  await page.reload();
  await expectConnectedAs(page, wallet);
  await expect(item).toHaveAttribute('data-status', 'in-challenge', { timeout: 30_000 });
  await expect(item.getByTestId('licence-challenge')).toHaveCount(0);
  await item.getByTestId('licence-download').click();
  await expect(item.getByTestId('licence-download-error')).toBeVisible({ timeout: 60_000 });
  await expect(item.getByTestId('licence-challenge-note')).toContainText(`Until ${untilWords}`);
  const before = withdrawable(marketAddress, buyer);
  await item.getByTestId('licence-challenge').click();
  await confirmed(page, 'Challenge the key');
  expect(withdrawable(marketAddress, buyer) - before).toBe(PRICE);
  expect(callNumber(marketAddress, 'totalEscrowed()(uint256)')).toBe(0n);
  expect(callNumber(marketAddress, 'failedDeliveries(address)(uint256)', creator)).toBe(failedBefore + 1n);
  expect(failedBefore).toBe(0n);
  await expect(page.getByTestId('licence').filter({ has: page.getByText(NAME) })).toHaveCount(0, { timeout: 30_000 });
  expect(licenceView(marketAddress, licenceId)[0]).toBe('0'); // burned

  // The creator's dashboard: the sale went back to the buyer, the delivered key proven wrong.
  await wallet.setAccount(14);
  await page.goto('./#/dashboard');
  await expectConnectedAs(page, wallet);
  const sale = page.locator(
    `[data-testid="my-model"][data-id="${id}"] [data-testid="sale"][data-licence="${licenceId}"]`,
  );
  await expect(sale).toHaveAttribute('data-state', 'refunded', { timeout: 30_000 });
  await expect(sale).toContainText('the delivered key was proven wrong');
  await expect(sale).toHaveAttribute('data-balanced', 'true');
  expect((await sale.getByTestId('sale-credit').getAttribute('data-account'))!.toLowerCase()).toBe(buyer.toLowerCase());
  // Its activity, from the chain's logs, says so as well.
  const history = page.getByTestId('activity').locator('[data-testid="activity-item"][data-origin="chain"]');
  await expect(
    history.filter({ hasText: `The key delivered for licence #${licenceId} of model #${id} was proven wrong` }),
  ).toHaveCount(1, { timeout: 30_000 });
});
