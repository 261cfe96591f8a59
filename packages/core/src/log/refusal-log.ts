/**
 * Warnings about refused requests (bad signatures, refused webhooks, SMTP refusals, bans), capped
 * in one place (DESIGN §10): at most one line a minute per kind, carrying how many refusals of
 * that kind there were since the last line. So a flood cannot fill the log or `.e warn`.
 */
import type { Logger } from 'pino';

/** At most one line this often per kind of refusal. */
export const REFUSAL_LOG_INTERVAL_MS = 60_000;

interface KindState {
  /** Refusals since the last line. */
  refused: number;
  loggedAt: number;
}

/** The refusal warnings of one daemon. */
export class RefusalLog {
  readonly #logger: Logger;
  readonly #now: () => number;
  /** By kind; kinds are names in the code, so this stays small. */
  readonly #kinds = new Map<string, KindState>();

  constructor(logger: Logger, now: () => number = Date.now) {
    this.#logger = logger;
    this.#now = now;
  }

  /**
   * Counts one refusal of `kind`. The first of a minute is logged at once with `fields` and
   * `refused: 1`; the rest of that minute are counted into the next line. Never log a secret in
   * `fields`: not even a near miss of one.
   */
  refused(kind: string, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    const now = this.#now();
    let state = this.#kinds.get(kind);
    if (state === undefined) {
      state = { refused: 0, loggedAt: -Infinity };
      this.#kinds.set(kind, state);
    }
    state.refused++;
    if (now - state.loggedAt < REFUSAL_LOG_INTERVAL_MS) return;
    this.#logger.warn({ ...fields, refusal: kind, refused: state.refused }, message);
    state.refused = 0;
    state.loggedAt = now;
  }
}
