/**
 * The `/metrics` route: 404 unless `http.metrics.enabled`; behind `http.metrics.bearer` (the
 * SHA-256 of a key) when that is set, where a wrong key counts as a failed login as everywhere.
 * Open during maintenance, like /healthz: monitoring must see it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response, NextFunction, Router } from 'express';
import { countFailedLogin, hashKey, type Runtime } from '@switchboard/core';
import { presentedKey } from './bearer.js';
import { createMetrics, type Metrics } from './metrics.js';

/** Adds `/metrics` to `router`; returns what stops its observing (the channel's close). */
export function mountMetrics(
  router: Router,
  runtime: Runtime,
  source: (req: Request) => string,
): () => void {
  let metrics: Promise<Metrics> | undefined;
  const registry = (): Promise<Metrics> => (metrics ??= createMetrics(runtime.services));
  // On from the start: the duration histogram then sees every command.
  if (runtime.config().http?.metrics.enabled === true) void registry();

  router.get('/metrics', (req: Request, res: Response, next: NextFunction) => {
    const settings = runtime.config().http?.metrics;
    if (settings?.enabled !== true) {
      next();
      return;
    }
    void serve(req, res, settings.bearer).catch(next);
  });

  async function serve(req: Request, res: Response, bearer: string | undefined): Promise<void> {
    if (bearer !== undefined && !(await allowed(req, bearer))) {
      res.status(401).set('www-authenticate', 'Bearer').type('text').send('unauthorized\n');
      return;
    }
    const scrape = await (await registry()).scrape();
    res.type(scrape.contentType).send(scrape.body);
  }

  async function allowed(req: Request, bearer: string): Promise<boolean> {
    const { store } = runtime.services;
    const from = source(req);
    if (await store.isBanned('http', from)) return false;
    const presented = presentedKey(req);
    if ('key' in presented && presented.key !== undefined) {
      const digest = Buffer.from(hashKey(presented.key), 'hex');
      const expected = Buffer.from(bearer.toLowerCase(), 'hex');
      if (digest.length === expected.length && timingSafeEqual(digest, expected)) return true;
    }
    await countFailedLogin(runtime.services, runtime.config().limits, 'http', from);
    return false;
  }

  return () => {
    void metrics?.then((m) => {
      m.close();
    });
  };
}
