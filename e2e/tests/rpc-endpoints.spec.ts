/**
 * Chain reads through endpoints that behave like public RPCs (support/flaky-rpc: a real proxy in
 * front of the stack's chain): a primary that is down is failed over to the next endpoint and
 * taken back once it answers, said quietly; an endpoint that rate-limits, drops connections and
 * refuses wide log queries and large batches still gives every page its whole content.
 */
import type { Page } from '@playwright/test';
import { env, expect, test } from '../fixtures';
import { connect } from '../support/app';
import { configWithRpc, flakyRpc } from '../support/flaky-rpc';
import { useConfig } from '../support/ipfs';

const DIGITS = 'Handwritten digits (8×8)';
const card = (page: Page, name: string) =>
  page.getByTestId('listing-card').filter({ has: page.getByText(name, { exact: true }) });
const host = (url: string) => new URL(url).host;

test('reads fail over to the next endpoint while the first is down, and come back to it', async ({ page, context }) => {
  const primary = await flakyRpc(env.rpcUrl);
  const backup = await flakyRpc(env.rpcUrl);
  try {
    await primary.down();
    await useConfig(context, await configWithRpc(env, primary.url, [backup.url]));
    await page.goto('./');
    await expect(card(page, DIGITS)).toHaveCount(1, { timeout: 60_000 });
    await expect(page.getByTestId('rpc-status')).toHaveText(
      `Reading the chain through ${host(backup.url)}: ${host(primary.url)} is unreachable.`,
    );
    expect(backup.seen.requests).toBeGreaterThan(0);

    // Back up: once its rest is over (at most 30 s after failures in a row), the next reads (Browse's network panel reads the chain at every visit) go to it again.
    await primary.up();
    await expect
      .poll(
        async () => {
          await page.getByTestId('nav-about').click();
          await page.getByTestId('nav-browse').click();
          await expect(page.getByTestId('network-block')).toBeVisible({ timeout: 20_000 });
          return primary.seen.requests;
        },
        { timeout: 60_000, intervals: [2_000] },
      )
      .toBeGreaterThan(0);
    await expect(page.getByTestId('rpc-status')).toHaveCount(0);
  } finally {
    await primary.close();
    await backup.close();
  }
});

test('an endpoint that rate-limits, drops requests and refuses wide log queries and big batches still serves every page', async ({
  page,
  context,
}) => {
  const flaky = await flakyRpc(env.rpcUrl, { rateLimitEvery: 5, dropEvery: 7, maxLogSpan: 16, maxBatch: 4 });
  try {
    await useConfig(context, await configWithRpc(env, flaky.url, []));
    await page.goto('./');
    await expect(card(page, DIGITS)).toHaveCount(1, { timeout: 90_000 });
    await expect(page.getByTestId('browse-results')).toHaveAttribute('data-source', 'chain');
    await card(page, DIGITS).getByTestId('listing-link').click();
    await expect(page.getByTestId('model-name')).toHaveText(DIGITS, { timeout: 60_000 });
    await expect(page.getByTestId('tier').first()).toBeVisible({ timeout: 60_000 });
    // The model's details (its versions among them) come in one batch of seven calls, refused for
    // its size and sent in halves: the tiers above are shown from the catalogue before it answers.
    await expect(page.getByTestId('version').first()).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('[role="alert"].error')).toHaveCount(0);
    // Every fault happened, and was got through.
    expect(flaky.seen.rateLimited).toBeGreaterThan(0);
    expect(flaky.seen.dropped).toBeGreaterThan(0);
    expect(flaky.seen.logsRefused).toBeGreaterThan(0);
    expect(flaky.seen.batchesRefused).toBeGreaterThan(0);
  } finally {
    await flaky.close();
  }
});

test("a listing's details the endpoint failed to give are read again on request, and no purchase starts without them", async ({
  page,
  context,
  wallet,
}) => {
  const flaky = await flakyRpc(env.rpcUrl);
  try {
    await useConfig(context, await configWithRpc(env, flaky.url, []));
    await page.goto('./');
    await connect(page);
    await expect(card(page, DIGITS)).toHaveCount(1, { timeout: 60_000 });
    expect(await wallet.address()).toMatch(/^0x/);

    // The catalogue is read; from now on the endpoint fails every call (no retry makes it answer).
    flaky.refuse('eth_call');
    await card(page, DIGITS).getByTestId('listing-link').click();
    await expect(page.getByTestId('model-name')).toHaveText(DIGITS, { timeout: 60_000 });
    const again = page.getByTestId('details-again');
    await expect(again.first()).toBeVisible({ timeout: 60_000 });
    expect(flaky.seen.callsRefused).toBeGreaterThan(0);

    // The tier's terms (from IPFS) are read and confirmed, but the market's split is not known:
    // the purchase cannot start.
    await page.getByTestId('tier').filter({ hasText: '365 days' }).getByTestId('tier-choose').click();
    await page.getByTestId('buy-accept').check();
    await expect(page.getByTestId('buy-confirm')).toBeDisabled();
    await expect(page.getByTestId('buy-summary').getByRole('alert')).toBeVisible();

    // The endpoint answers again: one "Try again" reads the details for every panel.
    flaky.refuse(null);
    await again.first().click();
    await expect(page.getByTestId('version').first()).toBeVisible({ timeout: 60_000 });
    await expect(again).toHaveCount(0);
    await expect(page.getByTestId('buy-split')).toBeVisible();
    await expect(page.getByTestId('buy-confirm')).toBeEnabled();
  } finally {
    await flaky.close();
  }
});
