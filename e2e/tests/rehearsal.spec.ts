/**
 * The rehearsal of a public-network deployment (`xtask/src/rehearsal.rs`, started by `cargo xtask
 * test e2e`): an anvil serving Sepolia's chain id, the contracts deployed to it by `cargo xtask
 * deploy`'s steps from a fresh keystore, through a JSON-RPC proxy that rate-limits (429) and is
 * now and then unavailable (503), a second deploy that sent nothing, the catalogue seeded, and the
 * app published to the IPFS node with the config.json the deployment generated. Here: the buyer's
 * journey through that published app at the path gateway, every read through the proxy, with a
 * wallet that starts on another network.
 *
 * The generated config.json also names Sepolia's public endpoints (the network preset's) after the
 * proxy. A rehearsal must never read the real Sepolia, so the browser's requests to them are
 * answered by the proxy too: they stand for the rehearsal chain.
 *
 * Accounts: the seed's (#0–#5) on the rehearsal chain; #8 buys.
 */
import type { BrowserContext } from '@playwright/test';
import { expect, TestWallet, test } from '../fixtures';
import { cast } from '../support/chain';
import type { Seen } from '../support/flaky-rpc';

const DIGITS = 'Handwritten digits (8×8)';
const BUYER = 8;
/** The chain the wallet sits on first: anvil's usual id, not the rehearsal's. */
const ANOTHER_CHAIN = 31_337;

function rehearsal(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) {
    throw new Error(
      `e2e: ${name} is not set: this spec needs the public-network rehearsal that \`cargo xtask test e2e\` starts ` +
        '(xtask/src/rehearsal.rs) when the whole suite runs or ASSAY_E2E_ARGS names tests/rehearsal.spec.ts.',
    );
  }
  return value;
}

interface PublishedConfig {
  chainId: number;
  network?: string;
  rpcUrl: string;
  rpcUrls?: string[];
  explorerUrl?: string;
  indexerUrl?: string | null;
  contracts: Record<string, string>;
}

async function seen(proxyUrl: string): Promise<Seen> {
  return (await (await fetch(new URL('seen', `${proxyUrl}/`))).json()) as Seen;
}

/** The browser's requests to `origins` answered by the proxy at `proxyUrl` (CORS included). */
async function answerThroughProxy(context: BrowserContext, origins: Set<string>, proxyUrl: string) {
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': '*',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-expose-headers': 'retry-after',
  };
  await context.route(
    (url) => origins.has(url.origin),
    async (route) => {
      const request = route.request();
      if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
      const answer = await fetch(proxyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: request.postData() ?? '',
      }).catch(() => null);
      if (!answer) return route.abort('connectionreset');
      const headers: Record<string, string> = { ...cors };
      for (const name of ['content-type', 'retry-after']) {
        const value = answer.headers.get(name);
        if (value) headers[name] = value;
      }
      await route.fulfill({ status: answer.status, headers, body: await answer.text() });
    },
  );
}

