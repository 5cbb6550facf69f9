import { env, expect, test } from '../fixtures';
import { expectPage, NAV, section } from '../support/app';

test('every nav link navigates and is highlighted as the current page', async ({ page }) => {
  await page.goto('./');
  await expectPage(page, 'browse', 'Browse models');
  // Visit them in an order that leaves the start page first.
  for (const link of [...NAV.slice(1), NAV[0]]) {
    await page.getByTestId(link.testId).click();
    await expect(page).toHaveURL(new URL(link.hash, env.appUrl).href);
    await expectPage(page, link.page, link.h1);
    await expect(page.getByTestId(link.testId)).toHaveAttribute('aria-current', 'page');
    for (const other of NAV.filter((l) => l !== link)) {
      await expect(page.getByTestId(other.testId)).not.toHaveAttribute('aria-current', /.*/);
    }
  }
});

test('the brand link leads back to browse', async ({ page }) => {
  await page.goto('./#/dashboard');
  await expectPage(page, 'dashboard', 'Dashboard');
  await page.getByTestId('brand').click();
  await expect(page).toHaveURL(new URL('#/', env.appUrl).href);
  await expectPage(page, 'browse', 'Browse models');
  await expect(page.getByTestId('nav-browse')).toHaveAttribute('aria-current', 'page');
});

for (const [where, base] of [
  ['under the IPFS sub-path', env.appIpfsUrl],
  ['at the server root', env.appUrl],
] as const) {
  test(`deep links survive a reload ${where}`, async ({ page }) => {
    const deepLinks = [
      { hash: '#/library', id: 'library', h1: 'Library' },
      // The seeded digits classifier (xtask/src/seed.rs).
      { hash: '#/model/1', id: 'model', h1: 'Handwritten digits (8×8)' },
      { hash: '#/list', id: 'list', h1: 'List a model' },
    ] as const;
    for (const link of deepLinks) {
      const url = new URL(link.hash, base).href;
      await page.goto(url);
      await expectPage(page, link.id, link.h1);
      await page.reload();
      await expect(page).toHaveURL(url);
      await expectPage(page, link.id, link.h1);
    }
  });
}

test('back and forward move through the visited pages under the IPFS sub-path', async ({ page }) => {
  await page.goto(env.appIpfsUrl);
  await expectPage(page, 'browse', 'Browse models');
  await page.getByTestId('nav-list').click();
  await expectPage(page, 'list', 'List a model');
  await page.getByTestId('nav-library').click();
  await expectPage(page, 'library', 'Library');

  await page.goBack();
  await expect(page).toHaveURL(new URL('#/list', env.appIpfsUrl).href);
  await expectPage(page, 'list', 'List a model');
  await expect(page.getByTestId('nav-list')).toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expectPage(page, 'browse', 'Browse models');
  await page.goForward();
  await expectPage(page, 'list', 'List a model');
  await page.goForward();
  await expectPage(page, 'library', 'Library');
  await expect(page.getByTestId('nav-library')).toHaveAttribute('aria-current', 'page');
});

test('an unknown route shows "Page not found" with a way back', async ({ page }) => {
  await page.goto('./#/nope');
  await expectPage(page, 'not-found', 'Page not found');
  await expect(section(page, 'not-found')).toContainText('/nope');
  for (const link of NAV) await expect(page.getByTestId(link.testId)).not.toHaveAttribute('aria-current', /.*/);
  await section(page, 'not-found').getByRole('link', { name: 'Browse models' }).click();
  await expectPage(page, 'browse', 'Browse models');
});
