/**
 * The named-command routes (DESIGN §12): `GET /api/commands` lists what the caller may run,
 * with each command's argument schema; `POST /api/commands/{name}` runs one with
 * `{"args": {...}}`, authorised by `Authorization: Bearer <key>` or a `"password"` in the body.
 * Both go through the pipeline's own stages: a wrong key is a failed login as everywhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  argsSchema,
  callableCommands,
  NAME_PATTERN,
  permits,
  PipelineError,
} from '@switchboard/core';
import type { ApiContext } from './api-handler.js';
import { presentedKey } from './bearer.js';
import type { BodyValidators } from './api-schemas.js';
import { parseJson } from './request-body.js';
import { STATUS_OF } from './status.js';

/** The routes' own refusals. */
export const COMMAND_ROUTE_ERRORS = {
  needsKey: 'needs Authorization: Bearer <key>',
  unknown: 'unknown command',
  badBody: 'body must be JSON {"args": {"NAME": "value", ...}} with an optional "password"',
} as const;

const NAME = new RegExp(NAME_PATTERN);
const ROUTE = 'commands';

/** What the API handler asks of these routes. */
export interface CommandRoutes {
  /** Whether `method` and `route` (the path after `/api/`) are one of these routes. */
  handles(method: string | undefined, route: string): boolean;
  /** Serves it; true. */
  serve(req: IncomingMessage, res: ServerResponse, route: string): true;
}

/** The routes over the API's shared context. */
export function commandRoutes(api: ApiContext): CommandRoutes {
  const fail = (res: ServerResponse) => (err: unknown) => {
    api.failed(res, err);
  };
  return {
    handles(method, route) {
      if (route === ROUTE) return method === 'GET';
      return method === 'POST' && route.startsWith(`${ROUTE}/`);
    },
    serve(req, res, route) {
      if (route === ROUTE) list(api, req, res).catch(fail(res));
      else run(api, req, res, route.slice(ROUTE.length + 1));
      return true;
    },
  };
}

async function list(api: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  if (!('key' in presentedKey(req))) {
    api.refuse(res, 401, COMMAND_ROUTE_ERRORS.needsKey);
    return;
  }
  const command = api.command(req, { content: '' });
  const caller = await api.runtime.authenticate(command);
  if (caller instanceof PipelineError) {
    api.refuse(res, STATUS_OF[caller.replyClass], caller.message);
    return;
  }
  const config = api.runtime.config();
  const names = permits(caller.grant, { channel: 'http', trigger: '.x' })
    ? callableCommands(config, caller.grant, command.source)
    : [];
  api.json(res, 200, {
    commands: names.map((name) => {
      const named = config.commands[name];
      return {
        name,
        description: named?.description ?? '',
        args: named === undefined ? {} : argsSchema(named),
      };
    }),
  });
}

function run(api: ApiContext, req: IncomingMessage, res: ServerResponse, encoded: string): void {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    name = '';
  }
  if (!NAME.test(name)) {
    req.resume();
    api.refuse(res, 404, COMMAND_ROUTE_ERRORS.unknown);
    return;
  }
  api.readBody(req, res, (body) => {
    const parsed = bodyOf(body, api.valid);
    if (parsed === undefined) {
      api.refuse(res, 400, COMMAND_ROUTE_ERRORS.badBody);
      return;
    }
    const content = parsed.password === undefined ? `.x ${name}` : `${parsed.password} .x ${name}`;
    api.run(req, res, api.command(req, { content, args: parsed.args }));
  });
}

/** `{"args": {...}, "password": "..."}` (NAMED_BODY), both optional; undefined when not that. */
function bodyOf(
  body: string,
  valid: BodyValidators,
): { args: Readonly<Record<string, string>>; password?: string } | undefined {
  if (body.trim() === '') return { args: {} };
  const parsed = parseJson(body);
  if (!valid.named(parsed)) return undefined;
  const args = parsed.args ?? {};
  return parsed.password === undefined ? { args } : { args, password: parsed.password };
}
