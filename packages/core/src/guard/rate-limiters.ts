/**
 * The three rate-limiter-flexible classes the stores use, each required from its own file: the
 * package's index requires every one of its ~30 stores (Mongo, MySQL, etcd, DynamoDB…), about
 * 1 MiB of idle heap and 36 modules for nothing (DESIGN §9). The types are the package's own.
 */
import { createRequire } from 'node:module';
import type * as Flexible from 'rate-limiter-flexible';

const require = createRequire(import.meta.url);

/** rate-limiter-flexible's RateLimiterMemory. */
export const RateLimiterMemory =
  require('rate-limiter-flexible/lib/RateLimiterMemory.js') as typeof Flexible.RateLimiterMemory;
/** An in-memory limiter. */
export type RateLimiterMemory = Flexible.RateLimiterMemory;

/** rate-limiter-flexible's RateLimiterRedis. */
export const RateLimiterRedis =
  require('rate-limiter-flexible/lib/RateLimiterRedis.js') as typeof Flexible.RateLimiterRedis;
/** A limiter on Redis. */
export type RateLimiterRedis = Flexible.RateLimiterRedis;

/** rate-limiter-flexible's RateLimiterRes: what a limiter resolves, or rejects with when spent. */
export const RateLimiterRes =
  require('rate-limiter-flexible/lib/RateLimiterRes.js') as typeof Flexible.RateLimiterRes;
/** A limiter's answer. */
export type RateLimiterRes = Flexible.RateLimiterRes;
