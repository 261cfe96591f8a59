/**
 * Where programs run (DESIGN §11). Apps ask `services.processes` and never spawn themselves. It
 * uses posix_spawn where it can (no page-table copy: the cost stays flat however large the
 * daemon's heap) and child_process elsewhere, in this process: no helper process is needed.
 */
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

/** Runs programs with runProgram's semantics and stops them all on close(). */
export class ProcessRunner {
  readonly choice: BackendChoice;
  /** Aborts every run in progress at close(). */
  readonly #closing = new AbortController();
  readonly #running = new Set<Promise<void>>();
  /** The system's shell, looked up once: a stat or two per command was 9% of a spawn's CPU. */
  #interpreter: Promise<string | undefined> | undefined;

  constructor(choice: BackendChoice = chooseBackend()) {
    this.choice = choice;
  }

  /** The backend's name: `posix_spawn` or `child_process`. */
  get backend(): BackendName {
    return this.choice.backend.name;
  }

  /** As runProgram: resolves with how the program ended, rejects if it cannot run. */
  run(file: string, args: readonly string[], options: RunProgramOptions): Promise<ProgramResult> {
    if (this.#closing.signal.aborted) {
      return Promise.reject(new Error('process runner is closed; the command did not run'));
    }
    const signal = AbortSignal.any([options.signal, this.#closing.signal]);
    const run = runProgram(this.choice.backend, file, args, { ...options, signal });
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
