/**
 * Hostile SMTP against the mail channel of a real daemon: raw-socket dialogues of random
 * commands, oversized lines, odd addresses and MIME garbage, some carrying `PASSWORD .s ...`
 * command lines. Every reply must be a well-formed SMTP reply without a local error (451, an
 * unexplained 421) or library text; the mail the daemon sends on (replies, forwards, through a
 * local relay) must not carry such text either; the daemon stays up throughout.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ERRORS } from '@switchboard/core';
import { startMailSink, waitFor, type MailSink } from '@switchboard/core/testing';
import {
  commandText,
  excerpt,
  fuzzParameters,
  isDisruptive,
  leakIn,
  nastyText,
  PASSWORD,
  startFuzzDaemon,
  textRule,
  type FuzzDaemon,
} from './fuzz-rig.js';
import { open, subjectOf, textParts, type Reply, type SmtpSession } from './smtp-session.js';

/** The channel's size limit in this suite: small, so refusing a big mail is cheap to test. */
const MAX_BYTES = 64 * 1024;

/** A command line without line breaks (those would make it two commands). */
const oneLine = (text: string): string => text.replace(/[\r\n]/g, ' ');

/** A recipient and the reply the contract fixes for it (250 ours, 550 foreign), if any. */
interface Recipient {
  readonly address: string;
  readonly expect?: number;
}

const recipient: fc.Arbitrary<Recipient> = fc.oneof(
  fc.constantFrom<Recipient>(
    { address: '<cmd@sb.test>', expect: 250 },
    { address: '<CMD@SB.TEST>', expect: 250 },
    { address: '<postmaster>', expect: 250 },
    { address: '<x@evil.test>', expect: 550 },
    { address: '<x@sb.test.evil.test>', expect: 550 },
    { address: '<x@evil.test@sb.test>' },
    { address: '<@relay.test:x@sb.test>' },
    { address: '<"odd local"@sb.test>' },
    { address: '<x@[127.0.0.1]>' },
    { address: '<x@sb.test> NOTIFY=NEVER' },
    { address: '<x@sb.test> ORCPT=rfc822;x@sb.test' },
    { address: '<>' },
    { address: 'x@sb.test' },
  ),
  nastyText(30).map((t) => ({ address: `<${oneLine(t)}@sb.test>` })),
  nastyText(30).map((t) => ({ address: oneLine(t) })),
);

const sender = fc.oneof(
  fc.constantFrom(
    '<fuzzer@home.test>',
    '<>',
    '<fuzzer@home.test> SIZE=999999999999',
    '<fuzzer@home.test> SIZE=10',
    '<fuzzer@home.test> BODY=8BITMIME SMTPUTF8',
    '<fuzzer@home.test> BODY=BINARYMIME',
    '<fuzzer@home.test> SIZE=1 SIZE=2',
    '<fuzzer@home.test> RET=FULL ENVID=x',
    'fuzzer@home.test',
    '<ü@bücher.test> SMTPUTF8',
  ),
  nastyText(30).map((t) => `<${oneLine(t)}>`),
);

/** A random command line: a real verb with odd arguments, or noise. */
const randomLine = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('EHLO', 'HELO', 'ehlo', 'LHLO', 'NOOP', 'VRFY', 'EXPN', 'HELP', 'RSET'),
      fc.oneof(
        fc.constant(''),
        nastyText(30).map((t) => ` ${t}`),
      ),
    )
    .map(([verb, arg]) => oneLine(`${verb}${arg}`)),
  fc.constantFrom(
    'MAIL FROM:',
    'MAIL FROM:<',
    'RCPT TO:',
    'DATA',
    'BDAT 10 LAST',
    'STARTTLS',
    'AUTH PLAIN AGZvbwBiYXI=',
    'AUTH LOGIN',
    'XCLIENT ADDR=1.2.3.4',
    'XFORWARD NAME=x',
    'ETRN sb.test',
    'TURN',
    'WIZ',
    'SHELL',
    'KILL',
    'GET / HTTP/1.1',
    '',
    ' ',
    '\u0000',
  ),
  sender.map((s) => oneLine(`MAIL FROM:${s}`)),
  recipient.map((r) => oneLine(`RCPT TO:${r.address}`)),
  nastyText(60).map(oneLine),
  fc.integer({ min: 17_000, max: 40_000 }).map((n) => `NOOP ${'x'.repeat(n)}`),
);

