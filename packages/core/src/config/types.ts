/**
 * The shape of a loaded config: what config.schema.json accepts, after defaults are applied.
 * Every optional key of the file is filled from defaults.ts, so code reads these without
 * fallbacks. The loaded object is deep-frozen.
 */
import type { AppsConfig } from '../apps/registry.js';
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

/**
 * What a credential may run (DESIGN §12); an absent list allows everything of its kind. Apps by
 * trigger (`.e`), channels by name, named commands by name.
 */
export interface Grant {
  readonly apps?: readonly string[];
  readonly channels?: readonly ChannelName[];
  readonly commands?: readonly string[];
}

/** A password with the permissions it grants (an object entry of `pinAndShortcuts.passwords`). */
export interface PasswordEntry extends Grant {
  readonly password: string;
}

/** The filter settings of the pipeline; a channel's override the top-level ones key by key. */
export interface FiltersConfig {
  readonly pinAndShortcuts: {
    /** A string may run anything; an object only what it lists. */
    readonly passwords: readonly (string | PasswordEntry)[];
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
  /** Origins allowed to call the API from a browser (DESIGN §12); default none. */
  readonly cors: { readonly origins: readonly string[] };
  /** `/metrics` (DESIGN §13): off by default; `bearer` is the SHA-256 hex of its key. */
  readonly metrics: { readonly enabled: boolean; readonly bearer?: string };
  /** Streamed answers: what a client that goes away does to its command. */
  readonly stream: { readonly onDisconnect: 'finish' | 'stop' };
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

/** One argument of a named command: a value must match `pattern` (whole) or be in `enum`. */
export interface CommandArgConfig {
  readonly pattern?: string;
  readonly enum?: readonly string[];
  /** When absent the argument is required. */
  readonly default?: string;
  readonly description?: string;
}

/** A named command (DESIGN §12): a program with fixed argv, arguments substituted whole. */
export interface NamedCommandConfig {
  /** The program and its argv; `{name}` stands for the argument `name`. An absolute path after loading. */
  readonly run: readonly string[];
  /** Its arguments, in positional order for `.x NAME ARG ...`. */
  readonly args: Readonly<Record<string, CommandArgConfig>>;
  /** Absent: the channel's timeout. */
  readonly timeoutSec?: number;
  /** Sources that may run it (IPs, CIDRs, phone numbers, chat ids); empty: any. */
  readonly sources: readonly string[];
  /** A budget for this command across all callers; absent: none beyond the channel's. */
  readonly rateLimit?: RateLimitConfig;
  readonly enabled: boolean;
  readonly description: string;
}

/** An API key (DESIGN §12): only its SHA-256 is kept; what it may run; from where; how often. */
export interface ApiKeyConfig {
  /** Lower-case hex SHA-256 of the key. */
  readonly sha256: string;
  /** Apps the key may run; default `[".x"]`: named commands only. */
  readonly apps: readonly string[];
  /** Named commands the key may run; absent: every one. */
  readonly commands?: readonly string[];
  /** Sources the key is accepted from; empty: any. */
  readonly sources: readonly string[];
  readonly rateLimit: RateLimitConfig;
}

/** `maintenance` (DESIGN §12). */
export interface MaintenanceConfig {
  /** Maintenance at start-up and after a reload that changes this value. */
  readonly enabled: boolean;
  /** Sources that still pass while it is on. */
  readonly allow: readonly string[];
}

/** `control` (DESIGN §12). */
export interface ControlConfig {
  /** The control socket's path (mode 0600). */
  readonly socket: string;
}

/** `state` (DESIGN §16): where the security state lives. */
export interface StateConfig {
  readonly store: 'memory' | 'redis';
  /** Present (with its url) whenever store is "redis". */
  readonly redis?: {
    /** May hold a password: never logged. */
    readonly url: string;
    readonly keyPrefix: string;
  };
}

/** `monitor` block (DESIGN §14): present means on. */
export interface MonitorConfig {
  /** Seconds between two samples. */
  readonly intervalSec: number;
  /** How much history the ring keeps for `.e chart`. */
  readonly historyHours: number;
  /** A figure at or above its threshold for two samples in a row raises an alert. */
  readonly thresholds: {
    readonly cpuPercent: number;
    readonly memoryPercent: number;
    /** Per mount. */
    readonly diskPercent: number;
    /** The 1-minute load average divided by the number of CPUs. */
    readonly load1PerCore: number;
  };
  readonly notify: {
    /** Chats the Telegram channel sends alerts to; they may also ask `/stat`. */
    readonly telegramChatIds: readonly number[];
    /** Addresses alerts are mailed to, through the outbox. */
    readonly mail: readonly string[];
  };
}

/** The whole loaded config. */
export interface Config {
  readonly filters: FiltersConfig;
  /** Each app's settings, typed from the app registry. */
  readonly apps: AppsConfig;
  readonly mail: MailConfig;
  readonly limits: LimitsConfig;
  readonly commands: Readonly<Record<string, NamedCommandConfig>>;
  readonly apiKeys: Readonly<Record<string, ApiKeyConfig>>;
  readonly maintenance: MaintenanceConfig;
  readonly control: ControlConfig;
  readonly state: StateConfig;
  /** Absent: no monitor runs. */
  readonly monitor?: MonitorConfig;
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
