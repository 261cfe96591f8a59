/**
 * The shared StateStore (DESIGN §16): every instance on one Redis sees the same rate counters
 * (rate-limiter-flexible's RateLimiterRedis), failed logins, bans, known sources, used code-pair
 * halves, lockdown, maintenance and leases. Every key starts with the configured prefix and
 * carries a time to live, so Redis memory stays flat; maintenance, a switch, is one key without.
 *
 * While Redis cannot be reached the instance carries on alone (degraded): limits, failed logins
 * and bans fall back to an in-memory store, code pairs are refused (a half claimed only here
 * could be replayed elsewhere), and bans of either kind are honoured once Redis is back.
 */
import type { Logger } from 'pino';
import { CHANNELS, type ChannelName } from '../command.js';
import type { RateLimitConfig } from '../config/types.js';
import { consumePoint } from './consume-point.js';
import { MemoryStateStore } from './memory-store.js';
import { RateLimiterRedis, type RateLimiterRes } from './rate-limiters.js';
import { RedisConnection } from './redis-connection.js';
import { SharedFlags } from './redis-flags.js';
import { ADD_BAN, CLAIM_HALVES, HOLD_LEASE, RELEASE_LEASE } from './redis-scripts.js';
import type {
  Ban,
  BanPolicy,
  CodeClaim,
  CodeHalf,
  StateStore,
  StoreHealth,
} from './state-store.js';

/** Bans held at once, as in memory (the soonest to expire give way). */
const MAX_BANS = 10_000;
const BANS = 'bans';

const member = (channel: ChannelName, source: string): string => `${channel}\u0000${source}`;
const knownKey = (channel: ChannelName, source: string): string =>
  `known:${member(channel, source)}`;

interface Limiter {
  readonly limiter: RateLimiterRedis;
  /** The limit it was built for; another limit replaces it. */
  readonly spec: string;
}

/** Where the store connects, and what it says. */
export interface RedisStoreOptions {
  /** redis:// or rediss:// URL; may hold a password, never logged. */
  readonly url: string;
  readonly keyPrefix: string;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** A StateStore on Redis, shared by every instance that names the same URL and prefix. */
export class RedisStateStore implements StateStore {
  readonly #redis: RedisConnection;
  readonly #flags: SharedFlags;
  readonly #fallback: MemoryStateStore;
  readonly #now: () => number;
  readonly #limiters = new Map<string, Limiter>();
  /** Leases this instance held at the last answer from Redis: kept while Redis is away. */
  readonly #leases = new Map<string, string>();

  constructor(options: RedisStoreOptions) {
    this.#now = options.now ?? Date.now;
    this.#redis = new RedisConnection(options.url, options.keyPrefix, options.logger);
    this.#flags = new SharedFlags(this.#redis, options.logger, this.#now);
    this.#fallback = new MemoryStateStore({ now: this.#now });
  }

  async open(): Promise<void> {
    await this.#redis.opened();
    await this.#flags.start();
  }

  async close(): Promise<void> {
    this.#flags.stop();
    await this.#redis.close();
  }

  health(): StoreHealth {
    return this.#redis.ready ? 'ok' : 'degraded';
  }

  consume(bucket: string, key: string, limit: RateLimitConfig): Promise<boolean> {
    return this.#shared(
      async () => (await this.#consume(`rate:${bucket}`, limit, key)) !== undefined,
      () => this.#fallback.consume(bucket, key, limit),
    );
  }

