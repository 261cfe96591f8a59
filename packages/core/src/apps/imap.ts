/**
 * `.i` IMAP mailboxes (DESIGN §15, reference §8.8): `.il ACCOUNT SKIP COUNT` lists the newest
 * messages, `.ir ACCOUNT N` reads one. Read-only (EXAMINE, BODY.PEEK): nothing is marked as seen.
 */
import type { Config } from '../config/types.js';
import { AppError } from '../errors.js';
import { defineApp, type App } from './app.js';
import { tableSettings } from './table-settings.js';
import { messageOf } from './run-for-app.js';
import { IMAP_USAGE, parseImapInput, type ListRequest } from './imap/imap-input.js';
import {
  MAX_MESSAGE_BYTES,
  withMailbox,
  type ImapAccount,
  type OpenMailbox,
} from './imap/imap-session.js';
import { messageText } from './imap/message-text.js';
import { cutTo } from './cut-text.js';

/** `apps.imap`. */
export interface ImapSettings {
  /** Nickname → account. */
  readonly accounts: Readonly<Record<string, ImapAccount>>;
}

/** The most characters of a subject in a `.il` line; a longer one ends in `…`. */
export const MAX_SUBJECT_CHARS = 200;

// A self-test that cannot log in within this is as broken as one refused.
const SELF_TEST_TIMEOUT_MS = 15_000;

const text = (description: string, extra: Record<string, unknown> = {}) => ({
  type: 'string',
  minLength: 1,
  description,
  ...extra,
});

/** The `.i` app. */
export const imapApp: App<ImapSettings, 'imap'> = defineApp({
  trigger: '.i',
  name: 'IMAP mailboxes',
  docs: { enabled: 'when `apps.imap.accounts` has one' },
  settings: tableSettings({
    key: 'imap',
    table: 'accounts',
    description: 'Nickname → IMAP account, read with `.il NICKNAME ...` and `.ir NICKNAME N`.',
    names: { pattern: '^[^\\s,]+$', expect: 'a nickname without spaces or commas' },
    entry: {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'user', 'password'],
      properties: {
        host: text('The IMAP server, e.g. imap.example.com; its certificate must match it.'),
        port: {
          type: 'integer',
          minimum: 1,
          maximum: 65535,
          description: 'Unset: 993 for "implicit" TLS, 143 for "starttls".',
        },
        tls: {
          enum: ['implicit', 'starttls'],
          description:
            '"implicit" (the default): TLS from the start (IMAPS); "starttls": plain, then STARTTLS, which must succeed before the login. Certificates are always verified.',
        },
        user: text('The login name.'),
        password: text('The password; write "${ENV_NAME}" to keep it out of the file.'),
        mailbox: text('The mailbox read; default INBOX.'),
        ca: text(
          "A PEM file of CA certificates (or the server's self-signed certificate) trusted besides the system's; relative to the config file.",
        ),
      },
    },
    resolveEntry: (account: ImapAccount, resolve) =>
      account.ca === undefined ? account : { ...account, ca: resolve(account.ca) },
  }),
  isConfigured: (config) => Object.keys(config.apps.imap.accounts).length > 0,

  async selfTest(config: Config, stop?: AbortSignal): Promise<void> {
    // All accounts at once: the daemon starts after its self-tests, so a dead server costs one
    // time limit, not one per account.
    const checks = Object.entries(config.apps.imap.accounts).map(([nick, account]) => {
      const timeout = AbortSignal.timeout(SELF_TEST_TIMEOUT_MS);
      const signal = stop === undefined ? timeout : AbortSignal.any([stop, timeout]);
      return withMailbox(nick, account, signal, () => Promise.resolve());
    });
    const problems = (await Promise.allSettled(checks)).flatMap((check) =>
      check.status === 'fulfilled' ? [] : [messageOf(check.reason)],
    );
    if (problems.length > 0) throw new Error(`imap: ${problems.join('; ')}`);
  },

  async execute(input, ctx) {
    const request = parseImapInput(input);
    if (request === undefined) throw new AppError(IMAP_USAGE);
    const { accounts } = ctx.config.apps.imap;
    const account = accounts[request.account];
    if (account === undefined) {
      const known = Object.keys(accounts).join(', ');
      throw new AppError(`no IMAP account "${request.account}" (configured: ${known})`);
    }
    return withMailbox(request.account, account, ctx.signal, (mailbox) =>
      request.kind === 'list'
        ? listMessages(request, mailbox)
        : readMessage(request.account, request.number, mailbox),
    );
  },
});

/** `NUMBER FROM SUBJECT` of the COUNT messages after the SKIP newest, newest first. */
async function listMessages(request: ListRequest, mailbox: OpenMailbox): Promise<string> {
  const { total, name } = mailbox;
  if (total === 0) return `no messages in ${name}`;
  if (request.skip >= total) {
    throw new AppError(
      `${request.account}: SKIP must be less than ${String(total)}, the messages in ${name}`,
    );
  }
  const last = total - request.skip;
  const first = Math.max(1, last - request.count + 1);
  const lines: [number, string][] = [];
  for await (const message of mailbox.client.fetch(`${String(first)}:${String(last)}`, {
    envelope: true,
  })) {
    const from = message.envelope?.from?.[0]?.address ?? '(no sender)';
    const subject = oneLine(message.envelope?.subject ?? '') || '(no subject)';
    lines.push([message.seq, `${String(message.seq)} ${from} ${subject}`]);
  }
  return lines
    .sort(([a], [b]) => b - a)
    .map(([, line]) => line)
    .join('\n');
}

/** The text of message `number`. */
async function readMessage(nick: string, number: number, mailbox: OpenMailbox): Promise<string> {
  const { total, name } = mailbox;
  const missing = `${nick}: no message ${String(number)} in ${name}, which has ${String(total)}`;
  if (number < 1 || number > total) throw new AppError(missing);
  const message = await mailbox.client.fetchOne(String(number), {
    source: { maxLength: MAX_MESSAGE_BYTES },
    size: true,
  });
  if (message === false || message.source === undefined) throw new AppError(missing);
  const body = await messageText(message.source);
  const size = message.size ?? 0;
  return size > MAX_MESSAGE_BYTES
    ? `${body}\n[read the first ${String(MAX_MESSAGE_BYTES)} of the message's ${String(size)} bytes]`
    : body;
}

/** `text` on one line, whitespace collapsed, at most MAX_SUBJECT_CHARS characters. */
function oneLine(value: string): string {
  return cutTo(value.replace(/\s+/g, ' ').trim(), MAX_SUBJECT_CHARS);
}
