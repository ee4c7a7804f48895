/** Process plumbing shared by the entry points: listening, and stopping cleanly on SIGINT/SIGTERM. */
import type { Server } from 'node:http';
import type { Express } from 'express';

export interface ClosableServer {
  url: (host?: string) => string;
  close(): Promise<void>;
}

export function listen(app: Express, port: number, host?: string): Promise<ClosableServer> {
  return new Promise((resolve, reject) => {
    const server: Server = host === undefined ? app.listen(port) : app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: (publicHost = '127.0.0.1') => `http://${publicHost}:${actualPort}`,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
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
