/**
 * The Lua scripts of the Redis store: what must happen in one step, so two instances never see
 * half of it (a code pair claimed, a ban with its expiry, a lease taken). Redis runs a script
 * atomically; each is sent once and then called by its SHA1 (EVALSHA).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A script with its SHA1; run() loads it into Redis the first time Redis lacks it. */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with `keys` (ioredis adds the key prefix) and `args`. */
  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]) {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      // A restarted Redis has forgotten every script: send it again.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.#source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * KEYS: one per half. ARGV: the command text, now (epoch ms), then each half's expiry. A half
 * is held as `expiry:text`, with the instance's clock deciding expiry (as in memory) and a time
 * to live that frees the key soon after. Returns 1 when every half was free, expired or held for
 * this same text (and claims the free ones), 0 when any half holds another text (and claims
 * nothing).
 */
export const CLAIM_HALVES = new LuaScript(`
local now = tonumber(ARGV[2])
local free = {}
for i, key in ipairs(KEYS) do
  local held = redis.call('GET', key)
  local sep = held and string.find(held, ':', 1, true)
  if not sep or tonumber(string.sub(held, 1, sep - 1)) <= now then
    free[i] = true
  elseif string.sub(held, sep + 1) ~= ARGV[1] then
    return 0
  end
end
for i, key in ipairs(KEYS) do
  local expires = tonumber(ARGV[i + 2])
  if free[i] and expires > now then
    redis.call('SET', key, ARGV[i + 2] .. ':' .. ARGV[1], 'PX', expires - now)
  end
end
return 1
`);

/**
 * KEYS: the bans sorted set (score: expiry in epoch ms). ARGV: member, expiry, now, cap.
 * Adds the ban, drops expired ones and the soonest-expiring beyond the cap, and lets the set
 * expire with its last ban, so it never outlives what it holds.
 */
export const ADD_BAN = new LuaScript(`
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[4]) - 1)
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - tonumber(ARGV[3]))) end
return 1
`);

/** KEYS: the lease. ARGV: holder, ttl ms. Takes a free lease or renews our own: 1, else 0. */
export const HOLD_LEASE = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/** KEYS: the lease. ARGV: holder. Deletes the lease only if it is still ours. */
export const RELEASE_LEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);
