/**
 * "How Assay works" and the glossary, for a visitor without a wallet: the page explains the
 * marketplace with its diagram and every glossary term; a term where it appears (a model's CID,
 * a tier, the split) explains itself on keyboard focus and on hover, as the tooltip it is
 * described by; pages that need a wallet say why and link here, without blocking what works
 * without one.
 */
import { expect, test } from '../fixtures';
import { expectPage } from '../support/app';

test('a visitor without a wallet reads how Assay works and the glossary', async ({ page, saveScreenshot }) => {
  await page.goto('./#/about');
  await expectPage(page, 'about', 'How Assay works');
  const diagram = page.getByTestId('about-diagram');
  await expect(diagram).toBeVisible();
  await expect(diagram).toHaveAttribute('role', 'img');
  await expect(diagram.locator('title')).toHaveText('How a model travels from a researcher to a buyer');
  const glossary = page.getByTestId('glossary');
  await expect(glossary.locator('dt')).toHaveCount(15);
  await expect(glossary.locator('#glossary-escrow + dd')).toContainText('held by the contract');
  await expect(page.locator('[data-page="about"]')).toContainText('never give them to another site');
  await saveScreenshot('about');
});

test('terms explain themselves on focus and hover where they appear; wallet pages link here; the page explains what the wallet asks', async ({
  page,
  wallet,
  saveScreenshot,
}) => {
  await page.goto('./#/model/1');
  const cid = page.locator('[data-testid=term][data-term=cid]');
  await expect(cid).toBeVisible({ timeout: 30_000 });
  const tip = cid.locator('[role=tooltip]');
  await expect(tip).toBeHidden();
  await cid.focus();
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('fingerprint of its bytes');
  // The word is described by its tooltip, for screen readers.
  const described = await cid.getAttribute('aria-describedby');
  expect(await tip.getAttribute('id')).toBe(described);
  await cid.blur();
  await expect(tip).toBeHidden();
  const tier = page.locator('[data-testid=term][data-term=tier]');
  await tier.hover();
  await expect(tier.locator('[role=tooltip]')).toContainText('One way of buying a licence');
  // The trial works without a wallet; the buy summary says what a wallet is for.
  await expect(page.getByTestId('wallet-connect')).toBeVisible();
  await page.getByTestId('tier-choose').first().click();
  await expect(page.getByTestId('buy-connect')).toContainText('the trial above needs none');

  await page.goto('./#/library');
  await expect(page.getByTestId('connect-prompt')).toContainText('Any browser wallet works');

  await page.getByTestId('connect-prompt-about').click();
  await expectPage(page, 'about', 'How Assay works');

  // While the wallet asks (held open here, as a person reading it would), the page explains the request.
  const held = wallet.holdNext();
  await page.getByTestId('wallet-connect').click();
  await page.getByTestId('wallet-option').filter({ hasText: 'Assay Test Wallet' }).click();
  await held.asked;
  await expect(page.getByTestId('wallet-prompt-title')).toHaveText('Your wallet asks to connect');
  await expect(page.getByTestId('wallet-prompt-text')).toContainText("can't move anything");
  await saveScreenshot('wallet-prompt-connect');
  held.release();
  await expect(page.getByTestId('wallet-prompt')).toHaveCount(0);
  await expect(page.getByTestId('wallet-address')).toBeVisible();
});
