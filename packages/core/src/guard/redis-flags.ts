/**
 * Lockdown and maintenance on the shared store, read on every request and so kept here, in the
 * process, and refreshed from Redis twice a second: a switch on one instance takes effect on
 * every other within a second, and the hot path costs no round trip. Lockdown only ever turns
 * on, here as in memory (DESIGN §3: until restart); an instance that is locked down writes it
 * back when Redis has lost it (a restart without persistence).
 */
import type { Logger } from 'pino';
import type { RedisConnection } from './redis-connection.js';

/** How often the flags are read from Redis. */
export const FLAG_POLL_MS = 500;

const LOCKDOWN = 'lockdown';
const MAINTENANCE = 'maintenance';

/** The two switches, cached and kept in step with Redis. */
export class SharedFlags {
  readonly #redis: RedisConnection;
  readonly #logger: Logger;
  #lockedDown = false;
  #maintenance = false;
  /** Bumped by every local write, so a read that crossed it is not applied over it. */
  #writes = 0;
  #timer?: NodeJS.Timeout;
  #refreshing = false;

  constructor(redis: RedisConnection, logger: Logger) {
    this.#redis = redis;
    this.#logger = logger;
  }

  get lockedDown(): boolean {
    return this.#lockedDown;
  }

  get maintenance(): boolean {
    return this.#maintenance;
  }

  /** Reads the flags now, then every FLAG_POLL_MS until stop(). */
  async start(): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), FLAG_POLL_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Locks down here at once and on the others as soon as Redis has it. */
  async lockDown(): Promise<void> {
    this.#lockedDown = true;
    this.#writes++;
    if (this.#redis.ready) await this.#redis.client.set(LOCKDOWN, '1').catch(() => undefined);
  }

  /** Sets maintenance here at once and, when Redis can be reached, on the others. */
  async setMaintenance(on: boolean): Promise<void> {
    this.#maintenance = on;
    this.#writes++;
    if (!this.#redis.ready) return;
    const { client } = this.#redis;
    await (on ? client.set(MAINTENANCE, '1') : client.del(MAINTENANCE)).catch(() => undefined);
  }

  /** One read of both flags; while Redis is away the cached values stand. */
  async refresh(): Promise<void> {
    if (this.#refreshing || !this.#redis.ready) return;
    this.#refreshing = true;
    const writes = this.#writes;
    try {
      const [locked, maintenance] = await this.#redis.client.mget(LOCKDOWN, MAINTENANCE);
      if (writes !== this.#writes) return;
      if (locked === null && this.#lockedDown) await this.#redis.client.set(LOCKDOWN, '1');
      if (locked !== null && !this.#lockedDown) {
        this.#lockedDown = true;
        this.#logger.warn('lockdown on (set on another instance)');
      }
      if ((maintenance !== null) !== this.#maintenance) {
        this.#maintenance = maintenance !== null;
        this.#logger.warn(`maintenance ${this.#maintenance ? 'on' : 'off'} (another instance)`);
      }
    } catch {
      // Unreachable for now: the connection reports it once; the cached values stand.
    } finally {
      this.#refreshing = false;
    }
  }
}
