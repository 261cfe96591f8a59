/**
 * Where the console attaches to the HTTP app: its paths are recognised here, and its module
 * (sessions, routes, the live log) is imported on the first request to one of them, so a
 * daemon nobody opens the console on never loads it (the idle memory budget, DESIGN §11).
 */
import type { RequestHandler, Router } from 'express';
import type { ConsoleOptions } from './console-routes.js';

/** Whether `path` (below the base path) is the console's or the live log's. */
function isConsolePath(path: string): boolean {
  return path === '/console' || path.startsWith('/console/') || path === '/api/log';
}

/** A handler that loads the console on first use and passes other paths on. */
export function lazyConsole(options: ConsoleOptions): RequestHandler {
  let loading: Promise<Router> | undefined;
  return (req, res, next) => {
    if (!isConsolePath(req.path)) {
      next();
      return;
    }
    loading ??= import('./console-routes.js').then((m) => m.createConsole(options));
    loading.then(
      (router) => {
        router(req, res, next);
      },
      (err: unknown) => {
        next(err);
      },
    );
  };
}
