/**
 * What the daemon counts since it started: commands per channel (processed, failed, by result)
 * and failed logins, for `.e info`, `ctl status` and `/metrics`. Plain numbers: counting costs
 * a command nothing, and prom-client is loaded only when someone asks for metrics.
 */
import type { ChannelName } from './command.js';

/** Counts of one channel. */
export interface ChannelStats {
  processed: number;
  failed: number;
  totalMs: number;
}

/** Told of each finished command (the metrics' duration histogram). */
export type CommandListener = (channel: ChannelName, result: string, ms: number) => void;

/** Per-channel counters, created once per daemon. */
export class Stats {
  readonly #channels = new Map<ChannelName, ChannelStats>();
  /** `channel result` → count; result is `ok` or an error code (a bounded set). */
  readonly #results = new Map<string, number>();
  readonly #failedLogins = new Map<ChannelName, number>();
  readonly #listeners = new Set<CommandListener>();
  readonly startedAt = Date.now();

  /** Counts one finished command; `result` is `ok` or its error code. */
  record(channel: ChannelName, result: string, durationMs: number): void {
    let s = this.#channels.get(channel);
    if (s === undefined) {
      s = { processed: 0, failed: 0, totalMs: 0 };
      this.#channels.set(channel, s);
    }
    s.processed++;
    if (result !== 'ok') s.failed++;
    s.totalMs += durationMs;
    const key = `${channel} ${result}`;
    this.#results.set(key, (this.#results.get(key) ?? 0) + 1);
    for (const listener of this.#listeners) listener(channel, result, durationMs);
  }

  /** Counts one failed login (a wrong password, code pair or key). */
  failedLogin(channel: ChannelName): void {
    this.#failedLogins.set(channel, (this.#failedLogins.get(channel) ?? 0) + 1);
  }

  /** A copy of the counters, channels in name order. */
  snapshot(): [ChannelName, Readonly<ChannelStats>][] {
    return [...this.#channels.entries()]
      .map(([name, s]): [ChannelName, ChannelStats] => [name, { ...s }])
      .sort(([a], [b]) => a.localeCompare(b));
  }

  /** Commands by channel and result. */
  results(): { channel: ChannelName; result: string; count: number }[] {
    return [...this.#results.entries()].map(([key, count]) => {
      const [channel, result] = key.split(' ') as [ChannelName, string];
      return { channel, result, count };
    });
  }

  /** Failed logins by channel. */
  failedLogins(): [ChannelName, number][] {
    return [...this.#failedLogins.entries()];
  }

  /** Calls `listener` for every command from now on; returns the unsubscribe. */
  onCommand(listener: CommandListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
