/**
 * Lockdown and maintenance on the shared store, read on every request and so kept here, in the
 * process, and refreshed from Redis twice a second: a switch on one instance takes effect on
 * every other within a second, and the hot path costs no round trip.
 *
 * Lockdown lasts until restart (DESIGN §3), on every instance: the key holds when it was set,
 * and an instance takes it up only if it was running by then; once locked it stays locked,
 * whatever Redis says later. So restarting the instances lifts it, one by one, as with one
 * instance. (Clocks must agree to the second, which the one-time codes already need.)
 */
import type { Logger } from 'pino';
import type { RedisConnection } from './redis-connection.js';

/** How often the flags are read from Redis. */
export const FLAG_POLL_MS = 500;

const LOCKDOWN = 'lockdown';
/** Long enough for an instance that was cut off from Redis to hear of a lockdown. */
const LOCKDOWN_TTL_SEC = 86_400;
const MAINTENANCE = 'maintenance';

/** The two switches, cached and kept in step with Redis. */
export class SharedFlags {
  readonly #redis: RedisConnection;
  readonly #logger: Logger;
  readonly #now: () => number;
  /** Lockdowns set before this are not ours: a restart lifted them. */
  readonly #startedAt: number;
  #lockedDown = false;
  #maintenance = false;
  /** Bumped by every local write, so a read that crossed it is not applied over it. */
  #writes = 0;
  #timer?: NodeJS.Timeout;
  #refreshing = false;

  constructor(redis: RedisConnection, logger: Logger, now: () => number) {
    this.#redis = redis;
    this.#logger = logger;
    this.#now = now;
    this.#startedAt = now();
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
    if (!this.#redis.ready) return;
    await this.#redis.client
      .set(LOCKDOWN, String(this.#now()), 'EX', LOCKDOWN_TTL_SEC)
      .catch(() => undefined);
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
      if (!this.#lockedDown && locked !== null && Number(locked) >= this.#startedAt) {
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
