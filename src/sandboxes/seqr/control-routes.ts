/**
 * The /_sandbox control API: lets a test or a person play the customer (scan the till's sticker,
 * start paying, pay, fail), inspect terminals, invoices and notifications, inject faults and
 * start over. JSON, no authentication: it is only ever reachable where the sandbox runs.
 * Errors are `{ "error": "…" }` with 404 (unknown) or 409 (not possible in the invoice's status).
 */
import { Router, type Request, type Response } from 'express';
import { faultRoutes } from '../shared/fault-routes';
import type { FaultRegistry } from '../shared/faults';
import { faultSchema, type FaultKind, type FaultParams } from './faults';
import type { InvoiceLifecycle } from './lifecycle';
import { isOpen, type InvoiceRecord } from './model';
import type { PaymentNotifier } from './notifications';
import type { SeqrStore } from './store';
import type { CustomerMove } from './transitions';
import { inspectInvoice, terminalView } from './views';

export interface ControlDeps {
  store: SeqrStore;
  lifecycle: InvoiceLifecycle;
  notifier: PaymentNotifier;
  faults: FaultRegistry<FaultKind, FaultParams>;
}

function sendError(res: Response, status: 400 | 404 | 409, error: string): void {
  res.status(status).json({ error });
}

function queryString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

type InvoiceParams = { reference: string };

export function controlRoutes({ store, lifecycle, notifier, faults }: ControlDeps): Router {
  const router = Router();

  const withInvoice = (req: Request<InvoiceParams>, res: Response, then: (invoice: InvoiceRecord) => void) => {
    const invoice = store.invoice(req.params.reference);
    if (invoice === undefined) sendError(res, 404, `no invoice ${req.params.reference}`);
    else then(invoice);
  };

  const customerRoute = (move: CustomerMove) => (req: Request<InvoiceParams>, res: Response) => {
    withInvoice(req, res, (invoice) => {
      if (lifecycle.customer(invoice, move)) res.json(inspectInvoice(invoice));
      else sendError(res, 409, `cannot ${move.replace('_', ' ')}: invoice ${invoice.reference} is ${invoice.status}`);
    });
  };

  router.post('/invoices/:reference/start-payment', customerRoute('start_payment'));
  router.post('/invoices/:reference/pay', customerRoute('pay'));
  router.post('/invoices/:reference/fail', customerRoute('fail'));

  /**
   * Arms a customer move to happen at the moment the next call of `operation` (any invoice) reaches
   * the endpoint, before that call is handled: e.g. the customer pays just as the till's cancel
   * arrives, the race a test otherwise could only set up with delays. 201 { hook }; the request log
   * (GET /_sandbox/faults/requests) names the hook on the request that set it off.
   */
  router.post('/invoices/:reference/:move/on-arrival', (req: Request<InvoiceParams & { move: string }>, res: Response) => {
    const move = ({ 'start-payment': 'start_payment', pay: 'pay', fail: 'fail' } as const)[req.params.move as 'pay'];
    const body = (req.body ?? {}) as { operation?: unknown };
    if (move === undefined || typeof body.operation !== 'string') {
      sendError(res, 400, 'POST /invoices/:reference/(start-payment|pay|fail)/on-arrival with { "operation": "<SOAP operation>" }');
      return;
    }
    withInvoice(req, res, (invoice) => {
      const hook = faults.onArrival({ operation: body.operation as string }, () => {
        if (!lifecycle.customer(invoice, move)) console.warn(`[seqr-sandbox] arrival hook: cannot ${move} invoice ${invoice.reference} (${invoice.status})`);
      });
      res.status(201).json({ hook });
    });
  });

  /** The customer scans the till's sticker HTTP://SEQR.SE/Q<seqrId>: their app gets the terminal's open invoice. */
  router.post('/seqr-ids/:seqrId/scan', (req, res) => {
    const terminal = store.terminalBySeqrId(req.params.seqrId);
    if (terminal === undefined) {
      sendError(res, 404, `no registered terminal has SEQR id ${req.params.seqrId}`);
      return;
    }
    const invoice = terminal.currentInvoice === null ? undefined : store.invoice(terminal.currentInvoice);
    if (invoice === undefined || !isOpen(invoice)) {
      // What the app shows as "waiting for amount".
      sendError(res, 409, `terminal ${terminal.terminalId} has no open invoice`);
      return;
    }
    lifecycle.scanned(invoice, req.params.seqrId);
    res.json({ terminal: terminalView(terminal), invoice: inspectInvoice(invoice) });
  });

  router.get('/terminals', (_req, res) => {
    res.json(store.allTerminals().map(terminalView));
  });

  /**
   * The secrets SEQR holds for its terminals and their resellers, as SEQR recorded them: lets a test
   * search for them where they must not be (workflow histories, logs) without re-deriving them.
   * The sandbox's own testing aid; the real SEQR never shows a password.
   */
  router.get('/credentials', (_req, res) => {
    const terminals = store.allTerminals();
    const resellers = [...new Set(terminals.map((terminal) => terminal.resellerId))].flatMap((id) => {
      const reseller = store.resellerById(id);
      return reseller === undefined ? [] : [{ id: reseller.id, user_id: reseller.userId, password: reseller.password }];
    });
    res.json({
      terminals: terminals.map((terminal) => ({ terminal_id: terminal.terminalId, external_terminal_id: terminal.externalTerminalId, registered: terminal.registered, password: terminal.password })),
      resellers,
    });
  });

  router.get('/invoices', (req, res) => {
    const terminalId = queryString(req.query.terminal_id);
    const clientInvoiceId = queryString(req.query.client_invoice_id);
    const invoices = store
      .allInvoices()
      .filter((invoice) => (terminalId === undefined || invoice.terminalId === terminalId) && (clientInvoiceId === undefined || invoice.clientInvoiceId === clientInvoiceId));
    res.json(invoices.map(inspectInvoice));
  });

  router.get('/invoices/:reference', (req: Request<InvoiceParams>, res: Response) => {
    withInvoice(req, res, (invoice) => res.json(inspectInvoice(invoice)));
  });

  router.get('/notifications', (_req, res) => {
    res.json(notifier.log());
  });

  router.use(
    '/faults',
    faultRoutes(faults, (req, res) => {
      // express.json leaves the body undefined when none was sent.
      const parsed = faultSchema.safeParse((req.body as unknown) ?? {});
      if (parsed.success) return parsed.data;
      const [issue] = parsed.error.issues;
      sendError(res, 400, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
      return undefined;
    }),
  );

  /** Back to the configured state: the resellers only, no terminals, invoices, notifications or faults. */
  router.post('/reset', (_req, res) => {
    lifecycle.reset();
    store.clear();
    notifier.reset();
    faults.clear();
    res.status(204).end();
  });

  return router;
}
