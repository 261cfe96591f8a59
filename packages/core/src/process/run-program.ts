/**
 * Runs one program to its end (DESIGN §11), on whichever spawn backend it is given: merged
 * stdout+stderr with the last 1 MiB kept, the exit status, and at the time limit (or an abort)
 * SIGTERM to the program's whole process group, SIGKILL 1 s later, and the partial output.
 * Semantics follow laitos' InvokeProgram (reference §7.2), except that a spawn failure names its
 * real cause. Apps reach it through `services.processes` (process-runner.ts).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { commandExit, containedCommand, type Containment } from './containment.js';
import { descendantsOf } from './descendants.js';
import type { SpawnBackend } from './spawn-backend.js';

/** Output kept by default: the last 1 MiB, as laitos keeps. */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

/** Time between SIGTERM and SIGKILL by default. */
export const DEFAULT_KILL_GRACE_MS = 1000;

// After SIGKILL, how long the pipes may stay open: a process that left the group (setsid) can
// hold them forever, and a stuck call is worse than losing its last bytes.
const PIPE_DRAIN_BOUND_MS = 500;

// setTimeout fires at once (with a warning) past this, so longer limits are clamped.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How to run a program. */
export interface RunProgramOptions {
  /** Aborting it (the pipeline's timeout) stops the program's whole process group. */
  readonly signal: AbortSignal;
  /** The program's own time limit in seconds, enforced even if `signal` never fires. */
  readonly timeoutSec: number;
  /** The program's whole environment: nothing of the daemon's is passed unless it is here. */
  readonly env: Readonly<Record<string, string>>;
  /** Only the last this many bytes of stdout+stderr are kept; default 1 MiB. */
  readonly maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL; default 1000 ms. */
  readonly killGraceMs?: number;
  /** Each chunk of output as it arrives (streamed answers); the result still has the tail. */
  readonly onOutput?: (chunk: Buffer) => void;
  /** What the time limit reaches (containment.ts); default the process group and its strays. */
  readonly containment?: Containment;
}

/** How a program ended and what it printed. */
export interface ProgramResult {
  /** stdout and stderr interleaved in arrival order, the last `maxOutputBytes` bytes, as UTF-8. */
  readonly output: string;
  /** null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The time limit or the abort signal stopped it; output is partial. */
  readonly timedOut: boolean;
}

/**
 * Runs `file` with `args` (no shell) in its own process group, stdin /dev/null, and resolves when
 * it ended and its output closed (or was given up after the kill). Rejects only when the program
 * cannot be started at all (a SpawnError: `cannot run /nope: not found`).
 */
export async function runProgram(
  backend: SpawnBackend,
  file: string,
  args: readonly string[],
  options: RunProgramOptions,
): Promise<ProgramResult> {
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  // Guard clauses: laitos refuses a limit under one second instead of running unbounded.
  if (!(options.timeoutSec > 0)) throw new RangeError('invalid time limit');
  if (!Number.isInteger(maxOutputBytes) || maxOutputBytes < 1) {
    throw new RangeError(`invalid maxOutputBytes: ${String(maxOutputBytes)}`);
  }
  // Already too late: starting a program only to kill it would waste a spawn.
  if (options.signal.aborted) return { output: '', exitCode: null, signal: null, timedOut: true };

  const tail = new OutputTail(maxOutputBytes);
  const started = containedCommand(options.containment, file, args);
  // In a PID namespace nothing can leave the group's reach: its SIGKILL ends the namespace.
  const strays = options.containment?.mode !== 'pidns';
  const child = await backend.start({
    file: started.file,
    args: started.args,
    env: options.env,
    onOutput: (chunk) => {
      tail.push(chunk);
      options.onOutput?.(chunk);
    },
  });
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fn();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    timers.add(timer);
  };
  // Changed by the timers; an object, so the checks after the awaits are not narrowed away.
  const state = { timedOut: false, killed: false };
  /** Descendants seen at the time limit: those outside the group (setsid) get each signal too. */
  const seen = new Set<number>();
  const signalAll = (signal: NodeJS.Signals): void => {
    if (strays) for (const pid of descendantsOf([child.pid, ...seen])) seen.add(pid);
    signalGroup(child.pid, signal);
    for (const pid of seen) signalProcess(pid, signal);
  };
  const stop = (): void => {
    if (state.timedOut) return;
    state.timedOut = true;
    signalAll('SIGTERM');
    later(killGraceMs, () => {
      state.killed = true;
      signalAll('SIGKILL');
      // A descendant may still hold the pipes (it came after the last look): give them up.
      later(PIPE_DRAIN_BOUND_MS, () => {
        child.abandonOutput();
      });
    });
  };
  options.signal.addEventListener('abort', stop, { once: true });
  later(options.timeoutSec * 1000, stop);
  try {
    const exit = commandExit(options.containment, await child.exited);
    if (state.timedOut && !state.killed) {
      // It ended on SIGTERM; a member that ignored it but let go of the pipes must go too.
      signalAll('SIGKILL');
    }
    // Output still open after the exit: a background member holds it. Read it until it ends,
    // or until the kill's drain bound gives it up.
    await child.outputEnded;
    return {
      output: tail.text(),
      exitCode: exit.code,
      signal: exit.signal,
      timedOut: state.timedOut,
    };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    options.signal.removeEventListener('abort', stop);
  }
}

/** Sends a signal to a whole process group; a group that is already gone is what we wanted. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  signalProcess(-pgid, signal);
}

/** Sends a signal to a pid (negative: a group); one that is already gone is what we wanted. */
function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: it already exited. Nothing else can be done from a timer either, and throwing here
    // would take the daemon down.
  }
}

/** Keeps the last `max` bytes of everything pushed, without ever holding much more. */
class OutputTail {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private dropped = false;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    if (chunk.length >= this.max) {
      this.chunks.length = 0;
      this.chunks.push(chunk.subarray(chunk.length - this.max));
      this.total = this.max;
      this.dropped = true;
      return;
    }
    this.chunks.push(chunk);
    this.total += chunk.length;
    while (this.total > this.max) {
      const first = this.chunks[0];
      if (first === undefined) break;
      const excess = this.total - this.max;
      this.dropped = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.total -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.total -= excess;
      }
    }
  }

  text(): string {
    let bytes = Buffer.concat(this.chunks, this.total);
    if (this.dropped) {
      // The cut may fall inside a multi-byte character: drop its orphaned continuation bytes
      // (10xxxxxx, at most 3) rather than show a replacement character.
      let start = 0;
      while (start < 3 && start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
      bytes = bytes.subarray(start);
    }
    return bytes.toString('utf8');
  }
}

// laitos tries more shells; bash then sh covers every system we target, bash first for `echo -e`.
const INTERPRETER_NAMES = ['bash', 'sh'] as const;
const INTERPRETER_DIRS = ['/bin', '/usr/bin', '/usr/local/bin'] as const;

/** The first executable of bash, then sh, in /bin, /usr/bin, /usr/local/bin; undefined if none. */
export async function findInterpreter(): Promise<string | undefined> {
  for (const name of INTERPRETER_NAMES) {
    for (const dir of INTERPRETER_DIRS) {
      const path = `${dir}/${name}`;
      if (await isExecutableFile(path)) return path;
    }
  }
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
