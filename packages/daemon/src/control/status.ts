/**
 * The running daemon at a glance, as data: what `switchboard ctl status` prints (and what an
 * operator's console shows). Built fresh on each call from the services and the channels.
 */
import type { ChannelName, OwnedServices } from '@switchboard/core';
import type { RunningChannel } from '../channels.js';

/** One channel: where it listens and how its commands went since start. */
export interface ChannelStatus {
  readonly name: ChannelName;
  /** Absent for a channel that ran commands but runs no more (a reload turned it off). */
  readonly address?: string;
  readonly ok: number;
  readonly failed: number;
}

/** The daemon's status. */
export interface DaemonStatus {
  readonly version: string;
  readonly pid: number;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly uptimeSec: number;
  readonly channels: readonly ChannelStatus[];
  readonly outbox: { readonly queued: number; readonly failed: number };
  readonly lockdown: boolean;
  readonly maintenance: boolean;
}

/** The status of the daemon with these services and channels. */
export async function daemonStatus(
  services: OwnedServices,
  channels: readonly RunningChannel[],
  version: string,
): Promise<DaemonStatus> {
  const counts = new Map(services.stats.snapshot());
  const tally = (name: ChannelName): { ok: number; failed: number } => {
    const c = counts.get(name);
    return c === undefined
      ? { ok: 0, failed: 0 }
      : { ok: c.processed - c.failed, failed: c.failed };
  };
  const running = channels.map(({ name, handle }) => ({
    name,
    address: handle.address,
    ...tally(name),
  }));
  const gone = [...counts.keys()]
    .filter((name) => !channels.some((c) => c.name === name))
    .map((name) => ({ name, ...tally(name) }));
  const { startedAt } = services.stats;
  return {
    version,
    pid: process.pid,
    startedAt: new Date(startedAt).toISOString(),
    uptimeSec: Math.floor((Date.now() - startedAt) / 1000),
    channels: [...running, ...gone],
    outbox: {
      queued: (await services.outbox.pending()).length,
      failed: (await services.outbox.failed()).length,
    },
    lockdown: await services.store.isLockedDown(),
    maintenance: await services.store.isUnderMaintenance(),
  };
}
