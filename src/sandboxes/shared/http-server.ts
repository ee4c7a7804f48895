/**
 * Starting and stopping a sandbox's HTTP server. The base URL is only known once the port is
 * (port 0 picks a free one), and close() must not wait for idle keep-alive connections to time out.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listen(port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}` };
}

/**
 * A sandbox's close(): stops its timers, its server and its outgoing deliveries, once, however often
 * it is called.
 */
export function closeOnce(server: Server, deadlines: { cancelAll(): void }, deliveries: { close(): Promise<void> }): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      deadlines.cancelAll();
      await Promise.all([stopServer(server), deliveries.close()]);
    })();
    return closing;
  };
}

export function stopServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  server.closeAllConnections();
  return closed;
}
