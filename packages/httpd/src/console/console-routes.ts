/**
 * The operator's console (DESIGN §13), loaded on its first request: the page, login and
 * logout, the state the panels show, the switches and the command box, and the live log. A
 * login goes through the pipeline's own credential stages (`runtime.authenticate`), so a
 * failed one counts toward the ban as on every channel; every change needs the session's CSRF
 * token in `X-CSRF-Token`; changes are logged at warn with `via: "console"`, as `.e` logs them.
 */
import express, { type Request, type Response, type Router } from 'express';
import {
  banList,
  METRICS,
  parseChartArgs,
  countFailedLogin,
  PipelineError,
  permits,
  type Command,
  type DaemonStatus,
  type HttpConfig,
  type Runtime,
} from '@switchboard/core';
import { presentedKey } from '../bearer.js';
import type { HeaderSet } from '../security-headers.js';
import { STATUS_OF } from '../status.js';
import { streamAnswer } from '../stream-answer.js';
import { CONSOLE_APP, grantIn, isApiKey, opensConsole, type Credential } from './credential.js';
import { mountConsolePage } from './console-page.js';
import { requestedLevel, streamLog } from './live-log.js';
import { csrfMatches, SESSION_SEC, SessionTable, type Session } from './sessions.js';

/** What the console needs beyond the runtime: the daemon's status and the channel's end. */
export interface ConsoleOptions {
  readonly runtime: Runtime;
  readonly http: HttpConfig;
  readonly headers: HeaderSet;
  /** The daemon's status (`ctl status`'s). */
  readonly status: () => Promise<DaemonStatus>;
  /** Fires when the channel closes: live streams end. */
  readonly stopping: AbortSignal;
}

/** The console's own refusals. */
export const CONSOLE_ERRORS = {
  notLoggedIn: 'not logged in',
  csrf: 'missing or wrong CSRF token',
  badBody: 'malformed request body',
  level: 'level must be one of trace, debug, info, warn, error, fatal',
  noMonitor: 'the monitor is off (config monitor)',
  chart: `metric must be one of ${METRICS.join(', ')}; window one of 1h, 6h, 24h`,
} as const;

/** The session cookie's name. */
const COOKIE = 'sb_console';
/** Says where a change came from, in its log line. */
const VIA = 'console';

