/**
 * The indexer in the e2e stack (`indexer/`, Ponder), and a real HTTP proxy a test puts in front of
 * it to take it away from one page without stopping it for the other specs: `down()` refuses every
 * connection (a stopped indexer), `freeze()` keeps answering `/status` with what it said at that
 * moment (a stale cache in front of an indexer: a lagging one), `up()` restores both.
 */
import { request as httpRequest } from 'node:http';
import { env } from '../fixtures';
import { restartableServer } from './restartable-server';

/** The stack's indexer, as its config.json names it. */
export async function indexerUrl(): Promise<string> {
  const config = (await (await fetch(new URL('config.json', env.appUrl))).json()) as { indexerUrl?: string };
  if (!config.indexerUrl) throw new Error('config.json names no indexer: run the suite through `cargo xtask test e2e`');
  return config.indexerUrl;
}

/** The published config.json with `indexerUrl` replaced. */
export async function configWithIndexer(url: string): Promise<string> {
  const config = await (await fetch(new URL('config.json', env.appUrl))).json();
  return JSON.stringify({ ...config, indexerUrl: url });
}

export interface IndexerProxy {
  url: string;
  down: () => Promise<void>;
  freeze: () => void;
  up: () => Promise<void>;
  close: () => Promise<void>;
}

export async function indexerProxy(target: string): Promise<IndexerProxy> {
  const upstream = new URL(target);
  let frozen: { status: number; headers: Record<string, string>; body: Buffer } | null = null;
  let freezing = false;
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    if (frozen && req.url?.startsWith('/status')) {
      res.writeHead(frozen.status, frozen.headers).end(frozen.body);
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(answer.headers)) if (typeof v === 'string') headers[k] = v;
          delete headers['transfer-encoding'];
          headers['content-length'] = String(body.length);
          if (freezing && req.url?.startsWith('/status')) {
            frozen = { status: answer.statusCode ?? 200, headers, body };
            freezing = false;
          }
          res.writeHead(answer.statusCode ?? 502, headers).end(body);
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  };
  const server = await restartableServer(handler);
  return {
    url: `http://127.0.0.1:${server.port}`,
    down: server.down,
    freeze: () => {
      freezing = true;
    },
    up: async () => {
      frozen = null;
      freezing = false;
      await server.up();
    },
    close: server.close,
  };
}