  recordFailedLogin(
    channel: ChannelName,
    source: string,
    policy: BanPolicy,
  ): Promise<Ban | undefined> {
    return this.#shared(
      async () => {
        const limit = {
          requests: policy.failedLoginsBeforeBan,
          perSec: policy.failedLoginWindowSec,
        };
        const key = member(channel, source);
        const res = await this.#consume('login', limit, key);
        // The failure that spends the last point (or any beyond it) turns into a ban.
        if (res !== undefined && res.remainingPoints > 0) return undefined;
        const ban: Ban = { channel, source, expiresAt: this.#now() + policy.banSec * 1000 };
        await ADD_BAN.run(this.#redis.client, [BANS], [key, ban.expiresAt, this.#now(), MAX_BANS]);
        await this.#limiter('login', limit).delete(key);
        return ban;
      },
      () => this.#fallback.recordFailedLogin(channel, source, policy),
    );
  }

  async isBanned(channel: ChannelName, source: string): Promise<boolean> {
    if (await this.#fallback.isBanned(channel, source)) return true;
    return this.#shared(
      async () => {
        const expiresAt = await this.#redis.client.zscore(BANS, member(channel, source));
        return expiresAt !== null && Number(expiresAt) > this.#now();
      },
      () => Promise.resolve(false),
    );
  }

  async listBans(): Promise<Ban[]> {
    const bans = new Map<string, Ban>();
    const shared = await this.#shared(
      async () => {
        const { client } = this.#redis;
        await client.zremrangebyscore(BANS, '-inf', this.#now());
        return client.zrange(BANS, 0, -1, 'WITHSCORES');
      },
      () => Promise.resolve([]),
    );
    for (let i = 0; i + 1 < shared.length; i += 2) {
      const key = shared[i] ?? '';
      const split = key.indexOf('\u0000');
      const channel = key.slice(0, split) as ChannelName;
      bans.set(key, { channel, source: key.slice(split + 1), expiresAt: Number(shared[i + 1]) });
    }
    for (const ban of await this.#fallback.listBans()) {
      const key = member(ban.channel, ban.source);
      if ((bans.get(key)?.expiresAt ?? 0) < ban.expiresAt) bans.set(key, ban);
    }
    return [...bans.values()].sort((a, b) => a.expiresAt - b.expiresAt);
  }

  async unban(source: string): Promise<number> {
    const lifted = new Set<ChannelName>();
    for (const ban of await this.#fallback.listBans()) {
      if (ban.source === source) lifted.add(ban.channel);
    }
    await this.#fallback.unban(source);
    await this.#shared(
      async () => {
        for (const channel of CHANNELS) {
          if ((await this.#redis.client.zrem(BANS, member(channel, source))) > 0) {
            lifted.add(channel);
          }
        }
      },
      () => Promise.resolve(),
    );
    return lifted.size;
  }

  async claimCodeHalves(halves: readonly CodeHalf[], commandText: string): Promise<CodeClaim> {
    return this.#shared(
      async () => {
        const claimed = await CLAIM_HALVES.run(
          this.#redis.client,
          halves.map((half) => `code:${half.key}`),
          [commandText, this.#now(), ...halves.map((half) => half.expiresAt)],
        );
        return claimed === 1 ? 'claimed' : 'reused';
      },
      () => Promise.resolve('unavailable'),
    );
  }

  rememberSource(channel: ChannelName, source: string, ttlSec: number): Promise<void> {
    return this.#shared(
      async () => {
        // The expiry by this clock decides (as in memory); the time to live frees the key.
        const expiresAt = this.#now() + ttlSec * 1000;
        await this.#redis.client.set(knownKey(channel, source), expiresAt, 'PX', ttlSec * 1000);
      },
      () => this.#fallback.rememberSource(channel, source, ttlSec),
    );
  }

  isKnownSource(channel: ChannelName, source: string): Promise<boolean> {
    return this.#shared(
      async () => Number(await this.#redis.client.get(knownKey(channel, source))) > this.#now(),
      () => this.#fallback.isKnownSource(channel, source),
    );
  }

  lockDown(): Promise<void> {
    return this.#flags.lockDown();
  }

  isLockedDown(): Promise<boolean> {
    return Promise.resolve(this.#flags.lockedDown);
  }

  setMaintenance(on: boolean): Promise<void> {
    return this.#flags.setMaintenance(on);
  }

  isUnderMaintenance(): Promise<boolean> {
    return Promise.resolve(this.#flags.maintenance);
  }

  holdLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.#shared(
      async () => {
        const held =
          (await HOLD_LEASE.run(this.#redis.client, [`lease:${name}`], [holder, ttlMs])) === 1;
        if (held) this.#leases.set(name, holder);
        else this.#leases.delete(name);
        return held;
      },
      // Nobody can take it while Redis is away: whoever held it goes on.
      () => Promise.resolve(this.#leases.get(name) === holder),
    );
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.#leases.get(name) === holder) this.#leases.delete(name);
    await this.#shared(
      async () => {
        await RELEASE_LEASE.run(this.#redis.client, [`lease:${name}`], [holder]);
      },
      () => Promise.resolve(),
    );
  }

  /** `op` on Redis; `fallback` when Redis is away or the call fails. */
  async #shared<T>(op: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (!this.#redis.ready) return fallback();
    try {
      return await op();
    } catch {
      // The connection reports the outage once; this call is answered without Redis.
      return fallback();
    }
  }

  /** Consumes one point; the result, or undefined when the key is over its budget. */
  #consume(name: string, limit: RateLimitConfig, key: string): Promise<RateLimiterRes | undefined> {
    return consumePoint(this.#limiter(name, limit), key);
  }

  #limiter(name: string, limit: RateLimitConfig): RateLimiterRedis {
    const spec = `${limit.requests}/${limit.perSec}`;
    let entry = this.#limiters.get(name);
    if (entry === undefined || entry.spec !== spec) {
      // A new limit (a reload) counts afresh, under keys of its own.
      entry = {
        limiter: new RateLimiterRedis({
          storeClient: this.#redis.client,
          keyPrefix: `${name}:${spec}`,
          points: limit.requests,
          duration: limit.perSec,
          rejectIfRedisNotReady: true,
        }),
        spec,
      };
      this.#limiters.set(name, entry);
    }
    return entry.limiter;
  }
}
