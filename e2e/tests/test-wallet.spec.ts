/**
 * The test wallet itself, driven from the page the way a dapp drives an extension: discovery,
 * the EIP-1193 surface, signing and sending through anvil, and the test controls. Later tests
 * (listing, buying, reviewing) rely on all of this.
 */
import type { Page } from '@playwright/test';
import { env, expect, test, WALLET_NAME, WALLET_RDNS } from '../fixtures';

type Outcome = { ok: true; result: unknown } | { ok: false; isError: boolean; code: unknown; message: unknown };

/** Finds the wallet through EIP-6963 and keeps its provider as `window.__wallet`, recording its events. */
async function discover(page: Page) {
  await page.goto('./');
  return page.evaluate(() => {
    const announced: Array<{ info: Record<string, string>; provider: unknown; frozen: boolean }> = [];
    window.addEventListener('eip6963:announceProvider', (event) => {
      const detail = (event as CustomEvent).detail;
      announced.push({
        info: { ...detail.info },
        provider: detail.provider,
        frozen: Object.isFrozen(detail) && Object.isFrozen(detail.info),
      });
    });
    window.dispatchEvent(new Event('eip6963:requestProvider'));
    const w = window as unknown as Record<string, unknown>;
    const provider = announced[0]?.provider as { on: (e: string, l: (p: unknown) => void) => void } | undefined;
    w.__wallet = provider;
    w.__events = [];
    if (provider == null) throw new Error('no wallet announced itself through EIP-6963');
    for (const name of ['accountsChanged', 'chainChanged']) {
      provider.on(name, (payload) => (w.__events as unknown[]).push([name, payload]));
    }
    return announced.map(({ info, frozen }) => ({ info, frozen }));
  });
}

/** `window.__wallet.request(...)` in the page, with a rejection turned into data. */
function request(page: Page, method: string, params?: unknown): Promise<Outcome> {
  return page.evaluate(
    async ([method, params]) => {
      const provider = (window as unknown as { __wallet: { request: (a: unknown) => Promise<unknown> } }).__wallet;
      try {
        return { ok: true as const, result: await provider.request({ method, params }) };
      } catch (error) {
        const e = error as { code?: unknown; message?: unknown };
        return { ok: false as const, isError: error instanceof Error, code: e.code, message: e.message };
      }
    },
    [method, params] as const,
  );
}

const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: unknown[] }).__events);

