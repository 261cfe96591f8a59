import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SampleRing } from './ring.js';
import type { Sample } from './sample.js';

const sample = (at: number, cpuPercent: number): Sample => ({
  at,
  cpuPercent,
  memoryPercent: 50,
  disks: [
    { mount: '/', usedPercent: 40 },
    { mount: '/data', usedPercent: 70 },
  ],
  load1: 0.5,
  cores: 2,
  netRxBytesPerSec: 0,
  netTxBytesPerSec: 0,
});

/** A full garbage collection, for the heap measure (node's --expose-gc, set at run time). */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('the sample ring', () => {
  it('holds historyHours of samples at intervalSec', () => {
    assert.equal(SampleRing.forHistory(24, 60).capacity, 1440);
    assert.equal(SampleRing.forHistory(1, 7).capacity, 515);
  });

  it('returns a series oldest first from a given time, the fullest mount for disk', () => {
    const ring = new SampleRing(3);
    for (let i = 0; i < 5; i++) ring.push(sample(i * 1000, i * 10));
    assert.deepEqual(ring.series('cpu', 0), [
      { at: 2000, value: 20 },
      { at: 3000, value: 30 },
      { at: 4000, value: 40 },
    ]);
    assert.deepEqual(ring.series('cpu', 3000).length, 2);
    assert.deepEqual(
      ring.series('disk', 0).map((p) => p.value),
      [70, 70, 70],
    );
    assert.equal(ring.latest?.at, 4000);
  });

  it('keeps its memory bounded through 24 h of samples at one a second', () => {
    const ring = SampleRing.forHistory(1, 1);
    const bytes = ring.byteLength;
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    const day = 86_400;
    for (let i = 0; i < day; i++) ring.push(sample(i * 1000, i % 100));
    collect();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    assert.equal(ring.size, 3600);
    assert.equal(ring.byteLength, bytes);
    // Kept whole, a day of these samples would take tens of MiB; the ring keeps the last hour.
    assert.ok(grown < 1024 * 1024, `heap grew by ${grown} bytes`);
    const series = ring.series('cpu', 0);
    assert.equal(series.length, 3600);
    assert.equal(series[0]?.at, (day - 3600) * 1000);
    assert.equal(series.at(-1)?.at, (day - 1) * 1000);
  });
});