/** The console's routes, for the router at the base path. */
export function createConsole(options: ConsoleOptions): Router {
  const { runtime, http, headers } = options;
  const { store, logger } = runtime.services;
  const sessions = new SessionTable();
  const router = express.Router();
  const json = express.json({ limit: '64kb' });
  const source = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const cookie = (id: string, maxAge: number): string =>
    `${COOKIE}=${id}; Max-Age=${maxAge}; Path=${http.basePath === '' ? '/' : http.basePath}; ` +
    `HttpOnly; SameSite=Strict${http.tls === undefined ? '' : '; Secure'}`;
  /** The request's live session whose credential still opens the console, or undefined. */
  const sessionOf = (req: Request): Session | undefined => {
    const id = cookieOf(req);
    const session = sessions.find(id);
    if (session === undefined) return undefined;
    if (opensConsole(runtime.config(), session.credential)) return session;
    sessions.close(id); // the password or key is gone, or no longer allows .e
    return undefined;
  };
  /** The session of a change: with its CSRF token, else answered 401 or 403. */
  const change = (req: Request, res: Response): Session | undefined => {
    const session = sessionOf(req);
    if (session === undefined) res.status(401).json({ error: CONSOLE_ERRORS.notLoggedIn });
    else if (!csrfMatches(session, req.get('x-csrf-token'))) {
      res.status(403).json({ error: CONSOLE_ERRORS.csrf });
    } else return session;
    return undefined;
  };

  mountConsolePage(router, http.basePath);

  router.post('/console/login', json, async (req, res) => {
    const secret = stringField(req.body, 'credential');
    if (secret === undefined) {
      res.status(400).json({ error: CONSOLE_ERRORS.badBody });
      return;
    }
    const config = runtime.config();
    const credential: Credential = { kind: isApiKey(config, secret) ? 'key' : 'password', secret };
    const command: Command = {
      channel: 'http',
      source: source(req),
      timeoutSec: http.timeoutSec,
      // The matcher takes a password with a command after it: the console's app, here.
      ...(credential.kind === 'key'
        ? { content: '', apiKey: secret }
        : { content: `${secret} ${CONSOLE_APP}` }),
    };
    const caller = await runtime.authenticate(command);
    let refusal = caller instanceof PipelineError ? caller : undefined;
    if (refusal === undefined && !opensConsole(config, credential)) {
      // A shortcut, a code pair or a password with more text: not a console credential.
      const exact = grantIn(config, credential) !== false;
      refusal = new PipelineError(exact ? 'NOT_PERMITTED' : 'INVALID_LOGIN');
      if (refusal.code === 'INVALID_LOGIN') {
        await countFailedLogin(runtime.services, config.limits, 'http', command.source);
      }
    }
    if (refusal !== undefined) {
      res.status(STATUS_OF[refusal.replyClass]).json({ error: refusal.message });
      return;
    }
    const { id, session } = sessions.open(credential);
    logger.warn({ via: VIA, source: command.source, kind: credential.kind }, 'console login');
    res.set('set-cookie', cookie(id, SESSION_SEC)).json({ csrf: session.csrf });
  });

  router.post('/console/logout', (req, res) => {
    if (change(req, res) === undefined) return;
    sessions.close(cookieOf(req));
    res.set('set-cookie', cookie('', 0)).status(204).end();
  });

  router.get('/console/state', async (req, res) => {
    const session = sessionOf(req);
    if (session === undefined) {
      res.status(401).json({ error: CONSOLE_ERRORS.notLoggedIn });
      return;
    }
    const { bans, more } = await banList(store);
    res.json({
      csrf: session.csrf,
      status: await options.status(),
      recent: runtime.services.recent.newestFirst(),
      bans,
      moreBans: more,
      charts: runtime.services.monitor === undefined ? [] : METRICS,
    });
  });

  router.get('/console/chart.svg', (req, res) => {
    const { monitor } = runtime.services;
    const { metric, window = '1h' } = req.query;
    const asked =
      typeof metric === 'string' && typeof window === 'string'
        ? parseChartArgs([metric, window])
        : undefined;
    if (sessionOf(req) === undefined) res.status(401).json({ error: CONSOLE_ERRORS.notLoggedIn });
    else if (monitor === undefined) res.status(404).json({ error: CONSOLE_ERRORS.noMonitor });
    else if (asked === undefined) res.status(400).json({ error: CONSOLE_ERRORS.chart });
    else {
      res
        .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .type('image/svg+xml')
        .send(monitor.chartSvg(asked.metric, asked.window));
    }
  });

  router.post('/console/unban', json, async (req, res) => {
    if (change(req, res) === undefined) return;
    const banned = stringField(req.body, 'source');
    if (banned === undefined) {
      res.status(400).json({ error: CONSOLE_ERRORS.badBody });
      return;
    }
    const lifted = await store.unban(banned);
    logger.warn({ via: VIA, source: banned, lifted }, `unban ${banned}: ${lifted} ban(s) lifted`);
    res.json({ source: banned, lifted });
  });

  router.post('/console/lockdown', async (req, res) => {
    if (change(req, res) === undefined) return;
    await store.lockDown();
    logger.warn({ via: VIA }, 'lockdown on until restart');
    res.json({ lockdown: true });
  });

  router.post('/console/maintenance', json, async (req, res) => {
    if (change(req, res) === undefined) return;
    const on = (req.body as { on?: unknown } | undefined)?.on;
    if (typeof on !== 'boolean') {
      res.status(400).json({ error: CONSOLE_ERRORS.badBody });
      return;
    }
    await store.setMaintenance(on);
    logger.warn({ via: VIA }, `maintenance ${on ? 'on' : 'off'}`);
    res.json({ maintenance: on });
  });

  router.post('/console/command', json, async (req, res) => {
    const session = change(req, res);
    if (session === undefined) return;
    const text = stringField(req.body, 'command');
    if (text === undefined) {
      res.status(400).json({ error: CONSOLE_ERRORS.badBody });
      return;
    }
    const { kind, secret } = session.credential;
    await streamAnswer(
      runtime,
      res,
      {
        channel: 'http',
        source: source(req),
        timeoutSec: runtime.config().http?.timeoutSec ?? http.timeoutSec,
        ...(kind === 'key' ? { content: text, apiKey: secret } : { content: `${secret} ${text}` }),
      },
      headers,
    );
  });

  router.get('/api/log', async (req, res) => {
    const level = requestedLevel(req);
    const presented = presentedKey(req);
    if (!('key' in presented) || presented.key === undefined) {
      if (sessionOf(req) === undefined) {
        res.status(401).json({ error: CONSOLE_ERRORS.notLoggedIn });
        return;
      }
    } else {
      const caller = await runtime.authenticate({
        channel: 'http',
        source: source(req),
        content: '',
        apiKey: presented.key,
        timeoutSec: http.timeoutSec,
      });
      if (caller instanceof PipelineError) {
        res.status(STATUS_OF[caller.replyClass]).json({ error: caller.message });
        return;
      }
      if (!permits(caller.grant, { channel: 'http', trigger: CONSOLE_APP })) {
        res.status(403).json({ error: new PipelineError('NOT_PERMITTED').message });
        return;
      }
    }
    if (level === undefined) {
      res.status(400).json({ error: CONSOLE_ERRORS.level });
      return;
    }
    streamLog(runtime, req, res, level, headers, options.stopping);
  });

  return router;
}

/** The session id in the request's cookie header. */
function cookieOf(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === COOKIE && value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** A string field of a parsed JSON body, or undefined. */
function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
