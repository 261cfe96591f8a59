/**
 * The JSON API served straight on node:http: `POST /api/command` (the route scripts hammer),
 * `GET /api/commands` and `POST /api/commands/{name}` (DESIGN §12). It skips express' router
 * and body parsers (most of a request's cost in bench/reject.mjs). Anything it does not
 * recognise (another method, path or content type) goes on to the express app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Command, HttpConfig, Result, Runtime } from '@switchboard/core';
import { MALFORMED_AUTHORIZATION, presentedKey } from './bearer.js';
import { clientAddress, type TrustFn } from './client-address.js';
import { answerPreflight, applyCors, isPreflight } from './cors.js';
import { commandRoutes } from './command-routes.js';
import type { HeaderSet } from './security-headers.js';
import { bodyValidators, type BodyValidators } from './api-schemas.js';
import { MALFORMED, parseJson, readBody } from './request-body.js';
import { STATUS_OF } from './status.js';
import { streamAnswer, wantsStream } from './stream-answer.js';

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
  malformedAuthorization: MALFORMED_AUTHORIZATION,
  internal: 'internal error',
} as const;

/** Handles the request and returns true, or returns false to pass it on. */
export type FastHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** What the API's routes share: answering, reading bodies, running commands. */
export interface ApiContext {
  readonly runtime: Runtime;
  /** Sends a JSON body with the security headers. */
  json(res: ServerResponse, status: number, body: unknown): void;
  /** Sends `{ok: false, output: "", error}`. */
  refuse(res: ServerResponse, status: number, error: string): void;
  /** Runs `command` and answers: one JSON answer (DESIGN §4), or a stream if `req` asks. */
  run(req: IncomingMessage, res: ServerResponse, command: Command): void;
  /** The command as the channel builds it for `req`, with the Bearer key if one came. */
  command(req: IncomingMessage, fields: Pick<Command, 'content'> & Partial<Command>): Command;
  /** Reads the body (UTF-8), or answers 413 and calls nothing. */
  readBody(req: IncomingMessage, res: ServerResponse, done: (body: string) => void): void;
  /** Logs a failure of ours and answers 500. */
  failed(res: ServerResponse, err: unknown): void;
  /** The request validators of api-schemas.ts. */
  readonly valid: BodyValidators;
}

type BodyKind = 'json' | 'form';

/** Builds the handler for `${basePath}/api/...`. */
export function createApiHandler(
  runtime: Runtime,
  http: HttpConfig,
  headers: HeaderSet,
  trust: TrustFn | undefined,
): FastHandler {
  const prefix = `${http.basePath}/api/`;
  const jsonHeaders = { ...headers, 'content-type': 'application/json; charset=utf-8' };
  const api: ApiContext = {
    runtime,
    valid: bodyValidators(),
    json(res, status, body) {
      res.writeHead(status, jsonHeaders).end(JSON.stringify(body));
    },
    refuse(res, status, error) {
      api.json(res, status, { ok: false, output: '', error });
    },
    run(req, res, command) {
      const done = wantsStream(req)
        ? streamAnswer(runtime, res, command, headers)
        : runtime.process(command).then((result: Result) => {
            api.json(res, result.error === undefined ? 200 : STATUS_OF[result.error.replyClass], {
              ok: result.error === undefined,
              output: result.output,
              error: result.error?.message ?? null,
            });
          });
      done.catch((err: unknown) => {
        api.failed(res, err);
      });
    },
    command(req, fields) {
      const { key } = presentedKey(req) as { key?: string };
      return {
        channel: 'http',
        source: clientAddress(req, trust),
        timeoutSec: runtime.config().http?.timeoutSec ?? http.timeoutSec,
        ...(key === undefined ? {} : { apiKey: key }),
        ...fields,
      };
    },
    readBody(req, res, done) {
      readBody(req, (body) => {
        if (body !== undefined) {
          done(body);
          return;
        }
        // The rest of an oversized body is not read: close the connection after answering.
        res.shouldKeepAlive = false;
        api.refuse(res, 413, API_ERRORS.tooLarge);
      });
    },
    failed(res, err) {
      runtime.services.logger.error({ err }, 'http api request failed');
      if (!res.headersSent) api.refuse(res, 500, API_ERRORS.internal);
    },
  };
  const commands = commandRoutes(api);

  return (req, res) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (!path.startsWith(prefix)) return false;
    const route = path.slice(prefix.length);
    const origins = runtime.config().http?.cors.origins ?? [];
    if (isPreflight(req)) {
      answerPreflight(req, res, origins, headers);
      return true;
    }
    const kind = bodyKind(req.headers['content-type']);
    const known =
      (route === 'command' && req.method === 'POST' && kind !== undefined) ||
      commands.handles(req.method, route);
    if (!known) return false;
    applyCors(req, res, origins);
    if ('malformed' in presentedKey(req)) {
      api.refuse(res, 401, API_ERRORS.malformedAuthorization);
      req.resume();
      return true;
    }
    if (route !== 'command' || kind === undefined) return commands.serve(req, res, route);
    api.readBody(req, res, (body) => {
      const parsed = commandOf(body, kind, api.valid);
      if (typeof parsed !== 'string') {
        api.refuse(res, 400, API_ERRORS[parsed.refusal]);
        return;
      }
      api.run(req, res, api.command(req, { content: parsed }));
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

/** The `command` of a body, or why there is none. */
function commandOf(
  body: string,
  kind: BodyKind,
  valid: BodyValidators,
): string | { readonly refusal: 'malformed' | 'noCommand' } {
  const none = { refusal: 'noCommand' } as const;
  if (kind === 'form') {
    const values = new URLSearchParams(body).getAll('command');
    return values.length === 1 ? (values[0] ?? '') : none;
  }
  const parsed = parseJson(body);
  if (parsed === MALFORMED) return { refusal: 'malformed' };
  return valid.command(parsed) ? parsed.command : none;
}
