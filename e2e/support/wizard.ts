/** The listing wizard's steps, for the specs that walk it. */
import { expect, type Page } from '@playwright/test';

/** The wizard's step `slug` (`file`, `io`, `try`, `card`, `tiers`, `shares`, `review`, `publish`). */
export function step(page: Page, slug: string) {
  return page.getByTestId(`step-${slug}`);
}

/** Presses Next and waits for step `to`. */
export async function next(page: Page, to: string) {
  await page.getByTestId('wizard-next').click();
  await expect(step(page, to)).toBeVisible({ timeout: 60_000 });
}

/** Chooses the model file `path` in the wizard's first step and waits until it is inspected and accepted. */
export async function chooseModelFile(page: Page, path: string) {
  await page.getByTestId('model-file').setInputFiles(path);
  await expect(page.getByTestId('file-ok')).toBeVisible({ timeout: 60_000 });
}
