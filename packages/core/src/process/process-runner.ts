/**
 * Where programs run (DESIGN §11). Apps ask `services.processes` and never spawn themselves. It
 * uses posix_spawn where it can (no page-table copy: the cost stays flat however large the
 * daemon's heap) and child_process elsewhere, in this process: no helper process is needed.
 */
import { ConfigKeyError } from '../config/config-key-error.js';
import { probePidns, type Containment, type ContainMode } from './containment.js';
import { NodeSpawnBackend } from './node-spawn.js';
import { loadPosixSpawn } from './posix-spawn.js';
import {
  findInterpreter,
  runProgram,
  type ProgramResult,
  type RunProgramOptions,
} from './run-program.js';
import type { BackendName, SpawnBackend } from './spawn-backend.js';

/** Which backend is in force, and why (for `switchboard check` and the start-up line). */
export interface BackendChoice {
  readonly backend: SpawnBackend;
  /** Why not posix_spawn, when it is child_process. */
  readonly why?: string;
}

/** posix_spawn when this system has it, else child_process with the reason; `prefer` forces one. */
export function chooseBackend(prefer?: BackendName): BackendChoice {
  if (prefer === 'child_process') return { backend: new NodeSpawnBackend(), why: 'chosen' };
  const loaded = loadPosixSpawn();
  if ('backend' in loaded) return { backend: loaded.backend };
  if (prefer === 'posix_spawn') throw new Error(`posix_spawn is not available: ${loaded.why}`);
  return { backend: new NodeSpawnBackend(), why: loaded.why };
}

/** How long the namespace probe may take: it runs `sh -c 'echo $$'` once, at start-up. */
const PROBE_TIMEOUT_SEC = 10;

/** What a run is asked for: runProgram's options, and `apps.shell.contain` (unset: the best). */
export interface RunOptions extends Omit<RunProgramOptions, 'containment'> {
  readonly contain?: ContainMode | undefined;
}

/** Runs programs with runProgram's semantics and stops them all on close(). */
export class ProcessRunner {
  readonly choice: BackendChoice;
  /** Aborts every run in progress at close(). */
  readonly #closing = new AbortController();
  readonly #running = new Set<Promise<void>>();
  /** The system's shell, looked up once: a stat or two per command was 9% of a spawn's CPU. */
  #interpreter: Promise<string | undefined> | undefined;
  /** Whether a PID namespace works here, tried once. */
  #pidns: Promise<Containment> | undefined;

  constructor(choice: BackendChoice = chooseBackend()) {
    this.choice = choice;
  }

  /** The backend's name: `posix_spawn` or `child_process`. */
  get backend(): BackendName {
    return this.choice.backend.name;
  }

  /**
   * The containment in force for `apps.shell.contain` = `asked`: "pidns" where it works when
   * unset, else "group" and why. Rejects with a ConfigKeyError when "pidns" is asked for and
   * cannot work here: whoever asked for it expects nothing to escape, so nothing runs.
   */
  async containment(asked?: ContainMode): Promise<Containment> {
    if (asked === 'group') return { mode: 'group', why: 'apps.shell.contain is "group"' };
    const found = await (this.#pidns ??= this.#probe());
    if (asked === 'pidns' && found.mode === 'group') {
      throw new ConfigKeyError(
        'apps.shell.contain',
        `"pidns" does not work here (${found.why}); set "group" or leave it out`,
      );
    }
    return found;
  }

  async #probe(): Promise<Containment> {
    const shell = await this.interpreter();
    if (shell === undefined) return { mode: 'group', why: 'no shell to try a namespace with' };
    return probePidns(shell, (file, args) =>
      runProgram(this.choice.backend, file, args, {
        signal: this.#closing.signal,
        timeoutSec: PROBE_TIMEOUT_SEC,
        env: {},
      }),
    );
  }

  /** As runProgram, contained as `options.contain` asks: rejects if it cannot run. */
  run(file: string, args: readonly string[], options: RunOptions): Promise<ProgramResult> {
    if (this.#closing.signal.aborted) {
      return Promise.reject(new Error('process runner is closed; the command did not run'));
    }
    const { contain, ...rest } = options;
    const signal = AbortSignal.any([options.signal, this.#closing.signal]);
    const run = this.containment(contain).then((containment) =>
      runProgram(this.choice.backend, file, args, { ...rest, signal, containment }),
    );
    // Its settling, not its result: a run that cannot start is the caller's rejection to handle.
    const tracked = run.then(
      () => undefined,
      () => undefined,
    );
    this.#running.add(tracked);
    void tracked.then(() => this.#running.delete(tracked));
    return run;
  }

  /** The first executable of bash, then sh, in the standard directories (findInterpreter). */
  interpreter(): Promise<string | undefined> {
    return (this.#interpreter ??= findInterpreter());
  }

  /** Stops every program still running (SIGTERM, then SIGKILL) and waits until they ended. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled([...this.#running]);
  }
}