const contentType = fc.constantFrom(
  'text/plain; charset=utf-8',
  'text/plain; charset=iso-8859-1',
  'text/plain; charset=x-unknown',
  'text/html',
  'multipart/mixed; boundary="b1"',
  'multipart/alternative',
  'message/rfc822',
  'application/octet-stream',
  'text/plain; charset="',
  '',
);

const encoding = fc.constantFrom('8bit', '7bit', 'base64', 'quoted-printable', 'x-uuencode', '');

/** One body line: noise, or a command line with the password (or nearly). */
const bodyLine = fc.oneof(
  { weight: 3, arbitrary: nastyText(80).map(oneLine) },
  { weight: 2, arbitrary: commandText.map(oneLine) },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', '--b1', '--b1--', '=?utf-8?B?AAAA?=', '=') },
);

/** One mail transaction inside a session. */
type Transaction =
  | { readonly kind: 'command'; readonly noise: string[]; readonly line: string }
  | {
      readonly kind: 'garbage';
      readonly from: string;
      readonly to: Recipient[];
      readonly headers: [string, string][];
      readonly lines: string[];
    }
  | { readonly kind: 'big'; readonly size: number };

const transaction: fc.Arbitrary<Transaction> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      noise: fc.array(nastyText(40).map(oneLine), { maxLength: 3 }),
      line: commandText.map(oneLine),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('garbage' as const),
      from: sender,
      to: fc.array(recipient, { minLength: 1, maxLength: 3 }),
      headers: fc.array(
        fc.oneof(
          fc.tuple(
            fc.constantFrom(
              'From',
              'Reply-To',
              'To',
              'Message-ID',
              'References',
              'Date',
              'Received',
            ),
            nastyText(40).map(oneLine),
          ),
          fc.tuple(fc.constant('Content-Type'), contentType),
          fc.tuple(fc.constant('Content-Transfer-Encoding'), encoding),
          fc.tuple(nastyText(10).map(oneLine), nastyText(30).map(oneLine)),
        ),
        { maxLength: 6 },
      ),
      lines: fc.array(bodyLine, { maxLength: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('big' as const),
      size: fc.integer({ min: MAX_BYTES + 1, max: MAX_BYTES * 2 }),
    }),
  },
);

/**
 * One session: random lines, then one or two transactions each followed by random lines, then
 * QUIT (smtp-server holds every greeting 100 ms, so a session does several things).
 */
