/**
 * Applies a matching fault to a provider API request. Error statuses are answered in the
 * provider's own error shape; faults that strike after processing (commit_then_drop,
 * incomplete_body) take over `res.end`, so the route runs unchanged and its state change is
 * committed before the answer is lost or cut.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Fault, FaultRegistry } from './faults';

/** A provider-specific fault kind and the requests it can strike. */
export interface CustomFault<K extends string, P = never> {
  appliesTo(req: Request): boolean;
  /** Runs in place of the route's middleware chain position: must answer or call `next`. */
  apply(req: Request, res: Response, next: NextFunction, fault: Fault<K, P>): void;
}

export interface FaultAnswers<K extends string, P = never> {
  /** Answers an injected `status_<code>` fault the way the provider's own errors with that status look. */
  status(res: Response, status: number, fault: Fault<K, P>): void;
  custom?: Partial<Record<K, CustomFault<K, P>>>;
  /** For APIs that name the operation in the body (SOAP): the request's operation, read before this middleware. */
  operationOf?(req: Request): string | undefined;
}

const STATUS_KIND = /^status_(\d{3})$/;

export function faultInjection<K extends string, P = never>(registry: FaultRegistry<K, P>, answers: FaultAnswers<K, P>): RequestHandler {
  return (req, res, next) => {
    const target = { method: req.method, path: req.originalUrl.split('?')[0] ?? '', operation: answers.operationOf?.(req) };
    registry.arrive(target);
    const fault = registry.take(target, (kind) => answers.custom?.[kind]?.appliesTo(req) ?? true);
    if (!fault) {
      next();
      return;
    }
    const injectedStatus = STATUS_KIND.exec(fault.kind)?.[1];
    if (injectedStatus !== undefined) {
      // Lets a person reading the answer tell an injected error from a real one.
      res.setHeader('X-Sandbox-Fault', fault.id);
      answers.status(res, Number(injectedStatus), fault);
      return;
    }
    const custom = answers.custom?.[fault.kind];
    if (custom) {
      custom.apply(req, res, next, fault);
      return;
    }
    const kind: string = fault.kind;
    switch (kind) {
      case 'delay':
        setTimeout(next, fault.delayMs).unref();
        return;
      case 'hold':
        registry.hold(fault, next);
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'commit_then_drop':
        replaceEnd(res, () => req.socket.destroy());
        next();
        return;
      case 'incomplete_body':
        replaceEnd(res, (body) => sendCutAnswer(req.socket, res, body));
        next();
        return;
      default:
        next(new Error(`fault kind ${kind} has no implementation`));
    }
  };
}

function replaceEnd(res: Response, instead: (body: Buffer) => void): void {
  const end = (chunk?: unknown): Response => {
    instead(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.alloc(0));
    return res;
  };
  res.end = end as Response['end'];
}

/**
 * Writes the answer by hand: its headers announce more body than is sent, then the connection
 * closes. A bodiless answer (204) has nothing to cut, so the cut falls inside its headers instead.
 */
function sendCutAnswer(socket: Socket, res: Response, body: Buffer): void {
  const headers = Object.entries(res.getHeaders())
    .filter(([name]) => name !== 'content-length' && name !== 'connection')
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}\r\n`)
    .join('');
  const head = `HTTP/1.1 ${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ''}\r\n${headers}`;
  if (body.length === 0) {
    socket.end(head.slice(0, Math.ceil(head.length / 2)));
    return;
  }
  const announced = `content-length: ${body.length + 64}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head + announced), body.subarray(0, Math.ceil(body.length / 2))]));
}
