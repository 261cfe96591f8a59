import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RecentCommands, type RecentCommand } from './recent-commands.js';

const command = (n: number): RecentCommand => ({
  time: new Date(n * 1000).toISOString(),
  channel: 'http',
  source: '127.0.0.1',
  app: '.s',
  command: `.s echo ${n}`,
  ok: true,
  ms: n,
});

describe('the recent commands ring', () => {
  it('keeps the latest commands newest first, and no more than its capacity', () => {
    const ring = new RecentCommands(3);
    assert.deepEqual(ring.newestFirst(), []);
    for (let n = 1; n <= 5; n++) ring.record(command(n));
    assert.deepEqual(
      ring.newestFirst().map((c) => c.ms),
      [5, 4, 3],
    );
  });
});
