/**
 * `POST /api/command` served straight on node:http: the route scripts hammer, so it skips
 * express' router and body parsers (most of a request's cost in bench/reject.mjs). Anything it
 * does not recognise (another method, path or content type) goes on to the express app, which
 * answers it as before.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpConfig, Result, Runtime } from '@switchboard/core';
import { clientAddress, type TrustFn } from './client-address.js';
import type { HeaderSet } from './security-headers.js';
import { STATUS_OF } from './status.js';

/** Largest request body accepted (DESIGN §4): 64 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** The JSON API's answer (DESIGN §4). */
export interface ApiAnswer {
  readonly ok: boolean;
  readonly output: string;
  readonly error: string | null;
}

/** The error texts of the API's own refusals. */
export const API_ERRORS = {
  noCommand: 'body must be JSON {"command": "..."} or a form field command',
  malformed: 'malformed request body',
  tooLarge: 'request body is too large (max 64kb)',
  tooManyFields: 'too many form fields (max 1000)',
  internal: 'internal error',
} as const;

/** Handles the request and returns true, or returns false to pass it on. */
export type FastHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

type BodyKind = 'json' | 'form';

/** Builds the handler for `${basePath}/api/command`. */
export function createApiHandler(
  runtime: Runtime,
  http: HttpConfig,
  headers: HeaderSet,
  trust: TrustFn | undefined,
): FastHandler {
  const path = `${http.basePath}/api/command`;
  const jsonHeaders = { ...headers, 'content-type': 'application/json; charset=utf-8' };
  const send = (res: ServerResponse, status: number, answer: ApiAnswer): void => {
    res.writeHead(status, jsonHeaders).end(JSON.stringify(answer));
  };
  const refuse = (res: ServerResponse, status: number, error: string): void => {
    send(res, status, { ok: false, output: '', error });
  };

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if ((query < 0 ? url : url.slice(0, query)) !== path) return false;
    const kind = bodyKind(req.headers['content-type']);
    if (kind === undefined) return false;
    readBody(req, (body) => {
      if (body === undefined) {
        // The rest of an oversized body is not read: close the connection after answering.
        res.shouldKeepAlive = false;
        refuse(res, 413, API_ERRORS.tooLarge);
        return;
      }
      const parsed = commandOf(body, kind);
      if (typeof parsed !== 'string') {
        refuse(res, 400, API_ERRORS[parsed.refusal]);
        return;
      }
      runtime
        .process({
          channel: 'http',
          source: clientAddress(req, trust),
          content: parsed,
          timeoutSec: runtime.config().http?.timeoutSec ?? http.timeoutSec,
        })
        .then(
          (result: Result) => {
            send(res, result.error === undefined ? 200 : STATUS_OF[result.error.replyClass], {
              ok: result.error === undefined,
              output: result.output,
              error: result.error?.message ?? null,
            });
          },
          (err: unknown) => {
            runtime.services.logger.error({ err }, 'http api request failed');
            refuse(res, 500, API_ERRORS.internal);
          },
        );
    });
    return true;
  };
}

/** The body kinds the API reads itself; anything else is express' to answer. */
function bodyKind(contentType: string | undefined): BodyKind | undefined {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return undefined;
}

/** Reads the whole body as UTF-8, or undefined once it passes the limit. */
function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
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

/** The `command` of a body, or why there is none. */
function commandOf(
  body: string,
  kind: BodyKind,
): string | { readonly refusal: 'malformed' | 'noCommand' } {
  const none = { refusal: 'noCommand' } as const;
  if (kind === 'form') {
    const values = new URLSearchParams(body).getAll('command');
    return values.length === 1 ? (values[0] ?? '') : none;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { refusal: 'malformed' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return none;
  const command = (parsed as Record<string, unknown>).command;
  return typeof command === 'string' ? command : none;
}
