/**
 * The default StateStore: in memory, on rate-limiter-flexible's RateLimiterMemory, with every
 * table capped so that a flood of distinct sources keeps the heap flat (DESIGN §6, §9).
 */
import type { ChannelName } from '../command.js';
import type { RateLimitConfig } from '../config/types.js';
import { BoundedKeys } from './bounded-keys.js';
import { consumePoint } from './consume-point.js';
import { RateLimiterMemory, type RateLimiterRes } from './rate-limiters.js';
import type {
  Ban,
  BanPolicy,
  CodeClaim,
  CodeHalf,
  StateStore,
  StoreHealth,
} from './state-store.js';

/** Table sizes; the defaults hold a few MB at most. */
export interface MemoryStoreLimits {
  /** Distinct keys per rate-limit or failed-login table. */
  readonly keysPerTable: number;
  /** Bans held at once (the oldest give way). */
  readonly bans: number;
  /** Known sources held at once (the least recently seen give way). */
  readonly knownSources: number;
}

const DEFAULT_LIMITS: MemoryStoreLimits = {
  keysPerTable: 20_000,
  bans: 10_000,
  knownSources: 10_000,
};

interface Table {
  readonly limiter: RateLimiterMemory;
  readonly keys: BoundedKeys;
  /** The limit the limiter was built for; another limit replaces the table. */
  readonly spec: string;
}

interface HeldText {
  readonly commandText: string;
  readonly expiresAt: number;
}

interface Lease {
  readonly holder: string;
  readonly expiresAt: number;
}

const banKey = (channel: ChannelName, source: string): string => `${channel}\u0000${source}`;

/** In-memory StateStore for one instance. */
export class MemoryStateStore implements StateStore {
  readonly #limits: MemoryStoreLimits;
  readonly #now: () => number;
  readonly #tables = new Map<string, Table>();
  readonly #bans = new Map<string, Ban>();
  readonly #claims = new Map<string, HeldText>();
  /** Few: one per job that only one instance may do. */
  readonly #leases = new Map<string, Lease>();
  /** Known sources by ban key, with their expiry; insertion order is last-seen order. */
  readonly #known = new Map<string, number>();
  #lockedDown = false;
  #maintenance = false;

  constructor(options: { limits?: Partial<MemoryStoreLimits>; now?: () => number } = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#now = options.now ?? Date.now;
  }

