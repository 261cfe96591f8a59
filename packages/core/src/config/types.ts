/**
 * The shape of a loaded config: what config.schema.json accepts, after defaults are applied.
 * Every optional key of the file is filled from defaults.ts, so code reads these without
 * fallbacks. The loaded object is deep-frozen.
 */
import type { ChannelName } from '../command.js';

/** lintText settings (DESIGN §2 stage 9). */
export interface LintTextConfig {
  readonly trimSpaces: boolean;
  readonly compressToSingleLine: boolean;
  readonly keepVisible7BitCharOnly: boolean;
  readonly compressSpaces: boolean;
  /** Characters dropped from the start of the output. */
  readonly beginPosition: number;
  /** Characters kept; 0 means no limit. */
  readonly maxLength: number;
}

/** The filter settings of the pipeline; a channel's override the top-level ones key by key. */
export interface FiltersConfig {
  readonly pinAndShortcuts: {
    readonly passwords: readonly string[];
    readonly shortcuts: Readonly<Record<string, string>>;
  };
  readonly translateSequences: { readonly sequences: readonly (readonly [string, string])[] };
  readonly lintText: LintTextConfig;
  readonly notifyViaEmail: { readonly recipients: readonly string[] };
}

/** A filters block as written in a file: every key optional, merged over the defaults. */
export interface FiltersOverride {
  readonly pinAndShortcuts?: Partial<FiltersConfig['pinAndShortcuts']>;
  readonly translateSequences?: Partial<FiltersConfig['translateSequences']>;
  readonly lintText?: Partial<LintTextConfig>;
  readonly notifyViaEmail?: Partial<FiltersConfig['notifyViaEmail']>;
}

/** Per-source rate limit of a channel. */
export interface RateLimitConfig {
  readonly requests: number;
  readonly perSec: number;
}

/** What every channel block has. */
export interface ChannelCommon {
  readonly enabled: boolean;
  /** The channel's own filter overrides, as written; see effectiveFilters(). */
  readonly filters: FiltersOverride;
  readonly rateLimit: RateLimitConfig;
  readonly timeoutSec: number;
}

/** `http` block. */
export interface HttpConfig extends ChannelCommon {
  readonly listen: string;
  readonly basePath: string;
  readonly trustProxy: readonly string[];
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** `smtp` block. */
export interface SmtpConfig extends ChannelCommon {
  readonly listen: string;
  readonly myDomains: readonly string[];
  readonly forwardTo: readonly string[];
  readonly maxMessageBytes: number;
  /** Offer STARTTLS with these PEM files; absent: plain SMTP only. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** `telegram` block. */
export interface TelegramConfig extends ChannelCommon {
  readonly token: string;
  readonly apiRoot: string;
  readonly allowedChatIds: readonly number[];
  readonly webhook?: {
    readonly path: string;
    readonly secretToken: string;
    /** Public https URL Telegram calls; when set, the channel registers it with setWebhook. */
    readonly url?: string;
  };
}

/** `twilio` block. */
export interface TwilioConfig extends ChannelCommon {
  readonly authToken: string;
  readonly publicUrl: string;
  readonly greeting: string;
}

/** `mail` block: the relay for every outgoing mail, and the outbox. */
export interface MailConfig {
  /** Absent: no relay configured; mail waits in the outbox and `.m` is disabled. */
  readonly smtp?: {
    readonly host: string;
    readonly port: number;
    readonly secure: boolean;
    readonly auth?: { readonly user: string; readonly pass: string };
  };
  readonly from: string;
  readonly outbox: string;
  readonly retry: { readonly initialSec: number; readonly maxHours: number };
}

/** `limits` block (DESIGN §6). */
export interface LimitsConfig {
  readonly commandsPerSecond: number;
  readonly failedLoginsBeforeBan: number;
  readonly failedLoginWindowSec: number;
  readonly banSec: number;
  /** How long a source that authenticated stays known (DESIGN §10). */
  readonly knownSourceDays: number;
  /** Share of `commandsPerSecond` kept for known sources, 0 to 0.9. */
  readonly reservedForKnownSources: number;
}

/** `apps` block: each app's own settings. */
export interface AppsConfig {
  readonly shell: {
    readonly unrestricted: boolean;
    readonly interpreter?: string;
    /** What a time limit reaches (DESIGN §11); unset: "pidns" where it works, else "group". */
    readonly contain?: 'pidns' | 'group';
    /** What a command's environment gets beyond the base variables (DESIGN §11). */
    readonly env: {
      readonly pass: readonly string[];
      readonly set: Readonly<Record<string, string>>;
    };
  };
  readonly environment: Readonly<Record<string, never>>;
  readonly twoFA: { readonly accounts: Readonly<Record<string, string>> };
  readonly sendMail: Readonly<Record<string, never>>;
}

/** The whole loaded config. */
export interface Config {
  readonly filters: FiltersConfig;
  readonly apps: AppsConfig;
  readonly mail: MailConfig;
  readonly limits: LimitsConfig;
  /**
   * Not a key of the file: the names of the environment variables it referenced through
   * `${ENV}`, filled in by the loader. They may hold secrets, so no program gets them (§11).
   */
  readonly referencedEnv: readonly string[];
  readonly http?: HttpConfig;
  readonly smtp?: SmtpConfig;
  readonly telegram?: TelegramConfig;
  readonly twilio?: TwilioConfig;
}

/** The config block of a channel, by name. */
export type ChannelConfig<C extends ChannelName> = NonNullable<Config[C]>;
