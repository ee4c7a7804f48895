/**
 * The sandboxes' outgoing deliveries keep order within a lane (by default one URL) and nothing more:
 * messages in lanes of their own (Settle's scans, all to one shortlink URL) do not wait for each
 * other, so a slow receiver answering one scan does not hold back every other customer's.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Deliveries } from '../../src/sandboxes/shared/deliveries';

/** A receiver that answers nothing until told; it reports each request's body as it arrives. */
class HoldingReceiver {
  private readonly server = createServer((req, res) => this.arrive(req, res));
  private readonly held: ServerResponse[] = [];
  private readonly waiters: ((body: string) => void)[] = [];
  private readonly arrived: string[] = [];
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callbacks`;
  }

  /** Resolves with the next request's body (or one that already arrived and was not taken). */
  next(): Promise<string> {
    const body = this.arrived.shift();
    return body !== undefined ? Promise.resolve(body) : new Promise((resolve) => this.waiters.push(resolve));
  }

  answerAll(): void {
    for (const res of this.held.splice(0)) res.writeHead(200).end();
  }

  async stop(): Promise<void> {
    this.answerAll();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private arrive(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      this.held.push(res);
      const waiter = this.waiters.shift();
      if (waiter) waiter(body);
      else this.arrived.push(body);
    });
  }
}

describe('sandbox deliveries: lanes', () => {
  const receiver = new HoldingReceiver();
  const deliveries = new Deliveries<{ n: number }>({ name: 'test', acknowledged: (status) => status < 300, retryable: () => false, retryDelaysMs: [] });

  before(() => receiver.start());
  after(async () => {
    await deliveries.close();
    await receiver.stop();
  });

  it('sends a message of its own lane while an earlier one to the same URL is still unanswered', { timeout: 10_000 }, async () => {
    deliveries.send({ url: receiver.url, headers: {}, body: 'scan 1', labels: { n: 1 }, lane: 'scan 1' });
    assert.equal(await receiver.next(), 'scan 1');
    deliveries.send({ url: receiver.url, headers: {}, body: 'scan 2', labels: { n: 2 }, lane: 'scan 2' });
    assert.equal(await receiver.next(), 'scan 2');
    // Scan 2 arrived while scan 1 still had no answer (not even the receiver timeout's failure).
    assert.deepEqual(deliveries.log(), []);
    receiver.answerAll();
  });

  it('sends messages of one lane one after another, each after the previous was answered', { timeout: 10_000 }, async () => {
    deliveries.send({ url: receiver.url, headers: {}, body: 'first', labels: { n: 3 } });
    deliveries.send({ url: receiver.url, headers: {}, body: 'second', labels: { n: 4 } });
    assert.equal(await receiver.next(), 'first');
    receiver.answerAll();
    assert.equal(await receiver.next(), 'second');
    receiver.answerAll();
  });
});
