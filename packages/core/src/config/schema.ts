/**
 * The JSON Schema (draft-07) of the config file. It is the single description of every key:
 * the loader validates with it, and `npm run schema` ships it as config.schema.json so editors
 * autocomplete through `"$schema"`. Every object is closed (`additionalProperties: false`) so a
 * misspelt key is an error, not a silently ignored setting.
 */
import type { App } from '../apps/app.js';
import {
  CHANNEL_DEFAULTS,
  FILTERS_DEFAULTS,
  LIMITS_DEFAULTS,
  MAIL_DEFAULTS,
  MAIL_SMTP_DEFAULTS,
  MONITOR_DEFAULTS,
} from './defaults.js';
import {
  arr,
  bool,
  email,
  httpUrl,
  listen,
  EXPECT_KEYWORD,
  int,
  obj,
  str,
  type JsonSchema,
} from './schema-builders.js';
import {
  apiKeysSchema,
  commandsSchema,
  controlSchema,
  corsSchema,
  maintenanceSchema,
  metricsSchema,
  passwordEntrySchema,
  streamSchema,
} from './tools-schema.js';
import { stateSchema } from './state-schema.js';

export { EXPECT_KEYWORD, LISTEN_PATTERN, type JsonSchema } from './schema-builders.js';

/** `filters` at the top level (with defaults) or in a channel (every key inherits). */
function filtersSchema(topLevel: boolean): JsonSchema {
  const d = topLevel ? FILTERS_DEFAULTS : undefined;
  const lint = d?.lintText;
  return obj(
    topLevel
      ? 'Pipeline filters for every channel; a channel may override them key by key.'
      : "This channel's filter overrides, merged key by key over the top-level filters.",
    {
      pinAndShortcuts: obj('Who may run commands: passwords and fixed shortcut lines.', {
        passwords: arr(
          'Passwords (7+ characters); a command line starts with one, e.g. "mypassword.s date".',
          passwordEntrySchema(),
          d?.pinAndShortcuts.passwords,
        ),
        shortcuts: {
          type: 'object',
          description: 'Whole input lines that run a fixed command without a password.',
          propertyNames: { type: 'string', minLength: 1 },
          additionalProperties: str('The command to run, e.g. ".s uptime".', { minLength: 1 }),
          default: d?.pinAndShortcuts.shortcuts,
        },
      }),
      translateSequences: obj('Text replacements applied to the command, in order.', {
        sequences: arr(
          'Pairs [from, to]; every "from" is replaced by "to" everywhere.',
          {
            type: 'array',
            description: 'One [from, to] pair.',
            items: [str('Text to find.'), str('Its replacement.')],
            minItems: 2,
            maxItems: 2,
            additionalItems: false,
          },
          d?.translateSequences.sequences,
        ),
      }),
      lintText: obj('How the output is cleaned and cut before it is sent back.', {
        trimSpaces: bool('Trim each line, then the whole output.', lint?.trimSpaces),
        compressToSingleLine: bool('Replace line breaks with ";".', lint?.compressToSingleLine),
        keepVisible7BitCharOnly: bool(
          'Replace characters outside printable 7-bit ASCII with "?".',
          lint?.keepVisible7BitCharOnly,
        ),
        compressSpaces: bool('Turn runs of spaces and tabs into one space.', lint?.compressSpaces),
        beginPosition: int('Drop this many leading characters.', 0, undefined, lint?.beginPosition),
        maxLength: int(
          'Keep at most this many characters; 0: no limit.',
          0,
          undefined,
          lint?.maxLength,
        ),
      }),
      notifyViaEmail: obj('Mail a copy of each command and its result.', {
        recipients: arr(
          'Addresses that get a notification; needs mail.smtp.',
          email('An e-mail address.'),
          d?.notifyViaEmail.recipients,
        ),
      }),
    },
  );
}

type ChannelKey = keyof typeof CHANNEL_DEFAULTS;

/** Keys every channel block has: enabled, filters, rateLimit, timeoutSec. */
function channelCommon(channel: ChannelKey): Record<string, JsonSchema> {
  const d = CHANNEL_DEFAULTS[channel];
  return {
    enabled: bool('A present block is on unless this is false.', d.enabled),
    filters: filtersSchema(false),
    rateLimit: obj(
      'Commands allowed per source (IP, phone, chat, sender) per time window.',
      {
        requests: int('Commands per window.', 1, undefined, d.rateLimit.requests),
        perSec: {
          type: 'number',
          description: 'Window length in seconds.',
          minimum: 1,
          default: d.rateLimit.perSec,
        },
      },
      ['requests', 'perSec'],
    ),
    timeoutSec: int('Seconds a command may run before it is stopped.', 1, 3600, d.timeoutSec),
  };
}

