/**
 * IPFS in the app (issue #5), driven through the `#/bench/ipfs` working page, which uses the
 * app's Rust `ipfs` API: uploads computed and checked locally, verified fetches, the IndexedDB
 * cache, typed errors. Real components only: the stack's IPFS node, a private IPFS node this
 * file starts and stops, and a real HTTP proxy that flips a byte in what the node sends.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { Browser } from '@playwright/test';
import { env, expect, test } from '../fixtures';
import {
  cacheState,
  configWith,
  events,
  expectMonotonicToFull,
  fetchCid,
  HELLO_CID,
  MiB,
  nodeAdd,
  openBench,
  privateNode,
  sha256,
  tamperingProxy,
  uploadFile,
  useConfig,
} from '../support/ipfs';

test('a 20 MB file uploaded in one browser context is fetched byte-identical in a fresh one; CIDs agree everywhere', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const bytes = randomBytes(20 * MiB);
  const digest = sha256(bytes);

  // Context A uploads.
  const uploader = await browser.newContext();
  const pageA = await uploader.newPage();
  await openBench(pageA);
  const cid = await uploadFile(pageA, 'model.bin', bytes);
  expect(cid).toMatch(/^bafybei[a-z2-7]+$/);
  // The same CID from the app's Rust code, from the bundled JS importer in Chromium, and from
  // the node (which the app already required to match before reporting the CID).
  await expect(pageA.getByTestId('bench-cid-rust')).toHaveText(cid);
  await expect(pageA.getByTestId('bench-cid-js')).toHaveText(cid);
  expect(await nodeAdd(env.ipfsUrl, bytes, true)).toBe(cid);
  await expect(pageA.getByTestId('bench-upload-sha256')).toHaveText(digest);
  // Progress: hashing first, then sending, each monotonic and ending at the full size.
  const uploadEvents = await events<[string, number, number]>(pageA, 'bench-upload-events');
  const phases = uploadEvents.map(([phase]) => phase);
  expect(phases.indexOf('send')).toBeGreaterThan(phases.lastIndexOf('hash'));
  for (const phase of ['hash', 'send']) {
    expectMonotonicToFull(
      uploadEvents.filter(([p]) => p === phase).map(([, done, total]) => [done, total]),
      bytes.length,
    );
  }
  await uploader.close();

  // Context B: fresh profile, empty IndexedDB.
  const reader = await browser.newContext();
  const pageB = await reader.newPage();
  await openBench(pageB);
  expect(await cacheState(pageB, cid)).toBe('not cached');
  const first = await fetchCid(pageB, cid);
  expect(first).toMatchObject({ state: 'done', size: bytes.length, sha256: digest });
  expect(first.source).toBe(env.ipfsUrl.replace(/\/$/, ''));
  expectMonotonicToFull(await events<[number, number]>(pageB, 'bench-fetch-events'), bytes.length);
  await expect(pageB.getByTestId('bench-fetch-progress')).toHaveAttribute('value', '100');

  // The cache is written after the bytes are returned: in this page, asking waits for that write.
  expect(await cacheState(pageB, cid)).toBe('cached');
  // A second open (after a reload) comes from IndexedDB.
  await pageB.reload();
  await expect(pageB.locator('section[data-page="bench-ipfs"]')).toBeVisible();
  expect(await cacheState(pageB, cid)).toBe('cached');
  const second = await fetchCid(pageB, cid);
  expect(second).toMatchObject({ state: 'done', size: bytes.length, sha256: digest, source: 'cache' });
  expectMonotonicToFull(await events<[number, number]>(pageB, 'bench-fetch-events'), bytes.length);
  await reader.close();
});

/** Fetches `cid` through `proxy` alone in a fresh context: refused as tampered, nothing cached. */
async function expectTampered(browser: Browser, proxy: Awaited<ReturnType<typeof tamperingProxy>>, cid: string) {
  const context = await browser.newContext();
  await useConfig(context, await configWith({ gateways: [proxy.url] }));
  const page = await context.newPage();
  await openBench(page);
  const outcome = await fetchCid(page, cid);
  expect(proxy.tampered()).toBeGreaterThan(0);
  expect(outcome.state).toBe('error');
  expect(outcome.errorKind).toBe('tampered');
  expect(outcome.error).toContain('altered on the way');
  expect(await cacheState(page, cid)).toBe('not cached');
  await context.close();
  return outcome;
}

test('a tampering proxy between browser and gateway gives a "tampered" error and nothing is cached; the next gateway is then used', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const bytes = randomBytes(3 * MiB + 17);
  const cid = await nodeAdd(env.ipfsUrl, bytes);
  const proxy = await tamperingProxy(env.ipfsUrl);
  try {
    const outcome = await expectTampered(browser, proxy, cid);
    expect(outcome.error).toContain('Nothing was saved');

    // Gateways are tried in order: the tampering one fails, the honest one serves verified bytes.
    const both = await browser.newContext();
    await useConfig(both, await configWith({ gateways: [proxy.url, env.ipfsUrl] }));
    const page2 = await both.newPage();
    await openBench(page2);
    const recovered = await fetchCid(page2, cid);
    expect(recovered).toMatchObject({ state: 'done', size: bytes.length, sha256: sha256(bytes) });
    expect(recovered.source!.startsWith(env.ipfsUrl)).toBe(true);
    await both.close();
  } finally {
    await proxy.close();
  }
});

