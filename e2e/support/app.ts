/** Small helpers shared by the specs: where things are, and the header's wallet area. */
import { expect, type Page } from '@playwright/test';
import type { TestWallet } from '../fixtures/test-wallet';

export type PageId =
  | 'browse'
  | 'list'
  | 'library'
  | 'dashboard'
  | 'moderation'
  | 'about'
  | 'model'
  | 'creator'
  | 'not-found';

/** The main navigation, as the header lists it. */
export const NAV = [
  { testId: 'nav-browse', hash: '#/', page: 'browse', h1: 'Browse models' },
  { testId: 'nav-list', hash: '#/list', page: 'list', h1: 'List a model' },
  { testId: 'nav-library', hash: '#/library', page: 'library', h1: 'Library' },
  { testId: 'nav-dashboard', hash: '#/dashboard', page: 'dashboard', h1: 'Dashboard' },
  { testId: 'nav-moderation', hash: '#/moderation', page: 'moderation', h1: 'Moderation' },
  { testId: 'nav-about', hash: '#/about', page: 'about', h1: 'How Assay works' },
] as const;

/** The section of the page being shown, e.g. `currentPage(page, 'library')`. */
export function section(page: Page, id: PageId) {
  return page.locator(`main[data-testid="page"] > section[data-page="${id}"]`);
}

/** Waits until page `id` is shown with heading `h1`. */
export async function expectPage(page: Page, id: PageId, h1: string | RegExp) {
  await expect(section(page, id)).toBeVisible();
  await expect(section(page, id).locator('h1')).toHaveText(h1);
}

/** `0xf39F…2266` from a checksummed address (what the header shows). */
export function shortAddress(checksummed: string): string {
  return `${checksummed.slice(0, 6)}…${checksummed.slice(-4)}`;
}

/** Wei as ether truncated to 4 decimals, trailing zeros dropped: the header's format. */
export function formatEther(wei: bigint, maxDecimals = 4): string {
  const unit = 10n ** 18n;
  const whole = wei / unit;
  const fraction = wei % unit;
  const decimals = (fraction / 10n ** BigInt(18 - maxDecimals))
    .toString()
    .padStart(maxDecimals, '0')
    .replace(/0+$/, '');
  if (whole === 0n && decimals === '' && fraction !== 0n) return `<0.${'0'.repeat(maxDecimals - 1)}1`;
  return decimals === '' ? whole.toString() : `${whole}.${decimals}`;
}

/** Opens the picker and connects the test wallet (which must be injected). */
export async function connect(page: Page) {
  await page.getByTestId('wallet-connect').click();
  await expect(page.getByTestId('wallet-picker')).toBeVisible();
  await page.getByTestId('wallet-option').filter({ hasText: 'Assay Test Wallet' }).click();
}

/** Selects the test wallet's account `index`, opens `path` and connects the wallet there. */
export async function connectAs(page: Page, wallet: TestWallet, index: number, path: string) {
  await wallet.setAccount(index);
  await page.goto(path);
  await connect(page);
  await expectConnectedAs(page, wallet);
}

/** With the test wallet connected: selects its account `index` and opens `path` (the app follows the wallet's `accountsChanged`, no new connection). */
export async function switchAccount(page: Page, wallet: TestWallet, index: number, path: string) {
  await wallet.setAccount(index);
  await page.goto(path);
  await expectConnectedAs(page, wallet);
}

/** Waits until the header shows `wallet`'s selected account as connected. */
export async function expectConnectedAs(page: Page, wallet: TestWallet) {
  const address = await wallet.address();
  const shown = page.getByTestId('wallet-address');
  await expect(shown).toBeVisible();
  await expect(shown).toHaveAttribute('title', new RegExp(`^${address}$`, 'i'));
  const checksummed = (await shown.getAttribute('title'))!;
  await expect(shown).toHaveText(shortAddress(checksummed));
  await expect(page.getByTestId('wallet-connect')).toHaveCount(0);
}

/** The balance of `address` on anvil, in wei. */
export async function balanceOf(wallet: TestWallet, address: string): Promise<bigint> {
  return BigInt((await wallet.rpc('eth_getBalance', [address, 'latest'])) as string);
}
