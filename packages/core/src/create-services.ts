/**
 * Builds the stateful services for one daemon (or one CLI run) from a config.
 */
import { join, resolve } from 'node:path';
import type { Config } from './config/types.js';
import { MemoryStateStore } from './guard/memory-store.js';
import { RedisStateStore } from './guard/redis-store.js';
import type { StateStore } from './guard/state-store.js';
import { createLogging } from './log/logger.js';
import { RefusalLog } from './log/refusal-log.js';
import { Outbox } from './mail/outbox.js';
import { AlertStore } from './monitor/alert-store.js';
import { Monitor, type TelegramPush } from './monitor/monitor.js';
import { ProcSampler } from './monitor/proc-sampler.js';
import type { Sampler } from './monitor/sample.js';
import { ProcessRunner } from './process/process-runner.js';
import type { Services } from './services.js';
import { RecentCommands } from './recent-commands.js';
import { Stats } from './stats.js';

/** Services plus the outbox; the owner starts and stops the outbox and closes `processes`. */
export interface OwnedServices extends Services {
  readonly outbox: Outbox;
}

/**
 * Creates logger, ring, feed, recent commands, store, stats, outbox and process runner; nothing is started yet (the
 * owner opens and closes the store as well).
 */
export function createServices(
  config: Config,
  options: {
    logDestination: { write(line: string): unknown };
    logLevel?: string;
    store?: StateStore;
    requestStop?: () => void;
    /** Relative `mail.outbox` paths are resolved from here (the config file's directory). */
    baseDir?: string;
    /** Where programs run; default the best backend of this system. */
    processes?: ProcessRunner;
    /** Folder of state without a config key (`monitor.json`); default `data/` in baseDir. */
    dataDir?: string;
    /** How the monitor reaches Telegram chats; without it, alerts go by mail only. */
    telegramPush?: TelegramPush;
    /** The monitor's system reader; default /proc (tests pass a scripted one). */
    sampler?: Sampler;
  },
): OwnedServices {
  const { logger, ring, feed } = createLogging({
    destination: options.logDestination,
    ...(options.logLevel === undefined ? {} : { level: options.logLevel }),
  });
  const outbox = new Outbox({
    ...config.mail, // from, smtp, retry: the settings a reload may change
    dir: resolve(options.baseDir ?? '.', config.mail.outbox),
    logger,
  });
  const dataDir = options.dataDir ?? resolve(options.baseDir ?? '.', 'data');
  const monitor =
    config.monitor === undefined
      ? undefined
      : new Monitor({
          settings: config.monitor,
          sampler: options.sampler ?? new ProcSampler(),
          store: new AlertStore(join(dataDir, 'monitor.json')),
          mail: outbox,
          telegram:
            options.telegramPush ??
            (() => {
              logger.warn('monitor: no telegram channel to send the alert through');
              return Promise.resolve();
            }),
          logger,
        });
  return {
    logger,
    logRing: ring,
    logFeed: feed,
    recent: new RecentCommands(),
    refusals: new RefusalLog(logger),
    store: options.store ?? createStore(config, logger),
    stats: new Stats(),
    mail: outbox,
    outbox,
    processes: options.processes ?? new ProcessRunner(),
    ...(monitor === undefined ? {} : { monitor }),
    requestStop: options.requestStop ?? (() => undefined),
  };
}

/** The store `state` names: in memory, or on the Redis that every instance shares. */
function createStore(config: Config, logger: OwnedServices['logger']): StateStore {
  const { redis } = config.state;
  if (config.state.store === 'memory' || redis === undefined) return new MemoryStateStore();
  return new RedisStateStore({ url: redis.url, keyPrefix: redis.keyPrefix, logger });
}
