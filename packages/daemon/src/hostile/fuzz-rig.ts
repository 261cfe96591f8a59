/**
 * Test support for the hostile-input suites (not exported; not a test file itself): one
 * `switchboard run` child per suite with every limit raised so that bans and rate limits cannot
 * mask an answer, the checks every answer must pass (no 5xx, no stack trace or library text),
 * the command texts the fuzzers draw from, and fast-check settings (FUZZ_SEED, FUZZ_SCALE).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { MAX_COMMAND_BYTES } from '@switchboard/core';
import { RunningDaemon, writeConfig, type LogLine } from '../harness.js';

/** The one password of every fuzz daemon. */
export const PASSWORD = 'fuzz-password-7f3a';

/** The checkout the daemon runs from: a path of it in an answer is an internal detail. */
const CHECKOUT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const SCALE = Number(process.env.FUZZ_SCALE ?? '1');

/**
 * fast-check settings for one property: `numRuns` (times FUZZ_SCALE), the seed from FUZZ_SEED
 * if set (fast-check prints the seed of a failure either way), a time cap that only bounds a
 * pathological shrink, and a report whose huge strings are cut to their ends.
 */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * SCALE)),
    ...(SEED === undefined ? {} : { seed: SEED }),
    // The predicate's own message holds the request and the answer: show it in the report.
    includeErrorInReport: true,
    plugins: [
      // Typed for any property, its instance never looks at the values.
      fc.interruptAfterTimeLimit(120_000 * SCALE) as fc.Plugin<T>,
      () => ({
        onAllRunsComplete: (details: fc.RunDetails<T>) => {
          if (details.failed) throw new Error(shorten(fc.defaultReportMessage(details) ?? ''));
        },
      }),
    ],
  };
}

/** Long quoted strings in a report, cut to their ends (a 64 KiB body helps nobody). */
function shorten(report: string): string {
  return report.replace(/"((?:[^"\\]|\\.){400,})"/g, (_all, inner: string) => {
    return `"${inner.slice(0, 240)}…[${String(inner.length)} chars]…${inner.slice(-80)}"`;
  });
}

/**
 * What no answer may contain unless the request itself did (then it may be an echo): each is a
 * sign that an exception, a library's message or an internal detail reached the user.
 */
export const LEAK_PATTERNS: readonly (readonly [what: string, pattern: RegExp])[] = [
  // V8 stack frames: "    at fn (file:line:col)".
  ['a stack frame', /^[ \t]+at \S/m],
  ['a source location', /\.(?:[cm]?js|ts)(?::\d+){1,2}\b/],
  ['a file URL', /file:\/\//],
  ['a node_modules path', /node_modules/],
  ['the checkout path', new RegExp(CHECKOUT.length > 1 ? escapeRegExp(CHECKOUT) : '(?!)')],
  // TypeError, SyntaxError, PayloadTooLargeError (http-errors), PipelineError, AppError ...
  // ("Error" alone is smtp-server's usual reply prefix, "Error: command not recognized").
  ['an exception class name', /\b(?:[A-Z][a-z0-9]*)+Error\b/],
  ['a Node.js error code', /\bERR_[A-Z0-9_]{3,}\b/],
  [
    'an errno code',
    /\bE(?:NOENT|ACCES|PERM|PIPE|CONNRESET|CONNREFUSED|ISDIR|NOTDIR|MFILE|INVAL|2BIG)\b/,
  ],
  ['Node.js argument validation', /\bThe (?:argument|"[^"]+" argument|'[^']+' argument)\b/],
  ['Node.js argument validation', /without null bytes|\bReceived (?:type|an instance of)\b/],
  ['a JSON parser message', /Unexpected (?:token|end of|non-whitespace)|is not valid JSON/],
  ['a JSON parser message', /in JSON at position/],
  ['a TypeError message', /Cannot (?:read|set) propert|is not a function|is not iterable/],
  ['a TypeError message', /Cannot convert undefined|Maximum call stack/],
  ['a stringified object', /\[object [A-Z]\w*\]/],
  // Sanitised, but still the sign of an unexpected throw (API 500, INTERNAL, smtp-server 451).
  ['an internal-error text', /internal (?:server )?error/i],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first leak in `answer` that `request` does not itself contain, described; or undefined. */
export function leakIn(answer: string, request: string): string | undefined {
  for (const [what, pattern] of LEAK_PATTERNS) {
    const found = pattern.exec(answer);
    if (found !== null && !pattern.test(request)) {
      const at = Math.max(0, found.index - 60);
      return `${what} (${JSON.stringify(answer.slice(at, found.index + found[0].length + 60))})`;
    }
  }
  return undefined;
}

/**
 * Whether `text` holds a control character other than tab, CR and LF (C0, DEL and C1, the
 * Unicode Cc class): DESIGN §10 makes such a command INVALID_TEXT (HTTP 400) on every channel.
 */
export function hasForbiddenControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const c0 = code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
    if (c0 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * The error the pipeline's input stages must give `text` whatever the password (DESIGN §2
 * stage 3, §10): TOO_LONG over 16384 UTF-8 bytes, else INVALID_TEXT for an unpaired surrogate
 * or a control character; undefined when the text may pass.
 */
export function textRule(text: string): 'TOO_LONG' | 'INVALID_TEXT' | undefined {
  if (Buffer.byteLength(text, 'utf8') > MAX_COMMAND_BYTES) return 'TOO_LONG';
  return !text.isWellFormed() || hasForbiddenControl(text) ? 'INVALID_TEXT' : undefined;
}

/**
 * Whether a text could reach `.e lock`, `.e stop`, `.e maintenance` or `.e unban`, which would
 * change the daemon for the rest of the suite: such texts are never sent. Lower-cased as the app
 * does (so a Kelvin sign for k is caught too), as written and percent-decoded (form bodies).
 * Only texts with the password can reach an app; this errs on the safe side.
 */
export function isDisruptive(text: string): boolean {
  const decoded = text.replace(/(?:%[0-9a-f]{2})+/gi, (run) =>
    Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'),
  );
  return [text, decoded].some((t) => {
    const folded = t.toLowerCase();
    return folded.includes('.e') && /lock|stop|maint|unban/.test(folded);
  });
}

/** A JSON rendering of `text` short enough for a failure message. */
export function excerpt(text: string, max = 600): string {
  const json = JSON.stringify(text);
  return json.length <= max
    ? json
    : `${json.slice(0, max - 100)}…[${String(text.length)} chars]…${json.slice(-80)}`;
}

const SAFE_COMMANDS = ['date', 'uname', 'hostname', 'id', 'whoami', 'nproc', 'arch', 'false'];
const TRIGGERS = ['.s', '.S', '.e', '.2', '.m', '.x', '.plt', '.', '', '.s.s', '.e.s'];

/** One "character": mostly printable, often a control, a lone surrogate or a shell/HTML metachar. */
const nastyUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '\u0000',
      '\u007f',
      '\u2028',
      '\ufeff',
      '\u202e',
      '%00',
      '$&',
      '${HOME}',
      '$(id)',
      '`id`',
      "'",
      '"',
      '\\',
      ';',
      '|',
      '&&',
      '<script>',
      '&amp;',
      '\r\n',
      '\n',
      '\t',
      '#',
    ),
  },
);

