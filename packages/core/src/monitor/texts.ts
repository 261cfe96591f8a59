/**
 * What the monitor says: the alert and recovery notices (what, how much, since when, who uses
 * it) and the `.e stat` line, short enough for one SMS on the default 160 characters.
 */
import {
  isCrossed,
  readings,
  type Alerting,
  type Reading,
  type ThresholdEvent,
} from './thresholds.js';
import type { MonitorConfig } from '../config/types.js';
import type { ProcessUse, Sample } from './sample.js';

/** Processes named in an alert. */
export const TOP_PROCESSES = 3;

const MIB = 1024 * 1024;

/** `97%`, `2.45/cpu`. */
export function formatReading(value: number, unit: string): string {
  return unit === '%' ? `${Math.round(value)}%` : `${value.toFixed(2)}${unit}`;
}

/** `2026-12-01 12:10 UTC`. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `1h20m`, `45s`: the two largest units. */
export function formatElapsed(ms: number): string {
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]]; // prettier-ignore
  let left = Math.max(0, Math.round(ms / 1000));
  const parts: string[] = [];
  for (const [name, size] of units) {
    if (left >= size || (name === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(left / size)}${name}`);
      left %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join('');
}

/** The subject of an event's mail. */
export function eventSubject(event: ThresholdEvent, host: string): string {
  const { key, value, unit, threshold } = event.reading;
  return event.kind === 'alert'
    ? `[switchboard] ${host}: ${key} at ${formatReading(value, unit)} (threshold ${formatReading(threshold, unit)})`
    : `[switchboard] ${host}: ${key} back to ${formatReading(value, unit)}`;
}

/** The notice of an event, with the top processes by the figure that crossed. */
export function eventText(
  event: ThresholdEvent,
  host: string,
  processes: readonly ProcessUse[],
): string {
  const { key, value, unit, threshold } = event.reading;
  const limit = formatReading(threshold, unit);
  if (event.kind === 'recovery') {
    return [
      `RECOVERED on ${host}: ${key} is back to ${formatReading(value, unit)} (threshold ${limit}) at ${formatTime(event.at)}.`,
      `It was over since ${formatTime(event.since)} (${formatElapsed(event.at - event.since)}).`,
    ].join('\n');
  }
  const lines = [
    `ALERT on ${host}: ${key} at ${formatReading(value, unit)} (threshold ${limit}) since ${formatTime(event.since)}.`,
  ];
  const byMemory = key === 'memory';
  if (!key.startsWith('disk ') && processes.length > 0) {
    const top = [...processes]
      .sort((a, b) => (byMemory ? b.memoryBytes - a.memoryBytes : b.cpuPercent - a.cpuPercent))
      .slice(0, TOP_PROCESSES)
      .map((p) =>
        byMemory
          ? `${p.name} (pid ${p.pid}) ${Math.round(p.memoryBytes / MIB)} MiB`
          : `${p.name} (pid ${p.pid}) ${Math.round(p.cpuPercent)}% CPU`,
      );
    lines.push(`Top by ${byMemory ? 'memory' : 'CPU'}: ${top.join(', ')}.`);
  }
  return lines.join('\n');
}

/** `1.2k`, `3.4M`: bytes per second in few characters. */
function rate(bytesPerSec: number): string {
  if (bytesPerSec >= 1e6) return `${(bytesPerSec / 1e6).toFixed(1)}M`;
  if (bytesPerSec >= 1e3) return `${(bytesPerSec / 1e3).toFixed(1)}k`;
  return String(Math.round(bytesPerSec));
}

/**
 * `.e stat`: `cpu 12% mem 48% load 0.52/2cpu disk /:71% net 1.2k/3.4kB/s; crossed: none`, and
 * for each crossed figure its value, and since when it alerts if it does.
 */
export function statText(
  sample: Sample,
  thresholds: MonitorConfig['thresholds'],
  alerting: Readonly<Record<string, Alerting>>,
): string {
  const disks = sample.disks.map((d) => `${d.mount}:${Math.round(d.usedPercent)}%`).join(' ');
  const figures =
    `cpu ${Math.round(sample.cpuPercent)}% mem ${Math.round(sample.memoryPercent)}% ` +
    `load ${sample.load1.toFixed(2)}/${sample.cores}cpu disk ${disks || 'none'} ` +
    `net ${rate(sample.netRxBytesPerSec)}/${rate(sample.netTxBytesPerSec)}B/s`;
  const crossed = readings(sample, thresholds)
    .filter(isCrossed)
    .map((r: Reading) => {
      const alert = alerting[r.key];
      const since = alert === undefined ? '' : ` alert since ${formatTime(alert.since).slice(11)}`;
      return `${r.key} ${formatReading(r.value, r.unit)}>=${formatReading(r.threshold, r.unit)}${since}`;
    });
  return `${figures}; crossed: ${crossed.length === 0 ? 'none' : crossed.join(', ')}`;
}
