/**
 * The schema of the keys for tools and scripts (DESIGN §12): named commands, API keys,
 * password permissions, maintenance, the control socket and CORS.
 */
import { CHANNELS } from '../command.js';
import { API_KEY_DEFAULTS, CONTROL_DEFAULTS, MAINTENANCE_DEFAULTS } from './defaults.js';
import { arr, bool, EXPECT_KEYWORD, int, obj, str, type JsonSchema } from './schema-builders.js';

/** Names of named commands and API keys: what a URL path segment and a word of `.x` can hold. */
export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
const NAME_EXPECT = 'letters, digits, - and _ (up to 64, starting with a letter or digit)';
const TRIGGER = { pattern: '^\\.[A-Za-z0-9]+$', [EXPECT_KEYWORD]: 'an app trigger like ".x"' };

const names = (description: string, items: JsonSchema): JsonSchema => ({
  ...arr(description, items),
  uniqueItems: true,
});

const sources = (description: string): JsonSchema =>
  names(
    description,
    str('An IP address, a CIDR range, a phone number (+15551234567) or a Telegram chat id.', {
      minLength: 1,
    }),
  );

const rateLimit = (description: string, def?: unknown): JsonSchema => ({
  ...obj(
    description,
    {
      requests: int('Requests allowed per window.', 1),
      perSec: int('Window length in seconds.', 1),
    },
    ['requests', 'perSec'],
  ),
  default: def,
});

/** The permission lists of a password entry or an API key. */
function grantProperties(): { apps: JsonSchema; channels: JsonSchema; commands: JsonSchema } {
  return {
    apps: names('Apps it may run, by trigger; absent: every app.', str('A trigger.', TRIGGER)),
    channels: names(
      'Channels it works on; absent: every channel.',
      str('A channel name.', { enum: [...CHANNELS] }),
    ),
    commands: names(
      'Named commands it may run (with .x); absent: every one.',
      str('A command name.', { pattern: NAME_PATTERN, [EXPECT_KEYWORD]: NAME_EXPECT }),
    ),
  };
}

/** An item of `pinAndShortcuts.passwords`: a string, or an object with its permissions. */
export function passwordEntrySchema(): JsonSchema {
  return {
    type: ['string', 'object'],
    description:
      'A password of 7+ characters, or {"password": ..., "apps": [...], "channels": [...], "commands": [...]} to limit what it may run.',
    minLength: 7,
    additionalProperties: false,
    properties: {
      password: str('The password, at least 7 characters.', { minLength: 7 }),
      ...grantProperties(),
    },
    required: ['password'],
  };
}

function argSchema(): JsonSchema {
  return obj('One argument; a value must match its pattern or be one of its enum.', {
    pattern: str('A regular expression the whole value must match (JavaScript syntax).', {
      minLength: 1,
    }),
    enum: names('The values allowed.', str('A value.')),
    default: str('Used when the argument is not given; without one the argument is required.'),
    description: str('What the argument is, for GET /api/commands and the API docs.'),
  });
}

/** `commands`: named commands by name. */
export function commandsSchema(): JsonSchema {
  return {
    type: 'object',
    description:
      'Named commands (DESIGN §12): a program with a fixed argument list, run by name with .x or POST /api/commands/{name}.',
    propertyNames: { pattern: NAME_PATTERN, [EXPECT_KEYWORD]: NAME_EXPECT },
    additionalProperties: obj(
      'One named command.',
      {
        run: {
          ...arr(
            'The program and its arguments; an element "{name}" (or containing it) takes argument name, always as one argument, never through a shell.',
            str('A program path or name, or an argument.'),
          ),
          minItems: 1,
        },
        args: {
          type: 'object',
          description: 'Its arguments by name, in positional order for .x NAME ARG ...',
          propertyNames: {
            pattern: '^[A-Za-z_][A-Za-z0-9_]{0,31}$',
            [EXPECT_KEYWORD]: 'a name of letters, digits and _',
          },
          additionalProperties: argSchema(),
        },
        timeoutSec: int('Its timeout; default the channel timeout.', 1),
        sources: sources('Sources that may run it; empty or absent: any.'),
        rateLimit: rateLimit('Runs allowed across all callers; absent: no limit of its own.'),
        enabled: bool('Whether it can run.', true),
        description: str('What it does, for GET /api/commands and the API docs.'),
      },
      ['run'],
    ),
    default: {},
  };
}

/** `apiKeys`: keys by name, each stored as its SHA-256. */
export function apiKeysSchema(): JsonSchema {
  const grants = grantProperties();
  return {
    type: 'object',
    description:
      'API keys for Authorization: Bearer (DESIGN §12); `switchboard key new NAME` makes one.',
    propertyNames: { pattern: NAME_PATTERN, [EXPECT_KEYWORD]: NAME_EXPECT },
    additionalProperties: obj(
      'One key.',
      {
        sha256: str('Hex SHA-256 of the key (the key itself is never in the config).', {
          pattern: '^[0-9a-fA-F]{64}$',
          [EXPECT_KEYWORD]: '64 hex digits (the SHA-256 of the key)',
        }),
        apps: {
          ...grants.apps,
          description: 'Apps it may run; default [".x"].',
          default: API_KEY_DEFAULTS.apps,
        },
        commands: grants.commands,
        sources: sources('Sources it is accepted from; empty or absent: any.'),
        rateLimit: rateLimit('Requests allowed with this key.', API_KEY_DEFAULTS.rateLimit),
      },
      ['sha256'],
    ),
    default: {},
  };
}

/** `maintenance`. */
export function maintenanceSchema(): JsonSchema {
  return obj('Maintenance mode: everything but /healthz and the allowed sources is refused.', {
    enabled: bool(
      'On at start-up (and after a reload that changes it).',
      MAINTENANCE_DEFAULTS.enabled,
    ),
    allow: sources('Sources that still pass.'),
  });
}

/** `control`. */
export function controlSchema(): JsonSchema {
  return obj('The control socket of `switchboard ctl`.', {
    socket: str('Path of the Unix socket (mode 0600); relative to the config file.', {
      minLength: 1,
      default: CONTROL_DEFAULTS.socket,
    }),
  });
}

/** `http.stream`. */
export function streamSchema(): JsonSchema {
  return obj('Streamed answers (Accept: application/x-ndjson).', {
    onDisconnect: str(
      'A client that goes away mid-stream: "finish" lets the command run to its end (its timeout still holds), "stop" stops it.',
      { enum: ['finish', 'stop'], default: 'finish' },
    ),
  });
}

/** `http.metrics`. */
export function metricsSchema(): JsonSchema {
  return obj('Prometheus metrics at /metrics.', {
    enabled: bool('Serve /metrics.', false),
    bearer: str('Hex SHA-256 of the key a scraper sends as Authorization: Bearer; absent: open.', {
      pattern: '^[0-9a-fA-F]{64}$',
      [EXPECT_KEYWORD]: '64 hex digits (the SHA-256 of the key)',
    }),
  });
}

/** `http.cors`. */
export function corsSchema(): JsonSchema {
  return obj('Cross-origin calls from browsers (userscripts, dashboards).', {
    origins: names(
      'Origins allowed, e.g. "https://example.com"; default none.',
      str('An origin: scheme, host and port, no path.', {
        pattern: '^https?://[^/\\s]+$',
        [EXPECT_KEYWORD]: 'an origin like https://example.com',
      }),
    ),
  });
}
