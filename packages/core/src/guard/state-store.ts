/**
 * StateStore: every piece of security state behind one interface (DESIGN §6), so a shared
 * store (Redis, DESIGN §16) can replace the in-memory one for several instances behind one
 * load balancer. Every method is async for that reason.
 */
import type { ChannelName } from '../command.js';
import type { RateLimitConfig } from '../config/types.js';

/** A source banned on a channel after too many failed logins. */
export interface Ban {
  readonly channel: ChannelName;
  readonly source: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** When failed logins turn into a ban. */
export interface BanPolicy {
  readonly failedLoginsBeforeBan: number;
  readonly failedLoginWindowSec: number;
  readonly banSec: number;
}

/** One 6-digit half of a code pair, named by password and half, with when it stops being valid. */
export interface CodeHalf {
  /** Password fingerprint, half (A or B) and digits: never the password itself. */
  readonly key: string;
  /** Epoch ms after which this half is no longer accepted. */
  readonly expiresAt: number;
}

/**
 * What claimCodeHalves made of a pair: claimed (or claimed before for this same text), reused
 * with a different text, or unavailable (a shared store that cannot be reached: a pair checked
 * only here could be replayed on another instance, so it is refused, DESIGN §16).
 */
export type CodeClaim = 'claimed' | 'reused' | 'unavailable';

/** `ok`, or `degraded` while a shared store is unreachable and the instance runs on its own. */
export type StoreHealth = 'ok' | 'degraded';

/** The security state of one deployment. */
export interface StateStore {
  /** Takes one request from `key`'s budget in `bucket`; false when the budget is spent. */
  consume(bucket: string, key: string, limit: RateLimitConfig): Promise<boolean>;
  /** Counts a failed login; returns the new ban when this failure reached the threshold. */
  recordFailedLogin(
    channel: ChannelName,
    source: string,
    policy: BanPolicy,
  ): Promise<Ban | undefined>;
  /** Whether the source is banned on the channel right now. */
  isBanned(channel: ChannelName, source: string): Promise<boolean>;
  /** Current bans, soonest expiry first. */
  listBans(): Promise<Ban[]>;
  /** Lifts the source's bans on every channel; resolves to how many were lifted. */
  unban(source: string): Promise<number>;
  /**
   * Claims both halves of a code pair for one command text, each until its own expiry, all or
   * nothing. True when no half was claimed yet or each was claimed for this same text; false
   * (and nothing claimed) when either half was used with a different text (DESIGN §2.4: two
   * overheard pairs must not yield a third).
   */
  claimCodeHalves(halves: readonly CodeHalf[], commandText: string): Promise<CodeClaim>;
  /** Remembers that `source` authenticated on `channel`, for `ttlSec` (DESIGN §10). */
  rememberSource(channel: ChannelName, source: string, ttlSec: number): Promise<void>;
  /** Whether `source` authenticated on `channel` within its remembered time. */
  isKnownSource(channel: ChannelName, source: string): Promise<boolean>;
  /** Turns lockdown on until restart. */
  lockDown(): Promise<void>;
  /** Whether lockdown is on. */
  isLockedDown(): Promise<boolean>;
  /** Turns maintenance on or off (DESIGN §12): `.e maintenance`, `ctl`, or a config change. */
  setMaintenance(on: boolean): Promise<void>;
  /** Whether maintenance is on. */
  isUnderMaintenance(): Promise<boolean>;
  /**
   * Takes the lease `name` for `holder`, or renews it, for `ttlMs`; false while another holder
   * has it. One instance of several does a job (polling Telegram) this way.
   */
  holdLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` has it, so another can take it at once. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** `ok`, or `degraded` while a shared store cannot be reached (`/healthz` says so). */
  health(): StoreHealth;
  /** Connects a shared store; resolves once it is reachable or known not to be. */
  open(): Promise<void>;
  /** Disconnects; nothing is called after it. */
  close(): Promise<void>;
}
