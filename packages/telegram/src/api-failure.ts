/**
 * What a failed Bot API call means for us, and how to describe it without leaking secrets.
 * Telegraf puts the token into every request URL, and node-fetch copies the URL into its error
 * message and stack; a TelegramError carries the request payload (which may hold the webhook
 * secret or command output). So nothing here passes an error object to the logger: only the
 * scrubbed text from describeFailure().
 */
import { TelegramError } from './telegraf.js';

/** How a caller should react to a failed Bot API call. */
export type FailureKind =
  /** The token is wrong or revoked: 401 Unauthorized or 404 Not Found (laitos §7.2). */
  | 'tokenRejected'
  /** 409 Conflict: another getUpdates is running for this token, or a webhook is set. */
  | 'conflict'
  /** 429, 5xx, network errors, timeouts: try again later. */
  | 'transient'
  /** Any other answer from the API (400, 403, ...): retrying the same call will not help. */
  | 'refused'
  /** Our own signal stopped the call (shutdown). */
  | 'aborted';

/** A classified API failure with a log-safe description. */
export interface ApiFailure {
  readonly kind: FailureKind;
  /** HTTP status or Bot API error_code, when the API answered. */
  readonly code?: number;
  /** Seconds the API asked us to wait (429 `parameters.retry_after`). */
  readonly retryAfterSec?: number;
  /** One line, secrets replaced by `[redacted]`. */
  readonly text: string;
}

/** Classifies `thrown` from a telegraf call; `secrets` are scrubbed from the text. */
export function classifyFailure(
  thrown: unknown,
  secrets: readonly string[],
  stopSignal?: AbortSignal,
): ApiFailure {
  if (thrown instanceof TelegramError) {
    const code = thrown.code;
    const text = scrub(`${code}: ${thrown.description}`, secrets);
    const retryAfter = thrown.parameters?.retry_after;
    if (code === 401 || code === 404) return { kind: 'tokenRejected', code, text };
    if (code === 409) return { kind: 'conflict', code, text };
    if (code === 429 || code >= 500) {
      return retryAfter === undefined
        ? { kind: 'transient', code, text }
        : { kind: 'transient', code, text, retryAfterSec: retryAfter };
    }
    return { kind: 'refused', code, text };
  }
  const name = thrown instanceof Error ? thrown.name : 'Error';
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  // node-fetch reports our own abort and a per-call timeout the same way; only the stop signal
  // tells them apart.
  if (name === 'AbortError' && stopSignal?.aborted === true) {
    return { kind: 'aborted', text: 'stopped' };
  }
  // FetchError (ECONNRESET, ECONNREFUSED, DNS), a timeout, or a response that was not JSON:
  // all worth another try.
  return { kind: 'transient', text: scrub(`${name}: ${message}`, secrets) };
}

/** Replaces every occurrence of each secret (also URL-encoded) with `[redacted]`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join('[redacted]');
    }
  }
  // A single line keeps log records greppable and stops a stack trace sneaking in.
  return out.replace(/\s*\n\s*/g, ' ');
}
