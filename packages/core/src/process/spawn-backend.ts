/**
 * How a program is started (DESIGN §11): one interface, two backends. `posix_spawn` (through
 * koffi, Linux with glibc) starts a program without copying the daemon's page tables, so its cost
 * does not grow with the heap; `child_process` is Node's own, for everywhere else. run-program.ts
 * builds the same behaviour (output tail, time limit, kill escalation) on either.
 */
import { constants } from 'node:os';

/** The name `switchboard check` and the start-up line print. */
export type BackendName = 'posix_spawn' | 'child_process';

/** What to start. */
export interface SpawnRequest {
  readonly file: string;
  /** argv[1..]; argv[0] is `file`. */
  readonly args: readonly string[];
  /** The whole environment of the program: nothing else is passed. */
  readonly env: Readonly<Record<string, string>>;
  /** Each chunk of stdout or stderr, in arrival order (one pipe for both where possible). */
  readonly onOutput: (chunk: Buffer) => void;
}

/** How a process ended: an exit code, or the signal that ended it. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started program: stdin is /dev/null, it leads its own process group (pgid = pid). */
export interface Spawned {
  readonly pid: number;
  /** Resolves once the process has ended and is reaped (never a zombie left behind). */
  readonly exited: Promise<Exit>;
  /** Resolves once its output pipes are closed: every process that held them has let go. */
  readonly outputEnded: Promise<void>;
  /** Stops reading: closes our end of the pipes (a descendant that left the group holds them). */
  abandonOutput(): void;
}

/** Signal names by number (Linux's, from Node), for a wait status or a shell's 128+N. */
const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]),
);

/** The name of signal number `n`, if it has one. */
export function signalNamed(n: number): NodeJS.Signals | undefined {
  return SIGNAL_NAMES.get(n);
}

/** A way to start programs. */
export interface SpawnBackend {
  readonly name: BackendName;
  /** Starts the program; rejects with a SpawnError when it cannot be started at all. */
  start(request: SpawnRequest): Promise<Spawned>;
}

/** The program could not be started; `code` is the errno name (ENOENT, EACCES, …). */
export class SpawnError extends Error {
  readonly code: string;

  constructor(file: string, code: string) {
    super(`cannot run ${file}: ${SPAWN_CAUSES[code] ?? code}`);
    this.name = 'SpawnError';
    this.code = code;
  }
}

// Short causes for the spawn errors a user can fix; Node's own text ("spawn /x ENOENT") repeats
// the path and hides the meaning.
const SPAWN_CAUSES: Readonly<Record<string, string>> = {
  ENOENT: 'not found',
  EACCES: 'permission denied (not executable?)',
  ENOTDIR: 'a component of the path is not a directory',
  ENOEXEC: 'not an executable format',
  EMFILE: 'too many open files',
  EAGAIN: 'too many processes',
  ENOMEM: 'out of memory',
  E2BIG: 'the arguments are too long',
};
