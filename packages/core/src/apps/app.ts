/**
 * The app interface (DESIGN §3): one object per app, one file per app, one registry line.
 */
import type { Attachment, Command } from '../command.js';
import type { Config, Grant } from '../config/types.js';
import type { PipelineError } from '../errors.js';
import type { Services } from '../services.js';

/** What an app gets besides its input. */
export interface AppContext {
  /** Fires at the command's timeout; pass it on to anything long. */
  readonly signal: AbortSignal;
  readonly timeoutSec: number;
  /** The command as received (channel and source tell who asked). */
  readonly command: Command;
  readonly config: Config;
  readonly services: Services;
  /** What the credential may run; undefined: anything. */
  readonly grant?: Grant;
  /** Output as it is produced, for a caller that streams it; apps that run programs pass it on. */
  readonly onOutput?: (chunk: Buffer) => void;
}

/** What an app's prepare() sees: who asks, with which permissions. */
export interface PrepareContext {
  readonly command: Command;
  /** What the credential may run; undefined: anything. */
  readonly grant: Grant | undefined;
  readonly config: Config;
  readonly services: Services;
}

/** What prepare() settles before the app runs. */
export interface AppPlan {
  /** The app's own timeout, in place of the channel's. */
  readonly timeoutSec?: number;
}

/** An app's answer: output, and an error text when it failed but still has output to show. */
export interface AppOutput {
  readonly output: string;
  readonly error?: string;
  /** A file for the channels that can carry one (Telegram, mail); the output describes it. */
  readonly attachment?: Attachment;
}

/** One app. Throw AppError for a user-facing failure without output. */
export interface App {
  /** E.g. `.s`; matched case-insensitively at the start of the command. */
  readonly trigger: string;
  readonly name: string;
  /** Input hidden as `<hidden>` in logs and notification subjects. */
  readonly sensitive?: boolean;
  /** The key of this app's settings under config `apps`; absent for an app without settings. */
  readonly configKey?: string;
  /** JSON Schema of `apps.<configKey>`. */
  readonly configSchema?: Readonly<Record<string, unknown>>;
  /** Whether the config enables this app. Disabled apps are unknown to dispatch. */
  isConfigured(config: Config): boolean;
  /**
   * The app's own checks before it runs, for what only it can tell (which named command, are
   * its arguments valid, may this caller run it): a refusal, or the plan to run with. A
   * refusal here is never notified and nothing runs.
   */
  prepare?(input: string, ctx: PrepareContext): Promise<PipelineError | AppPlan>;
  /**
   * Checks the app can work (e.g. its interpreter runs); throws with a clear message if not.
   * `signal` aborts it (the daemon was told to stop during start-up).
   */
  selfTest?(config: Config, signal?: AbortSignal): Promise<void>;
  execute(input: string, ctx: AppContext): Promise<string | AppOutput>;
}

/** Declares an app; the identity function gives type checking and one place to grep. */
export function defineApp(app: App): App {
  return app;
}
