/**
 * Hugging Face model cards in and out (issue #20), on the real app: a real card's README.md
 * (`core/tests/fixtures/hf/`) imported in the wizard's card step fills the card's fields and says
 * what it left out, the I/O schema the model file gave untouched; a README without front matter
 * is refused in words, nothing changed. On the seeded model #1's page, Export downloads a
 * README.md whose front matter parses as YAML and names the model, its task and its claims.
 *
 * Accounts of this file's own: none transacts; #18 walks the wizard.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, test } from '../fixtures';
import { connectAs } from '../support/app';
import { DIGITS, DIGITS_CARD, REPO } from '../support/models';
import { chooseModelFile, next } from '../support/wizard';

/** The YAML parser Playwright itself bundles (the `yaml` package), so the spec adds no dependency. */
const { yaml } = createRequire(import.meta.url)('playwright-core/lib/utilsBundle') as {
  yaml: { parse(text: string): unknown };
};

const DISTILBERT = join(REPO, 'core/tests/fixtures/hf/distilbert-sst2.md');

/** A README's front matter (parsed) and its body. */
function readme(text: string): { meta: Record<string, unknown>; body: string } {
  const lines = text.split('\n');
  expect(lines[0]).toBe('---');
  const end = lines.indexOf('---', 1);
  expect(end).toBeGreaterThan(0);
  const meta = yaml.parse(lines.slice(1, end).join('\n')) as Record<string, unknown>;
  return { meta, body: lines.slice(end + 1).join('\n') };
}

test('a Hugging Face README fills the wizard card, keeping the I/O schema; one without metadata is refused', async ({
  page,
  wallet,
  saveScreenshot,
}) => {
  test.setTimeout(180_000);
  await connectAs(page, wallet, 18, './#/list');
  await chooseModelFile(page, DIGITS);
  await next(page, 'io');
  await page.getByTestId('import-card').setInputFiles(DIGITS_CARD);
  await expect(page.getByTestId('io-ok')).toContainText('Filled the I/O schema and the model card');
  const io = await page.getByTestId('io-schema').inputValue();
  await next(page, 'try');
  await next(page, 'card');

  // Without front matter: refused in words, the fields as they were.
  await page.getByTestId('import-hf-readme').setInputFiles({
    name: 'notes.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from('# Notes\n\nNo metadata here.\n'),
  });
  await expect(page.getByTestId('hf-refused')).toContainText('notes.md was not imported. The file has no front matter');
  await expect(page.getByTestId('card-name')).toHaveValue('Handwritten digits (8×8)');

  await page.getByTestId('import-hf-readme').setInputFiles(DISTILBERT);
  await expect(page.getByTestId('hf-imported')).toHaveText(
    'Imported the name, the description, the licence, 3 tags and 2 self-reported figures from distilbert-sst2.md.',
  );
  await expect(page.getByTestId('hf-left-out')).toContainText('the loss result on glue (sst2)');
  await expect(page.getByTestId('hf-refused')).toHaveCount(0);
  await expect(page.getByTestId('card-name')).toHaveValue('DistilBERT base uncased finetuned SST-2');
  await expect(page.getByTestId('card-licence')).toHaveValue('Apache-2.0');
  await expect(page.getByTestId('card-tags')).toHaveValue('dataset:sst2, dataset:glue, language:en');
  await expect(page.getByTestId('card-task')).toHaveValue('image-classification');
  await expect(page.getByTestId('card-description')).toHaveValue(/accuracy of 91\.3 on the dev set/);
  await expect(page.getByTestId('description-preview')).toContainText('Model Details');
  // The digits card's one metric, then the README's two self-reported figures.
  await expect(page.getByTestId('metric-row')).toHaveCount(3);
  await expect(page.getByTestId('metric-name-1')).toHaveValue('Accuracy on glue (sst2), validation');
  await expect(page.getByTestId('metric-value-1')).toHaveValue(/^0\.910/);
  await expect(page.getByTestId('metric-name-2')).toHaveValue('F1 on glue (sst2), validation');
  await saveScreenshot('hf-card-imported');

  // The I/O schema the model file gave is the same.
  await page.getByTestId('wizard-back').click();
  await page.getByTestId('wizard-back').click();
  await expect(page.getByTestId('io-schema')).toHaveValue(io);
});

test('a model page exports its card as a README.md whose front matter parses and names the model', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./#/model/1');
  await expect(page.getByTestId('model-card')).toBeVisible({ timeout: 60_000 });
  const name = (await page.getByTestId('model-name').textContent()) ?? '';
  expect(name).toBe('Handwritten digits (8×8)');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByTestId('export-hf-readme').click(),
  ]);
  expect(download.suggestedFilename()).toBe('README.md');
  const { meta, body } = readme(readFileSync((await download.path())!, 'utf8'));
  expect(body).toContain(`# ${name}\n`);
  expect(meta.pipeline_tag).toBe('image-classification');
  expect(meta.license).toBeTruthy();
  const index = meta['model-index'] as { name: string; results: { dataset: { revision?: string } }[] }[];
  expect(index).toHaveLength(1);
  expect(index[0].name).toBe(name);
  expect(index[0].results.length).toBeGreaterThan(0);
  for (const result of index[0].results) expect(result.dataset.revision).toMatch(/^baf/);
});
