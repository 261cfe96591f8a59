/** How apps run a program and word its failures, in laitos' words where it has some. */
import { AppError } from '../errors.js';
import { programEnv } from '../process/program-env.js';
import type { ProgramResult } from '../process/run-program.js';
import type { AppContext, AppOutput } from './app.js';

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

/**
 * Runs `file` for an app through the services' runner, as every app that runs a program does
 * (DESIGN §11): the app's signal and timeout, the scrubbed environment, `apps.shell.contain`,
 * output streamed to a caller that wants it. Resolves to the app's answer: the raw output, with
 * the error text when the program failed; a program that cannot start is an AppError with its
 * cause, the owner's to fix.
 */
export async function runForApp(
  ctx: AppContext,
  file: string,
  args: readonly string[],
): Promise<string | AppOutput> {
  let result: ProgramResult;
  try {
    result = await ctx.services.processes.run(file, args, {
      signal: ctx.signal,
      timeoutSec: ctx.timeoutSec,
      env: programEnv(ctx.config, process.env),
      contain: ctx.config.apps.shell.contain,
      ...(ctx.onOutput === undefined ? {} : { onOutput: ctx.onOutput }),
    });
  } catch (err) {
    throw new AppError(messageOf(err));
  }
  const error = failureOf(result, ctx.timeoutSec);
  // Raw output with its trailing newlines: lintText later decides what a channel shows.
  return error === undefined ? result.output : { output: result.output, error };
}
