/**
 * A provider as one plugin: everything the service needs of it, in one object its folder exports.
 * The processes take what is theirs: the worker its `worker` side (adapter, credentials), the
 * ingress its `ingress` side (create rules, webhook verification with public material only), the
 * development stack its `sandbox`. Each side is built from the variables declared for that side
 * only, so a process never reads a secret it does not need (src/provider-config.ts).
 */
import type { Router } from 'express';
import type { z } from 'zod';
import type { Housekeeping, HousekeepingOff, InboundWebhook, ProviderAdapter, RequestRules, TerminalAdapter, TerminalLookup, WebhookVerdict } from './provider';

/** Which process reads a variable. */
export type Side = 'worker' | 'ingress' | 'both';

export interface Variable<S extends Side = Side, T extends z.ZodType = z.ZodType> {
  side: S;
  /** Credentials and keys: never logged, and never given to a process whose side does not read them. */
  secret: boolean;
  /** One line for the README's table. */
  description: string;
  /** Parses the variable's text (its default, if any, is the schema's). */
  schema: T;
}

export type Variables = Record<string, Variable>;

/** The parsed values of the variables one process reads. */
export type SideConfig<V extends Variables, S extends Exclude<Side, 'both'>> = {
  [K in keyof V as V[K]['side'] extends S | 'both' ? K : never]: z.output<V[K]['schema']>;
};

export const setting = <S extends Side, T extends z.ZodType>(side: S, description: string, schema: T): Variable<S, T> =>
  ({ side, secret: false, description, schema });

export const secret = <S extends Side, T extends z.ZodType>(side: S, description: string, schema: T): Variable<S, T> =>
  ({ side, secret: true, description, schema });

export interface WorkerContext {
  /** PROVIDER_REQUEST_TIMEOUT_MS: one provider HTTP call. */
  requestTimeoutMs: number;
  /** Where this provider's webhooks reach the ingress: `<PUBLIC_BASE_URL>/v1/webhooks/<name>`. */
  webhookUrl: string;
  /** Till registrations, for providers whose tills are registered (SEQR). */
  terminals: TerminalLookup;
}

/**
 * A read the ingress needs from the provider (e.g. Paysera's spots), run by a worker so that the
 * credentials stay there; `merchantId` is the caller. It answers JSON; ProviderUnavailableError is 502.
 */
export type ProviderRead = (input: unknown, merchantId: string) => Promise<unknown>;

export interface ProviderWorker {
  adapter: ProviderAdapter;
  /** Present when tills must be registered once (SEQR). Credentials stay inside the adapter. */
  terminals?: TerminalAdapter;
  /**
   * Work that belongs to no payment, run by a long-lived watcher every `intervalMs` (e.g. closing
   * forged spots); or, when the configuration turns it off, why (the worker says so once at start).
   */
  housekeeping?: Housekeeping | HousekeepingOff;
  /** The reads the provider's ingress routes ask for, by name. */
  reads?: Record<string, ProviderRead>;
}

export interface IngressContext {
  /** Runs one of the provider's worker-side reads on a worker and answers its result. */
  read(name: string, input: unknown, merchantId: string): Promise<unknown>;
}

export interface ProviderIngress {
  rules: RequestRules;
  verifyWebhook(webhook: InboundWebhook): WebhookVerdict;
  /** Present when tills need registering; the API's name for the sticker id (e.g. `seqr_id`). */
  terminals?: { stickerField: string };
  /** POS routes of the provider's own, mounted at `/v1/<name>` behind the API keys (e.g. Paysera's spots). */
  routes?: {
    router(context: IngressContext): Router;
    /** Their OpenAPI path items, by path under `/v1/<name>`. */
    openApi: Record<string, object>;
  };
}

export interface SandboxOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Where the sandbox sends this provider's webhooks (`<PUBLIC_BASE_URL>/v1/webhooks/<name>`). */
  webhookUrl: string;
  /** The stack's environment, for a sandbox's own test knobs (`<NAME>_SANDBOX_...`). */
  env: Readonly<Record<string, string | undefined>>;
}

export interface RunningSandbox {
  url: string;
  /** The provider's variables that point the service at this sandbox, credentials included. */
  env: Record<string, string>;
  /** One line for people: where to play the customer. */
  hint: string;
  /**
   * The sandbox's customer page (`?qr=<QR content>` opens it on that code), for the demo till to
   * link; null where the QR's content is itself the customer's page (Tabby's checkout).
   */
  customerPage: string | null;
  close(): Promise<void>;
}

export interface ProviderSandbox {
  /** Where `npm start` and `npm run sandboxes` put it unless `<NAME>_SANDBOX_PORT` says otherwise. */
  defaultPort: number;
  /** Starts the sandbox with fresh credentials. */
  start(options: SandboxOptions): Promise<RunningSandbox>;
}

export interface ProviderPlugin<V extends Variables = Variables> {
  /** The API's provider string (`provider` of a payment, `/v1/webhooks/<name>`). */
  name: string;
  /** For people: the README and the banner. */
  title: string;
  /** The variable whose presence turns the provider on (its base URL); then the others of a side are required. */
  enabledBy: keyof V & string;
  variables: V;
  worker(config: SideConfig<V, 'worker'>, context: WorkerContext): ProviderWorker;
  ingress(config: SideConfig<V, 'ingress'>): ProviderIngress;
  sandbox: ProviderSandbox;
}

/** Checks a plugin against its own variables, and erases them for the plugin list. */
export function definePlugin<V extends Variables>(plugin: ProviderPlugin<V>): ProviderPlugin {
  return plugin as unknown as ProviderPlugin;
}