test('with the IPFS node stopped, a cached file still opens and an uncached one fails with a clear message', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const node = await privateNode();
  try {
    const context = await browser.newContext();
    await useConfig(context, await configWith({ gateways: [node.url], uploadApi: `${node.url}/api/v0` }));
    const page = await context.newPage();
    await openBench(page);
    const bytes = randomBytes(5 * MiB);
    const cid = await uploadFile(page, 'weights.bin', bytes);
    const online = await fetchCid(page, cid);
    expect(online).toMatchObject({ state: 'done', sha256: sha256(bytes) });
    expect(online.source!.startsWith(node.url)).toBe(true);

    await node.stop();
    const offlinePage = await context.newPage();
    await openBench(offlinePage);
    const cached = await fetchCid(offlinePage, cid);
    expect(cached).toMatchObject({ state: 'done', size: bytes.length, sha256: sha256(bytes), source: 'cache' });
    const missing = await fetchCid(offlinePage, HELLO_CID);
    expect(missing.state).toBe('error');
    expect(missing.errorKind).toBe('unreachable');
    expect(missing.error).toContain('No IPFS gateway could be reached');
    expect(missing.error).toContain('node may be stopped');
    await context.close();
  } finally {
    await node.stop();
  }
});

test('absent content and files over the size limit are refused in words', async ({ page }) => {
  await openBench(page);
  const absent = await fetchCid(page, HELLO_CID.replace('5e', '5a'));
  expect(absent.errorKind).toBe('not_found');
  expect(absent.error).toContain('None of the IPFS gateways has');
  const bytes = randomBytes(2 * MiB + 5);
  const cid = await nodeAdd(env.ipfsUrl, bytes);
  const tooLarge = await fetchCid(page, cid, '1000000');
  expect(tooLarge.errorKind).toBe('too_large');
  expect(tooLarge.error).toMatch(/This file is 2\.1 MB, more than the 1\.0 MB this page accepts\./);
  expect(await cacheState(page, cid)).toBe('not cached');
  const invalid = await fetchCid(page, 'not-a-cid');
  expect(invalid.errorKind).toBe('invalid_cid');
});

test('the published app at /ipfs/<cid>/ loads the IPFS module from its own directory and uploads and fetches', async ({
  page,
}) => {
  const loaded: string[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/assay-ipfs.js')) loaded.push(`${response.status()} ${response.url()}`);
  });
  await openBench(page, env.appIpfsUrl);
  await page.getByTestId('bench-size').fill('2.5');
  await page.getByTestId('bench-seed').fill('7');
  await page.getByTestId('bench-upload-generated').click();
  await expect(page.getByTestId('bench-upload-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const cid = (await page.getByTestId('bench-cid').textContent())!.trim();
  await expect(page.getByTestId('bench-cid-rust')).toHaveText(cid);
  await expect(page.getByTestId('bench-cid-js')).toHaveText(cid);
  const outcome = await fetchCid(page, cid);
  expect(outcome).toMatchObject({ state: 'done', size: 2_500_000 });
  expect(loaded).toEqual([`200 ${new URL('assay-ipfs.js', env.appIpfsUrl).href}`]);
});

test('the streamed file is checked leaf by leaf: a proxy that alters only the file stream is caught, and a Trustless-only gateway is read block by block, where an altered leaf is caught too', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const bytes = randomBytes(5 * MiB + 3);
  const cid = await nodeAdd(env.ipfsUrl, bytes);
  const isFileStream = (url: string) => url.startsWith(`/ipfs/${cid}`) && !url.includes('format=');
  const isLeafBlock = (url: string) => url.includes('format=raw') && !url.startsWith(`/ipfs/${cid}`);
  const streamTamper = await tamperingProxy(env.ipfsUrl, { tamper: isFileStream });
  const leafTamper = await tamperingProxy(env.ipfsUrl, { trustlessOnly: true, tamper: isLeafBlock });
  const trustless = await tamperingProxy(env.ipfsUrl, { trustlessOnly: true, tamper: () => false });
  try {
    for (const proxy of [streamTamper, leafTamper]) await expectTampered(browser, proxy, cid);
    // The stream proxy's root block was honest: the stream was what failed.
    expect(streamTamper.requests.some((url) => url === `/ipfs/${cid}`)).toBe(true);
    // An honest Trustless-only gateway: the path request is refused, the blocks are fetched.
    const context = await browser.newContext();
    await useConfig(context, await configWith({ gateways: [trustless.url] }));
    const page = await context.newPage();
    await openBench(page);
    const outcome = await fetchCid(page, cid);
    expect(outcome).toMatchObject({ state: 'done', size: bytes.length, sha256: sha256(bytes) });
    expect(trustless.requests.filter((url) => url.includes('format=raw')).length).toBe(
      1 + Math.ceil(bytes.length / MiB),
    );
    expect(await cacheState(page, cid)).toBe('cached');
    await context.close();
  } finally {
    await Promise.all([streamTamper.close(), leafTamper.close(), trustless.close()]);
  }
});

