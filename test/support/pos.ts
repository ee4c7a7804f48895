/** The POS side of the tests: the public HTTP API with a merchant's key, as an integrator uses it. */
import type { PaymentResource, PaymentState } from '../../workflows/payment';
import { call, type TestResponse } from './http';

export type Payment = PaymentResource;
/** A payment, or on failure the problem+json fields; tests assert which one they got. */
export type Answer = Payment & { code?: string; errors?: { field: string; message: string }[]; payment?: Payment };

export class Pos {
  constructor(readonly baseUrl: string, readonly apiKey: string) {}

  private headers(extra: Record<string, string> = {}) {
    return { authorization: `Bearer ${this.apiKey}`, ...extra };
  }

  create(body: Record<string, unknown>): Promise<TestResponse<Answer>> {
    return call('POST', `${this.baseUrl}/v1/payments`, { body, headers: this.headers() });
  }

  get(id: string, query = ''): Promise<TestResponse<Answer>> {
    return call('GET', `${this.baseUrl}/v1/payments/${id}${query}`, { headers: this.headers() });
  }

  list(query = ''): Promise<TestResponse<{ data: Payment[]; next_cursor: string | null }>> {
    return call('GET', `${this.baseUrl}/v1/payments${query}`, { headers: this.headers() });
  }

  command(id: string, command: 'cancel' | 'capture' | 'refunds' | 'retry', body: unknown = {}): Promise<TestResponse> {
    return call('POST', `${this.baseUrl}/v1/payments/${id}/${command}`, { body, headers: this.headers() });
  }

  /**
   * Long-polls the resource (the contract's `wait_for_version`) until `predicate` holds. A 503 (no
   * worker answered the read yet, e.g. while one restarts) is retried as the contract asks a till
   * to; any other error fails at once.
   */
  async waitFor(id: string, predicate: (payment: Payment) => boolean, timeoutMs = 20_000): Promise<Payment> {
    const deadline = Date.now() + timeoutMs;
    const read = async (query: string): Promise<Payment | null> => {
      const answer = await this.get(id, query);
      if (answer.status === 503) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return null;
      }
      if (answer.status !== 200) throw new Error(`reading payment ${id} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    let payment: Payment | null = null;
    while (payment === null || !predicate(payment)) {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) throw new Error(`payment ${id} stayed ${payment?.state} (version ${payment?.version}): ${JSON.stringify(payment?.timeline)}`);
      payment = (await read(payment === null ? '' : `?wait_for_version=${payment.version}&timeout=${Math.min(left, 30)}`)) ?? payment;
    }
    return payment;
  }

  waitForState(id: string, state: PaymentState, timeoutMs?: number): Promise<Payment> {
    return this.waitFor(id, (payment) => payment.state === state, timeoutMs);
  }
}

let sequence = 0;
/** A fresh, unique POS transaction id per test. */
export function newTid(prefix = 'tx'): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}
