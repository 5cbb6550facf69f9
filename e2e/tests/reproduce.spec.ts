/**
 * Quality claims anyone can reproduce (issue #19), on the real stack: scikit-learn's held-out
 * digits made now into an evaluation bundle (`inference/tests/evaluation_bundle.py`), published as
 * the app reads it — each array uploaded to the IPFS node, then the manifest naming them by CID,
 * whose CID is the bundle's —, and digits.onnx listed with a card claiming its accuracy on it. On
 * the model page, Reproduce runs every sample in the CPU worker and shows claimed against
 * observed: an honest claim is *reproduced*, an overstated one *does not match* with both numbers,
 * a bundle byte altered by the gateway is refused by CID verification, and Cancel stops a long run
 * and leaves the page usable. Another account records its reproduction on chain
 * (`AssayEvaluations`): the model page and Browse count it.
 *
 * Accounts of this file's own: #5 lists, #11 attests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { connectAs } from '../support/app';
import { account, cast, ipfsAdd, listModel, market, rpc } from '../support/chain';
import { env } from '../support/env';
import { heldOutDigitsFolder } from '../support/evaluation';
import { configWith, tamperingProxy, useConfig } from '../support/ipfs';
import { DIGITS, DIGITS_CARD, MODELS_DIR } from '../support/models';

/** The accuracy scikit-learn measured on the held-out rows when it trained digits.onnx. */
const measured: number = JSON.parse(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8'))['digits.onnx']
  .heldOutAccuracy;

type ArrayEntry = { name: string; file?: string; cid?: string; dtype: string; shape: number[] };
type Manifest = { version: number; samples: number; arrays: ArrayEntry[] } & Record<string, unknown>;

/** A bundle as its creator drops it: the manifest and its files. */
type Folder = { manifest: Manifest; files: Record<string, Buffer> };

function heldOutDigits(): Folder {
  const { dir } = heldOutDigitsFolder();
  // Read whole (dtypes, licence, source): it is published again by CID below.
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const files = Object.fromEntries(manifest.arrays.map((a) => [a.file!, readFileSync(join(dir, a.file!))]));
  return { manifest, files };
}

/** The same rows `times` over: a set large enough that a run lasts seconds (same accuracy). */
function repeated(folder: Folder, times: number): Folder {
  const samples = folder.manifest.samples * times;
  const arrays = folder.manifest.arrays.map((a) => ({ ...a, shape: [samples, ...a.shape.slice(1)] }));
  const files = Object.fromEntries(
    Object.entries(folder.files).map(([name, bytes]) => [name, Buffer.concat(Array(times).fill(bytes))]),
  );
  return { manifest: { ...folder.manifest, samples, arrays }, files };
}

/** Publishes a bundle: each file uploaded, then the manifest naming each array by its CID. */
async function publish(folder: Folder): Promise<{ bundle: string; cids: Record<string, string> }> {
  const cids: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(folder.files)) cids[name] = await ipfsAdd(bytes, name);
  const arrays = folder.manifest.arrays.map(({ file, ...rest }) => ({ ...rest, cid: cids[file!] }));
  const manifest = { ...folder.manifest, arrays };
  const bundle = await ipfsAdd(Buffer.from(JSON.stringify(manifest, null, 2)), 'manifest.json');
  return { bundle, cids };
}

/** Lists digits.onnx with a card claiming `accuracy` on `bundle` (and a self-reported F1). */
async function listClaim(name: string, accuracy: number, bundle: string): Promise<bigint> {
  const model = await ipfsAdd(readFileSync(DIGITS), 'digits.onnx');
  const base = JSON.parse(readFileSync(DIGITS_CARD, 'utf8'));
  const results = [
    {
      task: { type: 'image-classification', name: 'Digit recognition' },
      dataset: { type: 'sklearn-digits', name: 'scikit-learn digits', split: 'rows 1,500-1,796', revision: bundle },
      metrics: [{ type: 'accuracy', value: accuracy, name: 'Accuracy' }],
      evaluation: {
        bundle,
        feeds: [{ array: 'pixels', input: 'pixels' }],
        truth: 'digit',
        read: { kind: 'argmax', output: 'probabilities' },
        tolerance: 0.001,
      },
    },
    {
      task: { type: 'image-classification' },
      dataset: { type: 'sklearn-digits', name: 'scikit-learn digits' },
      metrics: [{ type: 'f1', value: 0.9 }],
    },
  ];
  const card = await ipfsAdd(Buffer.from(JSON.stringify({ ...base, name, model, results })), 'card.json');
  return listModel(await market(), await account(5), card, [{ price: 10n ** 15n }]);
}

const claimed = (page: Page) => page.locator('[data-testid=claimed-result][data-provenance=reproducible]');

