/**
 * THE one place for config defaults. The schema copies them into `default` annotations for
 * editors; applyDefaults() fills them in at load; effectiveFilters() merges filter layers.
 */
import type { App } from '../apps/app.js';
import { CHANNELS, type ChannelName } from '../command.js';
import { isPlainObject } from './json-path.js';
import type {
  ControlConfig,
  Config,
  FiltersConfig,
  FiltersOverride,
  HttpConfig,
  LimitsConfig,
  MailConfig,
  MaintenanceConfig,
  MonitorConfig,
  SmtpConfig,
  TelegramConfig,
  TwilioConfig,
} from './types.js';

/** Top-level filters: the pipeline's settings for every channel unless a channel overrides. */
export const FILTERS_DEFAULTS: FiltersConfig = deepFreeze({
  pinAndShortcuts: { passwords: [], shortcuts: {} },
  translateSequences: { sequences: [] },
  lintText: {
    trimSpaces: true,
    compressToSingleLine: false,
    keepVisible7BitCharOnly: false,
    compressSpaces: false,
    beginPosition: 0,
    maxLength: 4096,
  },
  notifyViaEmail: { recipients: [] },
});

/** `mail` without a relay: mail waits in the outbox until `mail.smtp` is configured. */
export const MAIL_DEFAULTS: Omit<MailConfig, 'smtp'> = deepFreeze({
  from: 'switchboard@localhost',
  outbox: './data/outbox',
  retry: { initialSec: 30, maxHours: 48 },
});

/** `mail.smtp.secure`; the port follows it (465 implicit TLS, else 587 submission, RFC 8314). */
export const MAIL_SMTP_DEFAULTS = deepFreeze({ secure: false, port: 587, securePort: 465 });

/** `limits` (DESIGN §6). */
export const LIMITS_DEFAULTS: LimitsConfig = deepFreeze({
  commandsPerSecond: 1000,
  failedLoginsBeforeBan: 5,
  failedLoginWindowSec: 600,
  banSec: 3600,
  knownSourceDays: 30,
  reservedForKnownSources: 0.5,
});

/** `maintenance` (DESIGN §12): off, nobody let through. */
export const MAINTENANCE_DEFAULTS: MaintenanceConfig = deepFreeze({ enabled: false, allow: [] });

/** `control` (DESIGN §12). */
export const CONTROL_DEFAULTS: ControlConfig = deepFreeze({ socket: './data/control.sock' });

/** `state` (DESIGN §16): in memory; on Redis, keys start with the prefix. */
export const STATE_DEFAULTS = deepFreeze({
  store: 'memory',
  redisKeyPrefix: 'switchboard:',
} as const);

/** Keys a named command entry gets when it leaves them out. */
export const COMMAND_DEFAULTS = deepFreeze({
  args: {},
  sources: [],
  enabled: true,
  description: '',
});

/** Keys an API key entry gets when it leaves them out: named commands only, 10 a second. */
export const API_KEY_DEFAULTS = deepFreeze({
  apps: ['.x'],
  sources: [],
  rateLimit: { requests: 10, perSec: 1 },
});

/** `monitor` (DESIGN §14); applied only when the block is present: an absent one is off. */
export const MONITOR_DEFAULTS: MonitorConfig = deepFreeze({
  intervalSec: 60,
  historyHours: 24,
  thresholds: { cpuPercent: 90, memoryPercent: 90, diskPercent: 90, load1PerCore: 2 },
  notify: { telegramChatIds: [], mail: [] },
});

/** Defaults of each channel block; they apply only when the block is present in the file. */
export const CHANNEL_DEFAULTS: {
  readonly http: Omit<HttpConfig, 'tls'>;
  readonly smtp: SmtpConfig;
  readonly telegram: Omit<TelegramConfig, 'token' | 'webhook'>;
  readonly twilio: Omit<TwilioConfig, 'authToken' | 'publicUrl'>;
} = deepFreeze({
  http: {
    enabled: true,
    filters: {},
    listen: '127.0.0.1:8080',
    basePath: '',
    trustProxy: [],
    cors: { origins: [] },
    stream: { onDisconnect: 'finish' },
    metrics: { enabled: false },
    rateLimit: { requests: 10, perSec: 1 },
    timeoutSec: 30,
  },
  smtp: {
    enabled: true,
    filters: {},
    listen: '127.0.0.1:2525',
    myDomains: [],
    forwardTo: [],
    maxMessageBytes: 10_485_760,
    rateLimit: { requests: 4, perSec: 1 },
    timeoutSec: 60,
  },
  telegram: {
    enabled: true,
    filters: {},
    apiRoot: 'https://api.telegram.org',
    allowedChatIds: [],
    rateLimit: { requests: 2, perSec: 5 },
    timeoutSec: 30,
  },
  twilio: {
    enabled: true,
    filters: {},
    rateLimit: { requests: 1, perSec: 10 },
    timeoutSec: 12,
    greeting: 'Switchboard. Enter your command, then press hash.',
  },
});

/**
 * Filter settings a channel brings by itself, between the top-level filters and the channel's
 * own `filters` block: SMS and speech are short, 7-bit and single-line (DESIGN §4 twilio).
 */
