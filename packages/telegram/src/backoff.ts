/**
 * Exponential backoff with jitter for Bot API retries, and a sleep that a stop signal cuts short.
 * Jitter keeps several instances (or a restarted one) from hammering the API in step.
 */

/** Delays of one retry sequence, in milliseconds. */
export interface BackoffTuning {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Production delays: 1 s doubling up to 1 min. */
export const DEFAULT_BACKOFF: BackoffTuning = { initialMs: 1000, maxMs: 60_000 };

/** The delay sequence of one run of failures; reset() after a success. */
export class Backoff {
  readonly #tuning: BackoffTuning;
  #failures = 0;

  constructor(tuning: BackoffTuning) {
    this.#tuning = tuning;
  }

  /** Failures since the last reset. */
  get failures(): number {
    return this.#failures;
  }

  /** Counts a failure and returns how long to wait: at least `floorMs` (e.g. 429 retry_after). */
  next(floorMs = 0): number {
    const { initialMs, maxMs } = this.#tuning;
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    // Full jitter over the upper half: never less than half the step, never above the cap.
    const delay = base / 2 + Math.random() * (base / 2);
    return Math.max(floorMs, Math.round(delay));
  }

  /** Starts over after a success. */
  reset(): void {
    this.#failures = 0;
  }
}

/** Waits `ms`, or less if `signal` aborts first; never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
