/**
 * The chain layer against real anvil and the deployed contracts: wallet discovery and chains, and
 * the transaction lifecycle every write goes through (the Dashboard's Withdraw is the write).
 *
 * Chain state is set up with Foundry's real `cast` (anvil's dev accounts are unlocked), on accounts
 * of this file's own: #3 (earns from a sale), #4 (buys), #5 (earns, withdraws elsewhere, then has nothing
 * to withdraw), #6 (lists).
 */
import { env, expect, test } from '../fixtures';
import { connect, connectAs, expectConnectedAs, section } from '../support/app';
import { account, buyOpen, callNumber, listModel as listTiers, market, send, withdrawable } from '../support/chain';

/**
 * Lists a one-tier open model from `creator`, who is also its co-author for half of each sale, so a
 * sale credits it a withdrawable balance (the owner's part accrues to the model, claimed apart);
 * returns its id.
 */
function listModel(marketAddress: string, creator: string, cid: string, priceWei: string): bigint {
  return listTiers(marketAddress, creator, cid, [{ price: BigInt(priceWei) }], { coAuthors: [[creator, 5000]] });
}

test('connect and disconnect', async ({ page, wallet }) => {
  await page.goto('./#/dashboard');
  await connect(page);
  await expectConnectedAs(page, wallet);
  await expect(page.getByTestId('withdrawable')).toBeVisible();
  await page.getByTestId('wallet-address').click();
  await page.getByTestId('wallet-disconnect').click();
  await expect(page.getByTestId('wallet-connect')).toHaveText('Connect wallet');
  await expect(page.getByTestId('withdrawable')).toHaveCount(0);
});

test('a wallet on another chain is switched with one click', async ({ page, wallet }) => {
  await page.goto('./');
  await connect(page);
  await expectConnectedAs(page, wallet);
  await wallet.setChain(1);
  await expect(page.getByTestId('wallet-wrong-chain')).toHaveText('Wrong network (chain 1)');
  await page.getByTestId('wallet-switch-chain').click();
  await expect(page.getByTestId('wallet-chain')).toHaveText(`Anvil (local) · ${env.chainId}`);
  expect(wallet.requests).toContain('wallet_switchEthereumChain');
  expect(wallet.requests).not.toContain('wallet_addEthereumChain');
});

test('a wallet that lacks the chain is asked to add it', async ({ page, wallet }) => {
  await page.goto('./');
  await connect(page);
  await expectConnectedAs(page, wallet);
  wallet.forgetAnvilChain();
  await wallet.setChain(1);
  await page.getByTestId('wallet-switch-chain').click();
  await expect(page.getByTestId('wallet-chain')).toHaveText(`Anvil (local) · ${env.chainId}`);
  const switchAt = wallet.requests.indexOf('wallet_switchEthereumChain');
  expect(switchAt).toBeGreaterThanOrEqual(0);
  expect(wallet.requests.indexOf('wallet_addEthereumChain')).toBeGreaterThan(switchAt);
  await expect(page.getByTestId('wallet-error')).toHaveCount(0);
});

test('a wallet that adds the chain without switching is asked to switch once more, and told in words if it still stays', async ({
  page,
  wallet,
}) => {
  await page.goto('./');
  await connect(page);
  await expectConnectedAs(page, wallet);
  wallet.forgetAnvilChain();
  wallet.addWithoutSwitching();
  await wallet.setChain(1);
  await expect(page.getByTestId('wallet-balance')).toContainText('on Anvil (local)');
  await page.getByTestId('wallet-switch-chain').click();
  // Switch (4902) → add (stays on chain 1) → switch again, which this time switches.
  await expect(page.getByTestId('wallet-chain')).toHaveText(`Anvil (local) · ${env.chainId}`);
  const calls = wallet.requests.filter((m) => m.startsWith('wallet_') && m !== 'wallet_revokePermissions');
  expect(calls.slice(-3)).toEqual([
    'wallet_switchEthereumChain',
    'wallet_addEthereumChain',
    'wallet_switchEthereumChain',
  ]);
  await expect(page.getByTestId('wallet-error')).toHaveCount(0);
  await expect(page.getByTestId('wallet-balance')).not.toContainText(' on ');

  // A wallet that stays put even then: nothing is pretended, the person reads what to do.
  wallet.forgetAnvilChain();
  wallet.addWithoutSwitching(true);
  await wallet.setChain(1);
  await page.getByTestId('wallet-switch-chain').click();
  await expect(page.getByTestId('wallet-error')).toHaveText(
    'Your wallet knows Anvil (local) now but stayed on chain 1. Switch to Anvil (local) in your wallet, or press Switch again.',
  );
  await expect(page.getByTestId('wallet-wrong-chain')).toHaveText('Wrong network (chain 1)');
});

