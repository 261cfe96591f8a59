/**
 * Thresholds with hysteresis (DESIGN §14): a figure at or above its threshold for two samples in
 * a row raises one alert, and one below it for two samples in a row sends one recovery notice;
 * nothing repeats in between. Which figures are alerting is the only state that outlives the
 * process (the caller saves `alerting()`), so a restart mid-alert neither re-sends nor forgets.
 */
import type { MonitorConfig } from '../config/types.js';
import type { Sample } from './sample.js';

/** Samples in a row that change a figure's state, either way. */
export const SAMPLES_TO_CHANGE = 2;

/** One watched figure in one sample. */
export interface Reading {
  /** `cpu`, `memory`, `load` or `disk <mount>`. */
  readonly key: string;
  readonly value: number;
  readonly threshold: number;
  /** `%`, or `/cpu` for the load per CPU. */
  readonly unit: string;
}

/** An alert a figure is in, as saved across restarts. */
export interface Alerting {
  /** When the first sample of the streak that raised it was taken (ms since the epoch). */
  readonly since: number;
  /** The figure when it was raised. */
  readonly value: number;
}

/** A change of state to tell someone about. */
export interface ThresholdEvent {
  readonly kind: 'alert' | 'recovery';
  readonly reading: Reading;
  /** When it started: the first sample above the threshold. */
  readonly since: number;
  /** The sample that decided it. */
  readonly at: number;
}

/** The watched figures of `sample` against `thresholds`. */
export function readings(sample: Sample, thresholds: MonitorConfig['thresholds']): Reading[] {
  return [
    { key: 'cpu', value: sample.cpuPercent, threshold: thresholds.cpuPercent, unit: '%' },
    { key: 'memory', value: sample.memoryPercent, threshold: thresholds.memoryPercent, unit: '%' },
    {
      key: 'load',
      value: sample.load1 / Math.max(1, sample.cores),
      threshold: thresholds.load1PerCore,
      unit: '/cpu',
    },
    ...sample.disks.map((d) => ({
      key: `disk ${d.mount}`,
      value: d.usedPercent,
      threshold: thresholds.diskPercent,
      unit: '%',
    })),
  ];
}

/** Whether a reading is over its threshold. */
export function isCrossed(reading: Reading): boolean {
  return reading.value >= reading.threshold;
}

/** Per-figure streaks and alert states. */
export class Hysteresis {
  readonly #alerting: Map<string, Alerting>;
  /** key → consecutive samples on the other side of the threshold from its state, and since. */
  readonly #streaks = new Map<string, { count: number; since: number }>();

  /** Starts from the alerts saved by a previous run. */
  constructor(alerting: Readonly<Record<string, Alerting>> = {}) {
    this.#alerting = new Map(Object.entries(alerting));
  }

  /** Feeds one sample's readings; returns the alerts and recoveries it decides. */
  observe(current: readonly Reading[], at: number): ThresholdEvent[] {
    const events: ThresholdEvent[] = [];
    for (const reading of current) {
      const alert = this.#alerting.get(reading.key);
      // A streak counts samples that disagree with the state: over while quiet, under while alerting.
      if (isCrossed(reading) === (alert !== undefined)) {
        this.#streaks.delete(reading.key);
        continue;
      }
      const streak = this.#streaks.get(reading.key) ?? { count: 0, since: at };
      const count = streak.count + 1;
      if (count < SAMPLES_TO_CHANGE) {
        this.#streaks.set(reading.key, { count, since: streak.since });
        continue;
      }
      this.#streaks.delete(reading.key);
      if (alert === undefined) {
        this.#alerting.set(reading.key, { since: streak.since, value: reading.value });
        events.push({ kind: 'alert', reading, since: streak.since, at });
      } else {
        this.#alerting.delete(reading.key);
        events.push({ kind: 'recovery', reading, since: alert.since, at });
      }
    }
    return events;
  }

  /** The figures alerting now, to save. */
  alerting(): Record<string, Alerting> {
    return Object.fromEntries(this.#alerting);
  }
}
