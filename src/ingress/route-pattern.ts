/** The route a request matched as its pattern (`/v1/payments/:id`), never the raw path: a bounded label. */
import type { Request } from 'express';

/** Valid once the response is finished (Express has matched the route by then). */
export function routePattern(req: Request): string {
  const pattern = (req.route as { path?: string } | undefined)?.path;
  return pattern ? `${req.baseUrl}${pattern}` : 'unmatched';
}