async function openModel(page: Page, id: bigint) {
  await page.goto(`./#/model/${id}`);
  await expect(page.getByTestId('claimed-results')).toBeVisible({ timeout: 30_000 });
}

async function reproduce(page: Page) {
  const result = claimed(page);
  await result.getByTestId('reproduce').click();
  await expect(result.getByTestId('reproduce-state')).not.toHaveAttribute('data-state', /idle|running/, {
    timeout: 120_000,
  });
  return result;
}

let digits: Folder;
let honest: bigint;

test.beforeAll(async () => {
  digits = heldOutDigits();
  const { bundle } = await publish(digits);
  honest = await listClaim('Digits, accuracy claimed honestly', measured, bundle);
});

test('an honest claim is reproduced in the browser with both numbers; a figure without a bundle is self-reported', async ({
  page,
  saveScreenshot,
}) => {
  test.setTimeout(180_000);
  await openModel(page, honest);
  // The card's free-text metrics and the result without an evaluation block: the creator's word.
  await expect(page.getByTestId('metrics-self-reported')).toHaveText('Self-reported');
  const selfReported = page.locator('[data-testid=claimed-result][data-provenance=self-reported]');
  await expect(selfReported.getByTestId('result-self-reported')).toHaveText('Self-reported');
  await expect(selfReported.getByTestId('reproduce')).toHaveCount(0);

  const result = await reproduce(page);
  await expect(result.getByTestId('reproduce-state')).toHaveAttribute('data-state', 'reproduced');
  await expect(result.getByTestId('reproduce-verdict')).toHaveAttribute('data-verdict', 'reproduced');
  await expect(result.getByTestId('reproduce-verdict')).toContainText('CPU · tract');
  const row = result.getByTestId('result-metric');
  await expect(row).toHaveAttribute('data-outcome', 'reproduced');
  // Four places at most on the page; the full values in data-value.
  await expect(row.getByTestId('metric-claimed')).toHaveText(String(Number(measured.toFixed(4))));
  await expect(row.getByTestId('metric-claimed')).toHaveAttribute('data-value', String(measured));
  await expect(row.getByTestId('metric-observed')).toHaveText(String(Number(measured.toFixed(4))));
  await saveScreenshot('reproduce-reproduced');
});

test('another account reproduces the claim and records it on chain: the model page and Browse count it', async ({
  page,
  wallet,
  saveScreenshot,
}) => {
  test.setTimeout(240_000);
  await connectAs(page, wallet, 11, `./#/model/${honest}`);
  await expect(page.getByTestId('claimed-results')).toBeVisible({ timeout: 30_000 });
  const tally = page.getByTestId('attestations-tally');
  await expect(tally).toHaveAttribute('data-state', 'read', { timeout: 30_000 });
  await expect(tally).toHaveAttribute('data-reproduced', '0');
  await expect(tally).toHaveText('Not reproduced on chain yet');
  const result = await reproduce(page);
  await expect(result.getByTestId('reproduce-state')).toHaveAttribute('data-state', 'reproduced');
  await page.getByTestId('attest-record').click();
  const toast = page.getByTestId('toast').filter({ hasText: `Record result 1 of model #${honest}` });
  await expect(toast.getByTestId('toast-text')).toContainText('Confirmed', { timeout: 60_000 });
  await expect(page.getByTestId('attest-record')).toHaveText('Recorded');
  // Counted from the chain's logs: one account, which holds no licence of the model.
  await expect(tally).toHaveAttribute('data-reproduced', '1', { timeout: 30_000 });
  await expect(tally).toHaveAttribute('data-licensees', '0');
  await expect(tally).toHaveText('Reproduced by 1 account');
  await saveScreenshot('reproduce-attested');

  // The event itself: the attesting account, the observed accuracy in 6 decimals, matched.
  const config = (await (await fetch(new URL('config.json', env.appUrl))).json()) as {
    contracts: Record<string, string>;
  };
  const evaluations = config.contracts.AssayEvaluations;
  const topic = cast('sig-event', 'EvaluationReproduced(uint256,uint256,address,uint256,int256[],bool,bool)');
  const logs = (await rpc('eth_getLogs', [
    {
      address: evaluations,
      fromBlock: '0x0',
      toBlock: 'latest',
      topics: [topic, `0x${honest.toString(16).padStart(64, '0')}`],
    },
  ])) as { topics: string[]; data: string }[];
  expect(logs).toHaveLength(1);
  expect(BigInt(logs[0].topics[3])).toBe(BigInt(await account(11)));
  const [resultIndex, observed, matched, licensed] = cast(
    'decode-abi',
    '--input',
    'f(uint256,int256[],bool,bool)',
    logs[0].data,
  ).split('\n');
  expect([resultIndex, matched, licensed]).toEqual(['0', 'true', 'false']);
  const micro = JSON.parse(observed.replace(/ \[[^\]]*\]/g, '')) as number[];
  expect(micro).toHaveLength(1);
  // The browser's own figure (scikit-learn's, rounded to 4 places, is `measured`).
  expect(Math.abs(micro[0] / 1e6 - measured)).toBeLessThanOrEqual(0.00005);

  // Browse: the card says so, and the "Claims reproduced" filter keeps it.
  await page.goto('./#/?reproduced=1');
  await expect(page.getByTestId('browse-reproduced')).toBeChecked();
  const card = page.locator(`[data-testid=listing-card][data-id="${honest}"]`);
  await expect(card.getByTestId('listing-reproduced')).toHaveText('Reproduced by 1 account', { timeout: 30_000 });
  await expect(
    page.locator('[data-testid=listing-card]').filter({ hasNot: page.getByTestId('listing-reproduced') }),
  ).toHaveCount(0);
});

