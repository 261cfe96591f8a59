/**
 * The one module that starts other programs (DESIGN §9). Apps reach it through
 * `services.processes` (process-runner.ts): in the daemon that is a small helper process, whose
 * fork is cheap, running this same function; in the CLI it runs here. Semantics follow laitos'
 * InvokeProgram (reference §7.2), except that a spawn failure names its real cause.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';

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
  /** Only the last this many bytes of stdout+stderr are kept; default 1 MiB. */
  readonly maxOutputBytes?: number;
  /** The child's environment; default the daemon's own. */
  readonly env?: NodeJS.ProcessEnv;
  /** Time between SIGTERM and SIGKILL; default 1000 ms. */
  readonly killGraceMs?: number;
}

/** How a program ended and what it printed. */
export interface ProgramResult {
  /** stdout and stderr interleaved in arrival order, the last `maxOutputBytes` bytes, as UTF-8. */
  readonly output: string;
  /** null when a signal ended it (or it had not ended when the pipes were given up). */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The time limit or the abort signal stopped it; output is partial. */
  readonly timedOut: boolean;
}

/**
 * Runs `file` with `args` (no shell) in its own process group, stdin /dev/null, and resolves when
 * it ended and its pipes closed. Rejects only when the program cannot be started at all.
 */
export function runProgram(
  file: string,
  args: readonly string[],
  options: RunProgramOptions,
): Promise<ProgramResult> {
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  // Guard clauses: laitos refuses a limit under one second instead of running unbounded.
  if (!(options.timeoutSec > 0)) return Promise.reject(new RangeError('invalid time limit'));
  if (!Number.isInteger(maxOutputBytes) || maxOutputBytes < 1) {
    return Promise.reject(new RangeError(`invalid maxOutputBytes: ${maxOutputBytes}`));
  }
  // Already too late: starting a program only to kill it would waste a spawn.
  if (options.signal.aborted) {
    return Promise.resolve({ output: '', exitCode: null, signal: null, timedOut: true });
  }

  return new Promise((resolve, reject) => {
    const tail = new OutputTail(maxOutputBytes);
    const timers = new Set<NodeJS.Timeout>();
    let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let timedOut = false;
    let settled = false;

    const child = spawn(file, args, {
      detached: true, // setsid: its own process group, so a timeout can stop every descendant
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    const { pid } = child;

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

    const cleanUp = (): void => {
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      options.signal.removeEventListener('abort', stop);
    };

    const finish = (): void => {
      if (settled || pid === undefined) return;
      cleanUp();
      // A member that ignored SIGTERM but let go of the pipes would outlive the timeout otherwise.
      if (timedOut) signalGroup(pid, 'SIGKILL');
      resolve({
        output: tail.text(),
        exitCode: ended?.code ?? null,
        signal: ended?.signal ?? null,
        timedOut,
      });
    };

    function stop(): void {
      if (settled || timedOut || pid === undefined) return;
      timedOut = true;
      signalGroup(pid, 'SIGTERM');
      later(killGraceMs, () => {
        signalGroup(pid, 'SIGKILL');
        later(PIPE_DRAIN_BOUND_MS, () => {
          child.stdout.destroy();
          child.stderr.destroy();
          finish();
        });
      });
    }

    child.stdout.on('data', (chunk: Buffer) => {
      tail.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      tail.push(chunk);
    });
    child.on('exit', (code, signal) => {
      ended = { code, signal };
    });
    // 'close' comes after 'exit' once both pipes are drained, so no output is lost.
    child.on('close', finish);
    child.on('error', (err) => {
      // After a successful spawn, 'error' only reports a failed kill(), which runProgram never
      // calls; before it, it is the reason the program cannot run.
      if (settled || pid !== undefined) return;
      cleanUp();
      reject(spawnError(file, err));
    });

    if (pid === undefined) return; // the 'error' event follows on the next tick
    options.signal.addEventListener('abort', stop, { once: true });
    later(options.timeoutSec * 1000, stop);
  });
}

/** Sends a signal to a whole process group; a group that is already gone is what we wanted. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: every member already exited. Nothing else can be done from a timer either, and
    // throwing here would take the daemon down.
  }
}

// Short causes for the spawn errors a user can fix; Node's own text ("spawn /x ENOENT") repeats
// the path and hides the meaning.
const SPAWN_CAUSES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'a component of the path is not a directory',
  EMFILE: 'too many open files',
  EAGAIN: 'too many processes',
  ENOMEM: 'out of memory',
};

/** `cannot run "/bin/nope": ENOENT (no such file or directory)`, keeping the original as cause. */
function spawnError(file: string, err: Error): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const cause = code === undefined ? err.message : `${code} (${SPAWN_CAUSES[code] ?? err.message})`;
  return new Error(`cannot run "${file}": ${cause}`, { cause: err });
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