test('a second wallet announced through EIP-6963 appears in the picker', async ({ page, wallet }) => {
  await page.goto('./');
  await expect(page.getByTestId('wallet-connect')).toBeEnabled();
  await page.evaluate(() => {
    const provider = { request: async () => [], on: () => provider, removeListener: () => provider };
    const info = {
      uuid: 'a5c1e2d4-0000-4000-8000-000000000002',
      name: 'Second Wallet',
      rdns: 'dev.assay.second',
      icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg"/%3E',
    };
    window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
  });
  await page.getByTestId('wallet-connect').click();
  const options = page.getByTestId('wallet-option');
  await expect(options).toHaveCount(2);
  await expect(options.filter({ hasText: 'Assay Test Wallet' })).toHaveCount(1);
  const second = options.filter({ hasText: 'Second Wallet' });
  await expect(second).toHaveCount(1);
  await expect(second.locator('img')).toHaveAttribute('src', /^data:image\/svg\+xml,/);
  expect(wallet.requests).toEqual([]);
});

test.describe('the transaction lifecycle', () => {
  test('a withdrawal that would revert is stopped before the wallet, with the decoded reason; with nothing left, Withdraw is disabled and says why; the history comes from the chain', async ({
    page,
    wallet,
  }) => {
    await wallet.setAccount(5);
    const marketAddress = await market();
    const me = await wallet.address();
    // Account #5 earns from a sale of a model of its own (its co-author's share)…
    const id = listModel(marketAddress, me, `bafkreie2erevert${Date.now()}`, '10000000000000000');
    buyOpen(marketAddress, await account(4), id, '10000000000000000');
    expect(withdrawable(marketAddress, me)).toBeGreaterThan(0n);
    await page.goto('./#/dashboard');
    await connect(page);
    await expectConnectedAs(page, wallet);
    const shown = page.getByTestId('withdrawable');
    await expect(shown).not.toHaveText('…');
    await expect(shown).not.toHaveText('0 ETH');
    await expect(page.getByTestId('withdraw')).toBeEnabled();
    await expect(page.getByTestId('withdraw-reason')).toHaveText('');

    // …and withdraws it elsewhere while the page still shows the old balance.
    send(me, marketAddress, 'withdraw()', []);
    expect(withdrawable(marketAddress, me)).toBe(0n);
    await page.getByTestId('withdraw').click();
    const toast = page.getByTestId('toast');
    await expect(toast).toHaveAttribute('data-kind', 'error');
    await expect(toast.getByTestId('toast-text')).toHaveText('You have nothing to withdraw yet.');
    const failed = page.locator('[data-testid="activity-item"][data-status="failed"]');
    await expect(failed).toHaveCount(1);
    await expect(failed).toContainText('You have nothing to withdraw yet.');
    expect(wallet.requests).not.toContain('eth_sendTransaction');
    for (const shownText of [toast, failed]) {
      await expect(shownText).not.toContainText('reverted');
      await expect(shownText).not.toContainText('0x');
    }

    // Read again: nothing to withdraw, so the button is off and says why.
    await expect(shown).toHaveText('0 ETH');
    await expect(page.getByTestId('withdraw')).toBeDisabled();
    await expect(page.getByTestId('withdraw-reason')).toHaveText(
      'Nothing to withdraw yet: your share of each licence sale appears here once it is credited.',
    );

    // This browser never listed or withdrew for #5, yet the activity shows both, from the chain's
    // logs, each with its transaction; the seeded purchases and reviews of #5 are there too.
    const activity = page.getByTestId('activity');
    await expect(activity).toHaveAttribute('data-history', 'read');
    await expect(page.getByTestId('activity-empty')).toHaveCount(0);
    const fromChain = activity.locator('[data-testid="activity-item"][data-origin="chain"]');
    const listed = fromChain.filter({ hasText: `Listed model #${id}` });
    await expect(listed).toHaveCount(1);
    await expect(listed).toHaveAttribute('data-status', 'confirmed');
    await expect(listed.getByTestId('activity-hash')).toHaveAttribute('data-hash', /^0x[0-9a-f]{64}$/);
    await expect(fromChain.filter({ hasText: /^Withdrew \d/ })).toHaveCount(1);
    await expect(fromChain.filter({ hasText: /^Bought licence #\d+ of model #\d+ for / }).first()).toBeVisible();
    await expect(fromChain.filter({ hasText: /^Reviewed model #\d+: \d stars?/ }).first()).toBeVisible();
  });

  test('a rejected transaction leaves everything as it was and says so; a sent one goes pending, then confirmed', async ({
    page,
    wallet,
  }) => {
    const marketAddress = await market();
    const creator = await account(3);
    const buyer = await account(4);
    const id = listModel(marketAddress, creator, `bafkreie2echain${Date.now()}`, '200000000000000000');
    buyOpen(marketAddress, buyer, id, '200000000000000000');
    const earned = withdrawable(marketAddress, creator);
    expect(earned).toBeGreaterThan(0n);

    await connectAs(page, wallet, 3, './#/dashboard');
    const shown = page.getByTestId('withdrawable');
    await expect(shown).not.toHaveText('0 ETH');
    await expect(shown).not.toHaveText('…');
    const before = await shown.textContent();
    // The history is read from the chain before anything is counted.
    await expect(page.getByTestId('activity')).toHaveAttribute('data-history', 'read');
    const items = await page.getByTestId('activity-item').count();

    // Rejected in the wallet.
    wallet.rejectNext();
    await page.getByTestId('withdraw').click();
    await expect(page.getByTestId('toast').getByTestId('toast-text')).toHaveText('You cancelled in your wallet.');
    expect(wallet.requests).toContain('eth_sendTransaction');
    await expect(shown).toHaveText(before!);
    await expect(page.getByTestId('withdraw')).toBeEnabled();
    await expect(page.getByTestId('activity-item')).toHaveCount(items);
    expect(withdrawable(marketAddress, creator)).toBe(earned);

    // Approved: pending with its hash, then confirmed.
    await page.getByTestId('toast').getByTestId('toast-dismiss').click();
    await page.getByTestId('withdraw').click();
    const toast = page.getByTestId('toast');
    await expect(toast.getByTestId('toast-text')).toContainText('Pending');
    // The hash once: short, the whole of it in the title (no explorer on anvil, so no link).
    const toastHash = toast.getByTestId('toast-hash');
    await expect(toastHash).toHaveText(/^0x[0-9a-f]{6}…[0-9a-f]{6}$/);
    await expect(toastHash).toHaveAttribute('title', /^0x[0-9a-f]{64}$/);
    await expect(toast.locator('a')).toHaveCount(0);
    expect((await toast.textContent())?.match(/0x[0-9a-f]{6}/g)).toHaveLength(1);
    await expect(page.getByTestId('activity-item').first()).toHaveAttribute('data-status', 'pending');
    await expect(toast.getByTestId('toast-text')).toContainText('Confirmed', { timeout: 15_000 });
    await expect(toast).toHaveAttribute('data-kind', 'success');
    const hash = (await toastHash.getAttribute('title'))!;
    // Another page, well before the confirmed toast would time out: it goes, and does not come back.
    await page.getByTestId('nav-browse').click();
    await expect(page.getByTestId('toast')).toHaveCount(0);
    await page.getByTestId('nav-dashboard').click();
    await expect(page.getByTestId('toast')).toHaveCount(0);
    const item = page.getByTestId('activity-item').first();
    await expect(item).toHaveAttribute('data-status', 'confirmed');
    await expect(item.getByTestId('activity-hash')).toHaveAttribute('data-hash', hash);
    // Once confirmed, the withdrawal is read back from the chain: one row, in the chain's words.
    await expect(item).toHaveAttribute('data-origin', 'chain');
    await expect(item.getByTestId('activity-label')).toHaveText(/^Withdrew \d/);
    await expect(page.locator(`[data-testid="activity-hash"][data-hash="${hash}"]`)).toHaveCount(1);
    await expect(shown).toHaveText('0 ETH');
    expect(withdrawable(marketAddress, creator)).toBe(0n);
    const receipt = (await wallet.rpc('eth_getTransactionReceipt', [hash])) as { status: string };
    expect(receipt.status).toBe('0x1');

    // The activity list survives a reload.
    await page.reload();
    await expect(section(page, 'dashboard').getByTestId('activity-item').first()).toHaveAttribute(
      'data-status',
      'confirmed',
    );
    await expect(page.getByTestId('activity-item').first().getByTestId('activity-hash')).toHaveAttribute(
      'data-hash',
      hash,
    );
  });
});

test('the catalogue is read without a wallet and follows new listings without a reload', async ({ page }) => {
  const marketAddress = await market();
  const count = () => callNumber(marketAddress, 'modelCount()(uint256)');
  await page.goto('./');
  const shown = page.getByTestId('catalogue-count');
  await expect(shown).toHaveAttribute('data-count', String(count()));
  const lister = await account(6);
  const total = listModel(marketAddress, lister, `bafkreie2ecatalogue${Date.now()}`, '1000');
  await expect(shown).toHaveAttribute('data-count', String(total), { timeout: 15_000 });
});
