/**
 * SEQR tills for the campaign's SEQR payments. A till holds one open invoice at a time (a new one
 * cancels the previous, seqr.md §3), so a till serves one payment until that payment is final, then
 * the next. Tills are registered through the service (`PUT /v1/terminals/{pos_id}/seqr`) when none
 * is free, during the campaign and its kills, as a shop adding a till would.
 */
import type { RetryingPos } from './pos';

export class SeqrTills {
  private readonly free: string[] = [];
  private registered = 0;

  constructor(private readonly pos: RetryingPos) {}

  get count(): number {
    return this.registered;
  }

  async acquire(): Promise<string> {
    return this.free.pop() ?? this.register();
  }

  /** Only once the till's payment is final: its invoice must never be replaced while it can still be paid. */
  release(posId: string): void {
    this.free.push(posId);
  }

  private async register(): Promise<string> {
    this.registered += 1;
    const number = this.registered;
    const posId = `seqr-till-${number}`;
    const answer = await this.pos.send('register SEQR till', 'PUT', `/v1/terminals/${posId}/seqr`, { seqr_id: `CHAOS${number}`, name: `Chaos till ${number}` });
    if (answer.status !== 200) throw new Error(`registering ${posId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return posId;
  }
}