/** Text a person could type: printable graphemes and shell or HTML metacharacters. */
const cleanUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('$(id)', '`id`', "'", '"', '\\', ';', '|', '<b>', '\t') },
);

/** Random text of up to `maxLength` units (see nastyUnit). */
export function nastyText(maxLength = 40): fc.Arbitrary<string> {
  return fc.string({ unit: nastyUnit, maxLength });
}

/** Random text, without controls or broken UTF-16 half of the time (so the PIN stage is passed). */
function mixedText(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ unit: cleanUnit, maxLength }), nastyText(maxLength));
}

/** A command for the pipeline after the password: an app trigger, a word, random text. */
const appPart: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SAFE_COMMANDS.map((c) => `.s ${c}`), '.e info', '.e bans'),
  fc
    .tuple(fc.constantFrom(...TRIGGERS), fc.constantFrom(' ', '', '  ', '\t'), mixedText())
    .map(([t, sep, rest]) => `${t}${sep}${rest}`),
  fc
    .tuple(
      fc.oneof(fc.nat({ max: 99 }).map(String), fc.constantFrom('0', '99999999999999999999')),
      fc.oneof(fc.nat({ max: 5000 }).map(String), fc.constantFrom('0', '1e9', '-1')),
      fc.oneof(fc.integer({ min: 0, max: 4 }).map(String), fc.constantFrom('3601', '9'.repeat(30))),
      fc.constantFrom(...SAFE_COMMANDS, 'echo hi', ''),
      fc.constantFrom(' ', ',', 'x', '\u0000'),
    )
    .map(([skip, max, timeout, cmd, sep]) => `.plt ${skip}${sep}${max}${sep}${timeout} .s ${cmd}`),
  mixedText(),
);

/**
 * A command text: often the password followed by an app command (so the PIN stage passes and
 * the pipeline, `.s` and `.e` are reached), sometimes on a later line, sometimes with a wrong
 * password, sometimes pure noise; now and then huge (near the 16 KiB command cap, or past it).
 * Never one that could lock, stop or reconfigure the daemon.
 */
export const commandText: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 5, arbitrary: appPart.map((rest) => `${PASSWORD} ${rest}`) },
    { weight: 2, arbitrary: appPart.map((rest) => `${PASSWORD}${rest}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(mixedText(), appPart)
        .map(([noise, rest]) => `${noise}\n${PASSWORD} ${rest}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.nat({ max: PASSWORD.length - 1 }), appPart)
        .map(([cut, rest]) => `${PASSWORD.slice(0, cut)} ${rest}`),
    },
    { weight: 2, arbitrary: mixedText(80) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.string({ unit: cleanUnit, minLength: 1, maxLength: 3 }),
            fc.string({ unit: nastyUnit, minLength: 1, maxLength: 3 }),
          ),
          fc.integer({ min: 1000, max: 9000 }),
        )
        .map(([unit, times]) => `${PASSWORD} .s ${unit.repeat(times)}`),
    },
  )
  .filter((text) => !isDisruptive(text));

