/**
 * The monitor's history: a ring of fixed capacity over typed arrays, so a day of samples costs
 * the same memory on the first day and the hundredth (DESIGN §14, bounded).
 */
import type { Sample } from './sample.js';

/** What a chart can show. */
export const METRICS = ['cpu', 'memory', 'disk', 'load'] as const;

/** A charted figure. */
export type Metric = (typeof METRICS)[number];

/** One point of a series. */
export interface Point {
  readonly at: number;
  readonly value: number;
}

/** The figure of `metric` in a sample: for disk, the fullest mount. */
export function metricValue(sample: Sample, metric: Metric): number {
  switch (metric) {
    case 'cpu':
      return sample.cpuPercent;
    case 'memory':
      return sample.memoryPercent;
    case 'disk':
      return Math.max(0, ...sample.disks.map((d) => d.usedPercent));
    case 'load':
      return sample.load1;
  }
}

/** The last `capacity` samples, oldest overwritten first. */
export class SampleRing {
  readonly capacity: number;
  readonly #at: Float64Array;
  /** One column per metric, in METRICS order. */
  readonly #values: Float32Array[];
  #next = 0;
  #size = 0;
  #latest?: Sample;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be ≥ 1');
    this.capacity = capacity;
    this.#at = new Float64Array(capacity);
    this.#values = METRICS.map(() => new Float32Array(capacity));
  }

  /** Ring capacity for `historyHours` at one sample every `intervalSec`. */
  static forHistory(historyHours: number, intervalSec: number): SampleRing {
    return new SampleRing(Math.ceil((historyHours * 3600) / intervalSec));
  }

  /** Samples held now. */
  get size(): number {
    return this.#size;
  }

  /** Bytes of the arrays that hold the history: fixed at construction. */
  get byteLength(): number {
    return this.#at.byteLength + this.#values.reduce((sum, column) => sum + column.byteLength, 0);
  }

  /** The newest sample in full (every mount), if any. */
  get latest(): Sample | undefined {
    return this.#latest;
  }

  push(sample: Sample): void {
    this.#at[this.#next] = sample.at;
    METRICS.forEach((metric, column) => {
      const values = this.#values[column];
      if (values !== undefined) values[this.#next] = metricValue(sample, metric);
    });
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
    this.#latest = sample;
  }

  /** The points of `metric` taken at or after `since`, oldest first. */
  series(metric: Metric, since: number): Point[] {
    const values = this.#values[METRICS.indexOf(metric)];
    const points: Point[] = [];
    if (values === undefined) return points;
    const oldest = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) {
      const slot = (oldest + i) % this.capacity;
      const at = this.#at[slot] ?? 0;
      if (at >= since) points.push({ at, value: values[slot] ?? 0 });
    }
    return points;
  }
}
