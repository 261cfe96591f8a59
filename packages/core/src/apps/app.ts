/**
 * The app interface (DESIGN §3): one object per app, one file per app, one registry line.
 */
import type { Attachment, Command } from '../command.js';
import type { Config, Grant } from '../config/types.js';
import type { PipelineError } from '../errors.js';
import type { JsonSchema } from '../config/schema-builders.js';
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

/**
 * An app's own settings, under config `apps.<key>`: everything about them lives in the app's
 * file, and the config type, schema and defaults are derived from the registry (DESIGN §15).
 */
export interface AppSettings<K extends string, C> {
  /** The key under config `apps`. */
  readonly key: K;
  /** JSON Schema of `apps.<key>`: a closed object, every key described. */
  readonly schema: JsonSchema;
  /** What a file that leaves keys out gets, merged key by key under what it has. */
  readonly defaults: C;
  /**
   * The settings with the file paths they hold made absolute by `resolve` (a relative path is
   * from the config file's folder); for an app whose settings name files.
   */
  resolvePaths?(settings: C, resolve: (path: string) => string): C;
  /**
   * The settings with the state paths that `given` (the app's block as written, if any) leaves
   * out placed in `dir`, the state folder of `$STATE_DIRECTORY`; for an app that keeps state.
   */
  inStateDirectory?(settings: C, given: unknown, dir: string): C;
}

/** The settings of an app that has none (yet): an empty, closed object. */
export type NoSettings = Readonly<Record<string, never>>;
export const NO_SETTINGS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {},
};

/** What docs/apps.md's table says of an app beside its trigger and name. */
export interface AppDocs {
  /** When the app is enabled, e.g. "always" or "when `mail.smtp` is set". */
  readonly enabled: string;
  /** Where it is configured when not under `apps` (e.g. `commands`). */
  readonly configKey?: string;
}

/**
 * One app, `C` the type of its settings and `K` their key under config `apps` (no settings:
 * both `never`). Throw AppError for a user-facing failure without output.
 */
export interface App<C = unknown, K extends string = string> {
  /** E.g. `.s`; matched case-insensitively at the start of the command. */
  readonly trigger: string;
  readonly name: string;
  /** Input hidden as `<hidden>` in logs and notification subjects. */
  readonly sensitive?: boolean;
  /** Absent for an app without settings. */
  readonly settings?: AppSettings<K, C>;
  readonly docs: AppDocs;
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

/**
 * Declares an app. Annotate the constant with its settings type and key
 * (`export const shellApp: App<ShellSettings, 'shell'> = defineApp({...})`): config `apps` is
 * typed from the registry, so a type inferred from the app's own code would be circular.
 */
export function defineApp<C = never, K extends string = never>(app: App<C, K>): App<C, K> {
  return app;
}

/** Config `apps` for an app list: each app's settings type at its key. */
export type SettingsOf<A extends readonly App[]> = {
  readonly [P in A[number] as KeyOf<P>]: P extends App<infer C> ? C : never;
};
type KeyOf<P> = P extends App<unknown, infer K> ? K : never;
