import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MONITOR_DEFAULTS } from '../config/defaults.js';
import type { Sample } from './sample.js';
import { eventSubject, eventText, formatElapsed, statText } from './texts.js';
import type { ThresholdEvent } from './thresholds.js';

const AT = Date.UTC(2026, 11, 1, 12, 30);
const sample: Sample = {
  at: AT,
  cpuPercent: 96.4,
  memoryPercent: 48.2,
  disks: [
    { mount: '/', usedPercent: 71.2 },
    { mount: '/srv', usedPercent: 93 },
  ],
  load1: 0.52,
  cores: 2,
  netRxBytesPerSec: 1234,
  netTxBytesPerSec: 3_400_000,
};
const processes = [
  { pid: 10, name: 'java', cpuPercent: 12, memoryBytes: 900 * 1024 * 1024 },
  { pid: 11, name: 'ffmpeg', cpuPercent: 180, memoryBytes: 50 * 1024 * 1024 },
];
const alert = (key: string, value: number): ThresholdEvent => ({
  kind: 'alert',
  reading: { key, value, threshold: 90, unit: '%' },
  since: AT - 120_000,
  at: AT,
});

describe('monitor texts', () => {
  it('says what, how much, since when, and who uses the CPU', () => {
    assert.equal(
      eventText(alert('cpu', 96.4), 'web1', processes),
      'ALERT on web1: cpu at 96% (threshold 90%) since 2026-12-01 12:28 UTC.\n' +
        'Top by CPU: ffmpeg (pid 11) 180% CPU, java (pid 10) 12% CPU.',
    );
    assert.equal(
      eventSubject(alert('cpu', 96.4), 'web1'),
      '[switchboard] web1: cpu at 96% (threshold 90%)',
    );
  });

  it('names the top processes by memory for memory, and none for a disk', () => {
    assert.match(
      eventText(alert('memory', 95), 'h', processes),
      /Top by memory: java \(pid 10\) 900 MiB, ffmpeg/,
    );
    assert.doesNotMatch(eventText(alert('disk /srv', 93), 'h', processes), /Top/);
  });

  it('says how long an alert lasted when it recovers', () => {
    const recovery: ThresholdEvent = {
      ...alert('cpu', 12),
      kind: 'recovery',
      since: AT - 4_980_000,
    };
    assert.equal(
      eventText(recovery, 'web1', []),
      'RECOVERED on web1: cpu is back to 12% (threshold 90%) at 2026-12-01 12:30 UTC.\n' +
        'It was over since 2026-12-01 11:07 UTC (1h23m).',
    );
    assert.equal(formatElapsed(45_000), '45s');
    assert.equal(formatElapsed(90_061_000), '1d1h');
  });

  it('fits the figures and what is crossed into one SMS', () => {
    const text = statText(sample, MONITOR_DEFAULTS.thresholds, {
      cpu: { since: AT - 60_000, value: 95 },
    });
    assert.equal(
      text,
      'cpu 96% mem 48% load 0.52/2cpu disk /:71% /srv:93% net 1.2k/3.4MB/s; ' +
        'crossed: cpu 96%>=90% alert since 12:29 UTC, disk /srv 93%>=90%',
    );
    assert.ok(text.length <= 160);
  });
});