test('the published app of a public-network deployment: browse through a faulting endpoint, switch networks, buy, find the licence', async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  const appUrl = rehearsal('ASSAY_REHEARSAL_APP_URL');
  const rpcUrl = rehearsal('ASSAY_REHEARSAL_RPC_URL');
  const proxyUrl = rehearsal('ASSAY_REHEARSAL_PROXY_URL');
  const chainId = Number(rehearsal('ASSAY_REHEARSAL_CHAIN_ID'));
  expect(chainId).toBe(11_155_111);

  // What was published: the deployment's config.json (Sepolia's preset, the proxy first, no
  // indexer) and an index.html under its Content-Security-Policy.
  const config = (await (await fetch(new URL('config.json', appUrl))).json()) as PublishedConfig;
  expect(config.chainId).toBe(chainId);
  expect(config.network).toBe('sepolia');
  expect(config.rpcUrl).toBe(proxyUrl);
  expect(config.explorerUrl).toBe('https://sepolia.etherscan.io');
  expect(config.indexerUrl ?? null).toBeNull();
  const html = await (await fetch(appUrl)).text();
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).toContain(`connect-src 'self' ${new URL(proxyUrl).origin}`);
  const standIns = new Set((config.rpcUrls ?? []).map((u) => new URL(u).origin));
  standIns.delete(new URL(proxyUrl).origin);
  await answerThroughProxy(context, standIns, proxyUrl);

  const wallet = new TestWallet(page, rpcUrl, chainId, BUYER);
  await wallet.install();
  await wallet.setChain(ANOTHER_CHAIN);
  const before = await seen(proxyUrl);

  // The catalogue, read from the chain through the proxy.
  await page.goto(appUrl);
  const digits = page.getByTestId('listing-card').filter({ has: page.getByText(DIGITS, { exact: true }) });
  await expect(digits).toHaveCount(1, { timeout: 90_000 });
  await expect(page.getByTestId('browse-results')).toHaveAttribute('data-source', 'chain');

  // The wallet is on another network: the app says so and switches it.
  await page.getByTestId('wallet-connect').click();
  await page.getByTestId('wallet-option').filter({ hasText: 'Assay Test Wallet' }).click();
  await expect(page.getByTestId('wallet-wrong-chain')).toHaveText(`Wrong network (chain ${ANOTHER_CHAIN})`);
  await expect(page.getByTestId('wallet-switch-chain')).toHaveText('Switch to Sepolia');
  await page.getByTestId('wallet-switch-chain').click();
  await expect(page.getByTestId('wallet-chain')).toHaveText(`Sepolia · ${chainId}`);
  expect(wallet.currentChainId).toBe(chainId);
  const buyer = await wallet.address();

  // The seeded model, its NFT on Sepolia's explorer.
  await digits.getByTestId('listing-link').click();
  await expect(page.getByTestId('model-name')).toHaveText(DIGITS, { timeout: 60_000 });
  const id = /#\/model\/(\d+)/.exec(page.url())?.[1];
  expect(id, `a model page's address: ${page.url()}`).toBeDefined();
  await expect(page.getByTestId('model-explorer')).toHaveAttribute(
    'href',
    new RegExp(`^https://sepolia\\.etherscan\\.io/nft/${config.contracts.AssayModels}/${id}$`, 'i'),
  );

  // Buy the 365-day tier once its terms are confirmed; the transaction links to Sepolia's explorer.
  await page.getByTestId('tier').filter({ hasText: '365 days' }).getByTestId('tier-choose').click();
  await expect(page.getByTestId('buy-accept')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('buy-accept').check();
  await page.getByTestId('buy-confirm').click();
  const toast = page.getByTestId('toast').filter({ hasText: 'Buy a licence' });
  await expect(toast.getByTestId('toast-text')).toContainText('Confirmed', { timeout: 60_000 });
  const hash = await toast.getByTestId('toast-hash').getAttribute('data-hash');
  expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
  await expect(toast.getByTestId('toast-hash')).toHaveAttribute('href', `https://sepolia.etherscan.io/tx/${hash}`);
  await expect(page.getByTestId('licence-held')).toBeVisible();
  const holds = cast(
    'call',
    '--rpc-url',
    rpcUrl,
    config.contracts.AssayMarket,
    'hasLicence(address,uint256)(bool)',
    buyer,
    String(id),
  );
  expect(holds).toBe('true');

  // The library, read from the chain's events through the proxy.
  await page.getByTestId('licence-held').locator('a').click();
  const licence = page
    .getByTestId('licence')
    .filter({ has: page.getByTestId('licence-model').getByText(DIGITS, { exact: true }) });
  await expect(licence).toHaveCount(1, { timeout: 60_000 });
  await expect(licence).toHaveAttribute('data-status', 'active');
  await expect(page.locator('[role="alert"].error')).toHaveCount(0);

  // The proxy faulted during the journey, and the app got through.
  const after = await seen(proxyUrl);
  expect(after.requests - before.requests).toBeGreaterThan(0);
  expect(after.rateLimited - before.rateLimited, JSON.stringify({ before, after })).toBeGreaterThan(0);
  expect(after.unavailable - before.unavailable, JSON.stringify({ before, after })).toBeGreaterThan(0);
  // Every request the wallet put to the person was explained in the page first (as the fixture checks).
  expect(wallet.prompts.filter((p) => !p.shown?.startsWith('Your wallet asks'))).toEqual([]);
});