  async consume(bucket: string, key: string, limit: RateLimitConfig): Promise<boolean> {
    const table = this.#table(`rate|${bucket}`, { points: limit.requests, duration: limit.perSec });
    return (await this.#consume(table, key)) !== undefined;
  }

  async recordFailedLogin(
    channel: ChannelName,
    source: string,
    policy: BanPolicy,
  ): Promise<Ban | undefined> {
    const table = this.#table('login', {
      points: policy.failedLoginsBeforeBan,
      duration: policy.failedLoginWindowSec,
    });
    const key = banKey(channel, source);
    const res = await this.#consume(table, key);
    // The failure that spends the last point (or any beyond it) turns into a ban.
    if (res !== undefined && res.remainingPoints > 0) return undefined;
    await table.limiter.delete(key);
    table.keys.delete(key);
    const ban: Ban = { channel, source, expiresAt: this.#now() + policy.banSec * 1000 };
    this.#bans.delete(key);
    this.#bans.set(key, ban);
    for (const oldest of this.#bans.keys()) {
      if (this.#bans.size <= this.#limits.bans) break;
      this.#bans.delete(oldest);
    }
    return ban;
  }

  isBanned(channel: ChannelName, source: string): Promise<boolean> {
    const key = banKey(channel, source);
    const ban = this.#bans.get(key);
    if (ban === undefined) return Promise.resolve(false);
    if (ban.expiresAt > this.#now()) return Promise.resolve(true);
    this.#bans.delete(key);
    return Promise.resolve(false);
  }

  listBans(): Promise<Ban[]> {
    const now = this.#now();
    for (const [key, ban] of this.#bans) if (ban.expiresAt <= now) this.#bans.delete(key);
    return Promise.resolve([...this.#bans.values()].sort((a, b) => a.expiresAt - b.expiresAt));
  }

  unban(source: string): Promise<number> {
    let lifted = 0;
    for (const [key, ban] of this.#bans) {
      if (ban.source === source) {
        this.#bans.delete(key);
        lifted++;
      }
    }
    return Promise.resolve(lifted);
  }

  claimCodeHalves(halves: readonly CodeHalf[], commandText: string): Promise<CodeClaim> {
    const now = this.#now();
    // Checked before any is claimed, so a refused pair leaves no half claimed for its text.
    for (const half of halves) {
      const claim = this.#claims.get(half.key);
      if (claim !== undefined && claim.expiresAt > now && claim.commandText !== commandText) {
        return Promise.resolve('reused');
      }
    }
    // Valid halves are few per password at any moment, so pruning on insert keeps this small.
    for (const [key, old] of this.#claims) if (old.expiresAt <= now) this.#claims.delete(key);
    for (const half of halves) {
      if (!this.#claims.has(half.key)) {
        this.#claims.set(half.key, { commandText, expiresAt: half.expiresAt });
      }
    }
    return Promise.resolve('claimed');
  }

  rememberSource(channel: ChannelName, source: string, ttlSec: number): Promise<void> {
    const key = banKey(channel, source);
    this.#known.delete(key);
    this.#known.set(key, this.#now() + ttlSec * 1000);
    for (const oldest of this.#known.keys()) {
      if (this.#known.size <= this.#limits.knownSources) break;
      this.#known.delete(oldest);
    }
    return Promise.resolve();
  }

  isKnownSource(channel: ChannelName, source: string): Promise<boolean> {
    const key = banKey(channel, source);
    const expiresAt = this.#known.get(key);
    if (expiresAt === undefined) return Promise.resolve(false);
    if (expiresAt > this.#now()) return Promise.resolve(true);
    this.#known.delete(key);
    return Promise.resolve(false);
  }

  lockDown(): Promise<void> {
    this.#lockedDown = true;
    return Promise.resolve();
  }

  isLockedDown(): Promise<boolean> {
    return Promise.resolve(this.#lockedDown);
  }

  setMaintenance(on: boolean): Promise<void> {
    this.#maintenance = on;
    return Promise.resolve();
  }

  isUnderMaintenance(): Promise<boolean> {
    return Promise.resolve(this.#maintenance);
  }

  holdLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    const lease = this.#leases.get(name);
    if (lease !== undefined && lease.expiresAt > now && lease.holder !== holder) {
      return Promise.resolve(false);
    }
    this.#leases.set(name, { holder, expiresAt: now + ttlMs });
    return Promise.resolve(true);
  }

  releaseLease(name: string, holder: string): Promise<void> {
    if (this.#leases.get(name)?.holder === holder) this.#leases.delete(name);
    return Promise.resolve();
  }

  /** Always `ok`: nothing to reach. */
  health(): StoreHealth {
    return 'ok';
  }

  /** Nothing to connect. */
  open(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to disconnect. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Entries held across all tables (for the bounded-memory test and status). */
  get size(): number {
    let n = this.#bans.size + this.#claims.size + this.#known.size;
    for (const table of this.#tables.values()) n += table.keys.size;
    return n;
  }

  #table(name: string, options: { points: number; duration: number }): Table {
    const spec = `${options.points}/${options.duration}`;
    let table = this.#tables.get(name);
    if (table === undefined || table.spec !== spec) {
      // A reload changed the limit: counting starts afresh under the new one.
      table = {
        limiter: new RateLimiterMemory({ keyPrefix: name, ...options }),
        keys: new BoundedKeys(this.#limits.keysPerTable),
        spec,
      };
      this.#tables.set(name, table);
    }
    return table;
  }

  /** Consumes one point; the result, or undefined when the key is over its budget. */
  async #consume(table: Table, key: string): Promise<RateLimiterRes | undefined> {
    for (const evicted of table.keys.touch(key)) await table.limiter.delete(evicted);
    return consumePoint(table.limiter, key);
  }
}
