/**
 * `GET /metrics` (DESIGN §13): Prometheus text format through prom-client, which is loaded only
 * when `http.metrics.enabled` is true. Counters are read from core's Stats at each scrape, so
 * they hold everything since the daemon started; the duration histogram observes commands from
 * the moment metrics are first on. Gauges ask the store (bans) and the outbox at each scrape.
 */
import type { Services } from '@switchboard/core';

/** What a scrape answers. */
export interface Scrape {
  readonly contentType: string;
  readonly body: string;
}

/** The registry of one daemon. */
export interface Metrics {
  scrape(): Promise<Scrape>;
  /** Stops observing commands. */
  close(): void;
}

/** Builds the registry over `services`. */
export async function createMetrics(services: Services): Promise<Metrics> {
  const prom = await import('prom-client');
  const register = new prom.Registry();
  prom.collectDefaultMetrics({ register });
  // Gauges named like counters, which promtool rejects; each repeats its labelled twin's sum.
  for (const name of ['resources', 'handles', 'requests']) {
    register.removeSingleMetric(`nodejs_active_${name}_total`);
  }
  const { stats, store, mail } = services;
  new prom.Counter({
    name: 'switchboard_commands_total',
    help: 'Commands finished, by channel and result (ok, or the error code).',
    labelNames: ['channel', 'result'],
    registers: [register],
    collect() {
      this.reset();
      for (const { channel, result, count } of stats.results()) {
        this.inc({ channel, result }, count);
      }
    },
  });
  new prom.Counter({
    name: 'switchboard_failed_logins_total',
    help: 'Wrong passwords, code pairs and API keys, by channel.',
    labelNames: ['channel'],
    registers: [register],
    collect() {
      this.reset();
      for (const [channel, count] of stats.failedLogins()) this.inc({ channel }, count);
    },
  });
  const duration = new prom.Histogram({
    name: 'switchboard_command_duration_seconds',
    help: 'Time from a command arriving to its answer, by channel.',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [register],
  });
  new prom.Gauge({
    name: 'switchboard_bans',
    help: 'Sources banned now.',
    registers: [register],
    async collect() {
      this.set((await store.listBans()).length);
    },
  });
  new prom.Gauge({
    name: 'switchboard_outbox_messages',
    help: 'Mail in the outbox: queued for delivery, or failed (given up on).',
    labelNames: ['state'],
    registers: [register],
    async collect() {
      const [queued, failed] = await Promise.all([mail.pending(), mail.failed()]);
      this.set({ state: 'queued' }, queued.length);
      this.set({ state: 'failed' }, failed.length);
    },
  });
  const stop = stats.onCommand((channel, _result, ms) => {
    duration.observe({ channel }, ms / 1000);
  });
  return {
    async scrape() {
      return { contentType: register.contentType, body: await register.metrics() };
    },
    close: stop,
  };
}
