/**
 * Runs the dispatched app with an AbortSignal that fires at the command's timeout. An app that
 * ignores the signal is abandoned shortly after, so a reply is never held hostage.
 */
import type { App, AppContext } from '../apps/app.js';
import type { Attachment } from '../command.js';
import { PipelineError, toPipelineError } from '../errors.js';

/** How long an app may take to wind down after its signal fired (the shell needs ~1 s). */
const GRACE_MS = 2000;

/** setTimeout's ceiling (2^31-1 ms); a longer delay would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** The app's output and, if it failed, the error. */
export interface AppRun {
  readonly output: string;
  readonly error?: PipelineError;
  readonly attachment?: Attachment;
}

/** Runs `app` on `input`, bounded by `timeoutSec`. Never throws. */
export async function runApp(
  app: App,
  input: string,
  { stop, ...ctx }: Omit<AppContext, 'signal'> & { readonly stop?: AbortSignal },
): Promise<AppRun> {
  const controller = new AbortController();
  // The caller went away and wants the command stopped: as at the timeout, without the error.
  stop?.addEventListener(
    'abort',
    () => {
      controller.abort(stop.reason);
    },
    { once: true },
  );
  const timers: NodeJS.Timeout[] = [];
  const abandoned = new Promise<never>((_resolve, reject) => {
    timers.push(
      setTimeout(
        () => {
          controller.abort(new PipelineError('APP_TIMEOUT', ctx.timeoutSec));
          timers.push(
            setTimeout(() => {
              reject(new PipelineError('APP_TIMEOUT', ctx.timeoutSec));
            }, GRACE_MS),
          );
        },
        Math.min(ctx.timeoutSec * 1000, MAX_TIMER_MS),
      ),
    );
  });
  try {
    const answer = Promise.resolve().then(() =>
      app.execute(input, { ...ctx, signal: controller.signal }),
    );
    // An abandoned app may still reject later; that must not become an unhandled rejection.
    answer.catch(() => undefined);
    const result = await Promise.race([answer, abandoned]);
    if (typeof result === 'string') return { output: result };
    const attachment = result.attachment === undefined ? {} : { attachment: result.attachment };
    return result.error === undefined
      ? { output: result.output, ...attachment }
      : { output: result.output, error: new PipelineError('APP_FAILED', result.error) };
  } catch (thrown) {
    const error = toPipelineError(thrown);
    if (error.code === 'INTERNAL') {
      ctx.services.logger.error({ err: thrown, app: app.name }, 'app crashed');
    }
    return { output: '', error };
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}
