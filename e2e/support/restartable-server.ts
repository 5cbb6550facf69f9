/**
 * An HTTP server on 127.0.0.1 that a test can take down — open connections closed, new ones
 * refused, as a stopped service does — and bring back on the same port. The proxies in front of
 * the indexer (support/indexer) and of the chain (support/flaky-rpc) are built on it.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface RestartableServer {
  port: number;
  down: () => Promise<void>;
  up: () => Promise<void>;
  close: () => Promise<void>;
}

export async function restartableServer(handler: RequestListener): Promise<RestartableServer> {
  const sockets = new Set<Socket>();
  let server: Server = createServer(handler);
  const listen = (port: number) =>
    new Promise<number>((ready) => {
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.listen(port, '127.0.0.1', () => ready((server.address() as { port: number }).port));
    });
  const down = () =>
    new Promise<void>((done) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => done());
    });
  const port = await listen(0);
  return {
    port,
    down,
    up: async () => {
      if (!server.listening) {
        server = createServer(handler);
        await listen(port);
      }
    },
    close: async () => {
      if (server.listening) await down();
    },
  };
}
