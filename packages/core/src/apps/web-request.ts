/**
 * One HTTP request from an app to the service it fronts (Twilio, WolframAlpha): aborted by the
 * app's signal, its answer read up to a cap, every failure one line that names the service and
 * never carries a secret (an auth token or app id may sit in a header, a body or the URL).
 */
import { AppError, PipelineError } from '../errors.js';
import { messageOf } from './run-for-app.js';
import { cutTo } from './cut-text.js';

/** What to send. */
export interface WebRequest {
  /** The service's name in error texts, e.g. "Twilio". */
  readonly service: string;
  readonly url: URL;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as `application/x-www-form-urlencoded`. */
  readonly form?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** The most of the answer's body read; a longer one is an error. */
  readonly maxBytes: number;
  /** Texts cut out of every error message, should the service or the network echo them. */
  readonly secrets: readonly string[];
}

/** What came back. */
export interface WebAnswer {
  readonly status: number;
  readonly body: string;
}

/** Longest part of a service's own text that goes into an error line. */
const MAX_QUOTED_CHARS = 300;

/**
 * Sends `request`. Throws AppError for a network failure or an oversized answer; at the
 * pipeline's timeout, its `timed out after Ns`.
 */
export async function webRequest(request: WebRequest): Promise<WebAnswer> {
  const { service, url, signal, secrets } = request;
  try {
    const response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: {
        ...request.headers,
        ...(request.form === undefined
          ? {}
          : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(request.form === undefined ? {} : { body: new URLSearchParams(request.form).toString() }),
      signal,
      redirect: 'error',
    });
    const body = await readCapped(response, request.maxBytes, service);
    return { status: response.status, body };
  } catch (err) {
    if (signal.aborted) throw aborted(signal, service);
    if (err instanceof AppError) throw err;
    // fetch's own message is "fetch failed"; the cause says why (ECONNREFUSED, a TLS error).
    const why = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    throw new AppError(
      `cannot reach ${service} at ${url.host}: ${quoted(messageOf(why), secrets)}`,
    );
  }
}

/**
 * An app's start-up check against its service: `check` with a signal that fires after
 * `timeoutSec` or at the daemon's `stop`; a failure rethrown as `name: reason`.
 */
export async function serviceSelfTest(
  name: string,
  timeoutSec: number,
  stop: AbortSignal | undefined,
  check: (signal: AbortSignal) => Promise<unknown>,
): Promise<void> {
  const timeout = AbortSignal.timeout(timeoutSec * 1000);
  try {
    await check(stop === undefined ? timeout : AbortSignal.any([stop, timeout]));
  } catch (err) {
    throw new Error(`${name}: ${messageOf(err)}`, { cause: err });
  }
}

/** `text` on one line, cut to a few hundred characters, with every secret in it replaced. */
export function quoted(text: string, secrets: readonly string[]): string {
  let line = text;
  for (const secret of secrets) if (secret !== '') line = line.split(secret).join('<secret>');
  return cutTo(line.replace(/\s+/g, ' ').trim(), MAX_QUOTED_CHARS);
}

/** The signal's reason when it is the pipeline's timeout; else a line saying the wait ended. */
function aborted(signal: AbortSignal, service: string): Error {
  return signal.reason instanceof PipelineError
    ? signal.reason
    : new AppError(`no answer from ${service} in time`);
}

/** The body as text, refused past `maxBytes` so a runaway answer cannot fill memory. */
async function readCapped(response: Response, maxBytes: number, service: string): Promise<string> {
  if (response.body === null) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel(); // the rest is never downloaded
      throw new AppError(`${service} answered more than ${maxBytes / 1024} KiB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
