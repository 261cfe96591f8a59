/**
 * One point from a rate-limiter-flexible limiter, with a refusal as a value: the limiters reject
 * with a RateLimiterRes when the budget is spent, and with an Error when their store fails.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterRes } from './rate-limiters.js';

/** The result, or undefined when `key` is over its budget; a store failure is thrown. */
export async function consumePoint(
  limiter: RateLimiterAbstract,
  key: string,
): Promise<RateLimiterRes | undefined> {
  try {
    return await limiter.consume(key);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return undefined;
    throw refusal;
  }
}
