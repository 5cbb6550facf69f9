/** Trial-panel gestures shared by specs. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

/** Draws a straight stroke on the trial's drawing pad, from and to fractions of its size. */
export async function drawStroke(page: Page, from: [number, number], to: [number, number]) {
  // Mouse events only reach what is inside the viewport.
  await page.getByTestId('trial-pad').scrollIntoViewIfNeeded();
  const box = (await page.getByTestId('trial-pad').boundingBox())!;
  await page.mouse.move(box.x + from[0] * box.width, box.y + from[1] * box.height);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    const t = i / 10;
    await page.mouse.move(
      box.x + (from[0] + (to[0] - from[0]) * t) * box.width,
      box.y + (from[1] + (to[1] - from[1]) * t) * box.height,
    );
  }
  await page.mouse.up();
  // The stroke is on the pad.
  const dark = await page.getByTestId('trial-pad').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++;
    return n;
  });
  expect(dark).toBeGreaterThan(1000);
}

/** Starts the trial, draws a 1 on the pad, runs it and waits for 1 as the top class. */
export async function tryDrawnOne(page: Page) {
  await page.getByTestId('trial-start').click();
  await expect(page.locator('[data-step="2"]')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await drawStroke(page, [0.5, 0.1], [0.5, 0.9]);
  await page.getByTestId('trial-run').click();
  await expect(page.getByTestId('trial-result').first().locator('.bar').first()).toHaveAttribute('data-label', '1', {
    timeout: 120_000,
  });
}
