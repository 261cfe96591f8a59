/**
 * Every Bot API call goes through here, with a native AbortSignal that ends it at shutdown or
 * after a timeout (telegraf's own limit is 500 s per request, far too long for a stalled network).
 */
import type { Telegram } from 'telegraf';
import type { Opts, Telegram as ApiMethods } from 'telegraf/types';

/** Budget of a call that is not a long poll. */
export const CALL_TIMEOUT_MS = 30_000;

/** The signal type telegraf declares: the abort-controller polyfill's. */
type ClientSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

/** A signal for one call: the caller's stop signal, or a timeout, whichever fires first. */
export function callSignal(stop: AbortSignal, timeoutMs: number = CALL_TIMEOUT_MS): AbortSignal {
  return AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]);
}

/** Calls `method` with `payload`; `signal` aborts it. */
export function callApi<M extends keyof ApiMethods>(
  telegram: Telegram,
  method: M,
  payload: Opts<M>,
  signal: AbortSignal,
): Promise<ReturnType<ApiMethods[M]>> {
  // telegraf 4 declares the polyfill's AbortSignal, whose event typings differ from Node's;
  // node-fetch 2, which makes the request, accepts any object named AbortSignal, so the native
  // one works at run time and only the declaration needs bridging.
  return telegram.callApi(method, payload, { signal: signal as unknown as ClientSignal });
}
