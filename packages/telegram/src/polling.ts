/**
 * Long polling, written here rather than telegraf's launch(): telegraf waits a fixed 5 s after a
 * network error, stops for good on a 409, and awaits each batch of updates before polling again,
 * so one slow command would hold up every chat. This loop backs off exponentially, keeps going
 * through conflicts (logged once), and hands updates off without waiting for them.
 */
import type { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { callApi, callSignal } from './api-call.js';
import { classifyFailure } from './api-failure.js';
import { Backoff, sleep, type BackoffTuning } from './backoff.js';
import type { FailureLog } from './failure-log.js';

/** What the API loops need. */
export interface ApiLoopContext {
  readonly telegram: Telegram;
  readonly failures: FailureLog;
  readonly backoff: BackoffTuning;
  /** Scrubbed from every logged error. */
  readonly secrets: readonly string[];
  /** Aborted when the channel closes. */
  readonly signal: AbortSignal;
}

/** Only messages: edits, channel posts, callbacks and the rest are not commands. */
const ALLOWED_UPDATES = ['message'] as const;

/**
 * Runs `call` until it succeeds, backing off between failures (a network comes back, a conflict
 * ends, a revoked token may be replaced); undefined when the channel closed first, or at once
 * when the API refused the call itself (a 400 will not change by asking again).
 */
export async function retryUntilDone<T>(
  ctx: ApiLoopContext,
  name: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T | undefined> {
  const backoff = new Backoff(ctx.backoff);
  while (!ctx.signal.aborted) {
    try {
      const value = await call(callSignal(ctx.signal));
      ctx.failures.recovered(name);
      return value;
    } catch (thrown) {
      const failure = classifyFailure(thrown, ctx.secrets, ctx.signal);
      if (failure.kind === 'aborted') break;
      if (failure.kind === 'refused') {
        ctx.failures.refused(name, failure);
        break;
      }
      const delay = backoff.next((failure.retryAfterSec ?? 0) * 1000);
      ctx.failures.report(name, failure, delay);
      await sleep(delay, ctx.signal);
    }
  }
  return undefined;
}

/**
 * Polls getUpdates until the stop signal, passing each update to `onUpdate` (which must not
 * throw and is not awaited). On stop, confirms the updates already handed off, so a quick
 * restart does not see them again.
 */
export async function poll(
  ctx: ApiLoopContext,
  pollTimeoutSec: number,
  onUpdate: (update: Update) => void,
): Promise<void> {
  const backoff = new Backoff(ctx.backoff);
  let offset = 0;
  while (!ctx.signal.aborted) {
    try {
      const updates = await callApi(
        ctx.telegram,
        'getUpdates',
        { offset, timeout: pollTimeoutSec, allowed_updates: ALLOWED_UPDATES },
        // The server holds the request up to pollTimeoutSec; allow for a slow network on top.
        callSignal(ctx.signal, (pollTimeoutSec + 15) * 1000),
      );
      backoff.reset();
      ctx.failures.recovered('getUpdates');
      for (const update of updates) {
        offset = Math.max(offset, update.update_id + 1);
        onUpdate(update);
      }
    } catch (thrown) {
      const failure = classifyFailure(thrown, ctx.secrets, ctx.signal);
      if (failure.kind === 'aborted') break;
      const delay = backoff.next((failure.retryAfterSec ?? 0) * 1000);
      ctx.failures.report('getUpdates', failure, delay);
      await sleep(delay, ctx.signal);
    }
  }
  if (offset > 0) await confirmOffset(ctx.telegram, offset);
}

/** getUpdates with a higher offset is how Telegram learns that updates were handled. */
async function confirmOffset(telegram: Telegram, offset: number): Promise<void> {
  try {
    await callApi(
      telegram,
      'getUpdates',
      { offset, limit: 1, timeout: 0, allowed_updates: ALLOWED_UPDATES },
      AbortSignal.timeout(2000),
    );
  } catch {
    // Best effort at shutdown; the start-up date check skips anything seen again.
  }
}
