/**
 * Community moderation (issue #18) on the real stack: `AssayModeration` and the dev stack's council
 * arbitrator on anvil, evidence documents on the IPFS node, the app in Chromium with the test
 * wallet. A report from the model page (reason, evidence, the stake in words, one transaction)
 * puts a banner on the model; its owner responds from the dashboard; the council (dev account #0,
 * the deployer) rules delist on `#/moderation`: Browse hides the model, its tiers offer no
 * purchase, and a licence bought before still downloads. An unanswered flag is finalized after
 * anvil's time travel. A signature cancelled in the wallet, or an account without the stake, leaves
 * nothing half done. Evidence carries files (verified by CID when downloaded); the reporter
 * withdraws both stakes after the ruling; anyone adds evidence to an open case.
 *
 * Accounts of this file's own transactions: #12 lists (the owner), #13 reports, #18 holds a
 * licence bought before the case, #19 finalizes and adds evidence, #0 rules (the council), #17 lacks
 * the stake for a moment (its balance restored after).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { connectAs, switchAccount } from '../support/app';
import { account, buyOpen, callNumber, ipfsAdd, listModel, market, rpc, send, timeTravel } from '../support/chain';
import { env } from '../support/env';
import { DIGITS, DIGITS_CARD } from '../support/models';

async function moderationAddress(): Promise<string> {
  const response = await fetch(new URL('config.json', env.appUrl));
  const config = (await response.json()) as { contracts?: Record<string, string> };
  const address = config.contracts?.AssayModeration;
  if (!address) throw new Error('config.json has no AssayModeration: run the suite through `cargo xtask test e2e`');
  return address;
}

/** Lists digits.onnx under `name` from `owner` (one open tier at 0.001 ETH); its id and the file's bytes. */
async function listDigits(owner: string, name: string): Promise<{ id: bigint; bytes: Buffer }> {
  const bytes = readFileSync(DIGITS);
  const model = await ipfsAdd(bytes, 'digits.onnx');
  const card = JSON.parse(readFileSync(DIGITS_CARD, 'utf8'));
  const cid = await ipfsAdd(Buffer.from(JSON.stringify({ ...card, name, model })), 'card.json');
  return { id: listModel(await market(), owner, cid, [{ price: 10n ** 15n }]), bytes };
}

const toastText = (page: Page, title: string) =>
  page.getByTestId('toast').filter({ hasText: title }).getByTestId('toast-text');

