import { env, expect, test } from '../fixtures';
import { expectPage } from '../support/app';

async function anvil(method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(env.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`anvil ${method}: ${body.error.message}`);
  return body.result;
}

const blockNumber = async () => Number(BigInt((await anvil('eth_blockNumber')) as string));

for (const [where, base] of [
  ['at the server root', env.appUrl],
  ['under the IPFS path gateway', env.appIpfsUrl],
] as const) {
  test(`browse shows the configured network with anvil's chain id and block number ${where}`, async ({
    page,
    request,
  }) => {
    // Move the chain on so the block number is not a coincidental 0.
    await anvil('anvil_mine', ['0x3']);
    const before = await blockNumber();
    await page.goto(base);
    await expectPage(page, 'browse', 'Browse models');
    const chain = page.getByTestId('network-chain');
    await expect(chain).toContainText(`Chain ${env.chainId} · block`);
    const shown = Number(await page.getByTestId('network-block').textContent());
    const after = await blockNumber();
    expect(shown).toBeGreaterThanOrEqual(before);
    expect(shown).toBeLessThanOrEqual(after);
    await expect(page.getByTestId('network-error')).toHaveCount(0);
    await expect(page.getByTestId('network-mismatch')).toHaveCount(0);

    // The contracts listed are exactly those in the config.json served next to the page.
    const config = (await (await request.get(new URL('config.json', base).href)).json()) as {
      contracts?: Record<string, string>;
    };
    const contracts = Object.entries(config.contracts ?? {});
    if (contracts.length === 0) {
      await expect(page.getByTestId('network-no-contracts')).toBeVisible();
      await expect(page.getByTestId('network-contracts')).toHaveCount(0);
    } else {
      const list = page.getByTestId('network-contracts');
      await expect(list.locator('li')).toHaveCount(contracts.length);
      for (const [name, address] of contracts) {
        await expect(list.locator('li').filter({ hasText: name })).toContainText(new RegExp(address, 'i'));
      }
      await expect(page.getByTestId('network-no-contracts')).toHaveCount(0);
    }
  });
}
