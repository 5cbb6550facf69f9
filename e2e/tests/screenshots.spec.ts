/**
 * A screenshot of each page, saved to $ASSAY_ARTIFACTS_DIR/<page>.png and attached to the report
 * (the config-error page's is taken in config.spec.ts). The wallet is connected so the account
 * pages show their connected state; each page is checked before it is photographed.
 */
import { env, expect, test } from '../fixtures';
import { connect, expectConnectedAs, expectPage, section } from '../support/app';

test('a screenshot of each page is saved as an artifact', async ({ page, wallet, saveScreenshot }) => {
  await page.goto('./');
  await expectPage(page, 'browse', 'Browse models');
  await connect(page);
  await expectConnectedAs(page, wallet);
  await expect(page.getByTestId('wallet-balance')).toHaveText(/^\d[\d.]* ETH$/);

  const pages = [
    { name: 'browse', hash: '#/', id: 'browse', h1: 'Browse models', ready: 'network-chain' },
    { name: 'list', hash: '#/list', id: 'list', h1: 'List a model', ready: 'step-file' },
    { name: 'library', hash: '#/library', id: 'library', h1: 'Library', ready: 'account-panel' },
    { name: 'dashboard', hash: '#/dashboard', id: 'dashboard', h1: 'Dashboard', ready: 'account-panel' },
    // Model #1 is the seeded digits classifier (xtask/src/seed.rs); #1's creator is anvil's account #1.
    { name: 'model', hash: '#/model/1', id: 'model', h1: 'Handwritten digits (8×8)', ready: 'tiers' },
    {
      name: 'creator',
      hash: '#/creator/0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      id: 'creator',
      h1: 'Creator 0x7099…79C8',
      ready: 'creator-record',
    },
    { name: 'not-found', hash: '#/nope', id: 'not-found', h1: 'Page not found', ready: null },
  ] as const;
  const saved: string[] = [];
  for (const shot of pages) {
    await page.goto(new URL(shot.hash, env.appUrl).href);
    await expectPage(page, shot.id, shot.h1);
    if (shot.ready) await expect(section(page, shot.id).getByTestId(shot.ready)).toBeVisible();
    saved.push(await saveScreenshot(shot.name));
  }
  expect(saved.map((p) => p.split('/').pop())).toEqual(pages.map((p) => `${p.name}.png`));
});
