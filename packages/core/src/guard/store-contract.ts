/**
 * Test support (not exported): what every StateStore must do, as one suite that each store's
 * test file runs (the memory store and the Redis store), so the two cannot drift apart.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { StateStore } from './state-store.js';

const POLICY = { failedLoginsBeforeBan: 3, failedLoginWindowSec: 60, banSec: 10 };

/** A store to test on a clock the test moves; the suite opens and closes it. */
export type MakeStore = (now: () => number) => StateStore;

/** Registers the contract's cases (inside the caller's describe). */
export function storeContract(make: MakeStore): void {
  /** A fresh, opened store on a clock at `start` that the case moves with `clock.now`. */
  async function fresh(start = 1_000_000): Promise<{ store: StateStore; clock: { now: number } }> {
    const clock = { now: start };
    const store = make(() => clock.now);
    await store.open();
    return { store, clock };
  }

  it('bans on the threshold failure and lifts the ban when it expires', async (t) => {
    const { store, clock } = await fresh();
    t.after(() => store.close());
    assert.equal(await store.recordFailedLogin('http', 'ip', POLICY), undefined);
    assert.equal(await store.recordFailedLogin('http', 'ip', POLICY), undefined);
    const ban = await store.recordFailedLogin('http', 'ip', POLICY);
    assert.deepEqual(ban, { channel: 'http', source: 'ip', expiresAt: clock.now + 10_000 });
    assert.equal(await store.isBanned('http', 'ip'), true);
    assert.equal(await store.isBanned('smtp', 'ip'), false);
    assert.deepEqual(await store.listBans(), [ban]);
    clock.now += 10_001;
    assert.equal(await store.isBanned('http', 'ip'), false);
    assert.deepEqual(await store.listBans(), []);
  });

  it('lists bans soonest expiry first and unbans a source on every channel', async (t) => {
    const { store, clock } = await fresh();
    t.after(() => store.close());
    for (const channel of ['http', 'smtp'] as const) {
      for (let i = 0; i < 3; i++) await store.recordFailedLogin(channel, 'x', POLICY);
      clock.now += 1000;
    }
    for (let i = 0; i < 3; i++) await store.recordFailedLogin('twilio', '+1555', POLICY);
    assert.deepEqual(
      (await store.listBans()).map((b) => `${b.channel} ${b.source}`),
      ['http x', 'smtp x', 'twilio +1555'],
    );
    assert.equal(await store.unban('x'), 2);
    assert.equal(await store.unban('x'), 0);
    assert.equal(await store.isBanned('http', 'x'), false);
    assert.equal(await store.isBanned('twilio', '+1555'), true);
  });

  it('binds each half of a code pair to its first command until that half expires', async (t) => {
    const { store, clock } = await fresh(0);
    t.after(() => store.close());
    const a = { key: 'p:A:1', expiresAt: 90_000 };
    const b = { key: 'p:B:2', expiresAt: 120_000 };
    const b2 = { key: 'p:B:3', expiresAt: 120_000 };
    assert.equal(await store.claimCodeHalves([a, b], 'first-command'), 'claimed');
    assert.equal(await store.claimCodeHalves([a, b], 'first-command'), 'claimed');
    assert.equal(await store.claimCodeHalves([a, b], 'second-command'), 'reused');
    // A fresh B half does not free the A half for another text, and the refusal claims nothing.
    assert.equal(await store.claimCodeHalves([a, b2], 'second-command'), 'reused');
    const q = { key: 'q:A:1', expiresAt: 90_000 };
    assert.equal(await store.claimCodeHalves([q, b2], 'x'), 'claimed');
    clock.now = 90_000;
    // A expired, B still holds its text.
    const b9 = { key: 'p:B:9', expiresAt: 150_000 };
    assert.equal(await store.claimCodeHalves([a, b9], 'third'), 'claimed');
    const a5 = { key: 'p:A:5', expiresAt: 150_000 };
    assert.equal(await store.claimCodeHalves([a5, b], 'third'), 'reused');
  });

  it('remembers known sources per channel until they expire', async (t) => {
    const { store, clock } = await fresh();
    t.after(() => store.close());
    await store.rememberSource('http', 'a', 10);
    assert.equal(await store.isKnownSource('http', 'a'), true);
    assert.equal(await store.isKnownSource('smtp', 'a'), false);
    assert.equal(await store.isKnownSource('http', 'b'), false);
    clock.now += 10_000;
    assert.equal(await store.isKnownSource('http', 'a'), false);
  });

  it('refuses past the budget and allows other keys and buckets', async (t) => {
    const { store } = await fresh();
    t.after(() => store.close());
    const limit = { requests: 2, perSec: 60 };
    assert.deepEqual(
      [
        await store.consume('b', 'a', limit),
        await store.consume('b', 'a', limit),
        await store.consume('b', 'a', limit),
        await store.consume('b', 'z', limit),
        await store.consume('key:ci', 'a', limit),
      ],
      [true, true, false, true, true],
    );
  });

  it('locks down for good and switches maintenance on and off', async (t) => {
    const { store } = await fresh();
    t.after(() => store.close());
    assert.deepEqual(
      [await store.isLockedDown(), await store.isUnderMaintenance()],
      [false, false],
    );
    await store.setMaintenance(true);
    assert.equal(await store.isUnderMaintenance(), true);
    await store.setMaintenance(false);
    assert.equal(await store.isUnderMaintenance(), false);
    await store.lockDown();
    assert.equal(await store.isLockedDown(), true);
  });

  it('gives a lease to one holder at a time until it is released', async (t) => {
    const { store } = await fresh();
    t.after(() => store.close());
    assert.equal(await store.holdLease('job', 'a', 60_000), true);
    assert.equal(await store.holdLease('job', 'b', 60_000), false);
    assert.equal(await store.holdLease('job', 'a', 60_000), true, 'renewed');
    assert.equal(await store.holdLease('other', 'b', 60_000), true);
    await store.releaseLease('job', 'b'); // not b's: stays a's
    assert.equal(await store.holdLease('job', 'b', 60_000), false);
    await store.releaseLease('job', 'a');
    assert.equal(await store.holdLease('job', 'b', 60_000), true);
  });

  it('is healthy', async (t) => {
    const { store } = await fresh();
    t.after(() => store.close());
    assert.equal(store.health(), 'ok');
  });
}
