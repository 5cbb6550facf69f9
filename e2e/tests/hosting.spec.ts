/**
 * The published app at a path gateway (`/ipfs/<cid>/` on the stack's IPFS node, as `cargo xtask
 * test e2e` publishes it): it says its origin is shared and names its own subdomain address, keeps
 * no draft until asked, and runs under the Content-Security-Policy `publish` writes into its
 * index.html — browsing, a model page and a trial raise no violation, and a connection to an
 * endpoint the configuration doesn't name is refused. At its own origin there is no such banner.
 */
import { env, expect, test } from '../fixtures';
import { DIGITS } from '../support/models';
import { tryDrawnOne } from '../support/trial';
import { chooseModelFile } from '../support/wizard';

const DIGITS_NAME = 'Handwritten digits (8×8)';
const DRAFT_KEY = 'assay.listing-draft';

/** Records the page's CSP violations as "directive blocked-uri". */
async function violations(page: import('@playwright/test').Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test('at a path gateway the app says its origin is shared and names its own address', async ({ page }) => {
  await page.goto(env.appIpfsUrl);
  const banner = page.getByTestId('hosting-shared');
  const gateway = new URL(env.appIpfsUrl);
  await expect(banner).toContainText(`served from a shared address on ${gateway.origin}`);
  await expect(banner).toContainText('keeps no pinning token here');
  // The suite publishes the app as a CIDv1 (base32): its subdomain label is the CID itself.
  const cid = gateway.pathname.split('/')[2];
  expect(cid).toMatch(/^bafy[a-z2-7]+$/);
  const own = `http://${cid}.ipfs.localhost:${gateway.port}/`;
  await expect(page.getByTestId('hosting-own-origin')).toHaveAttribute('href', own);

  // The subdomain address (the IPFS node is a subdomain gateway too) is an origin of its own.
  await page.goto(own);
  await expect(page.getByTestId('browse-results')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('hosting-shared')).toHaveCount(0);

  await page.goto(env.appUrl);
  await expect(page.getByTestId('browse-results')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('hosting-shared')).toHaveCount(0);
});

test('at a path gateway a listing draft is kept only once the person asks', async ({ page }) => {
  await page.goto(new URL('#/list', env.appIpfsUrl).href);
  await expect(page.getByTestId('draft-keeping')).toBeVisible();
  await chooseModelFile(page, DIGITS);
  expect(await page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).toBeNull();

  await page.getByTestId('draft-keep-here').click();
  await expect(page.getByTestId('draft-keeping')).toHaveCount(0);
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).toContain('digits');
  await page.evaluate((key) => localStorage.removeItem(key), DRAFT_KEY);

  // At its own origin nothing is asked.
  await page.goto(new URL('#/list', env.appUrl).href);
  await expect(page.getByTestId('model-file')).toBeAttached();
  await expect(page.getByTestId('draft-keeping')).toHaveCount(0);
});

test('the published index.html carries a Content-Security-Policy that lets the app work and nothing else connect', async ({
  page,
}) => {
  const html = await (await fetch(env.appIpfsUrl)).text();
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(policy).toContain(`connect-src 'self' ${new URL(env.rpcUrl).origin}`);
  expect(policy).toContain("object-src 'none'");

  const seen = await violations(page);
  await page.goto(env.appIpfsUrl);
  const digits = page.getByTestId('listing-card').filter({ has: page.getByText(DIGITS_NAME, { exact: true }) });
  await expect(digits).toHaveCount(1, { timeout: 60_000 });
  await digits.getByTestId('listing-link').click();
  await expect(page.getByTestId('model-name')).toHaveText(DIGITS_NAME);
  await tryDrawnOne(page);
  expect(await seen()).toEqual([]);

  // A connection the configuration doesn't name is refused by the browser.
  const refused = await page.evaluate(() =>
    fetch('http://127.0.0.1:9/').then(
      () => 'answered',
      () => 'refused',
    ),
  );
  expect(refused).toBe('refused');
  await expect.poll(seen).toEqual(['connect-src http://127.0.0.1:9/']);
});
