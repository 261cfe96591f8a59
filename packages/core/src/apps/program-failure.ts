/** How apps that run a program word its failures, in laitos' words where it has some. */
import type { ProgramResult } from '../process/run-program.js';

/** The error text for a run that did not succeed; undefined when it did. */
export function failureOf(result: ProgramResult, timeoutSec: number): string | undefined {
  if (result.timedOut) return `killed after ${timeoutSec}s`;
  if (result.exitCode !== null && result.exitCode !== 0) return `exit status ${result.exitCode}`;
  if (result.signal !== null) return `killed by ${result.signal}`;
  return undefined;
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
