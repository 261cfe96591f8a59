/**
 * The security headers of every answer, computed once: helmet's set with a strict
 * Content-Security-Policy, plus `Cache-Control: no-store` (results may hold secrets such as
 * 2FA codes). helmet is run once against a real, unsent response to record them, so helmet
 * stays the source of truth and no request pays for its dozen setters.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';

/** Header name → value, lower-case names. */
export type HeaderSet = Readonly<Record<string, string>>;

/** Records the headers helmet sets, with the page's CSP. */
export function securityHeaders(): HeaderSet {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  })(res.req, res, () => undefined);
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}
