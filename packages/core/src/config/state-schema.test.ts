import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { APPS } from '../apps/registry.js';
import { parseConfig } from './load.js';

const parse = (state: unknown) =>
  parseConfig(JSON.stringify({ state }), { env: { REDIS_PASSWORD: 's3cret' }, apps: APPS });

describe('the state key', () => {
  it('keeps the state in memory unless told otherwise', () => {
    const result = parseConfig('{}', { env: {}, apps: APPS });
    assert.ok(result.ok);
    assert.deepEqual(result.config.state, { store: 'memory' });
  });

  it('takes a Redis URL, with a password from the environment, and a default key prefix', () => {
    const result = parse({
      store: 'redis',
      redis: { url: 'redis://:${REDIS_PASSWORD}@10.0.0.5:6379/2' },
    });
    assert.ok(result.ok);
    assert.deepEqual(result.config.state, {
      store: 'redis',
      redis: { url: 'redis://:s3cret@10.0.0.5:6379/2', keyPrefix: 'switchboard:' },
    });
  });

  it('names the key that is wrong, never the URL', () => {
    const cases: [unknown, string][] = [
      [{ store: 'redis' }, 'state.redis.url: is required when state.store is "redis"'],
      [
        { store: 'redis', redis: { url: 'http://:pw@host' } },
        'state.redis.url: must be a redis:// or rediss:// URL',
      ],
      [{ store: 'etcd' }, 'state.store'],
      [{ store: 'redis', redis: { url: 'redis://h', keyPrefix: '' } }, 'state.redis.keyPrefix'],
    ];
    for (const [state, expected] of cases) {
      const result = parse(state);
      assert.ok(!result.ok, JSON.stringify(state));
      assert.ok(
        result.errors.some((e) => e.startsWith(expected)),
        result.errors.join('\n'),
      );
      assert.ok(!result.errors.some((e) => e.includes(':pw@')), result.errors.join('\n'));
    }
  });
});
