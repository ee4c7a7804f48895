/**
 * What stands in front of several ingress processes in production: one public address (the
 * service's PUBLIC_BASE_URL) for tills and provider webhooks, handing requests to the ingresses
 * round robin. A test may send the webhooks to one ingress of its choosing, to show that whichever
 * ingress receives a payment's webhook, the webhook reaches the payment.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const WEBHOOKS = '/v1/webhooks/';

export class IngressBalancer {
  /** The ingress (by index) that gets every webhook, or null: webhooks go round robin like everything else. */
  webhooksTo: number | null = null;
  /** Per ingress, how many webhooks it was handed. */
  readonly webhooksHandled: number[];
  private next = 0;
  private readonly server: Server;

  constructor(private readonly ingressUrls: readonly string[]) {
    this.webhooksHandled = ingressUrls.map(() => 0);
    this.server = createServer((incoming, answer) => {
      const path = incoming.url ?? '/';
      const index = this.pick(path);
      const forwarded = request(new URL(path, ingressUrls[index]), { method: incoming.method, headers: incoming.headers }, (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      });
      // An ingress that is down answers as a load balancer's empty backend does.
      forwarded.on('error', () => {
        if (!answer.headersSent) answer.writeHead(502);
        answer.end();
      });
      incoming.pipe(forwarded);
    });
  }

  private pick(path: string): number {
    const webhook = path.startsWith(WEBHOOKS);
    const index = webhook && this.webhooksTo !== null ? this.webhooksTo : this.next++ % this.ingressUrls.length;
    if (webhook) this.webhooksHandled[index] = (this.webhooksHandled[index] ?? 0) + 1;
    return index;
  }

  /** Listens on a free loopback port; resolves with the public base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}
