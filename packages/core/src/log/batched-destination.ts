/**
 * The daemon's log destination on a file descriptor (stdout): lines are gathered and written
 * in batches, at BATCH_BYTES, at least every FLUSH_MS, and at once when the process exits (a
 * clean stop, a fatal error: Node's 'exit' runs either way). A refused request logs a line, and
 * a write(2) per line was the log's largest cost on that path (docs/benchmarks.md). Only a
 * process killed outright (SIGKILL, OOM) can lose the last FLUSH_MS of lines.
 */
import { pino } from 'pino';

/** A batch is written once it holds this much. */
export const BATCH_BYTES = 4096;

/** Lines never wait longer than this. */
export const FLUSH_MS = 100;

/** A destination for createLogging. */
export interface BatchedDestination {
  write(line: string): boolean;
}

/** Batches lines for `fd` until the process exits. */
export function batchedDestination(fd: number): BatchedDestination {
  const stream = pino.destination({ dest: fd, minLength: BATCH_BYTES, sync: true });
  const flush = (): void => {
    try {
      stream.flushSync();
    } catch {
      // Nothing to write to any more (a closed pipe): the lines cannot be saved.
    }
  };
  setInterval(flush, FLUSH_MS).unref();
  process.once('exit', flush);
  return { write: (line) => stream.write(line) };
}