function channelsSchema(): Record<string, JsonSchema> {
  const { http, smtp, telegram, twilio } = CHANNEL_DEFAULTS;
  return {
    http: obj('Web form and JSON API (also hosts the twilio and telegram webhooks).', {
      ...channelCommon('http'),
      listen: listen('Address to listen on.', http.listen),
      basePath: str('URL prefix when served under a path, e.g. "/switchboard".', {
        pattern: '^(?:/[^/?#\\s]+)*$',
        [EXPECT_KEYWORD]: '"" or a path like /switchboard (no trailing /)',
        default: http.basePath,
      }),
      trustProxy: arr(
        'Reverse proxies whose X-Forwarded-For is believed: IPs, CIDRs or "loopback".',
        str('An IP address, a CIDR range, or loopback / linklocal / uniquelocal.', {
          pattern: '^(?:loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(?:/\\d{1,3})?)$',
          [EXPECT_KEYWORD]: 'an IP address, a CIDR range or "loopback"',
        }),
        http.trustProxy,
      ),
      cors: corsSchema(),
      stream: streamSchema(),
      metrics: metricsSchema(),
      tls: obj(
        'Serve HTTPS with these PEM files.',
        {
          cert: str('Certificate chain file (PEM).', { minLength: 1 }),
          key: str('Private key file (PEM).', { minLength: 1 }),
        },
        ['cert', 'key'],
      ),
    }),
    smtp: obj('Mail daemon: runs commands mailed to it, forwards other mail.', {
      ...channelCommon('smtp'),
      listen: listen('Address to listen on.', smtp.listen),
      myDomains: arr(
        'Domains to accept mail for; mail to others is refused (550).',
        str('A domain name.', { format: 'hostname', [EXPECT_KEYWORD]: 'a domain name' }),
        smtp.myDomains,
      ),
      forwardTo: arr(
        'Where mail without a command is forwarded; needs mail.smtp.',
        email('An e-mail address.'),
        smtp.forwardTo,
      ),
      maxMessageBytes: int('Largest mail accepted, in bytes.', 1, undefined, smtp.maxMessageBytes),
      tls: obj(
        'Offer STARTTLS with these PEM files (read at start).',
        {
          cert: str('Certificate chain file (PEM).', { minLength: 1 }),
          key: str('Private key file (PEM).', { minLength: 1 }),
        },
        ['cert', 'key'],
      ),
    }),
    telegram: obj('Telegram bot.', {
      ...channelCommon('telegram'),
      token: str('Bot token from @BotFather (required).', { minLength: 1 }),
      apiRoot: httpUrl('Bot API server.', telegram.apiRoot),
      allowedChatIds: arr(
        'If not empty, only these chats get answers.',
        { type: 'integer', description: 'A chat id.' },
        telegram.allowedChatIds,
      ),
      webhook: obj(
        'Receive updates by webhook on the http channel instead of long polling.',
        {
          path: str('Path on the http channel, e.g. "/telegram/hook".', {
            pattern: '^/[^?#\\s]*$',
            [EXPECT_KEYWORD]: 'a path starting with /',
          }),
          secretToken: str(
            'Secret Telegram sends in each request (16 to 256 of A-Z a-z 0-9 _ -).',
            {
              pattern: '^[A-Za-z0-9_-]{16,256}$',
              [EXPECT_KEYWORD]: '16 to 256 characters from A-Z, a-z, 0-9, _ and -',
            },
          ),
          url: str(
            'Public https URL Telegram calls (ends with path); if set, registered with setWebhook at start.',
            {
              format: 'uri',
              pattern: '^https://[^\\s]+$',
              [EXPECT_KEYWORD]: 'an https:// URL',
            },
          ),
        },
        ['path', 'secretToken'],
      ),
    }),
    twilio: obj('SMS and voice calls through Twilio webhooks on the http channel.', {
      ...channelCommon('twilio'),
      authToken: str('Twilio auth token, to check request signatures (required).', {
        minLength: 1,
      }),
      publicUrl: httpUrl('The public URL Twilio calls, without /twilio/... (required).'),
      greeting: str('Spoken when a call starts.', { minLength: 1, default: twilio.greeting }),
    }),
  };
}