test.describe('the test wallet', () => {
  // Its own account, so sends here change nobody else's balance or nonce.
  test.use({ walletAccount: 8 });
  // These tests ask the wallet directly, not through the app: nothing explains them in the page.
  test.beforeEach(({ wallet }) => {
    wallet.explainedByThePage = false;
  });

  test('is announced through EIP-6963, once per request, with a frozen detail', async ({ page, wallet }) => {
    const announced = await discover(page);
    expect(announced).toHaveLength(1);
    expect(announced[0].frozen).toBe(true);
    expect(announced[0].info).toMatchObject({ name: WALLET_NAME, rdns: WALLET_RDNS });
    expect(announced[0].info.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(announced[0].info.icon).toMatch(/^data:image\/svg\+xml,/);
    expect(wallet.requests).toEqual([]);
  });

  test('answers accounts only once connected, and signs and sends through anvil', async ({ page, wallet }) => {
    await discover(page);
    const account = await wallet.address();
    expect(await request(page, 'eth_accounts')).toEqual({ ok: true, result: [] });
    expect(await request(page, 'eth_chainId')).toEqual({ ok: true, result: `0x${env.chainId.toString(16)}` });
    const early = await request(page, 'personal_sign', ['0x68656c6c6f', account]);
    expect(early).toMatchObject({ ok: false, isError: true, code: 4100 });

    expect(await request(page, 'eth_requestAccounts')).toEqual({ ok: true, result: [account] });
    expect(await request(page, 'eth_accounts')).toEqual({ ok: true, result: [account] });

    // Signatures are anvil's own (deterministic, so equal to asking anvil directly).
    const signed = await request(page, 'personal_sign', ['0x68656c6c6f', account]);
    expect(signed).toEqual({ ok: true, result: await wallet.rpc('personal_sign', ['0x68656c6c6f', account]) });
    const typed = JSON.stringify({
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'chainId', type: 'uint256' },
        ],
        Hello: [{ name: 'text', type: 'string' }],
      },
      primaryType: 'Hello',
      domain: { name: 'Assay', chainId: env.chainId },
      message: { text: 'hi' },
    });
    const signedTyped = await request(page, 'eth_signTypedData_v4', [account, typed]);
    expect(signedTyped).toEqual({ ok: true, result: await wallet.rpc('eth_signTypedData_v4', [account, typed]) });
    // Only the selected account signs.
    const other = await request(page, 'personal_sign', ['0x68656c6c6f', await wallet.address(0)]);
    expect(other).toMatchObject({ ok: false, code: 4100 });

    const to = '0x000000000000000000000000000000000000a55a';
    const before = BigInt((await wallet.rpc('eth_getBalance', [to, 'latest'])) as string);
    const sent = await request(page, 'eth_sendTransaction', [{ to, value: '0x2386f26fc10000' }]); // 0.01 ETH, `from` filled in
    expect(sent).toMatchObject({ ok: true, result: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    const receipt = await request(page, 'eth_getTransactionReceipt', [(sent as { result: string }).result]);
    expect(receipt).toMatchObject({ ok: true, result: { status: '0x1', from: account.toLowerCase(), to } });
    const after = BigInt((await wallet.rpc('eth_getBalance', [to, 'latest'])) as string);
    expect(after - before).toBe(10n ** 16n);
  });

  test('rejectNext() rejects the next approval with 4001, and only that one', async ({ page, wallet }) => {
    await discover(page);
    wallet.rejectNext();
    // Reads need no approval and pass through.
    expect(await request(page, 'eth_blockNumber')).toMatchObject({ ok: true });
    expect(await request(page, 'eth_requestAccounts')).toEqual({
      ok: false,
      isError: true,
      code: 4001,
      message: 'User rejected the request.',
    });
    expect(wallet.isConnected).toBe(false);
    expect(await request(page, 'eth_requestAccounts')).toEqual({ ok: true, result: [await wallet.address()] });
    wallet.rejectNext();
    expect(await request(page, 'personal_sign', ['0x00', await wallet.address()])).toMatchObject({
      ok: false,
      code: 4001,
    });
    expect(await request(page, 'personal_sign', ['0x00', await wallet.address()])).toMatchObject({ ok: true });
  });

  test('setChain, setAccount, switch and add chain emit the EIP-1193 events', async ({ page, wallet }) => {
    await discover(page);
    await request(page, 'eth_requestAccounts');
    const anvilHex = `0x${env.chainId.toString(16)}`;

    await wallet.setChain(5);
    expect(await request(page, 'eth_chainId')).toEqual({ ok: true, result: '0x5' });
    // It cannot reach chain 5, and says so rather than answering from anvil.
    expect(await request(page, 'eth_blockNumber')).toMatchObject({ ok: false, code: 4901 });
    expect(await request(page, 'wallet_switchEthereumChain', [{ chainId: '0x1' }])).toMatchObject({
      ok: false,
      code: 4902,
    });
    expect(await request(page, 'wallet_switchEthereumChain', [{ chainId: anvilHex }])).toEqual({
      ok: true,
      result: null,
    });
    expect(await request(page, 'eth_chainId')).toEqual({ ok: true, result: anvilHex });

    await wallet.setChain(5);
    const wrongRpc = { chainId: anvilHex, chainName: 'x', rpcUrls: ['http://127.0.0.1:1'] };
    expect(await request(page, 'wallet_addEthereumChain', [wrongRpc])).toMatchObject({ ok: false, code: -32602 });
    const add = {
      chainId: anvilHex,
      chainName: 'Anvil',
      rpcUrls: [env.rpcUrl],
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    };
    expect(await request(page, 'wallet_addEthereumChain', [add])).toEqual({ ok: true, result: null });
    expect(wallet.currentChainId).toBe(env.chainId);

    await wallet.setAccount(3);
    expect(await request(page, 'eth_accounts')).toEqual({ ok: true, result: [await wallet.address(3)] });

    expect(await events(page)).toEqual([
      ['chainChanged', '0x5'],
      ['chainChanged', anvilHex],
      ['chainChanged', '0x5'],
      ['chainChanged', anvilHex],
      ['accountsChanged', [await wallet.address(3)]],
    ]);
    expect(wallet.requests).toContain('wallet_addEthereumChain');
  });

  test('removeListener stops the events, and revoking permissions disconnects', async ({ page, wallet }) => {
    await discover(page);
    await request(page, 'eth_requestAccounts');
    await page.evaluate(() => {
      const w = window as unknown as {
        __wallet: Record<'on' | 'removeListener', (event: string, listener: (p: unknown) => void) => void>;
        __seen: unknown[];
      };
      w.__seen = [];
      const listener = (p: unknown) => w.__seen.push(p);
      w.__wallet.on('chainChanged', listener);
      w.__wallet.removeListener('chainChanged', listener);
    });
    await wallet.setChain(7);
    expect(await page.evaluate(() => (window as unknown as { __seen: unknown[] }).__seen)).toEqual([]);
    expect(await events(page)).toEqual([['chainChanged', '0x7']]);

    expect(await request(page, 'wallet_revokePermissions', [{ eth_accounts: {} }])).toEqual({ ok: true, result: null });
    expect(await request(page, 'eth_accounts')).toEqual({ ok: true, result: [] });
    expect(wallet.isConnected).toBe(false);
    expect(await events(page)).toEqual([
      ['chainChanged', '0x7'],
      ['accountsChanged', []],
    ]);
  });
});
