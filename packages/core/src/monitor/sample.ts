/**
 * What the monitor reads from the system, and the interface that reads it: the daemon uses the
 * /proc sampler, tests drive a deterministic one.
 */

/** Space in use on one mounted filesystem. */
export interface DiskUse {
  readonly mount: string;
  /** As `df` counts it: used / (used + available to unprivileged users). */
  readonly usedPercent: number;
}

/** One reading of the whole system. */
export interface Sample {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** CPU time spent busy since the previous sample, in percent of all CPUs. */
  readonly cpuPercent: number;
  /** Memory in use (not available), in percent: of the cgroup's limit when there is one. */
  readonly memoryPercent: number;
  readonly disks: readonly DiskUse[];
  /** The 1-minute load average. */
  readonly load1: number;
  /** CPUs this process may use. */
  readonly cores: number;
  /** Bytes per second received and sent on every interface but loopback. */
  readonly netRxBytesPerSec: number;
  readonly netTxBytesPerSec: number;
}

/** One process, for the top list of an alert. */
export interface ProcessUse {
  readonly pid: number;
  readonly name: string;
  /** Of one CPU over the measuring window, so a busy multi-threaded process may pass 100. */
  readonly cpuPercent: number;
  readonly memoryBytes: number;
}

/** Reads the system. */
export interface Sampler {
  /** Takes a reading; rates (CPU, network) are since the previous call. */
  sample(): Promise<Sample>;
  /** The processes using the most CPU and the most memory now, `count` of each at most. */
  topProcesses(count: number, signal?: AbortSignal): Promise<readonly ProcessUse[]>;
}
