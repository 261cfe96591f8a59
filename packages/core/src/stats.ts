/** Commands processed and failed per channel, for `.e info` and metrics. */
import type { ChannelName } from './command.js';

/** Counts of one channel. */
export interface ChannelStats {
  processed: number;
  failed: number;
  totalMs: number;
}

/** Per-channel counters, created once per daemon. */
export class Stats {
  readonly #channels = new Map<ChannelName, ChannelStats>();
  readonly startedAt = Date.now();

  /** Counts one finished command. */
  record(channel: ChannelName, ok: boolean, durationMs: number): void {
    let s = this.#channels.get(channel);
    if (s === undefined) {
      s = { processed: 0, failed: 0, totalMs: 0 };
      this.#channels.set(channel, s);
    }
    s.processed++;
    if (!ok) s.failed++;
    s.totalMs += durationMs;
  }

  /** A copy of the counters, channels in name order. */
  snapshot(): [ChannelName, Readonly<ChannelStats>][] {
    return [...this.#channels.entries()]
      .map(([name, s]): [ChannelName, ChannelStats] => [name, { ...s }])
      .sort(([a], [b]) => a.localeCompare(b));
  }
}
