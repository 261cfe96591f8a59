import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStateStore } from './memory-store.js';
import { storeContract } from './store-contract.js';

const POLICY = { failedLoginsBeforeBan: 3, failedLoginWindowSec: 60, banSec: 10 };

describe('MemoryStateStore', () => {
  storeContract((now) => new MemoryStateStore({ now }));

  it('keeps the known sources seen most recently within its cap', async () => {
    const store = new MemoryStateStore({ limits: { knownSources: 2 } });
    await store.rememberSource('http', 'a', 10);
    await store.rememberSource('http', 'b', 10);
    await store.rememberSource('http', 'a', 10);
    await store.rememberSource('http', 'c', 10);
    // b was seen least recently, so it gave way.
    assert.deepEqual(
      [await store.isKnownSource('http', 'a'), await store.isKnownSource('http', 'b')],
      [true, false],
    );
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
});
