/**
 * A 360 px wide phone against the seeded stack: the buy summary's split of the seeded derivative
 * "Handwritten digits, small (8×8)" (protocol fee, the parent's owner, the model owner) keeps each
 * row on one line — short addresses with the checksummed one in their title and a copy button —
 * and the model page states the model file's size and download time.
 */
import { expect, test } from '../fixtures';

test.use({ viewport: { width: 360, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });

const DERIVATIVE = 'Handwritten digits, small (8×8)';

test('on a 360 px screen the buy summary shows one line a payee, short addresses with the full one to copy', async ({
  page,
}) => {
  await page.goto(`./#/?q=${encodeURIComponent('small')}`);
  const card = page.getByTestId('listing-card').filter({ has: page.getByText(DERIVATIVE, { exact: true }) });
  await expect(card).toHaveCount(1, { timeout: 30_000 });
  await card.getByTestId('listing-link').click();
  await expect(page.getByTestId('model-name')).toHaveText(DERIVATIVE);

  // The model file's size without downloading it, in a readable unit, with its download time.
  await expect(page.getByTestId('model-download-size')).toHaveAttribute('data-bytes', /^\d+$/, { timeout: 30_000 });
  await expect(page.getByTestId('model-download-size')).toHaveText(/^\d+(\.\d)? (B|kB|MB)$/);
  await expect(page.getByTestId('model-download-time')).toHaveText(/ at 50 Mbit\/s$/);

  await page.getByTestId('tier').first().getByTestId('tier-choose').click();
  const split = page.getByTestId('buy-split');
  const rows = split.getByTestId('split-row');
  // The parent's owner (digits is its parent), the model owner, and the protocol fee if any.
  await expect(rows.filter({ hasText: 'Owner of parent model' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Model owner' })).toHaveCount(1);
  for (const row of await rows.all()) {
    const account = row.getByTestId('split-account');
    const full = (await account.getAttribute('title'))!;
    expect(full).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(full).not.toBe(full.toLowerCase()); // checksummed
    await expect(account).toHaveText(`${full.slice(0, 6)}…${full.slice(-4)}`);
    // One line: a row is less than two lines of its text high.
    const { height, fontSize } = await row.evaluate((tr) => ({
      height: tr.getBoundingClientRect().height,
      fontSize: Number.parseFloat(getComputedStyle(tr).fontSize),
    }));
    expect(height, `row "${await row.textContent()}" on one line`).toBeLessThan(fontSize * 3);
  }
  // Nothing sticks out sideways.
  const { tableWidth, roomWidth } = await split.evaluate((table) => ({
    tableWidth: table.scrollWidth,
    roomWidth: (table.parentElement as HTMLElement).clientWidth,
  }));
  expect(tableWidth).toBeLessThanOrEqual(roomWidth);
  await expect(rows.filter({ hasText: 'Owner of parent model' }).locator('th')).toHaveAttribute(
    'title',
    /^Owner of parent model #\d+$/,
  );

  // The copy button puts the whole checksummed address on the clipboard.
  const owner = rows.filter({ hasText: 'Model owner' });
  const full = (await owner.getByTestId('split-account').getAttribute('title'))!;
  await owner.getByTestId('copy').click();
  await expect(owner.getByTestId('copy')).toHaveAttribute('data-copied', 'true');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(full);
});
