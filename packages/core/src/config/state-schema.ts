/**
 * The schema of `state` (DESIGN §16): where the security state lives, in this process or on a
 * Redis shared by several instances.
 */
import { STATE_DEFAULTS } from './defaults.js';
import { EXPECT_KEYWORD, obj, str, type JsonSchema } from './schema-builders.js';

/** `state`. */
export function stateSchema(): JsonSchema {
  return obj('Where rate counters, bans, used code pairs, lockdown and maintenance live.', {
    store: {
      type: 'string',
      enum: ['memory', 'redis'],
      description: '"memory" (this instance only) or "redis" (shared by every instance).',
      default: STATE_DEFAULTS.store,
    },
    redis: obj(
      'The Redis that several instances share (docs/scale-out.md).',
      {
        url: str('redis://[user:password@]host:port[/db], or rediss:// for TLS.', {
          pattern: '^rediss?://[^\\s]+$',
          [EXPECT_KEYWORD]: 'a redis:// or rediss:// URL',
        }),
        keyPrefix: str('Prefix of every key, so deployments can share one Redis.', {
          minLength: 1,
          default: STATE_DEFAULTS.redisKeyPrefix,
        }),
      },
      ['url'],
    ),
  });
}