test('an overstated claim does not match, with both numbers', async ({ page, saveScreenshot }) => {
  test.setTimeout(180_000);
  const { bundle } = await publish(digits);
  const overstated = await listClaim('Digits, accuracy overstated', 0.95, bundle);
  await openModel(page, overstated);
  const result = await reproduce(page);
  await expect(result.getByTestId('reproduce-state')).toHaveAttribute('data-state', 'does-not-match');
  const row = result.getByTestId('result-metric');
  await expect(row).toHaveAttribute('data-outcome', 'does-not-match');
  await expect(row.getByTestId('metric-claimed')).toHaveText('0.95');
  await expect(row.getByTestId('metric-observed')).toHaveText(String(Number(measured.toFixed(4))));
  await expect(result.getByTestId('reproduce-verdict')).toContainText(
    `accuracy claimed 0.95 but observed ${measured.toFixed(4)}`,
  );
  await saveScreenshot('reproduce-does-not-match');
});

test('a bundle byte altered on the way is refused by CID verification: could not run', async ({ browser }) => {
  test.setTimeout(180_000);
  const { bundle, cids } = await publish(digits);
  const id = await listClaim('Digits, bundle tampered on the way', measured, bundle);
  const pixels = cids['pixels.bin'];
  const proxy = await tamperingProxy(env.ipfsUrl, { tamper: (url) => url.includes(pixels) });
  const context = await browser.newContext();
  try {
    await useConfig(context, await configWith({ gateways: [proxy.url] }));
    const page = await context.newPage();
    await openModel(page, id);
    const result = await reproduce(page);
    expect(proxy.tampered()).toBeGreaterThan(0);
    await expect(result.getByTestId('reproduce-state')).toHaveAttribute('data-state', 'could-not-run');
    await expect(result.getByTestId('reproduce-verdict')).toContainText('Could not run');
    await expect(result.getByTestId('reproduce-verdict')).toContainText('altered on the way');
    await expect(result.getByTestId('metric-observed')).toHaveText('—');
    await page.screenshot({ path: join(env.artifactsDir, 'reproduce-tampered.png'), fullPage: true });
  } finally {
    await context.close();
    await proxy.close();
  }
});

test('Cancel stops a long evaluation between chunks; the page stays usable and Reproduce then completes', async ({
  page,
}) => {
  test.setTimeout(300_000);
  // 300 × the held-out rows: 89,100 samples, the same accuracy.
  const { bundle } = await publish(repeated(digits, 300));
  const id = await listClaim('Digits, a long evaluation', measured, bundle);
  await openModel(page, id);
  const result = claimed(page);
  await result.getByTestId('reproduce').click();
  const progress = result.getByTestId('reproduce-progress');
  await expect(progress).toContainText(/of 89100 samples · \d+(\.\d)? samples\/s · about .* left/, {
    timeout: 120_000,
  });
  await expect(result.getByTestId('reproduce')).toBeDisabled();
  await result.getByTestId('reproduce-cancel').click();
  await expect(result.getByTestId('reproduce-state')).toHaveAttribute('data-state', 'cancelled');
  await expect(result.getByTestId('reproduce-cancelled')).toContainText('Cancelled');
  await expect(result.getByTestId('reproduce-cancel')).toHaveCount(0);
  await expect(result.getByTestId('metric-observed')).toHaveText('—');

  // The page answers: the trial starts on the same CPU worker; then a second run completes.
  await page.getByTestId('trial-start').click();
  await expect(page.locator('[data-step="2"]')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await result.getByTestId('reproduce').click();
  await expect(result.getByTestId('reproduce-state')).toHaveAttribute('data-state', 'reproduced', {
    timeout: 240_000,
  });
  await expect(result.getByTestId('metric-observed')).toHaveText(String(Number(measured.toFixed(4))));
});
