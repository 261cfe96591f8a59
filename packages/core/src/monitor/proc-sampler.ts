/**
 * The real sampler: Linux /proc and statfs, nothing spawned and no library, so it works the same
 * in a container (where /proc shows the host's CPUs and load, and the cgroup bounds memory).
 */
import { readdir, readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DiskUse, ProcessUse, Sample, Sampler } from './sample.js';

/** Filesystems that hold no user data: their "use" means nothing. */
const PSEUDO_FS = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'cgroup', 'cgroup2', 'mqueue', 'debugfs',
  'tracefs', 'securityfs', 'pstore', 'bpf', 'configfs', 'fusectl', 'hugetlbfs', 'autofs',
  'binfmt_misc', 'nsfs', 'rpc_pipefs', 'ramfs', 'efivarfs',
  // Read-only images (snaps, CDs) are always full: not worth an alert.
  'squashfs', 'iso9660', 'udf',
]); // prettier-ignore
/** Mount points under these are the system's plumbing, not disks (a container bind-mounts there). */
const SYSTEM_PREFIXES = ['/proc', '/sys', '/dev', '/run'];
/** USER_HZ: the unit of /proc/<pid>/stat times, 100 on every Linux ABI node runs on. */
const TICKS_PER_SEC = 100;
/** How long the top list watches processes to tell who uses CPU now. */
const TOP_WINDOW_MS = 500;

/** CPU counters of /proc/stat's first line, in ticks. */
interface CpuTimes {
  readonly busy: number;
  readonly total: number;
}

/** Byte counters of /proc/net/dev and when they were read. */
interface NetBytes {
  readonly rx: number;
  readonly tx: number;
  readonly at: number;
}

/** Reads /proc; keeps the previous counters to turn them into rates. */
export class ProcSampler implements Sampler {
  readonly #proc = '/proc';
  #cpu?: CpuTimes;
  #net?: NetBytes;

  async sample(): Promise<Sample> {
    const at = Date.now();
    const [cpu, memoryPercent, disks, net] = await Promise.all([
      this.#cpuTimes(),
      this.#memoryPercent(),
      this.#disks(),
      this.#netBytes(at),
    ]);
    const previousCpu = this.#cpu;
    const previousNet = this.#net;
    this.#cpu = cpu;
    this.#net = net;
    // The first sample has no previous counters: its CPU figure is the average since boot.
    const busy = cpu.busy - (previousCpu?.busy ?? 0);
    const total = cpu.total - (previousCpu?.total ?? 0);
    const seconds = previousNet === undefined ? 0 : (net.at - previousNet.at) / 1000;
    const rate = (now: number, before: number | undefined): number =>
      before === undefined || seconds <= 0 ? 0 : Math.max(0, now - before) / seconds;
    return {
      at,
      cpuPercent: total > 0 ? (100 * busy) / total : 0,
      memoryPercent,
      disks,
      load1: os.loadavg()[0] ?? 0,
      cores: os.availableParallelism(),
      netRxBytesPerSec: rate(net.rx, previousNet?.rx),
      netTxBytesPerSec: rate(net.tx, previousNet?.tx),
    };
  }

