/**
 * What real users bring (issue #16): models shaped like the ones people list, generated now by
 * `inference/tests/shapes.py` with the `onnx` package — control flow with a scalar input and a
 * recurrent state, class scores as [N, C, 1, 1], free picture sides, a flat [N, 64] input — taken
 * through the listing wizard in Chromium and checked against Python onnxruntime on the exact
 * tensors the page fed. A model tract cannot analyse is validated and tried on onnxruntime-web's
 * wasm backend, and listed.
 *
 * Accounts of this file's own: #17 lists, #18 only walks the wizard.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { connectAs } from '../support/app';
import { REPO } from '../support/models';
import { drawStroke } from '../support/trial';
import { chooseModelFile, next } from '../support/wizard';

const tools = process.env.ASSAY_TOOLS ?? join(homedir(), '.cache', 'assay');
const python = process.env.ASSAY_PYTHON ?? join(tools, 'py', 'bin', 'python');
const corpus = mkdtempSync(join(tmpdir(), 'assay-shapes-'));
const model = (name: string) => join(corpus, `${name}.onnx`);

test.beforeAll(() => {
  execFileSync(python, [join(REPO, 'inference/tests/shapes.py'), corpus]);
});

type TensorJson = { name: string; shape: number[]; data: { dtype: string; values: number[] } };

/** The latest result's exact tensors, as the page fed and got them. */
async function lastTensors(page: Page): Promise<{ inputs: TensorJson[]; outputs: TensorJson[] }> {
  const text = await page.getByTestId('trial-result').first().getByTestId('trial-tensors').textContent();
  return JSON.parse(text!);
}

/** Python onnxruntime on the page's inputs must give the page's outputs (≤ 1e-4 of their scale). */
async function expectEqualToOnnxruntime(page: Page, name: string) {
  const { inputs, outputs } = await lastTensors(page);
  const request = JSON.stringify({ model: model(name), inputs, outputs: outputs.map((o) => o.name) });
  const reply = JSON.parse(
    execFileSync(python, [join(REPO, 'inference/tests/reference.py')], {
      input: request,
      maxBuffer: 64 << 20,
    }).toString(),
  ).outputs as Record<string, { shape: number[]; values: number[] }>;
  for (const ours of outputs) {
    const theirs = reply[ours.name];
    expect(ours.shape, ours.name).toEqual(theirs.shape);
    const scale = Math.max(1, ...theirs.values.map(Math.abs));
    const worst = Math.max(0, ...ours.data.values.map((v, i) => Math.abs(Number(v) - theirs.values[i])));
    expect(worst / scale, `${name}: ${ours.name}`).toBeLessThanOrEqual(1e-4);
  }
}

