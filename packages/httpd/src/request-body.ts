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

/** A JSON body that must be an object: the object, undefined for another value, or malformed. */
export function parseJsonObject(
  body: string,
): Readonly<Record<string, unknown>> | undefined | 'malformed' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'malformed';
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}