test('report, respond, the council delists: hidden from Browse, no purchase, a licence still downloads', async ({
  page,
  wallet,
}) => {
  test.setTimeout(240_000);
  const moderation = await moderationAddress();
  const [owner, holder] = [await account(12), await account(18)];
  const name = `Moderation contested ${Date.now()}`;
  const { id, bytes } = await listDigits(owner, name);
  buyOpen(await market(), holder, id, 10n ** 15n);
  const stake = callNumber(moderation, 'flagStake()(uint256)');
  const cases = callNumber(moderation, 'caseCount()(uint256)');

  // The reporter's form: reasons, the stake and what happens to it.
  await connectAs(page, wallet, 13, `./#/model/${id}`);
  await page.getByTestId('report-open').click();
  const form = page.getByTestId('report-form');
  await expect(form.getByTestId('report-stake')).toContainText(`Reporting stakes ${Number(stake) / 1e18} ETH`);
  await expect(form.getByTestId('report-stake')).toContainText('The owner has 3 days to respond');
  await form
    .getByTestId('report-reason')
    .selectOption({ label: "Misrepresented: the card or its claims don't match the file" });
  const evidence = 'The card claims 99% accuracy; the held-out digits give 93%.';
  await form.getByTestId('report-text').fill(evidence);
  const screenshot = Buffer.from(`Reproduce on model #${id}: accuracy 0.93 observed, 0.99 claimed.`);
  await form
    .getByTestId('report-files')
    .setInputFiles({ name: 'reproduce.txt', mimeType: 'text/plain', buffer: screenshot });
  await expect(form.getByTestId('evidence-chosen-file')).toContainText('reproduce.txt');

  // Cancelled in the wallet: no case, no stake taken, the form as it was.
  wallet.rejectNext();
  await form.getByTestId('report-submit').click();
  await expect(toastText(page, 'Report model')).toHaveText('You cancelled in your wallet.');
  expect(callNumber(moderation, 'caseCount()(uint256)')).toBe(cases);
  await expect(form.getByTestId('report-text')).toHaveValue(evidence);
  await expect(form.getByTestId('evidence-chosen-file')).toHaveCount(1);
  await expect(page.getByTestId('moderation-banner')).toHaveCount(0);
  await page.getByTestId('toast').getByTestId('toast-dismiss').click();

  // Reported: one transaction; the banner with the reason, the evidence and the deadline.
  await form.getByTestId('report-submit').click();
  await expect(toastText(page, 'Report model')).toContainText('Confirmed', { timeout: 30_000 });
  expect(callNumber(moderation, 'caseCount()(uint256)')).toBe(cases + 1n);
  const banner = page.getByTestId('moderation-banner');
  await expect(banner).toHaveAttribute('data-open', 'true');
  await expect(banner.getByTestId('case-reason')).toContainText('Misrepresented');
  await expect(banner.getByTestId('case-evidence-text')).toHaveText(evidence);
  // The attached file is on IPFS: downloaded through the verified fetch, byte for byte.
  const [attached] = await Promise.all([
    page.waitForEvent('download'),
    banner.getByTestId('case-evidence-file').click(),
  ]);
  expect(Buffer.compare(readFileSync((await attached.path())!), screenshot)).toBe(0);
  await expect(banner.getByTestId('case-phase')).toContainText("Awaiting the owner's response until");
  await expect(page.getByTestId('report')).toHaveCount(0);
  await expect(banner.getByTestId('case-respond')).toHaveCount(0);

  // The owner responds from the dashboard, matching the stake with counter-evidence.
  await switchAccount(page, wallet, 12, './#/dashboard');
  const mine = page.getByTestId('owner-cases').locator(`[data-testid=moderation-case][data-model-id="${id}"]`);
  await expect(mine.getByTestId('case-respond-cost')).toContainText('Responding costs');
  await mine.getByTestId('case-respond-text').fill('The card states the accuracy it was trained to.');
  await mine.getByTestId('case-respond-submit').click();
  await expect(toastText(page, 'Respond to case')).toContainText('Confirmed', { timeout: 30_000 });
  await expect(mine.getByTestId('case-phase')).toHaveText('The owner responded: the case is with the arbitrator.');
  await expect(mine.getByTestId('case-evidence-item')).toHaveCount(2);
  // Only the council rules.
  await expect(page.getByTestId('case-rule')).toHaveCount(0);

  // The council rules delist on #/moderation.
  await switchAccount(page, wallet, 0, './#/moderation');
  const open = page.getByTestId('cases-open').locator(`[data-testid=moderation-case][data-model-id="${id}"]`);
  await open.getByTestId('case-rule-delist').click();
  await expect(toastText(page, 'Rule on case')).toContainText('Confirmed', { timeout: 30_000 });
  const closed = page.getByTestId('cases-closed').locator(`[data-testid=moderation-case][data-model-id="${id}"]`);
  await expect(closed.getByTestId('case-phase')).toHaveText(
    'Closed: the arbitrator upheld the report, the model was delisted.',
  );

  // Browse hides it (the filter shows it); its page offers no purchase.
  await page.goto('./#/');
  await page.reload();
  await expect(page.getByTestId('listing-card').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('listing-link').filter({ hasText: name })).toHaveCount(0);
  await page.goto('./#/?delisted=1');
  await expect(page.getByTestId('listing-link').filter({ hasText: name })).toHaveCount(1);
  await page.goto(`./#/model/${id}`);
  await expect(page.getByTestId('model-delisted')).toBeVisible();
  await expect(page.getByTestId('tier-choose')).toHaveCount(0);
  await expect(page.getByTestId('moderation-banner').getByTestId('case-phase')).toContainText('upheld');

  // The owner's creator page keeps the record of the case.
  await page.goto(`./#/creator/${owner}`);
  const record = page.getByTestId('creator-cases').locator(`[data-testid=moderation-case][data-model-id="${id}"]`);
  await expect(record.getByTestId('case-phase')).toContainText('upheld');

  // The reporter takes both stakes back, less the arbitration fee: a pull payment from #/moderation.
  await switchAccount(page, wallet, 13, './#/moderation');
  const reporter = await account(13);
  const won = callNumber(moderation, 'withdrawable(address)(uint256)', reporter);
  expect(won).toBeGreaterThan(stake);
  await expect(page.getByTestId('moderation-withdrawable')).toHaveAttribute('data-wei', won.toString());
  await page.getByTestId('moderation-withdraw').click();
  await expect(toastText(page, 'Withdraw')).toContainText('Confirmed', { timeout: 30_000 });
  await expect(page.getByTestId('moderation-credits')).toHaveCount(0);
  expect(callNumber(moderation, 'withdrawable(address)(uint256)', reporter)).toBe(0n);

  // The licence bought before still downloads, byte for byte.
  await switchAccount(page, wallet, 18, './#/library');
  const item = page.getByTestId('licence').filter({ hasText: name });
  await expect(item.getByTestId('licence-delisted')).toContainText("can't be renewed");
  await expect(item.getByTestId('licence-renew')).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent('download'), item.getByTestId('licence-download').click()]);
  expect(Buffer.compare(readFileSync((await download.path())!), bytes)).toBe(0);
});

