/**
 * Applies a matching fault to a merchant API request. Faults that strike after processing
 * (commit_then_drop, incomplete_body) take over `res.end`, so the route runs unchanged and its
 * state change is committed before the answer is lost or cut.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHandler, Response } from 'express';
import type { FaultRegistry } from './faults';

export function faultInjection(registry: FaultRegistry): RequestHandler {
  return (req, res, next) => {
    const fault = registry.take(req.method, req.originalUrl.split('?')[0] ?? '');
    if (!fault) {
      next();
      return;
    }
    switch (fault.kind) {
      case 'status_500':
      case 'status_503': {
        const status = fault.kind === 'status_500' ? 500 : 503;
        res.status(status).json({ error_type: 'server_error', error_description: `Injected fault ${fault.id}: HTTP ${status}`, error_detail: null });
        return;
      }
      case 'delay':
        setTimeout(next, fault.delayMs).unref();
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
