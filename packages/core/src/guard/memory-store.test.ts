import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStateStore } from './memory-store.js';

const POLICY = { failedLoginsBeforeBan: 3, failedLoginWindowSec: 60, banSec: 10 };

describe('MemoryStateStore', () => {
  it('bans on the threshold failure and lifts the ban when it expires', async () => {
    let now = 1_000_000;
    const store = new MemoryStateStore({ now: () => now });
    assert.equal(await store.recordFailedLogin('http', 'ip', POLICY), undefined);
    assert.equal(await store.recordFailedLogin('http', 'ip', POLICY), undefined);
    const ban = await store.recordFailedLogin('http', 'ip', POLICY);
    assert.deepEqual(ban, { channel: 'http', source: 'ip', expiresAt: now + 10_000 });
    assert.equal(await store.isBanned('http', 'ip'), true);
    assert.equal(await store.isBanned('smtp', 'ip'), false);
    now += 10_001;
    assert.equal(await store.isBanned('http', 'ip'), false);
    assert.deepEqual(await store.listBans(), []);
  });

  it('unbans a source on every channel', async () => {
    const store = new MemoryStateStore();
    for (const channel of ['http', 'smtp'] as const) {
      for (let i = 0; i < 3; i++) await store.recordFailedLogin(channel, 'x', POLICY);
    }
    assert.equal((await store.listBans()).length, 2);
    assert.equal(await store.unban('x'), 2);
    assert.equal(await store.unban('x'), 0);
  });

  it('binds a code pair to its first command until it expires', async () => {
    let now = 0;
    const store = new MemoryStateStore({ now: () => now });
    assert.equal(await store.claimCodePair('p', 'first-command', 100), true);
    assert.equal(await store.claimCodePair('p', 'first-command', 100), true);
    assert.equal(await store.claimCodePair('p', 'second-command', 100), false);
    assert.equal(await store.claimCodePair('q', 'second-command', 100), true);
    now = 100;
    assert.equal(await store.claimCodePair('p', 'third-command', 200), true);
  });

  it('caps every table under a flood of distinct keys', async () => {
    const store = new MemoryStateStore({ limits: { keysPerTable: 100, bans: 10 } });
    for (let i = 0; i < 5000; i++) {
      await store.consume('b', `k${i}`, { requests: 5, perSec: 60 });
      for (let j = 0; j < 3; j++) await store.recordFailedLogin('http', `k${i}`, POLICY);
    }
    assert.ok(store.size <= 100 + 100 + 10, `holds ${store.size}`);
    assert.equal((await store.listBans()).length, 10);
  });

  it('refuses past the budget and allows other keys', async () => {
    const store = new MemoryStateStore();
    const limit = { requests: 2, perSec: 60 };
    assert.deepEqual(
      [
        await store.consume('b', 'a', limit),
        await store.consume('b', 'a', limit),
        await store.consume('b', 'a', limit),
        await store.consume('b', 'z', limit),
      ],
      [true, true, false, true],
    );
  });

  it('locks down for good', async () => {
    const store = new MemoryStateStore();
    assert.equal(await store.isLockedDown(), false);
    await store.lockDown();
    assert.equal(await store.isLockedDown(), true);
  });
});