test('an unanswered flag is finalized after the deadline and delists the model', async ({ page, wallet }) => {
  test.setTimeout(120_000);
  const moderation = await moderationAddress();
  const name = `Moderation unanswered ${Date.now()}`;
  const { id } = await listDigits(await account(12), name);
  const [marketAddress, buyer] = [await market(), await account(18)];
  const stake = callNumber(moderation, 'flagStake()(uint256)');
  const doc = { name: 'Malicious file', description: 'The file is not the model its card describes.' };
  const cid = await ipfsAdd(Buffer.from(JSON.stringify(doc)), 'evidence.json');
  send(await account(13), moderation, 'flag(uint256,uint8,string)', [id.toString(), '1', cid], stake.toString());

  await connectAs(page, wallet, 19, './#/moderation');
  const open = page.getByTestId('cases-open').locator(`[data-testid=moderation-case][data-model-id="${id}"]`);
  await expect(open.getByTestId('case-phase')).toContainText("Awaiting the owner's response");
  await expect(open.getByTestId('case-finalize')).toHaveCount(0);
  await expect(open.getByTestId('case-evidence-title')).toHaveText('Malicious file');
  // Anyone adds evidence to the open case.
  await open.getByTestId('case-add-evidence-open').click();
  await open.getByTestId('case-add-evidence-text').fill('Its output is constant whatever the input.');
  await open.getByTestId('case-add-evidence-submit').click();
  await expect(toastText(page, 'Add evidence')).toContainText('Confirmed', { timeout: 30_000 });
  await expect(open.getByTestId('case-evidence-item')).toHaveCount(2);
  await expect(open.getByTestId('case-evidence-text').nth(1)).toHaveText('Its output is constant whatever the input.');

  const window = Number(callNumber(moderation, 'responseWindow()(uint64)'));
  await timeTravel(window + 60);
  // Away and back: the page reads the cases and the chain's clock again.
  await page.goto('./#/');
  await page.goto('./#/moderation');
  await expect(open.getByTestId('case-phase')).toContainText('anyone can now finalize');
  await open.getByTestId('case-finalize').click();
  await expect(toastText(page, 'Finalize case')).toContainText('Confirmed', { timeout: 30_000 });
  const closed = page.getByTestId('cases-closed').locator(`[data-testid=moderation-case][data-model-id="${id}"]`);
  await expect(closed.getByTestId('case-phase')).toHaveText('Closed: unanswered, the model was delisted.');
  // The market refuses a purchase now.
  expect(() => buyOpen(marketAddress, buyer, id, 10n ** 15n)).toThrow(/ModelIsDelisted|revert/);
  await page.goto(`./#/model/${id}`);
  await expect(page.getByTestId('model-delisted')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('tier-choose')).toHaveCount(0);
});

test('an account without the stake is told so before its wallet is asked; nothing is sent', async ({
  page,
  wallet,
}) => {
  const moderation = await moderationAddress();
  const { id } = await listDigits(await account(12), `Moderation unfunded ${Date.now()}`);
  const reporter = await account(17);
  const balance = (await rpc('eth_getBalance', [reporter, 'latest'])) as string;
  const stake = callNumber(moderation, 'flagStake()(uint256)');
  const cases = callNumber(moderation, 'caseCount()(uint256)');
  await rpc('anvil_setBalance', [reporter, `0x${(stake / 2n).toString(16)}`]);
  try {
    await connectAs(page, wallet, 17, `./#/model/${id}`);
    await page.getByTestId('report-open').click();
    const form = page.getByTestId('report-form');
    await form.getByTestId('report-text').fill('A copy of someone else’s model.');
    const asked = wallet.requests.length;
    await form.getByTestId('report-submit').click();
    await expect(toastText(page, 'Report model')).toContainText('Not enough ETH');
    expect(wallet.requests.slice(asked).filter((method) => method === 'eth_sendTransaction')).toHaveLength(0);
    expect(callNumber(moderation, 'caseCount()(uint256)')).toBe(cases);
    await expect(form.getByTestId('report-text')).toHaveValue('A copy of someone else’s model.');
    await expect(page.getByTestId('moderation-banner')).toHaveCount(0);
  } finally {
    await rpc('anvil_setBalance', [reporter, balance]);
  }
});
