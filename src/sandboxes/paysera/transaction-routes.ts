/**
 * Transaction and payment endpoints of the merchant role (paysera.md §3.2). Confirm, revoke and
 * cancel answer the object, as the PHP library expects, unless the `empty_answer` fault asks for
 * the new API reference's `{}` (§11 q2).
 */
import { Router, type Request, type Response } from 'express';
import { notFound, Refusal, sendRefusal } from './errors';
import { answersEmpty } from './faults';
import { parseId } from './ids';
import { logAction, type PaymentRecord, type TransactionRecord } from './model';
import { confirmSchema } from './schemas';
import type { PayseraStore } from './store';
import type { TransactionService } from './transactions';
import { jsonBodyOf, validate } from './validation';
import { paymentView, transactionView } from './views';

type KeyParams = { key: string };
type IdParams = { id: string };
type FoundPayment = { payment: PaymentRecord; transaction: TransactionRecord };

export function transactionRoutes(transactions: TransactionService, store: PayseraStore): Router {
  const router = Router();
  const answerTransaction = (req: Request, res: Response, result: TransactionRecord | Refusal) => {
    if (result instanceof Refusal) sendRefusal(res, result);
    else res.json(answersEmpty(req) ? {} : transactionView(result, store));
  };
  const answerPayment = (req: Request, res: Response, result: FoundPayment | Refusal) => {
    if (result instanceof Refusal) sendRefusal(res, result);
    else res.json(answersEmpty(req) ? {} : paymentView(result.payment, result.transaction));
  };
  const paymentIdOf = (req: Request<IdParams>) => parseId(req.params.id);

  router.get('/transaction/:key', (req: Request<KeyParams>, res: Response) => {
    answerTransaction(req, res, transactions.read(req.params.key));
  });

  router.put('/transaction/:key/confirm', (req: Request<KeyParams>, res: Response) => {
    const transaction = transactions.get(req.params.key);
    if (transaction instanceof Refusal) {
      sendRefusal(res, transaction);
      return;
    }
    const json = jsonBodyOf(req);
    // No body means full amounts (§4.5).
    const body = json instanceof Refusal ? json : validate(confirmSchema, json.value ?? {});
    if (body instanceof Refusal) {
      // A confirm that never reached the state machine is still a confirm call on this transaction.
      logAction(transaction, 'confirm', 'merchant', body.status);
      sendRefusal(res, body);
      return;
    }
    answerTransaction(req, res, transactions.confirm(transaction.key, body.data));
  });

  router.delete('/transaction/:key', (req: Request<KeyParams>, res: Response) => {
    answerTransaction(req, res, transactions.revoke(req.params.key));
  });

  router.get('/payment/:id', (req: Request<IdParams>, res: Response) => {
    const id = paymentIdOf(req);
    answerPayment(req, res, id === null ? notFound(`payment ${req.params.id} not found`) : transactions.payment(id));
  });

  router.delete('/payment/:id', (req: Request<IdParams>, res: Response) => {
    const id = paymentIdOf(req);
    answerPayment(req, res, id === null ? notFound(`payment ${req.params.id} not found`) : transactions.cancelPayment(id));
  });

  return router;
}
