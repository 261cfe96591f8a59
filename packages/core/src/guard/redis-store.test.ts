import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogging } from '../log/logger.js';
import { RedisServer, waitFor } from '../testing.js';
import { RedisStateStore } from './redis-store.js';
import { storeContract } from './store-contract.js';

const POLICY = { failedLoginsBeforeBan: 3, failedLoginWindowSec: 60, banSec: 10 };

describe('RedisStateStore, on a real redis-server', () => {
  let redis: RedisServer;
  let prefixes = 0;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(() => redis.stop());

  /** A store with its own log lines; `prefix` shares state with another store. */
  function store(prefix = `t${String(++prefixes)}:`, now?: () => number) {
    const logs: string[] = [];
    const { logger } = createLogging({ destination: { write: (line) => logs.push(line) } });
    const s = new RedisStateStore({
      url: redis.url,
      keyPrefix: prefix,
      logger,
      ...(now === undefined ? {} : { now }),
    });
    return { store: s, logs };
  }

  describe('the StateStore contract', () => {
    storeContract((now) => store(undefined, now).store);
  });

  it('shares bans, code halves and known sources between two instances', async (t) => {
    const a = store('shared1:').store;
    const b = store('shared1:').store;
    await Promise.all([a.open(), b.open()]);
    t.after(() => Promise.all([a.close(), b.close()]));
    await a.recordFailedLogin('http', 'ip', POLICY);
    await b.recordFailedLogin('http', 'ip', POLICY);
    assert.notEqual(await a.recordFailedLogin('http', 'ip', POLICY), undefined);
    assert.equal(await b.isBanned('http', 'ip'), true);
    assert.equal(await b.unban('ip'), 1);
    assert.equal(await a.isBanned('http', 'ip'), false);
    const halves = [{ key: 'p:A:1', expiresAt: Date.now() + 90_000 }];
    assert.equal(await a.claimCodeHalves(halves, 'one'), 'claimed');
    assert.equal(await b.claimCodeHalves(halves, 'two'), 'reused');
    await a.rememberSource('smtp', '192.0.2.7', 60);
    assert.equal(await b.isKnownSource('smtp', '192.0.2.7'), true);
  });

  it('turns lockdown and maintenance on for the other instance too', async (t) => {
    const a = store('shared2:').store;
    const b = store('shared2:');
    await Promise.all([a.open(), b.store.open()]);
    t.after(() => Promise.all([a.close(), b.store.close()]));
    await a.setMaintenance(true);
    await waitFor('maintenance on b', () => b.store.isUnderMaintenance());
    await a.setMaintenance(false);
    await waitFor('maintenance off on b', async () => !(await b.store.isUnderMaintenance()));
    await a.lockDown();
    await waitFor('lockdown on b', () => b.store.isLockedDown());
    assert.ok(b.logs.some((l) => l.includes('lockdown on (set on another instance)')));
    // An instance (re)started after the lockdown is not locked: a restart lifts it.
    const restarted = store('shared2:').store;
    await restarted.open();
    t.after(() => restarted.close());
    assert.equal(await restarted.isLockedDown(), false);
  });

  it('keeps every key under its prefix with a time to live, but the maintenance switch', async (t) => {
    const { store: s } = store('ttl:');
    await s.open();
    t.after(() => s.close());
    await s.consume('source:http', '192.0.2.1', { requests: 5, perSec: 60 });
    for (let i = 0; i < 3; i++) await s.recordFailedLogin('http', '192.0.2.2', POLICY);
    await s.recordFailedLogin('smtp', '192.0.2.3', POLICY);
    await s.claimCodeHalves([{ key: 'p:A:1', expiresAt: Date.now() + 90_000 }], 'x');
    await s.rememberSource('http', '192.0.2.1', 60);
    await s.holdLease('job', 'me', 5000);
    await s.setMaintenance(true);
    await s.lockDown();
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.url);
    t.after(() => client.quit());
    const keys = (await client.keys('ttl:*')).sort();
    // The http login counter went when its ban came.
    assert.equal(keys.length, 8, keys.join(', '));
    const unbounded = [];
    for (const key of keys) if ((await client.pttl(key)) < 0) unbounded.push(key);
    assert.deepEqual(unbounded, ['ttl:maintenance']);
  });

  it('runs degraded while Redis is down and shares state again once it is back', async (t) => {
    const { store: s, logs } = store('outage:');
    await s.open();
    t.after(() => s.close());
    const half = (digits: string) => [{ key: `p:A:${digits}`, expiresAt: Date.now() + 90_000 }];
    assert.equal(await s.claimCodeHalves(half('1'), 'x'), 'claimed');
    await redis.stop();
    await waitFor('degraded', () => s.health() === 'degraded');
    assert.equal(await s.claimCodeHalves(half('2'), 'x'), 'unavailable');
    // Limits and bans go on in memory.
    const limit = { requests: 1, perSec: 60 };
    assert.deepEqual(
      [await s.consume('b', 'k', limit), await s.consume('b', 'k', limit)],
      [true, false],
    );
    for (let i = 0; i < 3; i++) await s.recordFailedLogin('http', 'guesser', POLICY);
    assert.equal(await s.isBanned('http', 'guesser'), true);
    const warnings = () => logs.filter((l) => l.includes('redis unreachable')).length;
    assert.equal(warnings(), 1);
    assert.ok(!logs.some((l) => l.includes(redis.url)), 'the URL is never logged');

    await redis.start();
    await waitFor('recovery', () => s.health() === 'ok');
    assert.equal(await s.claimCodeHalves(half('3'), 'x'), 'claimed');
    // The ban made alone still holds.
    assert.equal(await s.isBanned('http', 'guesser'), true);
    assert.equal(warnings(), 1);
    assert.ok(logs.some((l) => l.includes('redis reachable again')));
  });
});
