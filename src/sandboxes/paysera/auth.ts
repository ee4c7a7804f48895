/**
 * MAC authentication of every API call (paysera.md §2), with the sandbox's own check. Host and port are those the client addressed, read from its Host header, so the
 * check works behind whatever address the sandbox is reached at.
 */
import type { RequestHandler } from 'express';
import { sendRefusal, unauthorized } from './errors';
import { checkMac, type MacClient } from './mac-check';
import { rawBodyOf } from './validation';

/** `host[:port]`, with IPv6 hosts in brackets as URL.hostname gives them. Without a port: 80, as the sandbox serves plain HTTP. */
function addressed(hostHeader: string | undefined): { host: string; port: string } | null {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader ?? '');
  if (!match) return null;
  const [, host = '', port = '80'] = match;
  return { host, port };
}

export function macAuth(clients: readonly MacClient[]): RequestHandler {
  return (req, res, next) => {
    const target = addressed(req.headers.host);
    if (target === null) {
      sendRefusal(res, unauthorized('no Host header to check the MAC against'));
      return;
    }
    const verification = checkMac(
      { method: req.method, uri: req.originalUrl, host: target.host, port: target.port, body: rawBodyOf(req), authorization: req.headers.authorization },
      clients,
    );
    if (verification.ok) {
      next();
      return;
    }
    // The normalized string holds no secret and is what a developer needs to find the difference.
    const detail = verification.normalized === undefined ? undefined : { normalized_request: verification.normalized };
    sendRefusal(res, unauthorized(verification.reason, detail));
  };
}
