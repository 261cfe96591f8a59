/**
 * Admission (DESIGN §10): whether a request may go on, decided in one place for every channel,
 * always in this order: lockdown → maintenance → ban → the source's own limit → the global
 * budget. Maintenance lets the sources of `maintenance.allow` through (DESIGN §12).
 *
 * The ban comes before any budget is spent, so a banned flood costs the others nothing. The
 * global budget keeps a share (`limits.reservedForKnownSources`) for sources that have
 * authenticated before, so a flood from unknown sources, one or thousands, cannot starve the
 * owner; known sources spend their share first, then the open rest.
 */
import type { ChannelName } from '../command.js';
import type { LimitsConfig, RateLimitConfig } from '../config/types.js';
import { PipelineError } from '../errors.js';
import type { SourceList } from './source-list.js';
import type { StateStore } from './state-store.js';

/** The config admission reads, compiled once per config (the pipeline holds it). */
export interface AdmissionPolicy {
  readonly limits: LimitsConfig;
  /** Sources that pass while maintenance is on. */
  readonly maintenanceAllow: SourceList;
}

/** What asks to be admitted. */
export interface AdmissionRequest {
  readonly channel: ChannelName;
  /** As the channel knows it: IP, phone number, chat id. */
  readonly source: string;
  /** The source's own limit; absent when the request was paid for already (a re-check). */
  readonly rateLimit?: RateLimitConfig;
  /** Budget of this kind of request; default `source:<channel>`, the one of commands. */
  readonly bucket?: string;
  /** Whether it spends the global command budget (commands do; a connection or a greeting not). */
  readonly spendsGlobal?: boolean;
}

/** Budget buckets of the global limit: the open share and the one kept for known sources. */
const OPEN_BUCKET = 'global:open';
const KNOWN_BUCKET = 'global:known';
const INSTANCE = 'instance';

/**
 * Undefined when admitted, else the refusal: `LOCKED_DOWN`, `UNDER_MAINTENANCE`, `BANNED` or
 * `RATE_LIMITED`.
 */
export async function admit(
  store: StateStore,
  policy: AdmissionPolicy,
  request: AdmissionRequest,
): Promise<PipelineError | undefined> {
  const { channel, source } = request;
  const { limits } = policy;
  if (await store.isLockedDown()) return new PipelineError('LOCKED_DOWN');
  if ((await store.isUnderMaintenance()) && !policy.maintenanceAllow.has(source)) {
    return new PipelineError('UNDER_MAINTENANCE');
  }
  if (await store.isBanned(channel, source)) return new PipelineError('BANNED');
  if (request.rateLimit !== undefined) {
    const bucket = request.bucket ?? `source:${channel}`;
    if (!(await store.consume(bucket, source, request.rateLimit))) {
      return new PipelineError('RATE_LIMITED');
    }
  }
  if (request.spendsGlobal === true && !(await spendGlobal(store, limits, channel, source))) {
    return new PipelineError('RATE_LIMITED');
  }
  return undefined;
}

/** The split of `commandsPerSecond`: the open share is never 0, so newcomers can still log in. */
export function globalShares(limits: LimitsConfig): { open: number; known: number } {
  const known = Math.floor(limits.commandsPerSecond * limits.reservedForKnownSources);
  return { open: limits.commandsPerSecond - known, known };
}

async function spendGlobal(
  store: StateStore,
  limits: LimitsConfig,
  channel: ChannelName,
  source: string,
): Promise<boolean> {
  const shares = globalShares(limits);
  if (shares.known > 0 && (await store.isKnownSource(channel, source))) {
    if (await store.consume(KNOWN_BUCKET, INSTANCE, { requests: shares.known, perSec: 1 })) {
      return true;
    }
  }
  return store.consume(OPEN_BUCKET, INSTANCE, { requests: shares.open, perSec: 1 });
}
