/** Request bodies of the JSON API: bounded reading, and JSON that must be an object. */
import type { IncomingMessage } from 'node:http';

/** Largest request body accepted (DESIGN §4): 64 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Reads the whole body as UTF-8, or undefined once it passes the limit. */
export function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > BODY_LIMIT_BYTES) {
    done(undefined);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) {
      over = true;
      done(undefined);
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!over) done(Buffer.concat(chunks).toString('utf8'));
  });
}

/** What parseJson() answers for a body that is not JSON. */
export const MALFORMED = Symbol('malformed JSON');

/** The JSON value of a body, or MALFORMED; the route's schema says what it must be. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return MALFORMED;
  }
}