function mailSchema(): JsonSchema {
  return obj('Outgoing mail: the relay and the outbox every mail goes through.', {
    smtp: obj(
      'The relay; without it mail waits in the outbox.',
      {
        host: str('Relay host name.', { minLength: 1 }),
        port: int('Relay port; default 465 when secure, else 587.', 1, 65535),
        secure: bool(
          'Implicit TLS (port 465); false uses STARTTLS when offered.',
          MAIL_SMTP_DEFAULTS.secure,
        ),
        auth: obj(
          'Login at the relay.',
          { user: str('User name.'), pass: str('Password; use ${ENV_NAME}.') },
          ['user', 'pass'],
        ),
      },
      ['host'],
    ),
    from: { ...email('Sender address of every mail.'), default: MAIL_DEFAULTS.from },
    outbox: str('Directory of mail waiting for delivery.', {
      minLength: 1,
      default: MAIL_DEFAULTS.outbox,
    }),
    retry: obj('Delivery retries with exponential backoff.', {
      initialSec: {
        type: 'number',
        description: 'First retry delay in seconds.',
        exclusiveMinimum: 0,
        default: MAIL_DEFAULTS.retry.initialSec,
      },
      maxHours: {
        type: 'number',
        description: 'Give up (move to failed/) after this many hours.',
        exclusiveMinimum: 0,
        default: MAIL_DEFAULTS.retry.maxHours,
      },
    }),
  });
}

function limitsSchema(): JsonSchema {
  const d = LIMITS_DEFAULTS;
  return obj('Global limits and the failed-login ban.', {
    commandsPerSecond: int(
      'Commands per second across all channels.',
      1,
      undefined,
      d.commandsPerSecond,
    ),
    failedLoginsBeforeBan: int(
      'Failed logins from one source before it is banned.',
      1,
      undefined,
      d.failedLoginsBeforeBan,
    ),
    failedLoginWindowSec: int(
      'Window in which failed logins are counted.',
      1,
      undefined,
      d.failedLoginWindowSec,
    ),
    banSec: int('How long a ban lasts.', 1, undefined, d.banSec),
    knownSourceDays: int(
      'How long a source that authenticated is remembered as known (days).',
      1,
      undefined,
      d.knownSourceDays,
    ),
    reservedForKnownSources: {
      type: 'number',
      description:
        'Share of commandsPerSecond kept for known sources, so a flood from unknown ones cannot starve the owner.',
      minimum: 0,
      maximum: 0.9,
      default: d.reservedForKnownSources,
    },
  });
}

function percent(description: string, def: number): JsonSchema {
  return { type: 'number', description, exclusiveMinimum: 0, maximum: 100, default: def };
}

function monitorSchema(): JsonSchema {
  const d = MONITOR_DEFAULTS;
  return obj('Server monitor: samples, threshold alerts and charts; absent means off.', {
    intervalSec: int('Seconds between two samples.', 1, 3600, d.intervalSec),
    historyHours: int('Hours of samples kept for charts.', 1, 168, d.historyHours),
    thresholds: obj('At or above a threshold for two samples in a row raises one alert.', {
      cpuPercent: percent('CPU busy, in percent of all CPUs.', d.thresholds.cpuPercent),
      memoryPercent: percent('Memory in use, in percent.', d.thresholds.memoryPercent),
      diskPercent: percent('Disk space in use on any mount, in percent.', d.thresholds.diskPercent),
      load1PerCore: {
        type: 'number',
        description: '1-minute load average per CPU.',
        exclusiveMinimum: 0,
        default: d.thresholds.load1PerCore,
      },
    }),
    notify: obj('Who gets alerts and recovery notices.', {
      telegramChatIds: arr(
        'Chats the telegram channel sends alerts to; they may also ask /stat.',
        { type: 'integer', description: 'A chat id.' },
        d.notify.telegramChatIds,
      ),
      mail: arr(
        'Addresses alerts are mailed to; needs mail.smtp.',
        email('An e-mail address.'),
        d.notify.mail,
      ),
    }),
  });
}

/** Builds the schema of the whole file; `apps` holds each app's settings schema at its key. */
export function buildConfigSchema(apps: readonly App[]): JsonSchema {
  const appProperties: Record<string, JsonSchema> = {};
  for (const { settings, trigger, name } of apps) {
    if (settings === undefined) continue;
    appProperties[settings.key] = {
      description: `Settings of the ${trigger} (${name}) app.`,
      ...settings.schema,
    };
  }
  // JSON.parse(JSON.stringify()) drops the `default: undefined` the helpers leave on keys
  // without a default, so the object equals the file written from it.
  return JSON.parse(
    JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Switchboard configuration',
      ...obj('Switchboard configuration file.', {
        $schema: str(
          'JSON Schema for editor autocompletion, e.g. "./packages/core/config.schema.json".',
        ),
        filters: filtersSchema(true),
        apps: obj('Settings of each app, by app.', appProperties),
        mail: mailSchema(),
        limits: limitsSchema(),
        commands: commandsSchema(),
        apiKeys: apiKeysSchema(),
        maintenance: maintenanceSchema(),
        control: controlSchema(),
        state: stateSchema(),
        monitor: monitorSchema(),
        ...channelsSchema(),
      }),
    }),
  ) as JsonSchema;
}
