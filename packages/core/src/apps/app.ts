/**
 * The app interface (DESIGN §3): one object per app, one file per app, one registry line.
 */
import type { Attachment, Command } from '../command.js';
import type { Config } from '../config/types.js';
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
  /** The key of this app's settings under config `apps`. */
  readonly configKey: string;
  /** JSON Schema of `apps.<configKey>`. */
  readonly configSchema: Readonly<Record<string, unknown>>;
  /** Whether the config enables this app. Disabled apps are unknown to dispatch. */
  isConfigured(config: Config): boolean;
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
