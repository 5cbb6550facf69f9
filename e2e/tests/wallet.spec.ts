import { env, expect, test } from '../fixtures';
import { balanceOf, connect, expectConnectedAs, expectPage, formatEther, NAV, section } from '../support/app';

const ACCOUNT_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

test('without any wallet the picker says none was found', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('wallet-connect').click();
  await expect(page.getByTestId('wallet-none')).toContainText('No wallet found');
  await expect(page.getByTestId('wallet-option')).toHaveCount(0);
});

test('the test wallet is discovered, connects, and the header shows address, chain and balance', async ({
  page,
  wallet,
}) => {
  await page.goto('./');
  await expectPage(page, 'browse', 'Browse models');
  await page.getByTestId('wallet-connect').click();
  const option = page.getByTestId('wallet-option');
  await expect(option).toHaveCount(1);
  await expect(option).toHaveText('Assay Test Wallet');
  await expect(option.locator('img')).toHaveAttribute('src', /^data:image\/svg\+xml,/);
  expect(wallet.requests).toEqual([]); // discovery alone asks the wallet nothing

  await option.click();
  await expectConnectedAs(page, wallet);
  await expect(page.getByTestId('wallet-address')).toHaveText('0xf39F…2266');
  await expect(page.getByTestId('wallet-address')).toHaveAttribute('title', ACCOUNT_0);
  await expect(page.getByTestId('wallet-chain')).toHaveText(`Anvil (local) · ${env.chainId}`);
  const balance = await balanceOf(wallet, ACCOUNT_0);
  await expect(page.getByTestId('wallet-balance')).toHaveText(`${formatEther(balance)} ETH`);
  await expect(page.getByTestId('wallet-error')).toHaveCount(0);
  expect(wallet.requests.slice(0, 2)).toEqual(['eth_requestAccounts', 'eth_chainId']);
  expect(wallet.isConnected).toBe(true);

  // The account pages now show the account instead of asking to connect.
  for (const link of NAV.filter((l) => ['list', 'library', 'dashboard'].includes(l.page))) {
    await page.getByTestId(link.testId).click();
    await expect(section(page, link.page).getByTestId('account-panel')).toContainText(ACCOUNT_0);
    await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  }
});

test.describe('on a dedicated account', () => {
  // Account 7 is used by no other test or deployment, so its balance can be set freely.
  test.use({ walletAccount: 7 });

  test('the balance is the chain’s, truncated to 4 decimals, and follows the chain', async ({ page, wallet }) => {
    const account = await wallet.address();
    const odd = 1234n * 10n ** 18n + 567_891_234_000_000_000n; // 1234.567891234 ETH
    await wallet.rpc('anvil_setBalance', [account, `0x${odd.toString(16)}`]);
    await page.goto('./');
    await connect(page);
    await expectConnectedAs(page, wallet);
    await expect(page.getByTestId('wallet-balance')).toHaveText('1234.5678 ETH');

    // The header re-reads the balance while connected.
    await wallet.rpc('anvil_setBalance', [account, `0x${(5n * 10n ** 17n).toString(16)}`]);
    await expect(page.getByTestId('wallet-balance')).toHaveText('0.5 ETH', { timeout: 15_000 });
  });
});

test('a reload keeps the connection without asking the wallet again', async ({ page, wallet }) => {
  await page.goto('./#/library');
  await connect(page);
  await expectConnectedAs(page, wallet);
  const before = wallet.requests.length;

  await page.reload();
  await expectPage(page, 'library', 'Library');
  await expectConnectedAs(page, wallet);
  await expect(section(page, 'library').getByTestId('account-panel')).toBeVisible();
  const afterReload = wallet.requests.slice(before);
  expect(afterReload).toContain('eth_accounts');
  expect(afterReload).not.toContain('eth_requestAccounts');
});

test('disconnect returns to "Connect wallet" and stays disconnected after a reload', async ({ page, wallet }) => {
  await page.goto('./#/dashboard');
  await expect(section(page, 'dashboard').getByTestId('connect-prompt')).toBeVisible();
  await connect(page);
  await expectConnectedAs(page, wallet);
  await expect(section(page, 'dashboard').getByTestId('account-panel')).toBeVisible();

  await page.getByTestId('wallet-address').click();
  await page.getByTestId('wallet-disconnect').click();
  await expect(page.getByTestId('wallet-connect')).toHaveText('Connect wallet');
  await expect(page.getByTestId('wallet-address')).toHaveCount(0);
  await expect(page.getByTestId('wallet-balance')).toHaveCount(0);
  await expect(section(page, 'dashboard').getByTestId('connect-prompt')).toBeVisible();

  // The wallet still authorises the site, but the app forgot it: no silent reconnect.
  await page.reload();
  await expectPage(page, 'dashboard', 'Dashboard');
  await expect(page.getByTestId('wallet-connect')).toHaveText('Connect wallet');
  await expect(section(page, 'dashboard').getByTestId('connect-prompt')).toBeVisible();
  await expect(page.getByTestId('wallet-address')).toHaveCount(0);
});

