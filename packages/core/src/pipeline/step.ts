/**
 * The state a command carries through the pipeline's stages. Each stage returns a new Step or
 * a PipelineError; the runner stops at the first error.
 */
import type { App } from '../apps/app.js';
import type { Command } from '../command.js';
import type { ApiKeyTable } from '../auth/api-keys.js';
import type { Config, Grant, LintTextConfig } from '../config/types.js';
import type { PipelineError } from '../errors.js';
import type { AdmissionPolicy } from '../guard/admission.js';
import type { Services } from '../services.js';
import type { AppTable, ChannelPlan } from './plan.js';

/** A command on its way through the input stages. */
export interface Step {
  /** The text as the stages have rewritten it so far. */
  readonly content: string;
  readonly timeoutSec: number;
  /** lintText settings for this command (`.plt` may override two of them). */
  readonly lint: LintTextConfig;
  /** Passed the PIN stage: only such commands are notified by mail. */
  readonly authorised: boolean;
  /** What logs and notification subjects show: never the password, `<hidden>` if sensitive. */
  readonly shown: string;
  /** What the credential may run (DESIGN §12); undefined: anything. */
  readonly grant?: Grant;
  /** The API key's name, when one authorised the command (for the log). */
  readonly key?: string;
  readonly app?: App;
  readonly input?: string;
}

/** What every stage can read. */
export interface RunContext {
  readonly command: Command;
  readonly plan: ChannelPlan;
  readonly apps: AppTable;
  readonly policy: AdmissionPolicy;
  readonly keys: ApiKeyTable;
  readonly config: Config;
  readonly services: Services;
}

/** One named input stage. */
export interface Stage {
  readonly name: string;
  run(step: Step, ctx: RunContext): Step | PipelineError | Promise<Step | PipelineError>;
}
