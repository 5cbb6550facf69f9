/**
 * A real JSON-RPC proxy on 127.0.0.1 in front of the stack's chain that behaves like a public RPC
 * endpoint: it can be down, rate-limit (HTTP 429 with `Retry-After`), be briefly unavailable (HTTP
 * 503 with `Retry-After`), drop connections, refuse `eth_getLogs` over more than a number of blocks
 * (in Alchemy's words, with its suggested range), refuse batches above a size, and (switched on and
 * off by the test) answer every call of one method with a JSON-RPC error. Every other fault is
 * bounded (every Nth request), so the app's retries always get through. `seen` counts what it did,
 * for the tests to check their faults ran; `GET /seen` answers the same counts as JSON (for a
 * proxy in another process: `flaky-rpc-server.ts`).
 *
 * Foundry (`forge script`, `cast`) retries 429 and 503 but not a closed connection: in front of it,
 * use `rateLimitEvery` and `unavailableEvery` only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { restartableServer } from './restartable-server.ts';

export interface Faults {
  /** Answer every Nth request with 429 and `Retry-After: 1`. */
  rateLimitEvery?: number;
  /** Answer every Nth request with 503 and `Retry-After: 1` (a node briefly out of service). */
  unavailableEvery?: number;
  /** Close the connection without an answer on every Nth request. */
  dropEvery?: number;
  /** Refuse an `eth_getLogs` spanning more than this many blocks. */
  maxLogSpan?: number;
  /** Refuse a batch of more than this many requests. */
  maxBatch?: number;
}

export interface Seen {
  requests: number;
  rateLimited: number;
  unavailable: number;
  dropped: number;
  logsRefused: number;
  batchesRefused: number;
  callsRefused: number;
}

export interface FlakyRpc {
  url: string;
  seen: Seen;
  down: () => Promise<void>;
  up: () => Promise<void>;
  /** From now on answer every call of `method` with an internal error (`null`: none). */
  refuse: (method: string | null) => void;
  close: () => Promise<void>;
}

type Call = { id?: unknown; method?: string; params?: unknown[] };

const hex = (n: number) => `0x${n.toString(16)}`;

/** The published config.json with these RPC endpoints and no indexer (every read from the chain). */
export async function configWithRpc(env: { appUrl: string }, rpcUrl: string, rpcUrls: string[]): Promise<string> {
  const config = await (await fetch(new URL('config.json', env.appUrl))).json();
  delete config.indexerUrl;
  return JSON.stringify({ ...config, rpcUrl, rpcUrls });
}

export async function flakyRpc(target: string, faults: Faults = {}): Promise<FlakyRpc> {
  const seen: Seen = {
    requests: 0,
    rateLimited: 0,
    unavailable: 0,
    dropped: 0,
    logsRefused: 0,
    batchesRefused: 0,
    callsRefused: 0,
  };
  let refused: string | null = null;
  const head = async () => Number((await forward(target, { id: 1, method: 'eth_blockNumber' })).result);

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-expose-headers': 'retry-after',
    };
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    if (req.method === 'GET' && req.url === '/seen') {
      return res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(seen));
    }
    const body = await read(req);
    seen.requests += 1;
    const n = seen.requests;
    if (faults.dropEvery && n % faults.dropEvery === 0) {
      seen.dropped += 1;
      return req.socket.destroy();
    }
    if (faults.rateLimitEvery && n % faults.rateLimitEvery === 0) {
      seen.rateLimited += 1;
      return res.writeHead(429, { ...cors, 'retry-after': '1', 'content-type': 'text/plain' }).end('Too Many Requests');
    }
    if (faults.unavailableEvery && n % faults.unavailableEvery === 0) {
      seen.unavailable += 1;
      return res
        .writeHead(503, { ...cors, 'retry-after': '1', 'content-type': 'text/plain' })
        .end('Service Unavailable');
    }
    const parsed = JSON.parse(body) as Call | Call[];
    const send = (value: unknown) =>
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (Array.isArray(parsed) && faults.maxBatch && parsed.length > faults.maxBatch) {
      seen.batchesRefused += 1;
      return send({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: `batch size too large: at most ${faults.maxBatch}` },
      });
    }
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    const answers = await Promise.all(
      calls.map(async (call) => refusedCall(call) ?? (await refusedLogs(call)) ?? forward(target, call)),
    );
    send(Array.isArray(parsed) ? answers : answers[0]);
  };

  /** A node's answer when it fails a call: no result, an internal error. */
  function refusedCall(call: Call) {
    if (refused === null || call.method !== refused) return null;
    seen.callsRefused += 1;
    return { jsonrpc: '2.0', id: call.id, error: { code: -32603, message: 'internal error' } };
  }

  /** Alchemy's refusal of a log query over too many blocks, with the range it suggests. */
  async function refusedLogs(call: Call) {
    if (call.method !== 'eth_getLogs' || !faults.maxLogSpan) return null;
    const filter = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string; blockHash?: string };
    if (filter.blockHash) return null;
    const number = async (tag?: string) =>
      tag === undefined || tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized'
        ? await head()
        : tag === 'earliest'
          ? 0
          : Number(tag);
    const from = await number(filter.fromBlock ?? 'earliest');
    const to = await number(filter.toBlock);
    if (to - from + 1 <= faults.maxLogSpan) return null;
    seen.logsRefused += 1;
    return {
      jsonrpc: '2.0',
      id: call.id,
      error: {
        code: -32602,
        message: `Log response size exceeded. You can make eth_getLogs requests with up to a ${faults.maxLogSpan} block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: [${hex(from)}, ${hex(from + faults.maxLogSpan - 1)}]`,
      },
    };
  }

  const server = await restartableServer((req, res) => {
    handler(req, res).catch(() => res.destroy());
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    seen,
    down: server.down,
    up: server.up,
    refuse: (method) => {
      refused = method;
    },
    close: server.close,
  };
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function forward(target: string, call: Call): Promise<{ result?: unknown; error?: unknown; id?: unknown }> {
  const answer = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', ...call }),
  });
  return (await answer.json()) as { result?: unknown };
}