test('a rejected connect says so and stays disconnected; a retry connects', async ({ page, wallet }) => {
  await page.goto('./');
  wallet.rejectNext();
  await connect(page);
  await expect(page.getByTestId('wallet-error')).toHaveText('You cancelled in your wallet.');
  await expect(page.getByTestId('wallet-connect')).toHaveText('Connect wallet');
  await expect(page.getByTestId('wallet-connect')).toBeEnabled();
  await expect(page.getByTestId('wallet-address')).toHaveCount(0);
  expect(wallet.isConnected).toBe(false);

  await connect(page);
  await expectConnectedAs(page, wallet);
  await expect(page.getByTestId('wallet-error')).toHaveCount(0);
  expect(wallet.requests.filter((m) => m === 'eth_requestAccounts')).toHaveLength(2);
});

test('on the wrong chain the header says so, and the switch button brings the wallet back', async ({
  page,
  wallet,
}) => {
  await page.goto('./');
  await connect(page);
  await expectConnectedAs(page, wallet);
  await expect(page.getByTestId('wallet-chain')).toContainText(String(env.chainId));

  await wallet.setChain(1);
  await expect(page.getByTestId('wallet-wrong-chain')).toHaveText('Wrong network (chain 1)');
  await expect(page.getByTestId('wallet-chain')).toHaveCount(0);
  const switchButton = page.getByTestId('wallet-switch-chain');
  await expect(switchButton).toHaveText('Switch to Anvil (local)');

  await switchButton.click();
  await expect(page.getByTestId('wallet-chain')).toHaveText(`Anvil (local) · ${env.chainId}`);
  await expect(page.getByTestId('wallet-wrong-chain')).toHaveCount(0);
  await expect(page.getByTestId('wallet-switch-chain')).toHaveCount(0);
  expect(wallet.currentChainId).toBe(env.chainId);
  expect(wallet.requests).toContain('wallet_switchEthereumChain');
});

test('a wallet already on another chain connects as wrong network; a rejected switch keeps it there', async ({
  page,
  wallet,
}) => {
  await wallet.setChain(10);
  await page.goto('./');
  await connect(page);
  await expect(page.getByTestId('wallet-wrong-chain')).toHaveText('Wrong network (chain 10)');

  wallet.rejectNext();
  await page.getByTestId('wallet-switch-chain').click();
  await expect(page.getByTestId('wallet-error')).toHaveText('You cancelled in your wallet.');
  await expect(page.getByTestId('wallet-wrong-chain')).toHaveText('Wrong network (chain 10)');
  expect(wallet.currentChainId).toBe(10);

  await page.getByTestId('wallet-switch-chain').click();
  await expect(page.getByTestId('wallet-chain')).toHaveText(`Anvil (local) · ${env.chainId}`);
  await expect(page.getByTestId('wallet-error')).toHaveCount(0);
});

test('accountsChanged from the wallet updates the header', async ({ page, wallet }) => {
  await page.goto('./#/library');
  await connect(page);
  await expectConnectedAs(page, wallet);
  await expect(page.getByTestId('wallet-address')).toHaveText('0xf39F…2266');

  await wallet.setAccount(1);
  const account1 = await wallet.address(1);
  await expectConnectedAs(page, wallet);
  await expect(page.getByTestId('wallet-address')).toHaveText('0x7099…79C8');
  await expect(section(page, 'library').getByTestId('account-panel')).toContainText(new RegExp(account1, 'i'));
  const balance = await balanceOf(wallet, account1);
  await expect(page.getByTestId('wallet-balance')).toHaveText(`${formatEther(balance)} ETH`);
});

test('when the wallet revokes the site, the header goes back to "Connect wallet"', async ({ page, wallet }) => {
  await page.goto('./#/list');
  await connect(page);
  await expectConnectedAs(page, wallet);
  await expect(section(page, 'list').getByTestId('account-panel')).toBeVisible();

  await wallet.revoke();
  await expect(page.getByTestId('wallet-connect')).toHaveText('Connect wallet');
  await expect(page.getByTestId('wallet-address')).toHaveCount(0);
  await expect(section(page, 'list').getByTestId('connect-prompt')).toBeVisible();
});
