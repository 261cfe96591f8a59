/**
 * Logging of Bot API failures during retries: loud once, then quiet, so a long outage or a
 * second instance polling the same token does not flood the log.
 */
import type { Services } from '@switchboard/core';
import type { ApiFailure } from './api-failure.js';

type Logger = Services['logger'];

/** Advice for a 409 Conflict, which nearly always means two instances polling one token. */
export const CONFLICT_ADVICE =
  'another process is receiving updates for this bot token (409 Conflict): only one instance ' +
  'may poll at a time; stop the other one, or run every instance in webhook mode ' +
  '(telegram.webhook, see docs/telegram.md)';

/** How often a continuing transient failure is logged at warn level: every Nth attempt. */
const WARN_EVERY = 10;

/** Remembers what was already said about the API's failures. */
export class FailureLog {
  readonly #logger: Logger;
  #conflictLogged = false;
  #tokenLogged = false;
  #streak = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Logs a failed `call` that will be retried in `retryInMs`. */
  report(call: string, failure: ApiFailure, retryInMs: number): void {
    const fields = { call, error: failure.text, retryInSec: Math.round(retryInMs / 100) / 10 };
    if (failure.kind === 'conflict') {
      // Once per channel lifetime: two pollers keep interrupting each other, success and 409
      // alternate, and each 409 is the same news.
      if (this.#conflictLogged) {
        this.#logger.debug(fields, 'telegram conflict');
        return;
      }
      this.#conflictLogged = true;
      this.#logger.warn(fields, CONFLICT_ADVICE);
      return;
    }
    // Conflicts are not counted: they alternate with successes, and "reachable again" after
    // each would be noise.
    this.#streak++;
    if (failure.kind === 'tokenRejected') {
      if (!this.#tokenLogged) {
        this.#tokenLogged = true;
        this.#logger.error(fields, 'the Bot API rejects the token; check telegram.token');
      }
      return;
    }
    if (this.#streak === 1 || this.#streak % WARN_EVERY === 0) {
      this.#logger.warn({ ...fields, attempt: this.#streak }, 'telegram Bot API call failed');
    } else {
      this.#logger.debug({ ...fields, attempt: this.#streak }, 'telegram Bot API call failed');
    }
  }

  /** Logs a call the API refused outright, which is not retried. */
  refused(call: string, failure: ApiFailure): void {
    this.#logger.error({ call, error: failure.text }, 'the Telegram Bot API refused the call');
  }

  /** A call succeeded: the next failure is news again. */
  recovered(call: string): void {
    if (this.#streak > 0) {
      this.#logger.info({ call, failures: this.#streak }, 'telegram Bot API reachable again');
    }
    this.#streak = 0;
    this.#tokenLogged = false;
  }
}
