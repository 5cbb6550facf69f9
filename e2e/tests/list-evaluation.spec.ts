/**
 * The listing wizard's evaluation set (issue #19), on the real stack: the creator lists
 * digits.onnx with scikit-learn's held-out digits as an evaluation bundle made now
 * (`inference/tests/evaluation_bundle.py`), dropped in the card step as its files; a manifest
 * without its arrays is refused in words; the card can't go on until the figures are computed;
 * Compute runs every sample on the model file in memory; the publication uploads the arrays and
 * the published manifest before the card. On the model page the claimed accuracy is the figure
 * the wizard computed, and Reproduce says *reproduced*.
 *
 * Accounts of this file's own: #4 lists.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { connectAs } from '../support/app';
import { DIGITS, DIGITS_CARD, MODELS_DIR, REPO } from '../support/models';
import { chooseModelFile, next, step } from '../support/wizard';

const tools = process.env.ASSAY_TOOLS ?? join(homedir(), '.cache', 'assay');
const python = process.env.ASSAY_PYTHON ?? join(tools, 'py', 'bin', 'python');

/** The accuracy scikit-learn measured on the held-out rows when it trained digits.onnx. */
const measured: number = JSON.parse(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8'))['digits.onnx']
  .heldOutAccuracy;

type Manifest = { samples: number; arrays: { name: string; file: string }[] };

test('a model listed with its evaluation set claims the figure computed in the wizard, and the model page reproduces it', async ({
  page,
  wallet,
  saveScreenshot,
}) => {
  test.setTimeout(360_000);
  const dir = mkdtempSync(join(tmpdir(), 'assay-bundle-'));
  execFileSync(python, [join(REPO, 'inference/tests/evaluation_bundle.py'), dir]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const arrays = manifest.arrays.map((a) => join(dir, a.file));

  await connectAs(page, wallet, 4, './#/list');
  await chooseModelFile(page, DIGITS);
  await next(page, 'io');
  await page.getByTestId('import-card').setInputFiles(DIGITS_CARD);
  await expect(page.getByTestId('io-ok')).toContainText('Filled the I/O schema and the model card');
  await next(page, 'try');
  await next(page, 'card');
  await page.getByTestId('card-name').fill('Digits, evaluated in the wizard');

  // The manifest alone: refused in words, nothing taken.
  const files = page.getByTestId('bundle-files');
  await files.setInputFiles(join(dir, 'manifest.json'));
  await expect(page.getByTestId('bundle-problem')).toHaveText(
    `The manifest names ${manifest.arrays[0].file}, which was not dropped with it.`,
  );
  await expect(page.getByTestId('bundle-summary')).toHaveCount(0);

  // The manifest and its arrays: checked, and set up from the card's inputs and outputs.
  await files.setInputFiles([join(dir, 'manifest.json'), ...arrays]);
  await expect(page.getByTestId('bundle-summary')).toContainText(`${manifest.samples} samples, 2 arrays`);
  await expect(page.getByTestId('bundle-problem')).toHaveCount(0);
  await expect(page.getByTestId('evaluation-feed-pixels')).toHaveValue('pixels');
  await expect(page.getByTestId('evaluation-truth')).toHaveValue('digit');
  await expect(page.getByTestId('evaluation-output')).toHaveValue('probabilities');
  await expect(page.getByTestId('claim-accuracy')).toBeChecked();
  await page.getByTestId('evaluation-dataset').fill('scikit-learn digits, held out');

  // Nothing computed yet: the card claims only computed figures.
  await page.getByTestId('wizard-next').click();
  await expect(page.locator('[data-testid=field-error][data-field="evaluation.computed"]')).toContainText(
    'Compute the metrics on this model file',
  );
  await expect(step(page, 'card')).toBeVisible();

  await page.getByTestId('evaluation-compute').click();
  await expect(page.getByTestId('evaluation-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const figure = page.locator('[data-testid=computed-figure][data-metric=accuracy]');
  const computed = (await figure.textContent())!;
  // The browser's figure is scikit-learn's on the same rows.
  expect(Number(computed).toFixed(4)).toBe(measured.toFixed(4));
  await saveScreenshot('list-evaluation-computed');

  await next(page, 'tiers');
  await next(page, 'shares');
  await next(page, 'review');
  await next(page, 'publish');
  await page.getByTestId('publish-untried-ok').check();
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('listed')).toBeVisible({ timeout: 120_000 });
  const id = (await page.getByTestId('listed').getAttribute('data-id'))!;

  // The model page claims the computed figure, reproducibly, and Reproduce reproduces it.
  await page.goto(`./#/model/${id}`);
  const result = page.locator('[data-testid=claimed-result][data-provenance=reproducible]');
  await expect(result).toHaveCount(1, { timeout: 30_000 });
  await expect(result.getByTestId('metric-claimed')).toHaveText(computed);
  await result.getByTestId('reproduce').click();
  await expect(result.getByTestId('reproduce-state')).toHaveAttribute('data-state', 'reproduced', {
    timeout: 120_000,
  });
  await expect(result.getByTestId('metric-observed')).toHaveText(Number(computed).toFixed(4));
  await saveScreenshot('list-evaluation-reproduced');
});
