/**
 * `.b` message bank (DESIGN §15, reference §8.6): messages kept on disk under the data
 * directory, so a note posted over one channel is read over another, after a restart too.
 * laitos keeps them in memory under fixed tags and directions, parsed by unanchored regexes
 * (`s TAG DIR TEXT`, `g TAG DIR`); here there are plain verbs and numbered messages.
 */
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { isPlainObject } from '../config/json-path.js';
import { arr, bool, int, str } from '../config/schema-builders.js';
import { defineApp, type App } from './app.js';
import { BankStore, type BankedMessage } from './message-bank/bank-store.js';

const USAGE = 'usage: .b post TEXT | list [N] | read N | delete N | clear';
/** How many messages `.b list` shows without a count. */
const DEFAULT_LISTED = 10;
/** Characters of a message shown in the list; `.b read N` shows it whole. */
const PREVIEW_CHARS = 60;
const VERB = /^(\S*)\s*([\s\S]*)$/;
const NUMBER = /^#?([1-9]\d{0,14})$/;

/** The channels whose messages that are not commands may be kept (`keepIncoming`). */
const INCOMING_KINDS = ['sms', 'voice'] as const;
/** One of INCOMING_KINDS. */
export type IncomingKind = (typeof INCOMING_KINDS)[number];

/** `apps.messageBank`. */
export interface MessageBankSettings {
  readonly enabled: boolean;
  /** Directory of the messages; relative paths from the config file's directory. */
  readonly directory: string;
  readonly maxMessages: number;
  readonly maxMessageBytes: number;
  /** Which messages that are not commands are kept as they arrive. */
  readonly keepIncoming: readonly IncomingKind[];
}

/** The store of these settings (it holds no state: the directory is the bank). */
export const bankOf = (settings: MessageBankSettings): BankStore =>
  new BankStore({ dir: settings.directory, maxMessages: settings.maxMessages });

/** The `.b` app. */
export const messageBankApp: App<MessageBankSettings, 'messageBank'> = defineApp({
  trigger: '.b',
  name: 'message bank',
  docs: { enabled: 'when `apps.messageBank.enabled` is true' },
  settings: {
    key: 'messageBank',
    defaults: {
      enabled: false,
      directory: './data/message-bank',
      maxMessages: 100,
      maxMessageBytes: 2048,
      keepIncoming: [],
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: bool('Turn on `.b`; off by default, since it writes files.', false),
        directory: str(
          'Directory of the messages, one file each; relative to the config file, or in $STATE_DIRECTORY when that is set and this is not.',
          { minLength: 1, default: './data/message-bank' },
        ),
        maxMessages: int('Messages kept; past this the oldest is deleted.', 1, 10_000, 100),
        maxMessageBytes: int(
          'Longest message in UTF-8 bytes; a longer post is refused, a longer incoming message cut.',
          1,
          16_384,
          2048,
        ),
        keepIncoming: {
          ...arr(
            'Keep messages that are not commands as they arrive: "sms" for texts to the Twilio number, "voice" for what a caller types on its keypad.',
            { enum: INCOMING_KINDS },
            [],
          ),
          uniqueItems: true,
        },
      },
    },
    resolvePaths: (settings, resolve) => ({ ...settings, directory: resolve(settings.directory) }),
    inStateDirectory: (settings, given, dir) =>
      isPlainObject(given) && 'directory' in given
        ? settings
        : { ...settings, directory: join(dir, 'message-bank') },
  },
  isConfigured: (config) => config.apps.messageBank.enabled,

  async selfTest(config) {
    try {
      await bankOf(config.apps.messageBank).checkWritable();
    } catch (err) {
      throw new Error(`message bank: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  },

  async execute(input, ctx) {
    const settings = ctx.config.apps.messageBank;
    const bank = bankOf(settings);
    const [, verb = '', rest = ''] = VERB.exec(input) ?? [];
    try {
      switch (verb.toLowerCase()) {
        case '':
        case 'list':
          return await list(bank, rest, settings.maxMessages, ctx.signal);
        case 'post':
          return await post(bank, rest, settings, ctx.command);
        case 'read': {
          const number = numberOf(rest, 'read');
          const message = await bank.read(number);
          if (message === undefined) throw new AppError(`no message #${number}`);
          return lineOf(message, message.text);
        }
        case 'delete': {
          const number = numberOf(rest, 'delete');
          if (!(await bank.delete(number))) throw new AppError(`no message #${number}`);
          return `deleted #${number}`;
        }
        case 'clear':
          return `deleted ${await bank.clear(ctx.signal)} messages`;
        default:
          throw new AppError(USAGE);
      }
    } catch (err) {
      throw asAppError(err);
    }
  },
});

async function post(
  bank: BankStore,
  text: string,
  settings: MessageBankSettings,
  from: { readonly channel: string; readonly source: string },
): Promise<string> {
  if (text === '') throw new AppError('usage: .b post TEXT');
  const bytes = Buffer.byteLength(text);
  if (bytes > settings.maxMessageBytes) {
    throw new AppError(`message is too long (${bytes} bytes, max ${settings.maxMessageBytes})`);
  }
  const { channel, source } = from;
  const { number, kept } = await bank.post({ time: nowIso(), channel, source, text });
  return `kept as #${number} (${kept} of at most ${settings.maxMessages})`;
}

async function list(
  bank: BankStore,
  rest: string,
  max: number,
  signal: AbortSignal,
): Promise<string> {
  const count =
    rest === '' ? Math.min(DEFAULT_LISTED, max) : Number(/^\d+$/.test(rest) ? rest : NaN);
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw new AppError(`usage: .b list [N] (N from 1 to ${max})`);
  }
  const { messages, total } = await bank.list(count, signal);
  if (messages.length === 0) return 'no messages';
  const lines = messages.map((m) => lineOf(m, preview(m.text)));
  if (total > messages.length) lines.push(`... and ${total - messages.length} older`);
  return lines.join('\n');
}

/** `#N TIME CHANNEL SOURCE: TEXT`. */
function lineOf(message: BankedMessage, text: string): string {
  return `#${message.number} ${message.time} ${message.channel} ${message.source}: ${text}`;
}

/** The text on one line, cut to PREVIEW_CHARS characters. */
function preview(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' '));
  return chars.length <= PREVIEW_CHARS
    ? chars.join('')
    : `${chars.slice(0, PREVIEW_CHARS).join('')}...`;
}

function numberOf(rest: string, verb: string): number {
  const m = NUMBER.exec(rest);
  if (m === null) throw new AppError(`usage: .b ${verb} N`);
  return Number(m[1]);
}

/** Now as ISO 8601 UTC, whole seconds. */
export const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A file system failure (EACCES, ENOSPC, ...) as one line for the user; anything else as is. */
function asAppError(err: unknown): unknown {
  // Node's system errors carry the failed call; a timeout's abort reason or a bug does not.
  if (!(err instanceof Error) || !('syscall' in err) || !('code' in err)) return err;
  return new AppError(
    `the message bank cannot be used (${String(err.code)}); see apps.messageBank.directory`,
  );
}
