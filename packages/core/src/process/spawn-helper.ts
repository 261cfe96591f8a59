/**
 * The process helper (DESIGN §9): a small Node process, forked by HelperProcessRunner, that runs
 * programs with runProgram on the daemon's behalf. Node spawns with fork semantics on the
 * event-loop thread, so a spawn costs in proportion to the spawning process's memory; this
 * process keeps its heap tiny and spawns far faster than the daemon could.
 *
 * Entry point: started with an IPC channel, it answers each request with `{ id, result }` or
 * `{ id, error }`, stops a run on `{ abort: id }`, and ends when the channel closes.
 */
import { CHILD_NODE_OPTIONS_VAR } from './process-runner.js';
import type { HelperAbort, HelperReply, HelperRequest } from './process-runner.js';
import { runProgram } from './run-program.js';
import type { RunProgramOptions } from './run-program.js';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null;
}

function isRequest(message: unknown): message is HelperRequest {
  return (
    isRecord(message) &&
    typeof message.id === 'number' &&
    typeof message.file === 'string' &&
    Array.isArray(message.args) &&
    typeof message.timeoutSec === 'number'
  );
}

function isAbort(message: unknown): message is HelperAbort {
  return isRecord(message) && typeof message.abort === 'number';
}

/** Serves requests on this process's IPC channel until it closes. */
function serve(): void {
  const running = new Map<number, AbortController>();

  const reply = (message: HelperReply): void => {
    // After a disconnect nobody is listening; the run was only finished to clean up its group.
    if (process.connected) process.send?.(message);
  };

  const start = (request: HelperRequest): void => {
    const controller = new AbortController();
    running.set(request.id, controller);
    const options: RunProgramOptions = {
      signal: controller.signal,
      timeoutSec: request.timeoutSec,
      ...(request.maxOutputBytes === undefined ? {} : { maxOutputBytes: request.maxOutputBytes }),
      ...(request.killGraceMs === undefined ? {} : { killGraceMs: request.killGraceMs }),
      ...(request.env === undefined ? {} : { env: request.env }),
    };
    runProgram(request.file, request.args, options).then(
      (result) => {
        running.delete(request.id);
        reply({ id: request.id, result });
      },
      (error: unknown) => {
        running.delete(request.id);
        reply({ id: request.id, error: error instanceof Error ? error.message : String(error) });
      },
    );
  };

  process.on('message', (message: unknown) => {
    if (isRequest(message)) start(message);
    else if (isAbort(message)) running.get(message.abort)?.abort();
  });

  // The daemon closed the channel or died: stop every program (runProgram escalates to SIGKILL
  // after its grace), and the process ends by itself once they are gone.
  process.on('disconnect', () => {
    for (const controller of running.values()) controller.abort();
  });

  // A Ctrl-C or hang-up reaches the whole terminal group; the daemon decides when this process
  // ends (by disconnecting), so its in-flight commands are not failed under it.
  process.on('SIGINT', () => undefined);
  process.on('SIGHUP', () => undefined);
}

// Programs get the daemon's environment: the NODE_OPTIONS kept away from this process's own
// start-up (an --inspect would clash with the daemon's) goes back for them.
const childNodeOptions = process.env[CHILD_NODE_OPTIONS_VAR];
if (childNodeOptions !== undefined) {
  process.env.NODE_OPTIONS = childNodeOptions;
  Reflect.deleteProperty(process.env, CHILD_NODE_OPTIONS_VAR);
}

if (process.send === undefined) {
  process.stderr.write('spawn-helper: must be started by HelperProcessRunner (no IPC channel)\n');
  process.exitCode = 2;
} else {
  serve();
}
