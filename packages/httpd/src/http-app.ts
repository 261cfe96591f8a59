/**
 * The HTTP channel's express app (DESIGN §4 httpd): the form page, the JSON API and health,
 * all under an optional basePath, plus mount points for the Twilio and Telegram webhooks.
 */
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { HttpConfig, Result, Runtime } from '@switchboard/core';
import { renderPage } from './page.js';
import { STATUS_OF } from './status.js';

/** Largest request body accepted (DESIGN §4). */
export const BODY_LIMIT = '64kb';

/** The app and where other channels attach their webhooks. */
export interface HttpApp {
  readonly app: express.Express;
  /** Attaches a handler at `path` below basePath (e.g. the Twilio router at `/twilio`). */
  readonly mount: (path: string, handler: RequestHandler | express.Router) => void;
}

/** The JSON API's answer. */
interface ApiAnswer {
  ok: boolean;
  output: string;
  error: string | null;
}

/** Builds the app for the http block as configured at start. */
export function createHttpApp(runtime: Runtime, http: HttpConfig): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  // Forwarded headers are believed only from the proxies the owner named (DESIGN §4).
  app.set('trust proxy', http.trustProxy.length === 0 ? false : [...http.trustProxy]);
  app.use(
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
    }),
  );
  app.use((_req, res, next) => {
    // Results may hold secrets (2FA codes): never let a cache keep them.
    res.set('Cache-Control', 'no-store');
    next();
  });

  const router = express.Router();
  const extensions = express.Router();
  const form = express.urlencoded({ extended: false, limit: BODY_LIMIT });
  const json = express.json({ limit: BODY_LIMIT, strict: false });
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
    res.json({ status: 'ok' });
  });

  router.get('/', (req, res) => {
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

  router.post('/api/command', json, form, async (req, res) => {
    const command = fieldOf(req.body, 'command');
    if (command === undefined) {
      res
        .status(400)
        .json(apiError('body must be JSON {"command": "..."} or a form field command'));
      return;
    }
    const result = await run(req, command);
    const answer: ApiAnswer = {
      ok: result.error === undefined,
      output: result.output,
      error: result.error?.message ?? null,
    };
    res.status(result.error === undefined ? 200 : STATUS_OF[result.error.replyClass]).json(answer);
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
    const type = typeof err === 'object' && err !== null && 'type' in err ? err.type : undefined;
    let status = 500;
    let message = 'internal error';
    if (type === 'entity.too.large') {
      status = 413;
      message = `request body is too large (max ${BODY_LIMIT})`;
    } else if (
      type === 'entity.parse.failed' ||
      type === 'encoding.unsupported' ||
      type === 'charset.unsupported'
    ) {
      status = 400;
      message = 'malformed request body';
    } else {
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
