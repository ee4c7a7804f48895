/** Process plumbing shared by the entry points: listening, and stopping cleanly on SIGINT/SIGTERM. */
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

export interface ClosableServer {
  port: number;
  url: (host?: string) => string;
  /** Starts answering with `app`; until then the socket is held but requests wait. */
  attach(app: Express): void;
  /** Stops listening; resolves once every connection has ended (in-flight requests get a grace). */
  close(): Promise<void>;
}

/** How long in-flight requests may still answer after close(); long polls are cut after it. */
const CLOSE_GRACE_MS = 3000;

/** A port nobody listens on now (a test or bench picks ports for processes it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Binds the port first (0 = a free one), so nothing can take it while the app is still being built. */
export function reserve(port: number, host?: string): Promise<ClosableServer> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer();
    server.once('error', reject);
    server.listen({ port, host }, () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        port: actualPort,
        url: (publicHost = '127.0.0.1') => `http://${publicHost}:${actualPort}`,
        attach: (app) => void server.on('request', app),
        close: () => new Promise<void>((done) => {
          // Requests in flight (a create, a webhook handing over its wake) get a short grace to
          // answer, so none is left running against a Temporal client that is being closed.
          server.close(() => done());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
        }),
      });
    });
  });
}

export async function listen(app: Express, port: number, host?: string): Promise<ClosableServer> {
  const server = await reserve(port, host);
  server.attach(app);
  return server;
}

/** Resolves when SIGINT/SIGTERM arrives (then runs `stop`) or when `running` ends by itself. */
export async function runUntilSignalled(stop: () => Promise<void>, running?: Promise<unknown>): Promise<void> {
  let onSignal: () => void = () => undefined;
  const signalled = new Promise<void>((resolve) => {
    onSignal = () => resolve();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await Promise.race([signalled, running ?? new Promise<never>(() => undefined)]);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await stop();
  await running;
}
