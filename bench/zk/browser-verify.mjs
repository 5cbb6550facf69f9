// Serves verify.html, @ezkljs/engine's web build and one benchmark folder's proof, vk, settings and SRS
// on localhost (cross-origin isolated: the engine's wasm memory is shared, for its thread pool), opens
// it in Debian's headless Chromium through the e2e suite's Playwright, and prints the page's timings.
//
//   [ZK_NO_ISOLATION=1] node bench/zk/browser-verify.mjs <folder with proof.json, vk.key, settings.json, kzg.srs>
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(path.join(here, '../../e2e/package.json'))('playwright-core');
const folder = path.resolve(process.argv[2]);
const engine = path.join(here, 'node_modules/@ezkljs/engine/web');
// The engine's web build is meant for a bundler: its utils.js imports the CommonJS package json-bigint
// by name. Served as is, with that one import pointed at json-bigint bundled as an ES module (by the
// esbuild the project already has in ipfs-bundle/), which is what a bundler would do; one more such
// rewrite below.
const esbuild = createRequire(path.join(here, '../../ipfs-bundle/package.json'))('esbuild');
const jsonBigint = (
  await esbuild.build({
    stdin: {
      contents: "import j from 'json-bigint'; export const parse = j.parse; export const stringify = j.stringify;",
      resolveDir: here,
    },
    bundle: true,
    format: 'esm',
    write: false,
  })
).outputFiles[0].text;
// ZK_NO_ISOLATION=1 serves without the two headers, as an IPFS gateway serves the app: does the engine
// still start?
const isolation = process.env.ZK_NO_ISOLATION
  ? {}
  : { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

const server = createServer(async (request, response) => {
  const url = new URL(request.url, 'http://localhost');
  if (url.pathname === '/json-bigint.js') {
    response.writeHead(200, { 'content-type': 'text/javascript', 'cross-origin-resource-policy': 'same-origin' });
    return response.end(jsonBigint);
  }
  const file = url.pathname === '/' ? path.join(here, 'verify.html')
    // The pool's workers import the package itself ('../../..' from the snippet): its module.
    : url.pathname === '/engine/' ? path.join(engine, 'ezkl.js')
    : url.pathname.startsWith('/engine/') ? path.join(engine, url.pathname.slice(8))
    : url.pathname.startsWith('/artifacts/') ? path.join(folder, path.basename(url.pathname))
    : null;
  try {
    if (!file || file.includes('..')) throw new Error('not here');
    let body = await readFile(file);
    if (file === path.join(engine, 'utils.js')) body = String(body).replace('"json-bigint"', '"/json-bigint.js"');
    // wasm-bindgen-rayon's thread pool spawns its workers from `new URL(…, import.meta.resolve)`, a
    // bundler convention that browsers, where import.meta.resolve is a function, reject: the module's URL.
    if (file.endsWith('workerHelpers.js')) body = String(body).replaceAll('import.meta.resolve', 'import.meta.url');
    response.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      ...isolation,
    });
    response.end(body);
  } catch {
    console.error(`404 ${url.pathname}`);
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath: process.env.ASSAY_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error}`));
  page.on('console', (message) => console.error(`console: ${message.text()}`));
  page.on('crash', () => console.error('page crashed'));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const result = await page.waitForFunction(() => window.result, null, { timeout: 600_000, polling: 200 });
  console.log(JSON.stringify({ chromium: browser.version(), ...(await result.jsonValue()) }));
} finally {
  await browser.close();
  server.close();
}
