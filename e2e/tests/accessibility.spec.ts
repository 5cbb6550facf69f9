/**
 * Accessibility: axe-core (the npm package, run in the page by `@axe-core/playwright`) audits
 * every page of the app against WCAG 2.1 A and AA, as a visitor sees it and as a connected
 * account sees it; no serious or critical violation is allowed. The keyboard half: the main
 * navigation is reached and followed with Tab and Enter alone, focus always visible.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { connectAs, expectPage } from '../support/app';
import { account } from '../support/chain';

const PAGES: [string, string][] = [
  ['browse', './'],
  ['model', './#/model/1'],
  ['list', './#/list'],
  ['library', './#/library'],
  ['dashboard', './#/dashboard'],
  ['moderation', './#/moderation'],
  ['about', './#/about'],
  ['not-found', './#/nowhere'],
];

/** The serious and critical violations on the page as it is now, in words. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Waits until the page's data is in (no skeleton, no loading card). */
async function settled(page: Page) {
  await expect(page.locator('main[data-testid=page] > section')).toBeVisible();
  await expect(page.locator('.skeleton')).toHaveCount(0, { timeout: 30_000 });
}

test('every page passes axe-core (WCAG 2.1 AA) for a visitor', async ({ page }) => {
  for (const [name, path] of [...PAGES, ['creator', `./#/creator/${await account(1)}`] as [string, string]]) {
    await page.goto(path);
    await settled(page);
    // Soft: every page is audited and reported, not only the first with a violation.
    expect.soft(await violations(page), `${name} (${path})`).toEqual([]);
  }
});

test('every page passes axe-core (WCAG 2.1 AA) for a connected account', async ({ page, wallet }) => {
  await connectAs(page, wallet, 4, './');
  for (const [name, path] of PAGES) {
    await page.goto(path);
    await settled(page);
    expect.soft(await violations(page), `${name} (${path}), connected`).toEqual([]);
  }
});

test('the main navigation works with the keyboard alone, focus visible', async ({ page }) => {
  await page.goto('./');
  await expectPage(page, 'browse', 'Browse models');
  // From the top of the page: the brand, then the navigation links in order.
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('brand')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('nav-browse')).toBeFocused();
  await page.keyboard.press('Tab');
  const list = page.getByTestId('nav-list');
  await expect(list).toBeFocused();
  const outline = await list.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline, 'a visible focus ring').not.toBe('none');
  await page.keyboard.press('Enter');
  await expectPage(page, 'list', 'List a model');
});

/** The visible, enabled controls of the page that Tab has not reached yet (one radio of a group
 *  stands for its group: arrow keys move within it). */
function unreachedControls(): string[] {
  const seenGroups = new Set(
    Array.from(document.querySelectorAll<HTMLInputElement>('input[type=radio][data-kb-seen]')).map((r) => r.name),
  );
  return Array.from(
    document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex="0"]'),
  )
    .filter((el) => {
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const hidden = rect.width === 0 || rect.height === 0 || style.visibility === 'hidden';
      const inert = (el as HTMLButtonElement).disabled || el.closest('[inert], details:not([open]) > :not(summary)');
      const input = el as HTMLInputElement;
      const grouped = input.type === 'radio' && seenGroups.has(input.name);
      return !hidden && !inert && input.type !== 'hidden' && !grouped;
    })
    .filter((el) => !el.hasAttribute('data-kb-seen'))
    .map((el) => `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''}`);
}

/** Tabs through the page until every control was focused (or `limit` presses); returns the
 *  controls never reached and the focused elements that showed no focus ring. Focus that falls
 *  back to the page (an element re-rendered under it) just starts the round again. */
async function tabWalk(page: Page, limit: number): Promise<{ unreached: string[]; unringed: string[] }> {
  await page.evaluate(() => {
    for (const el of Array.from(document.querySelectorAll('[data-kb-seen]'))) el.removeAttribute('data-kb-seen');
  });
  const unringed = new Set<string>();
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press('Tab');
    const step = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      el.setAttribute('data-kb-seen', '1');
      const style = getComputedStyle(el);
      const ring = style.outlineStyle !== 'none' || style.boxShadow !== 'none';
      return {
        ring,
        name: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''}`,
      };
    });
    if (step && !step.ring) unringed.add(step.name);
    if (i % 20 === 0 && (await page.evaluate(unreachedControls)).length === 0) break;
  }
  return { unreached: await page.evaluate(unreachedControls), unringed: [...unringed] };
}

test('every page is usable with the keyboard alone: each control reached by Tab, each with a visible focus ring', async ({
  page,
  wallet,
}) => {
  test.setTimeout(240_000);
  await connectAs(page, wallet, 4, './');
  for (const [name, path] of [...PAGES, ['creator', `./#/creator/${await account(1)}`] as [string, string]]) {
    await page.goto(path);
    await settled(page);
    const { unreached, unringed } = await tabWalk(page, 400);
    expect.soft(unreached, `${name}: controls Tab never reaches`).toEqual([]);
    expect.soft(unringed, `${name}: focused without a visible ring`).toEqual([]);
  }
});
