/**
 * Registered webhooks (tabby.md §6): per merchant code, at most 4 each. Webhooks from the
 * configuration belong to every merchant code and come back on reset; ones registered through
 * /api/v1/webhooks belong to the X-Merchant-Code they were registered with.
 */
import { badData, type Refusal } from './errors';
import { newId } from './ids';

export interface WebhookHeader {
  title: string;
  value: string;
}

export interface RegisteredWebhook {
  id: string;
  /** Null for configured webhooks, which every merchant code uses. */
  merchantCode: string | null;
  url: string;
  header: WebhookHeader | null;
  isTest: boolean;
}

const MAX_WEBHOOKS_PER_MERCHANT = 4;

export class WebhookRegistry {
  private hooks: RegisteredWebhook[] = [];

  constructor(private readonly configured: readonly { url: string; header: WebhookHeader | null }[]) {
    this.reset();
  }

  reset(): void {
    this.hooks = this.configured.map((hook) => ({ id: newId(), merchantCode: null, url: hook.url, header: hook.header, isTest: true }));
  }

  /** The webhooks a merchant code sees, manages and is notified through. */
  forMerchant(merchantCode: string): RegisteredWebhook[] {
    return this.hooks.filter((hook) => hook.merchantCode === null || hook.merchantCode === merchantCode);
  }

  get(merchantCode: string, id: string): RegisteredWebhook | undefined {
    return this.forMerchant(merchantCode).find((hook) => hook.id === id);
  }

  register(merchantCode: string, input: { url: string; header: WebhookHeader | null; isTest: boolean }): RegisteredWebhook | Refusal {
    if (this.forMerchant(merchantCode).length >= MAX_WEBHOOKS_PER_MERCHANT) {
      return badData(`at most ${MAX_WEBHOOKS_PER_MERCHANT} webhooks can be registered per merchant code`);
    }
    const hook: RegisteredWebhook = { id: newId(), merchantCode, ...input };
    this.hooks.push(hook);
    return hook;
  }

  remove(hook: RegisteredWebhook): void {
    this.hooks = this.hooks.filter((other) => other !== hook);
  }
}
