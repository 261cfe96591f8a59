/**
 * The webhook endpoint: Telegram POSTs each update as JSON with our secret in
 * `X-Telegram-Bot-Api-Secret-Token` (core.telegram.org/bots/api#setwebhook). We check the secret
 * on every request before reading the body (telegraf's own filter lets everything in when no
 * secret is set), answer 200 at once and run the command afterwards: Telegram redelivers an
 * update that is not answered quickly, and a command may take its whole timeout.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RefusalLog } from '@switchboard/core';
import type { Update } from 'telegraf/types';

/** The request handler the daemon mounts on the http channel (express or plain node:http). */
export type WebhookHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => void;

/** Header in which Telegram repeats the secret_token given to setWebhook. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Largest update body read; real updates are a few KiB (4096-character text plus metadata). */
export const MAX_UPDATE_BYTES = 1024 * 1024;

/** What the handler needs. */
export interface WebhookOptions {
  readonly secretToken: string;
  /** Where refused requests are counted and, at most once a minute, logged. */
  readonly refusals: RefusalLog;
  /** False until getMe has answered, and after close: Telegram then retries later. */
  readonly ready: () => boolean;
  /** Takes an authenticated update; must not throw. */
  readonly onUpdate: (update: Update) => void;
}

/** Builds the webhook handler. Works with a raw request or one whose body express parsed. */
export function createWebhookHandler(options: WebhookOptions): WebhookHandler {
  // Comparing digests keeps the comparison constant-time whatever length the caller sent.
  const expected = digest(options.secretToken);
  const secretMatches = (header: string | string[] | undefined): boolean =>
    typeof header === 'string' && timingSafeEqual(digest(header), expected);

  return (req, res) => {
    if (req.method !== 'POST') {
      answer(res, 405, 'method not allowed', { allow: 'POST' });
      return;
    }
    if (!secretMatches(req.headers[SECRET_HEADER])) {
      // Never the header's value: a near miss would reveal most of the secret.
      options.refusals.refused(
        'telegram-webhook',
        'telegram webhook request without the right secret token refused',
        { ip: req.socket.remoteAddress },
      );
      answer(res, 403, 'forbidden');
      return;
    }
    if (!options.ready()) {
      answer(res, 503, 'not ready', { 'retry-after': '5' });
      return;
    }
    readBody(req).then(
      (body) => {
        const update = parseUpdate(body);
        if (update === undefined) {
          answer(res, 400, 'not a Telegram update');
          return;
        }
        answer(res, 200, '');
        options.onUpdate(update);
      },
      (err: unknown) => {
        answer(res, err instanceof BodyTooLarge ? 413 : 400, 'unreadable body');
      },
    );
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function answer(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

class BodyTooLarge extends Error {}

/** The body as a string or an already-parsed value (express.json ran before us). */
async function readBody(req: IncomingMessage): Promise<unknown> {
  if (req.readableEnded) {
    // Another middleware consumed the stream; it left what it read in req.body.
    const parsed: unknown = (req as IncomingMessage & { body?: unknown }).body;
    return Buffer.isBuffer(parsed) ? parsed.toString('utf8') : parsed;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    // Keep reading (and discarding) so the client sees our 413 rather than a reset connection.
    if (size <= MAX_UPDATE_BYTES) chunks.push(buffer);
  }
  if (size > MAX_UPDATE_BYTES) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString('utf8');
}

/** An update from the body: an object with an integer update_id, or undefined. */
function parseUpdate(body: unknown): Update | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return isUpdate(value) ? value : undefined;
}

/** Type guard: the one field every update has. Telegraf routes on the rest by key. */
function isUpdate(value: unknown): value is Update {
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isSafeInteger((value as { update_id?: unknown }).update_id)
  );
}