export const CHANNEL_FILTER_DEFAULTS: Readonly<Record<ChannelName, FiltersOverride>> = deepFreeze({
  http: {},
  smtp: {},
  telegram: {},
  twilio: {
    lintText: {
      maxLength: 160,
      compressToSingleLine: true,
      keepVisible7BitCharOnly: true,
      compressSpaces: true,
    },
  },
});

/**
 * Fills every optional key of a schema-valid file (deep merge: defaults ← file). Objects merge
 * key by key; arrays and scalars from the file replace the default whole. A channel block gets
 * defaults only when present: an absent block stays absent (that channel is not started).
 * `"$schema"` is dropped: it is for editors only. Each app's settings default to its own
 * `settings.defaults`.
 */
export function applyDefaults(
  raw: Readonly<Record<string, unknown>>,
  apps: readonly App[],
): Config {
  const out: Record<string, unknown> = {
    filters: merge(FILTERS_DEFAULTS, raw.filters),
    apps: merge(appsDefaults(apps), raw.apps),
    mail: mergeMail(raw.mail),
    limits: merge(LIMITS_DEFAULTS, raw.limits),
    commands: mergeEach(COMMAND_DEFAULTS, raw.commands),
    apiKeys: mergeEach(API_KEY_DEFAULTS, raw.apiKeys),
    maintenance: merge(MAINTENANCE_DEFAULTS, raw.maintenance),
    control: merge(CONTROL_DEFAULTS, raw.control),
    state: mergeState(raw.state),
    referencedEnv: [],
  };
  if (raw.monitor !== undefined) out.monitor = merge(MONITOR_DEFAULTS, raw.monitor);
  for (const channel of CHANNELS) {
    const block = raw[channel];
    if (block !== undefined) out[channel] = merge(CHANNEL_DEFAULTS[channel], block);
  }
  // The schema has checked every key and type, so the merged object is a Config.
  return out as unknown as Config;
}

/** Config `apps` of a file that leaves it out: every app's defaults at its key. */
export function appsDefaults(apps: readonly App[]): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const { settings } of apps)
    if (settings !== undefined) out[settings.key] = settings.defaults;
  return out;
}

function mergeState(raw: unknown): unknown {
  const state = merge({ store: STATE_DEFAULTS.store }, raw);
  if (!isPlainObject(state) || !isPlainObject(state.redis)) return state;
  return { ...state, redis: { keyPrefix: STATE_DEFAULTS.redisKeyPrefix, ...state.redis } };
}

function mergeMail(raw: unknown): unknown {
  const mail = merge(MAIL_DEFAULTS, raw);
  if (!isPlainObject(mail) || !isPlainObject(mail.smtp)) return mail;
  const secure = mail.smtp.secure ?? MAIL_SMTP_DEFAULTS.secure;
  const port = secure === true ? MAIL_SMTP_DEFAULTS.securePort : MAIL_SMTP_DEFAULTS.port;
  return { ...mail, smtp: { secure, port, ...mail.smtp } };
}

/**
 * The filter settings a channel runs with. Three layers, later wins, merged key by key inside
 * each filter: top-level `filters` ← the channel's built-in defaults (CHANNEL_FILTER_DEFAULTS)
 * ← the channel's own `filters` block. Values replace whole: a channel's
 * `pinAndShortcuts.passwords` replaces the top-level list (it is not appended to), and a channel
 * that sets only `lintText.maxLength` keeps every other lintText key from the layers below.
 */
export function effectiveFilters(config: Config, channel: ChannelName): FiltersConfig {
  const builtIn = CHANNEL_FILTER_DEFAULTS[channel];
  const own = config[channel]?.filters ?? {};
  const top = config.filters;
  return deepFreeze({
    pinAndShortcuts: {
      ...top.pinAndShortcuts,
      ...builtIn.pinAndShortcuts,
      ...own.pinAndShortcuts,
    },
    translateSequences: {
      ...top.translateSequences,
      ...builtIn.translateSequences,
      ...own.translateSequences,
    },
    lintText: { ...top.lintText, ...builtIn.lintText, ...own.lintText },
    notifyViaEmail: { ...top.notifyViaEmail, ...builtIn.notifyViaEmail, ...own.notifyViaEmail },
  });
}

/** Each entry of a name → object map merged over the same defaults. */
function mergeEach(defaults: unknown, raw: unknown): unknown {
  if (!isPlainObject(raw)) return {};
  return Object.fromEntries(
    Object.entries(raw).map(([name, entry]) => [name, merge(defaults, entry)]),
  );
}

/** Deep merge for JSON values: objects key by key, anything else from `over` when defined. */
function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  // fromEntries and spread define own properties: a "__proto__" key stays a plain key.
  const merged = Object.entries(over).map(([key, value]) => [
    key,
    merge(Object.hasOwn(base, key) ? base[key] : undefined, value),
  ]);
  return { ...base, ...Object.fromEntries(merged) };
}

/** Freezes a JSON value and everything inside it; returns it for chaining. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
