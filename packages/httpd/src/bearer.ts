/**
 * The `Authorization: Bearer <key>` header (RFC 6750 §2.1) of the API (DESIGN §12). A header
 * that is there but is not a Bearer token is refused with 401 before anything else happens:
 * it cannot be a guess of a key.
 */
import type { IncomingMessage } from 'node:http';

/** RFC 6750's b64token: what a Bearer credential may hold. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The API's text for a header that is not `Bearer <key>`. */
export const MALFORMED_AUTHORIZATION = 'malformed Authorization header (expected: Bearer <key>)';

/** What the request presents: no header, a key, or a header that is not a Bearer token. */
export type Presented = { readonly key?: string } | { readonly malformed: true };

/** Reads the Authorization header of `req`. */
export function presentedKey(req: IncomingMessage): Presented {
  const header = req.headers.authorization;
  if (header === undefined) return {};
  const key = BEARER.exec(header)?.[1];
  return key === undefined ? { malformed: true } : { key };
}
