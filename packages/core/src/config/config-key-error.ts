/**
 * A start-up or reload failure that a config key explains (`http.listen: address already in
 * use`, `mail.outbox: cannot use /srv/outbox: permission denied`): every channel and the outbox
 * throw this, so the CLI and the reload log can name the key the user has to change.
 */
import { systemReason } from './system-reason.js';

/** An error naming the config key it is about; the message is `key: reason`. */
export class ConfigKeyError extends Error {
  /** The JSON path of the key, as config errors print it (`smtp.tls.cert`). */
  readonly key: string;
  /** What is wrong, without the key. */
  readonly reason: string;

  constructor(key: string, reason: string, options?: { cause?: unknown }) {
    super(`${key}: ${reason}`, options);
    this.name = 'ConfigKeyError';
    this.key = key;
    this.reason = reason;
  }

  /** `key: [doing: ]reason`, the reason in words from a system error (see systemReason). */
  static from(key: string, err: unknown, doing?: string): ConfigKeyError {
    const reason = systemReason(err);
    return new ConfigKeyError(key, doing === undefined ? reason : `${doing}: ${reason}`, {
      cause: err,
    });
  }
}

/** What to show a user for a failure: the key and reason, or a system error in words. */
export function failureText(err: unknown): string {
  return err instanceof ConfigKeyError ? err.message : systemReason(err);
}
