import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Hysteresis, SAMPLES_TO_CHANGE, type Reading } from './thresholds.js';

const cpu = (value: number): Reading => ({ key: 'cpu', value, threshold: 90, unit: '%' });

/** Feeds `values` one sample a minute; returns each event as `kind@index`. */
function run(values: readonly number[], hysteresis = new Hysteresis()): string[] {
  return values.flatMap((value, i) =>
    hysteresis.observe([cpu(value)], i * 60_000).map((e) => `${e.kind}@${i}`),
  );
}

describe('thresholds with hysteresis', () => {
  it('alerts on the second sample in a row at or over the threshold, once', () => {
    assert.deepEqual(run([10, 90, 95, 99, 97]), ['alert@2']);
  });

  it('ignores a single sample over the threshold', () => {
    assert.deepEqual(run([10, 95, 10, 96, 20, 97]), []);
  });

  it('recovers on the second sample in a row under the threshold, once', () => {
    assert.deepEqual(run([95, 95, 20, 95, 20, 10, 10, 10]), ['alert@1', 'recovery@5']);
  });

  it('dates the alert from the first sample of its streak, and the recovery from the alert', () => {
    const hysteresis = new Hysteresis();
    hysteresis.observe([cpu(10)], 0);
    hysteresis.observe([cpu(95)], 1000);
    const [alert] = hysteresis.observe([cpu(96)], 2000);
    assert.deepEqual(alert && { since: alert.since, at: alert.at }, { since: 1000, at: 2000 });
    hysteresis.observe([cpu(10)], 3000);
    const [recovery] = hysteresis.observe([cpu(10)], 4000);
    assert.deepEqual(recovery && { kind: recovery.kind, since: recovery.since }, {
      kind: 'recovery',
      since: 1000,
    });
  });

  it('starts from saved alerts: no second alert, and the recovery still comes', () => {
    const saved = new Hysteresis({ cpu: { since: 5, value: 96 } });
    assert.deepEqual(run([97, 98, 99, 10, 10], saved), ['recovery@4']);
    assert.deepEqual(saved.alerting(), {});
  });

  it('keeps each figure apart', () => {
    const hysteresis = new Hysteresis();
    const disk = (value: number): Reading => ({ key: 'disk /', value, threshold: 90, unit: '%' });
    hysteresis.observe([cpu(95), disk(10)], 0);
    const events = hysteresis.observe([cpu(95), disk(95)], 1);
    assert.deepEqual(
      events.map((e) => e.reading.key),
      ['cpu'],
    );
    assert.deepEqual(Object.keys(hysteresis.alerting()), ['cpu']);
  });

  it('for any series: alerts and recoveries alternate, each after a full streak', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 200 }), (values) => {
        const events = run(values);
        events.forEach((event, n) => {
          const [kind = '', at = ''] = event.split('@');
          assert.equal(kind, n % 2 === 0 ? 'alert' : 'recovery');
          const streak = values.slice(Number(at) - SAMPLES_TO_CHANGE + 1, Number(at) + 1);
          assert.equal(streak.length, SAMPLES_TO_CHANGE);
          assert.ok(
            streak.every((v) => (kind === 'alert' ? v >= 90 : v < 90)),
            event,
          );
        });
        // Never alerting at the end of a series whose last two samples are under.
        const tail = values.slice(-SAMPLES_TO_CHANGE);
        if (tail.length === SAMPLES_TO_CHANGE && tail.every((v) => v < 90)) {
          assert.ok(events.length % 2 === 0);
        }
      }),
    );
  });
});