const session = fc.record({
  first: fc.array(randomLine, { maxLength: 4 }),
  steps: fc.array(fc.record({ transaction, then: fc.array(randomLine, { maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 2,
  }),
});

/** Whether the PIN stage takes `line` (trimmed): it starts with the password and goes on. */
function passesPin(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(PASSWORD) && trimmed.length > PASSWORD.length;
}

describe('hostile SMTP against a running daemon', () => {
  let relay: MailSink;
  let rig: FuzzDaemon;
  let port = 0;
  /** What every session sent, for telling an echo from a leak in the mail sent on. */
  const sent: string[] = [];
  /** Command mails answered 250: their subject, and the command line they carry. */
  const commands = new Map<string, string>();
  let serial = 0;

  before(async () => {
    relay = await startMailSink();
    rig = await startFuzzDaemon({ smtp: { relayPort: relay.port, maxMessageBytes: MAX_BYTES } });
    port = rig.smtpPort;
  });

  after(async () => {
    assert.equal(await rig.stop(), 0);
    await relay.close();
  });

  /** Runs one transaction; returns problems the contract names for it. */
  async function run(smtp: SmtpSession, tx: Transaction): Promise<string[]> {
    const problems: string[] = [];
    const expect = (what: string, reply: Reply | undefined, code: number) => {
      if (reply !== undefined && reply.code !== code) {
        problems.push(`${what}: expected ${String(code)}, got ${String(reply.code)}`);
      }
    };
    await smtp.command('RSET');
    await smtp.command('EHLO fuzzer.home.test');
    if (tx.kind === 'command') {
      const subject = `fuzz-${String(++serial)}`;
      const body = [
        'From: Fuzzer <fuzzer@home.test>',
        'To: cmd@sb.test',
        `Subject: ${subject}`,
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        ...tx.noise,
        tx.line,
      ].join('\r\n');
      sent.push(body);
      expect('MAIL FROM', await smtp.command('MAIL FROM:<fuzzer@home.test>'), 250);
      expect('RCPT TO (ours)', await smtp.command('RCPT TO:<cmd@sb.test>'), 250);
      const data = await smtp.command('DATA');
      expect('DATA', data, 354);
      if (data?.code !== 354) return problems;
      const reply = await smtp.data(body);
      // 250 taken; 552 for a huge line past the size limit (CRLFs and stuffing count too).
      const fine = Buffer.byteLength(body) > MAX_BYTES - 1024 ? [250, 552] : [250];
      if (reply !== undefined && !fine.includes(reply.code)) {
        problems.push(`end of a command mail: got ${String(reply.code)}`);
      }
      // Only a line that passes the PIN stage is answered (a guess is counted, not answered).
      if (reply?.code === 250 && passesPin(tx.line)) commands.set(`Re: ${subject}`, tx.line);
      return problems;
    }
    if (tx.kind === 'big') {
      expect('MAIL FROM', await smtp.command('MAIL FROM:<fuzzer@home.test>'), 250);
      expect('RCPT TO (ours)', await smtp.command('RCPT TO:<cmd@sb.test>'), 250);
      if ((await smtp.command('DATA'))?.code !== 354) return problems;
      const line = `${PASSWORD} .s date ${'y'.repeat(70)}`;
      const lines = Array.from({ length: Math.ceil(tx.size / line.length) }, () => line);
      expect(
        'a mail over the size limit',
        await smtp.data(`Subject: big\r\n\r\n${lines.join('\r\n')}`),
        552,
      );
      return problems;
    }
    const mail = await smtp.command(oneLine(`MAIL FROM:${tx.from}`));
    for (const to of tx.to) {
      const reply = await smtp.command(oneLine(`RCPT TO:${to.address}`));
      // The recipient rule applies once a sender is accepted (else 503 is the answer).
      if (mail?.code === 250 && to.expect !== undefined) {
        expect(`RCPT TO:${to.address}`, reply, to.expect);
      }
    }
    const data = await smtp.command('DATA');
    if (data?.code !== 354) return problems;
    const body = [...tx.headers.map(([n, v]) => `${n}: ${v}`), '', ...tx.lines].join('\r\n');
    sent.push(body);
    await smtp.data(body);
    return problems;
  }

  it('answers random SMTP dialogues with well-formed replies and no local errors', async () => {
    await fc.assert(
      fc.asyncProperty(session, async ({ first, steps }) => {
        const all = JSON.stringify({ first, steps });
        if (isDisruptive(all)) return;
        sent.push(all);
        const smtp = await open(port);
        for (const line of first) await smtp.command(line);
        const problems: string[] = [];
        for (const step of steps) {
          problems.push(...(await run(smtp, step.transaction)));
          for (const line of step.then) await smtp.command(line);
        }
        const quit = await smtp.command('QUIT');
        if (quit !== undefined && quit.code !== 221) problems.push(`QUIT got ${String(quit.code)}`);
        smtp.finish(problems);
      }),
      fuzzParameters(120),
    );
    await rig.assertAlive();
  });

  it('answers every command mail by mail, without library text', async (t) => {
    const missing = () =>
      [...commands.keys()].filter(
        (subject) => !relay.received.some((m) => subjectOf(m) === subject),
      );
    await waitFor('a reply to every accepted command mail', () => missing().length === 0).catch(
      () => {
        const lines = missing().map((s) => `${s}: ${excerpt(commands.get(s) ?? '')}`);
        assert.fail(`command mails never answered:\n${lines.join('\n')}`);
      },
    );
    const everything = sent.join('\n');
    const problems: string[] = [];
    for (const mail of relay.received) {
      const text = textParts(mail).join('\n');
      const leak = leakIn(text, everything);
      if (leak !== undefined) problems.push(`${subjectOf(mail)}: shows ${leak}`);
      const line = commands.get(subjectOf(mail));
      // DESIGN §10: a command with a control character is INVALID_TEXT on every channel (a
      // lone surrogate was sent as the UTF-8 of U+FFFD, a character like any other).
      const rule = line === undefined ? undefined : textRule(line.trim().toWellFormed());
      if (line !== undefined && rule !== undefined && !text.includes(ERRORS[rule].message)) {
        problems.push(`${excerpt(line, 200)} was answered ${excerpt(text, 200)}, not ${rule}`);
      }
    }
    t.diagnostic(
      `${String(commands.size)} command mails answered, ${String(relay.received.length)} mails relayed`,
    );
    assert.deepEqual(problems, []);
  });

  it('is still up afterwards, and logged no error from all of it', async () => {
    await rig.assertAlive();
    rig.assertNoErrorLogged();
  });
});
