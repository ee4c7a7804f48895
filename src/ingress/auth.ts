/** Bearer API keys, each scoped to one merchant (`POS_API_KEYS`). */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { problems } from './problem';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function requireMerchant(apiKeys: ReadonlyMap<string, string>): RequestHandler {
  // Compare digests in constant time so response timing says nothing about how much of a key matched.
  const known = [...apiKeys].map(([key, merchant]) => ({ digest: digest(key), merchant }));
  return (req, res, next) => {
    const header = req.get('Authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match?.[1]) return next(problems.unauthorized('Send Authorization: Bearer <api key>.'));
    const presented = digest(match[1]);
    const entry = known.find((candidate) => timingSafeEqual(candidate.digest, presented));
    if (!entry) return next(problems.unauthorized('The API key is not valid.'));
    res.locals.merchantId = entry.merchant;
    next();
  };
}

export function merchantOf(res: Response): string {
  return res.locals.merchantId as string;
}
