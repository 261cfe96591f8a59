// The machine a run was measured on, for the published figures.
import { cpus, loadavg, totalmem } from 'node:os';

/** Cores, CPU model, memory, Node version, date, and the 1-minute load average now. */
export function machine() {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString().slice(0, 10),
    load: loadavg()[0]?.toFixed(1) ?? 'unknown',
  };
}