test('a gateway that accepts the connection and sends nothing is abandoned after the idle time-out for the next one; with only such gateways the user is told it timed out', async ({
  browser,
}) => {
  // The page uses the app's default idle time-out (30 s): it has no field to shorten it.
  test.setTimeout(180_000);
  const sockets = new Set<Socket>();
  let connections = 0;
  const silent = createTcpServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
  const silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
  try {
    const bytes = randomBytes(2 * MiB + 11);
    const cid = await nodeAdd(env.ipfsUrl, bytes);

    const context = await browser.newContext();
    await useConfig(context, await configWith({ gateways: [silentUrl, env.ipfsUrl] }));
    const page = await context.newPage();
    await openBench(page);
    let started = Date.now();
    const recovered = await fetchCid(page, cid);
    const waited = Date.now() - started;
    expect(recovered).toMatchObject({ state: 'done', size: bytes.length, sha256: sha256(bytes) });
    expect(recovered.source).toBe(env.ipfsUrl.replace(/\/$/, ''));
    expect(connections).toBeGreaterThan(0);
    expect(waited).toBeGreaterThanOrEqual(29_000);
    expect(waited).toBeLessThan(90_000);
    await context.close();

    const only = await browser.newContext();
    await useConfig(only, await configWith({ gateways: [silentUrl] }));
    const page2 = await only.newPage();
    await openBench(page2);
    const before = connections;
    started = Date.now();
    const timedOut = await fetchCid(page2, cid);
    expect(Date.now() - started).toBeGreaterThanOrEqual(29_000);
    expect(connections).toBeGreaterThan(before);
    expect(timedOut.state).toBe('error');
    expect(timedOut.errorKind).toBe('timed_out');
    expect(timedOut.error).toContain('The IPFS gateway stopped answering');
    expect(timedOut.error).toContain(`no answer from ${silentUrl}/ipfs/${cid}`);
    expect(timedOut.error).toContain('30000 ms');
    expect(await cacheState(page2, cid)).toBe('not cached');
    await only.close();
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => silent.close(done));
  }
});

test('with a pinning service and its token, an upload is pinned and listed by the service; a wrong or missing token is refused in words and nothing is pinned', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const token = `e2e-${randomBytes(12).toString('hex')}`;
  const node = await privateNode(['--pinning-token', token]);
  const pins = async (cid: string, status = 'pinned') => {
    const response = await fetch(`${node.url}/psa/pins?cid=${cid}&status=${status}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      count: number;
      results: { status: string; pin: { cid: string; name?: string } }[];
    };
  };
  try {
    const config = await configWith({
      gateways: [node.url],
      uploadApi: `${node.url}/api/v0`,
      pinningService: `${node.url}/psa`,
    });
    const withToken = async (value: string | null) => {
      const context = await browser.newContext();
      await useConfig(context, config);
      if (value != null) await context.addInitScript((t) => localStorage.setItem('assay.ipfs.pinningToken', t), value);
      const page = await context.newPage();
      await openBench(page);
      return { context, page };
    };

    // The right token: uploaded, pinned, listed.
    const good = await withToken(token);
    const bytes = randomBytes(3 * MiB + 1);
    const cid = await uploadFile(good.page, 'pinned-model.onnx', bytes);
    const listed = await pins(cid);
    expect(listed.count).toBe(1);
    expect(listed.results[0]).toMatchObject({ status: 'pinned', pin: { cid, name: 'pinned-model.onnx' } });
    await good.context.close();

    // A wrong token, then none: the upload reaches the node, the pin is refused, the user is told.
    for (const [value, words] of [
      ['not-the-token-1234', 'refused the access token (HTTP 401'],
      [null, 'needs an access token and none is set'],
    ] as const) {
      const bad = await withToken(value);
      const other = randomBytes(MiB + 7);
      await bad.page
        .getByTestId('bench-file')
        .setInputFiles({ name: 'unpinned.bin', mimeType: 'application/octet-stream', buffer: other });
      await bad.page.getByTestId('bench-upload-file').click();
      const status = bad.page.getByTestId('bench-upload-status');
      await expect(status).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
      const error = bad.page.getByTestId('bench-upload-error');
      await expect(error).toHaveAttribute('data-kind', 'pin_rejected');
      const text = (await error.textContent())!;
      expect(text).toContain('The pinning service refused to pin the file');
      expect(text).toContain(words);
      const otherCid = await nodeAdd(node.url, other, true);
      expect(text).toContain(`the file was uploaded as ${otherCid} but is not pinned`);
      for (const state of ['pinned', 'failed', 'queued']) expect((await pins(otherCid, state)).count).toBe(0);
      await bad.context.close();
    }
  } finally {
    await node.stop();
  }
});