/** A running fuzz daemon. */
export interface FuzzDaemon {
  /** The child process and its parsed log lines. */
  readonly daemon: RunningDaemon;
  /** Its process id: what stop() signals. */
  readonly pid: number;
  /** The http channel's port on 127.0.0.1 (webhooks mount there too). */
  readonly httpPort: number;
  /** 0 when the daemon has no smtp channel. */
  readonly smtpPort: number;
  /** Fails unless the process is alive and `/healthz` answers `{"status":"ok"}`. */
  assertAlive(): Promise<void>;
  /** Fails if the daemon logged at level error or above: each such line is an exception caused. */
  assertNoErrorLogged(): void;
  /** SIGTERM by PID, then the exit code; removes the temp directory. */
  stop(): Promise<number | null>;
}

/** The channel blocks a fuzz daemon runs besides http. */
export interface FuzzChannels {
  /** Mail channel for `sb.test`; its replies and forwards go to the relay on this port. */
  readonly smtp?: { readonly relayPort: number; readonly maxMessageBytes: number };
  /** Telegram in webhook mode at `/tg` against this (fake) Bot API. */
  readonly telegram?: { readonly apiRoot: string; readonly secretToken: string };
  /** Twilio with this auth token and public URL. */
  readonly twilio?: { readonly authToken: string; readonly publicUrl: string };
}

/** A generous per-source limit, so that no answer is a rate refusal. */
const UNLIMITED = { requests: 1_000_000, perSec: 1 };

/**
 * Starts `switchboard run` with http on a free loopback port plus `channels`, the restricted
 * shell, a one-second failed-login window with a threshold no fuzz run reaches, and limits no
 * fuzz run reaches; resolves once every channel logged "listening".
 */
export async function startFuzzDaemon(channels: FuzzChannels = {}): Promise<FuzzDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-fuzz-'));
  const configPath = join(dir, 'config.json');
  const { smtp, telegram, twilio } = channels;
  writeConfig(configPath, {
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    // Restricted (the default, said out loud): random input must not be able to do harm.
    apps: { shell: { unrestricted: false } },
    mail: {
      from: 'switchboard@sb.test',
      outbox: join(dir, 'outbox'),
      retry: { initialSec: 1, maxHours: 1 },
      ...(smtp === undefined ? {} : { smtp: { host: '127.0.0.1', port: smtp.relayPort } }),
    },
    limits: {
      commandsPerSecond: 1_000_000,
      failedLoginsBeforeBan: 1_000_000_000,
      failedLoginWindowSec: 1,
      banSec: 1,
    },
    http: { listen: '127.0.0.1:0', rateLimit: UNLIMITED },
    ...(smtp === undefined
      ? {}
      : {
          smtp: {
            listen: '127.0.0.1:0',
            myDomains: ['sb.test'],
            forwardTo: ['owner@home.test'],
            maxMessageBytes: smtp.maxMessageBytes,
            rateLimit: UNLIMITED,
          },
        }),
    ...(telegram === undefined
      ? {}
      : {
          telegram: {
            token: '123456:fuzz-token',
            apiRoot: telegram.apiRoot,
            webhook: { path: '/tg', secretToken: telegram.secretToken },
            rateLimit: UNLIMITED,
          },
        }),
    ...(twilio === undefined ? {} : { twilio: { ...twilio, rateLimit: UNLIMITED } }),
  });
  const daemon = new RunningDaemon(configPath);
  const pid = daemon.child.pid;
  if (pid === undefined) throw new Error('switchboard run did not start');
  const listening = (channel: string) =>
    daemon.waitFor((l) => l.msg === 'listening' && l.channel === channel);
  const portOf = (line: LogLine) => Number(/:(\d+)\/?$/.exec(String(line.address))?.[1]);
  const httpPort = portOf(await listening('http'));
  const smtpPort = smtp === undefined ? 0 : portOf(await listening('smtp'));
  if (telegram !== undefined) await listening('telegram');
  if (twilio !== undefined) await listening('twilio');

  return {
    daemon,
    pid,
    httpPort,
    smtpPort,
    async assertAlive() {
      assert.equal(daemon.child.exitCode, null, `the daemon exited:\n${daemon.stderr}`);
      assert.equal(daemon.child.signalCode, null, `the daemon was killed:\n${daemon.stderr}`);
      process.kill(pid, 0);
      const res = await fetch(`http://127.0.0.1:${String(httpPort)}/healthz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
    },
    assertNoErrorLogged() {
      const errors = daemon.lines.filter((l) => typeof l.level === 'number' && l.level >= 50);
      assert.deepEqual(errors, [], `error lines in the daemon's log:\n${JSON.stringify(errors)}`);
    },
    async stop() {
      if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
        process.kill(pid, 'SIGTERM');
      }
      const code = await daemon.exit();
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
