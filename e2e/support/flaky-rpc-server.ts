/**
 * `flakyRpc()` (./flaky-rpc.ts) as a process of its own, for the task runner's public-network
 * rehearsal, which puts it in front of a chain before the browser starts:
 *
 *   node e2e/support/flaky-rpc-server.ts --target URL [--rate-limit-every N] [--unavailable-every N]
 *     [--drop-every N] [--max-log-span N] [--max-batch N]
 *
 * (Node 22 runs it as it is: its types are erasable.) Once listening on 127.0.0.1 it prints one
 * line, `{"ready":true,"url":"http://127.0.0.1:PORT"}`; `GET <url>/seen` answers what it has done
 * so far, and on SIGTERM or SIGINT it prints those counts as one JSON line and exits.
 */
import type { Faults } from './flaky-rpc';

const USAGE =
  'usage: node flaky-rpc-server.ts --target URL [--rate-limit-every N] [--unavailable-every N] ' +
  '[--drop-every N] [--max-log-span N] [--max-batch N]';

const FLAGS: Record<string, keyof Faults> = {
  '--rate-limit-every': 'rateLimitEvery',
  '--unavailable-every': 'unavailableEvery',
  '--drop-every': 'dropEvery',
  '--max-log-span': 'maxLogSpan',
  '--max-batch': 'maxBatch',
};

/** The target and the faults named on the command line; a sentence for anything else. */
function parseArgs(args: string[]): { target: string; faults: Faults } {
  let target: string | undefined;
  const faults: Faults = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--target') {
      if (!/^https?:\/\//.test(value)) throw new Error(`--target must be an http(s) URL, got ${JSON.stringify(value)}`);
      target = value;
      continue;
    }
    const fault = FLAGS[flag];
    if (!fault) throw new Error(`unknown argument ${JSON.stringify(flag)}; ${USAGE}`);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new Error(`${flag} must be a positive whole number, got ${JSON.stringify(value)}`);
    }
    faults[fault] = n;
  }
  if (!target) throw new Error(`--target is required; ${USAGE}`);
  return { target, faults };
}

async function main() {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  // Node runs this file's types stripped and needs the `.ts` in the specifier, which the
  // type-checker's settings don't allow in an import declaration: imported by URL, typed here.
  const { flakyRpc } = (await import(new URL('./flaky-rpc.ts', import.meta.url).href)) as typeof import('./flaky-rpc');
  const proxy = await flakyRpc(options.target, options.faults);
  const stop = async () => {
    await proxy.close();
    console.log(JSON.stringify(proxy.seen));
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(JSON.stringify({ ready: true, url: proxy.url }));
}

await main();