/** Starts the trial on the wizard's Try step and waits until the model is compiled. */
async function startTrial(page: Page) {
  await page.getByTestId('trial-start').click();
  await expect(page.locator('[data-step="2"]')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
}

async function run(page: Page, engine: RegExp) {
  const results = await page.getByTestId('trial-result').count();
  await page.getByTestId('trial-run').click();
  await expect(page.getByTestId('trial-result')).toHaveCount(results + 1, { timeout: 120_000 });
  await expect(page.getByTestId('trial-error')).toHaveCount(0);
  await expect(page.getByTestId('trial-result').first().getByTestId('trial-engine')).toHaveText(engine);
}

test('a control-flow model with a scalar input and a state runs on onnxruntime-web on the CPU, equal to onnxruntime, and is listed', async ({
  page,
  wallet,
}) => {
  test.setTimeout(300_000);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await connectAs(page, wallet, 17, './#/list');
  await chooseModelFile(page, model('vad'));
  // ✓ once an engine has prepared it, with tract's reason in words (no internals).
  const engines = page.getByTestId('file-engines');
  await expect(engines).toContainText('Runs on onnxruntime-web on the CPU (wasm).');
  await expect(engines).toContainText('cannot work out the tensor shapes inside this model');
  await expect(engines).not.toContainText('Failed analyse');
  await next(page, 'io');

  // The proposal: the scalar as one field, the state fed with zeros, the samples a tensor.
  const kind = (input: string) =>
    page.locator(`[data-testid=io-input][data-input="${input}"] [data-testid=io-input-kind]`);
  await expect(kind('sr')).toHaveValue('fields');
  await expect(kind('state')).toHaveValue('state');
  await expect(kind('input')).toHaveValue('tensor');
  await expect(page.getByTestId('io-schema')).toHaveValue(/"shape": \[\]/);
  await next(page, 'try');
  await expect(page.getByTestId('try-engines')).toContainText('Runs on onnxruntime-web on the CPU (wasm).');

  await startTrial(page);
  await expect(page.getByTestId('trial-verdict')).toContainText('onnxruntime-web on the CPU (wasm)');
  await expect(page.getByTestId('trial-state')).toContainText('fed with zeros');
  // The samples' box holds an example of the right shape, so Run works without typing JSON.
  await expect(page.getByTestId('trial-json')).toHaveValue(/^\[\[0, 0, 0/);
  await page.getByTestId('trial-field').fill('16000');
  await run(page, /CPU · onnxruntime-web \(wasm\)/);
  await expectEqualToOnnxruntime(page, 'vad');
  const { inputs } = await lastTensors(page);
  expect(inputs.find((t) => t.name === 'sr')).toMatchObject({ shape: [], data: { dtype: 'i64', values: [16000] } });

  await next(page, 'card');
  await page.getByTestId('card-name').fill('Voice activity (control flow)');
  await page.getByTestId('card-task').fill('audio-classification');
  await page.getByTestId('card-licence').fill('MIT');
  await page.getByTestId('card-description').fill('Says whether a window of samples holds speech.');
  await next(page, 'tiers');
  await next(page, 'shares');
  await next(page, 'review');
  await next(page, 'publish');
  await expect(page.getByTestId('publish-untried')).toHaveCount(0);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('listed')).toBeVisible({ timeout: 120_000 });
  // onnxruntime's own warnings (IR 4 initialisers and the like) stay out of the console.
  expect(consoleErrors.filter((e) => /onnxruntime|\[W:/.test(e))).toEqual([]);
});

test('class scores shaped [1, 10, 1, 1] are shown as classes, equal to onnxruntime', async ({ page, wallet }) => {
  test.setTimeout(180_000);
  await connectAs(page, wallet, 18, './#/list');
  await chooseModelFile(page, model('nchw_classes'));
  await expect(page.getByTestId('file-engines')).toContainText('Runs on the CPU engine (tract)');
  await next(page, 'io');
  await expect(page.locator('[data-testid=io-output][data-output="scores"] [data-testid=io-output-kind]')).toHaveValue(
    'classes',
  );
  await expect(page.getByTestId('io-labels')).toHaveValue(/^0\n1\n2/);
  await next(page, 'try');
  await startTrial(page);
  await drawStroke(page, [0.2, 0.2], [0.8, 0.8]);
  await run(page, /CPU · tract/);
  await expect(page.getByTestId('trial-result').first().locator('.bar')).toHaveCount(5);
  await expectEqualToOnnxruntime(page, 'nchw_classes');
});

test('a detector with free picture sides is tried on a picture of a size chosen in the form; its map is previewed, not laid out', async ({
  page,
  wallet,
}) => {
  test.setTimeout(180_000);
  await connectAs(page, wallet, 18, './#/list');
  await chooseModelFile(page, model('ocr_det'));
  await next(page, 'io');
  const size = (name: string) => page.locator(`[data-testid=io-size][data-size="${name}"]`);
  await expect(size('x[2]')).toHaveValue('224');
  await size('x[2]').fill('64');
  await size('x[2]').blur();
  await size('x[3]').fill('96');
  await size('x[3]').blur();
  await expect(page.getByTestId('io-picture')).toContainText('96×64 pixels, 3 channels');
  await expect(page.getByTestId('io-schema')).toHaveValue(/"shape": \[\s*1,\s*3,\s*64,\s*96\s*\]/);
  await next(page, 'try');
  await startTrial(page);
  await drawStroke(page, [0.1, 0.5], [0.9, 0.5]);
  await run(page, /CPU · tract/);
  const raw = page.getByTestId('trial-result').first().getByTestId('trial-raw');
  await expect(raw).toHaveAttribute('data-total', String(64 * 96));
  await expect(raw).toHaveAttribute('data-shown', '200');
  await expect(raw.getByTestId('trial-raw-values')).toContainText('more values; download the full tensor');
  const download = page.waitForEvent('download');
  await raw.getByTestId('trial-raw-npy').click();
  expect((await download).suggestedFilename()).toBe('maps.npy');
  // The page is as wide as the window: nothing overflows sideways.
  const [pageWidth, windowWidth] = await page.evaluate((): [number, number] => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(pageWidth).toBeLessThanOrEqual(windowWidth);
  await expectEqualToOnnxruntime(page, 'ocr_det');
});

test('the schema form makes a drawing pad for a flat [N, 64] input without typing JSON', async ({ page, wallet }) => {
  test.setTimeout(180_000);
  await connectAs(page, wallet, 18, './#/list');
  await chooseModelFile(page, model('flat_digits'));
  await next(page, 'io');
  const kind = page.locator('[data-testid=io-input][data-input="x"] [data-testid=io-input-kind]');
  await expect(kind).toHaveValue('fields');
  await kind.selectOption('picture');
  await expect(page.getByTestId('io-picture')).toHaveText('8×8 pixels, 1 channel, channels first');
  await expect(page.getByTestId('io-form-error')).toHaveCount(0);
  await next(page, 'try');
  await startTrial(page);
  await expect(page.getByTestId('trial-pad')).toBeVisible();
  await drawStroke(page, [0.5, 0.1], [0.5, 0.9]);
  await run(page, /CPU · tract/);
  await expect(page.getByTestId('trial-result').first().locator('.bar')).toHaveCount(5);
  await expectEqualToOnnxruntime(page, 'flat_digits');
});

// The rest of the corpus, each with the inputs the wizard proposes (fields at their defaults,
// tensors prefilled with an example): the result must equal onnxruntime's on either CPU engine.
for (const [name, engine] of [
  ['scalar', /CPU · tract/],
  ['if_same', /CPU · tract/],
  ['loop', /CPU · onnxruntime-web \(wasm\)/],
  ['multi_io', /CPU · tract/],
  ['flat_wide', /CPU · tract/],
] as const) {
  test(`${name}: proposed, validated and tried as proposed, equal to onnxruntime`, async ({ page, wallet }) => {
    test.setTimeout(180_000);
    await connectAs(page, wallet, 18, './#/list');
    await chooseModelFile(page, model(name));
    await next(page, 'io');
    await expect(page.getByTestId('io-form-error')).toHaveCount(0);
    await next(page, 'try');
    await startTrial(page);
    await run(page, engine);
    await expectEqualToOnnxruntime(page, name);
  });
}
