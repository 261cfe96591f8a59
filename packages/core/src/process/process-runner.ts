/**
 * Where programs run (DESIGN §9). Apps ask `services.processes` and never know which it is: the
 * CLI and tests run programs in-process; the daemon hands them to a small helper process, because
 * Node spawns with fork semantics on the event-loop thread and the cost grows with the spawning
 * process's memory (reference/perf-anchors.md: 0 MiB → ~1,160 spawns/s, 512 MiB → ~145/s).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { runProgram } from './run-program.js';
import type { ProgramResult, RunProgramOptions } from './run-program.js';

/** Runs programs with runProgram's semantics, here or elsewhere. */
export interface ProcessRunner {
  /** As runProgram: resolves with how the program ended, rejects if it cannot run. */
  run(file: string, args: readonly string[], options: RunProgramOptions): Promise<ProgramResult>;
  /** Releases what the runner holds (ends the helper); later runs reject. */
  close(): Promise<void>;
}

/** Runs programs from this process: for the CLI's one-off `exec` and for tests. */
export class InProcessRunner implements ProcessRunner {
  /** Calls runProgram directly. */
  run(file: string, args: readonly string[], options: RunProgramOptions): Promise<ProgramResult> {
    return runProgram(file, args, options);
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A program for the helper to run (the wire form of runProgram's arguments). */
export interface HelperRequest {
  readonly id: number;
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutSec: number;
  readonly maxOutputBytes?: number;
  readonly killGraceMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Asks the helper to stop the run with this id, as the caller's AbortSignal did. */
export interface HelperAbort {
  readonly abort: number;
}

/** The helper's answer: how a run ended, or why it could not start. */
export type HelperReply =
  | { readonly id: number; readonly result: ProgramResult }
  | { readonly id: number; readonly error: string };

/** Carries the daemon's NODE_OPTIONS past the helper's own start-up, back to the programs. */
export const CHILD_NODE_OPTIONS_VAR = 'SWITCHBOARD_CHILD_NODE_OPTIONS';

// A small young generation and a capped old one keep the helper's memory, and so each spawn's
// page-table copy, small. Given explicitly so the daemon's own flags (--inspect…) stay out.
const HELPER_EXEC_ARGV = ['--max-semi-space-size=1', '--max-old-space-size=64'] as const;

// After a disconnect the helper stops its programs: runProgram's SIGTERM→SIGKILL grace (1 s)
// and pipe drain bound (0.5 s), with margin. Then SIGTERM, then SIGKILL, each bounded.
const CLOSE_DISCONNECT_MS = 3000;
const CLOSE_SIGNAL_MS = 1000;

/** A call waiting for the helper's answer. */
interface Pending {
  readonly resolve: (result: ProgramResult) => void;
  readonly reject: (error: Error) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

/**
 * Runs programs in a small Node helper process (spawn-helper.js), started on first use and again
 * after it dies. The helper never keeps this process alive while idle and exits when it exits.
 */
export class HelperProcessRunner implements ProcessRunner {
  readonly #helperPath = new URL('./spawn-helper.js', import.meta.url);
  readonly #pending = new Map<number, Pending>();
  #helper: ChildProcess | undefined;
  #nextId = 0;
  #closing: Promise<void> | undefined;

  /** The running helper's pid; undefined before the first run and once it has exited. */
  get pid(): number | undefined {
    return this.#helper?.pid;
  }

  /** Sends the program to the helper; rejects if it cannot run or the helper dies meanwhile. */
  run(file: string, args: readonly string[], options: RunProgramOptions): Promise<ProgramResult> {
    if (this.#closing !== undefined) {
      return Promise.reject(new Error('process runner is closed; the command did not run'));
    }
    // runProgram answers an aborted signal (and bad options) without spawning: no round trip.
    if (options.signal.aborted) return runProgram(file, args, options);
    let helper: ChildProcess;
    try {
      helper = this.#helper ?? this.#start();
    } catch (error) {
      return Promise.reject(new Error(`cannot start the process helper: ${messageOf(error)}`));
    }
    const id = ++this.#nextId;
    const request: HelperRequest = {
      id,
      file,
      args,
      timeoutSec: options.timeoutSec,
      ...(options.maxOutputBytes === undefined ? {} : { maxOutputBytes: options.maxOutputBytes }),
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
      ...(options.env === undefined ? {} : { env: options.env }),
    };
    return new Promise<ProgramResult>((resolve, reject) => {
      const onAbort = (): void => {
        const abort: HelperAbort = { abort: id };
        // A send that fails here means the helper is gone: its exit rejects the call.
        helper.send(abort, () => undefined);
      };
      this.#pending.set(id, { resolve, reject, signal: options.signal, onAbort });
      options.signal.addEventListener('abort', onAbort, { once: true });
      this.#refresh(helper);
      helper.send(request, (error) => {
        if (error === null) return;
        this.#settle(id, helper, {
          error: new Error(
            `process helper unreachable (${error.message}); the command did not run`,
          ),
        });
      });
    });
  }

  /** Ends the helper (disconnect, then SIGTERM, then SIGKILL, each bounded) and waits for it. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const helper = this.#helper;
    if (helper === undefined) return;
    // 'exit' has not been seen yet (#helper is cleared on it), so this promise will settle.
    const exited = new Promise<void>((resolve) =>
      helper.once('exit', () => {
        resolve();
      }),
    );
    // Keep this process alive until the helper is gone, as a caller awaiting close() expects.
    helper.ref();
    this.#failAll(helper, 'process runner closed; the command did not finish');
    // The helper stops its programs and exits by itself once the channel closes.
    if (helper.connected) helper.disconnect();
    if (await within(exited, CLOSE_DISCONNECT_MS)) return;
    helper.kill('SIGTERM');
    if (await within(exited, CLOSE_SIGNAL_MS)) return;
    helper.kill('SIGKILL');
    await within(exited, CLOSE_SIGNAL_MS);
  }

  #start(): ChildProcess {
    const { NODE_OPTIONS: nodeOptions, ...env } = process.env;
    const helper = fork(this.#helperPath, [], {
      execArgv: [...HELPER_EXEC_ARGV],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: nodeOptions === undefined ? env : { ...env, [CHILD_NODE_OPTIONS_VAR]: nodeOptions },
      serialization: 'json',
    });
    this.#helper = helper;
    // Only calls in flight may keep this process alive (the channel is ref'd for them).
    helper.unref();
    helper.channel?.unref();
    helper.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      this.#settle(
        message.id,
        helper,
        'error' in message ? { error: new Error(message.error) } : { result: message.result },
      );
    });
    helper.on('exit', (code, signal) => {
      const how = code === null ? `signal ${signal ?? 'unknown'}` : `code ${code}`;
      this.#lost(helper, `process helper exited (${how}); the command did not finish`);
    });
    helper.on('error', (error) => {
      // Only a helper that never started is lost here; other errors (a failed kill or send)
      // are followed by its exit or reported to the send's callback.
      if (helper.pid !== undefined) return;
      this.#lost(helper, `cannot start the process helper: ${error.message}`);
    });
    return helper;
  }

  /** The helper is gone: every call in flight fails, and the next run starts a new helper. */
  #lost(helper: ChildProcess, reason: string): void {
    if (this.#helper !== helper) return;
    this.#helper = undefined;
    this.#failAll(helper, reason);
  }

  #failAll(helper: ChildProcess, reason: string): void {
    for (const id of [...this.#pending.keys()])
      this.#settle(id, helper, { error: new Error(reason) });
  }

  #settle(
    id: number,
    helper: ChildProcess,
    outcome: { readonly result: ProgramResult } | { readonly error: Error },
  ): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    pending.signal.removeEventListener('abort', pending.onAbort);
    this.#refresh(helper);
    if ('error' in outcome) pending.reject(outcome.error);
    else pending.resolve(outcome.result);
  }

  /** Refs the channel while calls are in flight, so an idle helper never holds this process. */
  #refresh(helper: ChildProcess): void {
    if (this.#pending.size > 0) helper.channel?.ref();
    else helper.channel?.unref();
  }
}

function isReply(message: unknown): message is HelperReply {
  if (typeof message !== 'object' || message === null) return false;
  if (!('id' in message) || typeof message.id !== 'number') return false;
  return (
    ('result' in message && typeof message.result === 'object' && message.result !== null) ||
    ('error' in message && typeof message.error === 'string')
  );
}

/** Whether `promise` settled within `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
