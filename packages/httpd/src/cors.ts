/**
 * CORS for the JSON API (DESIGN §12, `http.cors.origins`, default none): a browser page on an
 * allowed origin (a userscript, a dashboard) may call the API, preflight included. Any other
 * origin gets no CORS header, so its browser keeps the answer from it; its preflight is 403.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOW_METHODS = 'GET, POST';
const ALLOW_HEADERS = 'Authorization, Content-Type, Accept';
/** How long a browser may cache a preflight's answer. */
const MAX_AGE_SEC = '600';

/** The request's Origin when `origins` allows it. */
function allowedOrigin(req: IncomingMessage, origins: readonly string[]): string | undefined {
  const origin = req.headers.origin;
  return origin !== undefined && origins.includes(origin) ? origin : undefined;
}

/** Adds the CORS headers of an allowed origin to `res` (before it is written). */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  origins: readonly string[],
): void {
  if (origins.length === 0) return;
  res.setHeader('vary', 'Origin');
  const origin = allowedOrigin(req, origins);
  if (origin !== undefined) res.setHeader('access-control-allow-origin', origin);
}

/** Whether `req` is a CORS preflight. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

/** Answers a preflight: 204 with what may be sent, or 403 for an origin not allowed. */
export function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  origins: readonly string[],
  headers: Readonly<Record<string, string>>,
): void {
  req.resume();
  const origin = allowedOrigin(req, origins);
  if (origin === undefined) {
    res.writeHead(403, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end('origin not allowed (http.cors.origins)\n');
    return;
  }
  res.writeHead(204, {
    ...headers,
    'access-control-allow-origin': origin,
    vary: 'Origin',
    'access-control-allow-methods': ALLOW_METHODS,
    'access-control-allow-headers': ALLOW_HEADERS,
    'access-control-max-age': MAX_AGE_SEC,
  });
  res.end();
}
