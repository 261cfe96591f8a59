/**
 * The HTTP channel's express app (DESIGN §4 httpd): the form page, the JSON API and health,
 * all under an optional basePath, plus mount points for the Twilio and Telegram webhooks.
 */
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import {
  clientErrorStatus,
  type DaemonStatus,
  type HttpConfig,
  type Result,
  type Runtime,
} from '@switchboard/core';
import { API_ERRORS, type ApiAnswer } from './api-handler.js';
import { BODY_LIMIT_BYTES } from './request-body.js';
import { mountApiDocs } from './api-docs.js';
import { lazyConsole } from './console/lazy-console.js';
import { mountMetrics } from './metrics-route.js';
import { openApiDocument } from './openapi.js';
import { renderPage } from './page.js';
import type { HeaderSet } from './security-headers.js';
import { STATUS_OF } from './status.js';

/** The app and where other channels attach their webhooks. */
export interface HttpApp {
  readonly app: express.Express;
  /** Attaches a handler at `path` below basePath (e.g. the Twilio router at `/twilio`). */
  readonly mount: (path: string, handler: RequestHandler | express.Router) => void;
  /** Ends what stays open until told (the live log's streams): the channel is closing. */
  readonly stop: () => void;
  /** Releases what the app holds beyond its requests (the metrics' observer). */
  readonly dispose: () => void;
}

/** What the daemon adds to the HTTP channel. */
export interface HttpAppOptions {
  /** The daemon's status; with it, the console (DESIGN §13) is served at `/console`. */
  readonly status?: () => Promise<DaemonStatus>;
}

/** Builds the app for the http block as configured at start. */
export function createHttpApp(
  runtime: Runtime,
  http: HttpConfig,
  headers: HeaderSet,
  options: HttpAppOptions = {},
): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  // Forwarded headers are believed only from the proxies the owner named (DESIGN §4).
  app.set('trust proxy', http.trustProxy.length === 0 ? false : [...http.trustProxy]);
  app.use((_req, res, next) => {
    res.set(headers);
    next();
  });

  const router = express.Router();
  const extensions = express.Router();
  const form = express.urlencoded({ extended: false, limit: BODY_LIMIT_BYTES });
  const source = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const run = (req: Request, content: string): Promise<Result> => {
    const config = runtime.config().http;
    return runtime.process({
      channel: 'http',
      source: source(req),
      content,
      timeoutSec: config?.timeoutSec ?? http.timeoutSec,
    });
  };

  router.get('/healthz', (_req, res) => {
    // `degraded`: the shared state store is unreachable and this instance runs alone (DESIGN §16).
    res.json({ status: runtime.services.store.health() });
  });

  const openApi = JSON.stringify(openApiDocument(http.basePath));
  router.get('/api/openapi.json', (_req, res) => {
    res.type('json').send(openApi);
  });
  mountApiDocs(router);
  const stopping = new AbortController();
  const { status } = options;
  if (status !== undefined) {
    router.use(lazyConsole({ runtime, http, headers, status, stopping: stopping.signal }));
  }
  const disposeMetrics = mountMetrics(router, runtime, source);

  router.get('/', async (req, res) => {
    // Lockdown and maintenance close the page too; /healthz above stays open (DESIGN §12).
    const refusal = await runtime.admit({ channel: 'http', source: source(req) });
    if (refusal?.replyClass === 'unavailable') {
      res.status(STATUS_OF.unavailable).type('text').send(refusal.message);
      return;
    }
    res.type('html').send(renderPage(req.originalUrl.split('?')[0] ?? '/'));
  });

  router.post('/', form, async (req, res) => {
    const action = req.originalUrl.split('?')[0] ?? '/';
    const cmd = fieldOf(req.body, 'cmd');
    if (cmd === undefined) {
      res
        .status(400)
        .type('html')
        .send(renderPage(action, formError('enter a command')));
      return;
    }
    const result = await run(req, cmd);
    res
      .status(result.error === undefined ? 200 : STATUS_OF[result.error.replyClass])
      .type('html')
      .send(
        renderPage(action, { text: result.combinedOutput, failed: result.error !== undefined }),
      );
  });

  // JSON and form bodies are served by api-handler.ts before express; what reaches here has
  // a body type the API does not take.
  router.post('/api/command', (_req, res) => {
    res.status(400).json(apiError(API_ERRORS.noCommand));
  });

  router.use(extensions);
  router.use('/api', (_req, res) => {
    res.status(404).json(apiError('no such route'));
  });
  router.use((_req, res) => {
    res.status(404).type('text').send('not found');
  });

  app.use(http.basePath === '' ? '/' : http.basePath, router);
  app.use((_req, res) => {
    res.status(404).type('text').send('not found');
  });
  app.use(errorHandler(runtime));
  return {
    app,
    mount: (path, handler) => {
      extensions.use(path, handler);
    },
    stop: () => {
      stopping.abort();
    },
    dispose: disposeMetrics,
  };
}

/** A string field of a parsed body, or undefined. */
function fieldOf(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function apiError(message: string): ApiAnswer {
  return { ok: false, output: '', error: message };
}

function formError(text: string): { text: string; failed: boolean } {
  return { text, failed: true };
}

/** Body-parser and unexpected errors: the right status and a short text, never a stack trace. */
function errorHandler(runtime: Runtime): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    // The client's fault (too large, malformed, a bad Content-Encoding, too many fields): its
    // 4xx with our text. Anything else is ours: 500, logged, and no library text shown.
    const status = clientErrorStatus(err) ?? 500;
    const type = typeof err === 'object' && err !== null && 'type' in err ? err.type : undefined;
    let message: string = API_ERRORS.malformed;
    if (status === 413) {
      message = type === 'parameters.too.many' ? API_ERRORS.tooManyFields : API_ERRORS.tooLarge;
    }
    if (status === 500) {
      message = API_ERRORS.internal;
      runtime.services.logger.error({ err, path: req.path }, 'http request failed');
    }
    if (res.headersSent) return;
    if (req.path.endsWith('/api/command') || req.path.includes('/api/')) {
      res.status(status).json(apiError(message));
    } else {
      res.status(status).type('text').send(message);
    }
  };
}
