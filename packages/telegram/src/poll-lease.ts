/**
 * Exactly one instance polls a bot (DESIGN §16): two getUpdates callers on one token make
 * Telegram answer 409 Conflict to one of them at a time. Polling runs under a lease in the
 * state store, renewed while it runs; another instance stands by and takes over within a few
 * seconds when the holder dies (its lease runs out), at once when it stops (it gives the lease
 * up). On the memory store the lease is always this instance's, so it just polls.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Services } from '@switchboard/core';
import { sleep } from './backoff.js';

/** How long a lease lasts unless renewed: the longest a dead holder keeps the others waiting. */
export const LEASE_TTL_MS = 5000;
/** How often the holder renews and the others ask. */
export const LEASE_RENEW_MS = 1500;

/** What runs under the lease. */
export interface LeasedPolling {
  readonly store: Services['store'];
  readonly logger: Services['logger'];
  /** The bot's token: the lease is per bot (only a hash of it reaches the store). */
  readonly token: string;
  /** Aborted when the channel closes. */
  readonly signal: AbortSignal;
  /** Polls until its signal aborts (the channel closes or the lease is lost). */
  readonly poll: (signal: AbortSignal) => Promise<void>;
}

/** Polls while this instance holds the bot's lease, until `signal` aborts; then gives it up. */
export async function pollUnderLease(options: LeasedPolling): Promise<void> {
  const { store, logger, signal } = options;
  const name = `telegram:${createHash('sha256').update(options.token).digest('hex').slice(0, 16)}`;
  const holder = randomUUID();
  let polling: { readonly stop: AbortController; readonly done: Promise<void> } | undefined;
  let standingBy = false;
  while (!signal.aborted) {
    const held = await store.holdLease(name, holder, LEASE_TTL_MS);
    if (held && polling === undefined) {
      if (standingBy) logger.warn('telegram: took over polling from another instance');
      standingBy = false;
      const stop = new AbortController();
      polling = { stop, done: options.poll(AbortSignal.any([signal, stop.signal])) };
    } else if (!held && !standingBy) {
      standingBy = true;
      if (polling !== undefined) {
        polling.stop.abort();
        await polling.done;
        polling = undefined;
      }
      logger.info('telegram: another instance polls this bot; standing by');
    }
    await sleep(LEASE_RENEW_MS, signal);
  }
  await polling?.done;
  await store.releaseLease(name, holder);
}