  async topProcesses(count: number, signal?: AbortSignal): Promise<readonly ProcessUse[]> {
    const before = await this.#processTimes();
    await sleep(TOP_WINDOW_MS, undefined, signal === undefined ? {} : { signal });
    const after = await this.#processTimes();
    const seconds = TOP_WINDOW_MS / 1000;
    const all: ProcessUse[] = [];
    for (const [pid, now] of after) {
      const ticks = now.ticks - (before.get(pid)?.ticks ?? now.ticks);
      const cpuPercent = (100 * ticks) / TICKS_PER_SEC / seconds;
      all.push({ pid, name: now.name, cpuPercent, memoryBytes: await this.#rss(pid) });
    }
    const byCpu = [...all].sort((a, b) => b.cpuPercent - a.cpuPercent).slice(0, count);
    const byMemory = [...all].sort((a, b) => b.memoryBytes - a.memoryBytes).slice(0, count);
    return [...new Map([...byCpu, ...byMemory].map((p) => [p.pid, p])).values()];
  }

  async #cpuTimes(): Promise<CpuTimes> {
    const line = (await readFile(`${this.#proc}/stat`, 'utf8')).split('\n', 1)[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal (guest time is inside user already)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
      line.trim().split(/\s+/).slice(1).map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { busy: total - idle - iowait, total };
  }

  /** MemAvailable against MemTotal, or the cgroup's use against its limit when it has one. */
  async #memoryPercent(): Promise<number> {
    const info = fields(await readFile(`${this.#proc}/meminfo`, 'utf8'));
    const total = info.get('MemTotal') ?? 0;
    const available = info.get('MemAvailable') ?? info.get('MemFree') ?? 0;
    const cgroup = await cgroupMemory();
    if (cgroup !== undefined && cgroup.limit < total * 1024) {
      return (100 * cgroup.used) / cgroup.limit;
    }
    return total > 0 ? (100 * (total - available)) / total : 0;
  }

  async #disks(): Promise<DiskUse[]> {
    const mounts = await readFile(`${this.#proc}/self/mounts`, 'utf8');
    const seen = new Set<string>();
    const disks: DiskUse[] = [];
    for (const line of mounts.split('\n')) {
      const [device = '', escaped = '', type = ''] = line.split(' ');
      const mount = unescapeMount(escaped);
      if (mount === '' || PSEUDO_FS.has(type) || seen.has(device)) continue;
      if (SYSTEM_PREFIXES.some((p) => mount === p || mount.startsWith(`${p}/`))) continue;
      const use = await statfs(mount).then(usedPercent, () => undefined);
      if (use === undefined) continue; // gone, or not ours to look at
      seen.add(device);
      disks.push({ mount, usedPercent: use });
    }
    return disks;
  }

  async #netBytes(at: number): Promise<NetBytes> {
    const text = await readFile(`${this.#proc}/net/dev`, 'utf8').catch(() => '');
    let rx = 0;
    let tx = 0;
    for (const line of text.split('\n').slice(2)) {
      const [name = '', counters = ''] = line.split(':');
      if (name.trim() === 'lo' || counters === '') continue;
      const values = counters.trim().split(/\s+/).map(Number);
      rx += values[0] ?? 0;
      tx += values[8] ?? 0;
    }
    return { rx, tx, at };
  }

  /** CPU ticks and name of every process readable now. */
  async #processTimes(): Promise<Map<number, { ticks: number; name: string }>> {
    const times = new Map<number, { ticks: number; name: string }>();
    for (const entry of await readdir(this.#proc)) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`${this.#proc}/${entry}/stat`, 'utf8').catch(() => undefined);
      if (stat === undefined) continue; // ended meanwhile
      // The name is in parentheses and may hold spaces and parentheses itself.
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      const rest = stat.slice(close + 2).split(' ');
      // After the name: state ppid ... utime is field 14, stime 15 (1-based, man 5 proc).
      const ticks = Number(rest[11] ?? 0) + Number(rest[12] ?? 0);
      times.set(Number(entry), { ticks, name: stat.slice(open + 1, close) });
    }
    return times;
  }

  /** Resident memory from /proc/<pid>/status (in kB there), 0 when unreadable. */
  async #rss(pid: number): Promise<number> {
    const status = await readFile(`${this.#proc}/${pid}/status`, 'utf8').catch(() => '');
    return (fields(status).get('VmRSS') ?? 0) * 1024;
  }
}

/** `Key:   123 kB` lines as numbers. */
function fields(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)/.exec(line);
    if (match !== null) map.set(match[1] ?? '', Number(match[2]));
  }
  return map;
}

/** cgroup v2 memory use (without reclaimable page cache, as `docker stats` counts) and limit. */
async function cgroupMemory(): Promise<{ used: number; limit: number } | undefined> {
  const read = (name: string): Promise<string | undefined> =>
    readFile(`/sys/fs/cgroup/${name}`, 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    );
  const [max, current, stat] = await Promise.all([
    read('memory.max'),
    read('memory.current'),
    read('memory.stat'),
  ]);
  if (max === undefined || current === undefined || !/^\d+$/.test(max)) return undefined;
  const inactive = /^inactive_file (\d+)$/m.exec(stat ?? '')?.[1];
  return { used: Number(current) - Number(inactive ?? 0), limit: Number(max) };
}

function usedPercent(fs: { blocks: number; bfree: number; bavail: number }): number | undefined {
  if (fs.blocks === 0) return undefined; // a filesystem without blocks (an empty bind)
  const used = fs.blocks - fs.bfree;
  return (100 * used) / (used + fs.bavail);
}

/** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
function unescapeMount(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_all, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}
