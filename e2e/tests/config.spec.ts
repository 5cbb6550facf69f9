/**
 * Server states the real servers don't have: config.json missing, malformed, invalid or failing.
 * These are the only tests that use `page.route`, and only for config.json.
 */
import { expect, test } from '../fixtures';
import { expectPage } from '../support/app';

test('without config.json the app runs on defaults and shows a banner', async ({ page }) => {
  await page.route('**/config.json', (route) =>
    route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }),
  );
  await page.goto('./');
  const banner = page.getByTestId('config-missing');
  await expect(banner).toContainText('No config.json was found');
  await expect(banner).toContainText('404');
  await expect(banner).toContainText('chain 31337 at http://127.0.0.1:8545');
  await expect(page.getByTestId('config-error')).toHaveCount(0);

  // The app still works.
  await expectPage(page, 'browse', 'Browse models');
  await page.getByTestId('nav-library').click();
  await expectPage(page, 'library', 'Library');
  await expect(page.getByTestId('connect-prompt')).toBeVisible();
  await expect(page.getByTestId('nav-library')).toHaveAttribute('aria-current', 'page');
  await expect(banner).toBeVisible();
});

const broken = [
  {
    name: 'malformed JSON',
    status: 200,
    body: '{"chainId": 31337, "rpcUrl": ',
    expected: [/config\.json is not valid/, /EOF while parsing/],
  },
  {
    name: 'a chain id of 0',
    status: 200,
    body: JSON.stringify({ chainId: 0 }),
    expected: [/config\.json field `chainId` must not be 0/],
  },
  {
    name: 'an RPC URL that is not http(s)',
    status: 200,
    body: JSON.stringify({ chainId: 31337, rpcUrl: 'ftp://127.0.0.1:8545' }),
    expected: [/`rpcUrl`/, /must be an http:\/\/ or https:\/\/ URL/],
  },
  {
    name: 'an unknown field',
    status: 200,
    body: JSON.stringify({ chainId: 31337, rpcURL: 'http://127.0.0.1:8545' }),
    expected: [/unknown field `rpcURL`/],
  },
  {
    name: 'a server error',
    status: 500,
    body: 'boom',
    expected: [/answered 500/],
  },
];

for (const { name, status, body, expected } of broken) {
  test(`config.json with ${name} stops the app with an error naming the problem`, async ({ page, saveScreenshot }) => {
    await page.route('**/config.json', (route) => route.fulfill({ status, contentType: 'application/json', body }));
    await page.goto('./#/library');
    const error = page.getByTestId('config-error');
    await expect(error).toBeVisible();
    await expect(error.locator('h1')).toHaveText("Assay can't start: its configuration is invalid");
    for (const pattern of expected) await expect(error).toContainText(pattern);
    // Nothing else of the app is there: no page, no navigation, no wallet button.
    await expect(page.getByTestId('page')).toHaveCount(0);
    await expect(page.getByTestId('nav-browse')).toHaveCount(0);
    await expect(page.getByTestId('wallet-connect')).toHaveCount(0);
    await expect(page.getByTestId('config-missing')).toHaveCount(0);
    if (name === 'malformed JSON') await saveScreenshot('config-error');
  });
}
