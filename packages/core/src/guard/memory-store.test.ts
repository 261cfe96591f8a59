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

  it('binds each half of a code pair to its first command until that half expires', async () => {
    let now = 0;
    const store = new MemoryStateStore({ now: () => now });
    const a = { key: 'p:A:1', expiresAt: 100 };
    const b = { key: 'p:B:2', expiresAt: 200 };
    const b2 = { key: 'p:B:3', expiresAt: 200 };
    assert.equal(await store.claimCodeHalves([a, b], 'first-command'), true);
    assert.equal(await store.claimCodeHalves([a, b], 'first-command'), true);
    assert.equal(await store.claimCodeHalves([a, b], 'second-command'), false);
    // A fresh B half does not free the A half for another text, and the refusal claims nothing.
    assert.equal(await store.claimCodeHalves([a, b2], 'second-command'), false);
    assert.equal(await store.claimCodeHalves([{ key: 'q:A:1', expiresAt: 100 }, b2], 'x'), true);
    now = 100;
    // A expired, B still holds its text.
    assert.equal(await store.claimCodeHalves([a, { key: 'p:B:9', expiresAt: 300 }], 'third'), true);
    assert.equal(
      await store.claimCodeHalves([{ key: 'p:A:5', expiresAt: 300 }, b], 'third'),
      false,
    );
  });

  it('remembers known sources per channel until they expire, within a cap', async () => {
    let now = 0;
    const store = new MemoryStateStore({ now: () => now, limits: { knownSources: 2 } });
    await store.rememberSource('http', 'a', 10);
    assert.equal(await store.isKnownSource('http', 'a'), true);
    assert.equal(await store.isKnownSource('smtp', 'a'), false);
    await store.rememberSource('http', 'b', 10);
    await store.rememberSource('http', 'a', 10);
    await store.rememberSource('http', 'c', 10);
    // b was seen least recently, so it gave way.
    assert.deepEqual(
      [await store.isKnownSource('http', 'a'), await store.isKnownSource('http', 'b')],
      [true, false],
    );
    now = 10_000;
    assert.equal(await store.isKnownSource('http', 'c'), false);
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
