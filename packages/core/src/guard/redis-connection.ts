/**
 * The shared store's Redis connection. ioredis is loaded only here, when `state.store` is
 * "redis", so a daemon on the memory store never pays for it (the idle RSS budget). While Redis
 * is away, commands fail at once instead of queueing, so callers fall back without waiting, and
 * the client reconnects forever: a restarted Redis is used again without a restart of ours. It
 * says once that Redis went away and once that it came back; the URL (it may hold a password)
 * is never logged, only its host.
 */
import { createRequire } from 'node:module';
import type * as IORedis from 'ioredis';
import type { Logger } from 'pino';

/** How long one command may take before the caller falls back. */
const COMMAND_TIMEOUT_MS = 1000;
/** Reconnect attempts back off to this and stay there: Redis is used again within a second. */
const MAX_RECONNECT_DELAY_MS = 1000;

/** What the warnings say. */
const DOWN =
  'state store: redis unreachable; one-time code pairs are refused and limits are kept in memory until it is back';
const BACK = 'state store: redis reachable again; state is shared again';

/** One Redis client and whether it can be used right now. */
export class RedisConnection {
  readonly client: IORedis.Redis;
  readonly #logger: Logger;
  readonly #host: string;
  /** Whether the outage in progress was reported (reset when Redis is back). */
  #warned = false;
  readonly #settled: Promise<void>;

  constructor(url: string, keyPrefix: string, logger: Logger) {
    const { Redis } = createRequire(import.meta.url)('ioredis') as typeof IORedis;
    this.#logger = logger;
    this.#host = new URL(url).host;
    this.client = new Redis(url, {
      keyPrefix,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2 * COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
    });
    this.#settled = new Promise((resolve) => {
      this.client.once('ready', resolve);
      this.client.once('error', () => {
        resolve();
      });
    });
    this.client.on('ready', () => {
      if (!this.#warned) return;
      this.#warned = false;
      this.#logger.warn({ redis: this.#host }, BACK);
    });
    // Every failed reconnect emits an error; one warning per outage is enough.
    this.client.on('error', () => {
      this.#down();
    });
    this.client.on('close', () => {
      this.#down();
    });
  }

  /** Whether commands can be sent now. */
  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /** Resolves once connected, or once the first attempt failed (then it keeps trying). */
  opened(): Promise<void> {
    return this.#settled;
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    this.#warned = true; // a closing client is not an outage
    if (this.ready) await this.client.quit().catch(() => undefined);
    this.client.disconnect();
  }

  #down(): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#logger.warn({ redis: this.#host }, DOWN);
  }
}
