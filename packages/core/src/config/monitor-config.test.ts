import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { APPS } from '../apps/registry.js';
import { createConfigLoader } from './load.js';

const loader = createConfigLoader(APPS);
const parse = (raw: unknown) => loader.parse(JSON.stringify(raw), { env: {} });

describe('config: monitor', () => {
  it('is off when absent, and every key has its default when present', () => {
    const off = parse({});
    assert.ok(off.ok);
    assert.equal(off.config.monitor, undefined);
    const on = parse({ monitor: { thresholds: { cpuPercent: 75 } } });
    assert.ok(on.ok);
    assert.deepEqual(on.config.monitor, {
      intervalSec: 60,
      historyHours: 24,
      thresholds: { cpuPercent: 75, memoryPercent: 90, diskPercent: 90, load1PerCore: 2 },
      notify: { telegramChatIds: [], mail: [] },
    });
  });

  it('names the key of every bad value', () => {
    const result = parse({
      monitor: {
        intervalSec: 0,
        thresholds: { memoryPercent: 101, load: 2 },
        notify: { mail: ['not an address'] },
      },
    });
    assert.ok(!result.ok);
    assert.deepEqual(result.errors, [
      'monitor.intervalSec: must be at least 1',
      'monitor.thresholds.load: unknown key (allowed: cpuPercent, memoryPercent, diskPercent, load1PerCore)',
      'monitor.thresholds.memoryPercent: must be at most 100',
      'monitor.notify.mail[0]: must be an e-mail address',
      'monitor.notify.mail: needs mail.smtp to send mail',
    ]);
  });

  it('needs the telegram channel and a relay for the recipients it names', () => {
    const result = parse({
      monitor: { notify: { telegramChatIds: [42], mail: ['me@example.com'] } },
    });
    assert.ok(!result.ok);
    assert.deepEqual(result.errors, [
      'monitor.notify.telegramChatIds: needs the telegram channel, which sends them',
      'monitor.notify.mail: needs mail.smtp to send mail',
    ]);
  });

  it('bounds the history it keeps', () => {
    const result = parse({ monitor: { intervalSec: 1, historyHours: 48 } });
    assert.ok(!result.ok);
    assert.deepEqual(result.errors, [
      'monitor.historyHours: 48 h at one sample every 1 s is 172800 samples, over 86400; raise monitor.intervalSec or lower monitor.historyHours',
    ]);
  });
});
