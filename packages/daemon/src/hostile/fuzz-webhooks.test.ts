/**
 * Hostile webhook calls against a real daemon: Telegram updates (random, malformed, huge,
 * non-text) posted with and without the secret token, against a local fake Bot API; Twilio SMS
 * and voice forms with random fields, signed with twilio's own code or not signed at all. No
 * answer may be a 5xx or carry library text; what the bot sends and the TwiML it answers must
 * not either; nothing unsigned runs; the daemon stays up throughout.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import twilio from 'twilio';
import { ERRORS } from '@switchboard/core';
import { waitFor } from '@switchboard/core/testing';
import { canEncodeDtmf, encodeDtmf } from '@switchboard/twilio';
import {
  commandText,
  excerpt,
  fuzzParameters,
  leakIn,
  nastyText,
  PASSWORD,
  startFuzzDaemon,
  textRule,
  type FuzzDaemon,
} from './fuzz-rig.js';
import { failOn, httpProblems, send, type Exchange } from './raw-http.js';
import { fakeBotApi, type SentMessage } from '../harness.js';

const SECRET = 'fuzz-webhook-secret-token';
const AUTH_TOKEN = 'fuzz-twilio-auth-token-0123456789';
const PUBLIC_URL = 'https://sb.example.com';

/** Characters XML 1.0 cannot carry at all (§2.2): TwiML with one is refused by Twilio. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/u;

/** What a generated Telegram update is, and whether (and from which chat) a reply is due. */
interface UpdateCase {
  readonly body: string;
  /** The chat a reply must go to, and the text it answers. */
  readonly expect?: { readonly chatId: number; readonly text: string };
}

const now = (): number => Math.floor(Date.now() / 1000);

/** Any JSON where a field of an update would be. */
const junk = fc.oneof(fc.jsonValue(), nastyText(20), fc.constant(undefined));

/**
 * Update generators for one suite: `good` is a well-formed private text message from a chat no
 * other update uses (so each reply can be told apart), which must be answered; `bad` is wrong
 * in some way (types, missing fields, other kinds of update, old dates, huge text, not JSON).
 */
function updateArbitraries(): {
  good: fc.Arbitrary<UpdateCase>;
  bad: fc.Arbitrary<UpdateCase>;
} {
  let chat = 1000;
  let updateId = 1;
  const good = commandText.map((text) => {
    const chatId = ++chat;
    const update = {
      update_id: updateId++,
      message: {
        message_id: 1,
        date: now() + 5,
        chat: { id: chatId, type: 'private' },
        from: { id: chatId, is_bot: false, first_name: 'Fuzz' },
        text,
      },
    };
    // A leading `/` is a bot command (/start, /x@otherbot): answered by other rules.
    const answered = !text.trimStart().startsWith('/');
    return { body: JSON.stringify(update), ...(answered ? { expect: { chatId, text } } : {}) };
  });
  const bad = fc
    .oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc
        .record({
          update_id: fc.oneof(fc.integer(), junk, fc.constantFrom(1.5, -1, 2 ** 53, 1e308)),
          message: fc.record(
            {
              message_id: junk,
              date: fc.oneof(junk, fc.constantFrom(0, -1, 1e12, now() + 5)),
              chat: fc.oneof(
                junk,
                fc.record(
                  {
                    id: fc.oneof(junk, fc.integer(), fc.constantFrom(-1, 0, 2 ** 60)),
                    type: fc.oneof(junk, fc.constantFrom('private', 'group', 'channel', '')),
                  },
                  { requiredKeys: [] },
                ),
              ),
              from: junk,
              text: fc.oneof(junk, commandText),
              entities: junk,
              photo: junk,
              sticker: junk,
              reply_to_message: junk,
            },
            { requiredKeys: [] },
          ),
        })
        .map((u) => JSON.stringify(u)),
      fc
        .tuple(
          fc.constantFrom(
            'edited_message',
            'channel_post',
            'callback_query',
            'inline_query',
            'my_chat_member',
            'poll',
            'message_reaction',
            '__proto__',
            'constructor',
          ),
          junk,
        )
        .map(([kind, value]) => {
          const json = value === undefined ? 'null' : JSON.stringify(value);
          return `{"update_id":${String(updateId++)},"${kind}":${json}}`;
        }),
      fc.integer({ min: 5000, max: 40_000 }).map((n) =>
        JSON.stringify({
          update_id: updateId++,
          message: {
            message_id: 1,
            date: now() + 5,
            chat: { id: 7, type: 'private' },
            text: `${PASSWORD} .s ${'z'.repeat(n)}`,
          },
        }),
      ),
    )
    .map((body) => ({ body }));
  return { good, bad };
}

/** A DTMF keypad string: the password and a command when they can be typed, or noise. */
const digits = fc.oneof(
  fc
    .constantFrom(
      `${PASSWORD} .s date`,
      `${PASSWORD}.e info`,
      `${PASSWORD} .s uname`,
      `${PASSWORD} x`,
    )
    .filter(canEncodeDtmf)
    .map((text) => encodeDtmf(text).keys),
  fc.stringMatching(/^[0-9*#]{0,60}$/),
  fc
    .tuple(fc.stringMatching(/^[0-9*#]{0,20}$/), nastyText(10))
    .map(([keys, noise]) => `${keys}${noise}`),
  fc.constantFrom('', '#', '*'.repeat(500), '1'.repeat(5000), 'phonetic 123'),
);

/**
 * A Twilio form: the fields Twilio sends with random values, and random extra fields. Made
 * well-formed before signing, as the wire carries it (a lone surrogate travels as U+FFFD), and
 * without the names body-parser drops or rewrites (empty, `__proto__`, `[a]` → `a`: qs at depth
 * 0), which Twilio never sends.
 */
const twilioForm = (route: 'sms' | 'voice' | 'digits') =>
  fc
    .tuple(
      fc.record(
        {
          From: fc.oneof(fc.constantFrom('+15550001111', '+4915112345678', ''), nastyText(20)),
          To: fc.oneof(fc.constant('+15559990000'), nastyText(10)),
          AccountSid: fc.constant('AC00000000000000000000000000000000'),
          ...(route === 'sms' ? { Body: commandText, MessageSid: nastyText(10) } : {}),
          ...(route === 'digits' ? { Digits: digits } : {}),
          CallSid: nastyText(10),
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(nastyText(8), nastyText(20), { maxKeys: 3 }),
    )
    .map(([fields, extra]) => {
      const entries = Object.entries({ ...extra, ...fields }).map(
        ([name, value]) => [name.toWellFormed(), value.toWellFormed()] as const,
      );
      const kept = entries.filter(
        ([name]) => name !== '' && name !== '__proto__' && !name.startsWith('['),
      );
      return Object.fromEntries(kept);
    });

/** Whether Node's HTTP parser refuses `value` (as sent, in Latin-1) in a header. */
function refusedHeaderValue(value: string): boolean {
  return Buffer.from(value, 'latin1').some((b) => (b < 0x20 && b !== 0x09) || b === 0x7f);
}

/** Form-encodes `params` as URLSearchParams does (lone surrogates become U+FFFD). */
const formOf = (params: Record<string, string>): string => new URLSearchParams(params).toString();

describe('hostile webhooks against a running daemon', () => {
  const sent: SentMessage[] = [];
  const botApi = fakeBotApi(sent, `${PUBLIC_URL}/tg`);
  const updates = updateArbitraries();
  let rig: FuzzDaemon;
  let port = 0;
  /** Chats whose update must get a reply, with the text they sent. */
  const expected = new Map<number, string>();
  /** Chats whose update was posted without the right secret, with the body posted. */
  const refused = new Map<number, string>();
  /** Every body posted, for telling an echo from a leak. */
  const posted: string[] = [];

  before(async () => {
    botApi.listen(0, '127.0.0.1');
    await once(botApi, 'listening');
    const apiPort = (botApi.address() as AddressInfo).port;
    rig = await startFuzzDaemon({
      telegram: { apiRoot: `http://127.0.0.1:${String(apiPort)}`, secretToken: SECRET },
      twilio: { authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL },
    });
    port = rig.httpPort;
  });

  after(async () => {
    assert.equal(await rig.stop(), 0);
    botApi.close();
  });

  const postTelegram = (body: string, secret: string | undefined, method = 'POST') => {
    posted.push(body);
    return send(port, {
      method,
      target: '/tg',
      headers: [
        ['Content-Type', 'application/json'],
        ...(secret === undefined ? [] : [['X-Telegram-Bot-Api-Secret-Token', secret] as const]),
      ],
      body,
    });
  };

  /** Problems of a Telegram webhook answer: HTTP checks and the statuses it may give. */
  const telegramProblems = (ex: Exchange, allowed: readonly number[]): string[] => {
    const problems = httpProblems(ex, { required: ex.sent.length < 60_000 });
    const status = ex.answers[0]?.status;
    if (status !== undefined && !allowed.includes(status))
      problems.push(`status ${String(status)}`);
    return problems;
  };

  it('takes Telegram updates with the secret, good or malformed, without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(updates.good, updates.bad), async (update) => {
        const ex = await postTelegram(update.body, SECRET);
        const problems = telegramProblems(ex, [200, 400, 413]);
        if (update.expect !== undefined) {
          if (ex.answers[0]?.status !== 200) problems.push('a good update was not taken (200)');
          else expected.set(update.expect.chatId, update.expect.text);
        }
        failOn(problems, ex);
      }),
      fuzzParameters(150),
    );
    await rig.assertAlive();
  });

  it('refuses Telegram posts without the right secret, and runs none of them', async () => {
    const secret = fc.oneof(
      fc.constant(undefined),
      // (Not `${SECRET} `: HTTP strips a header value's surrounding blanks, RFC 9110 §5.5.)
      fc.constantFrom('', SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase()),
      nastyText(40).map((t) => t.replace(/[\r\n]/g, '')),
    );
    const method = fc.constantFrom('POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH');
    await fc.assert(
      fc.asyncProperty(updates.good, secret, method, async (update, wrong, verb) => {
        const ex = await postTelegram(update.body, wrong, verb);
        if (update.expect !== undefined) refused.set(update.expect.chatId, update.body);
        // 405 for another method comes first; Node's parser answers 400 to a NUL in a header.
        const allowed = [verb === 'POST' ? 403 : 405];
        if (wrong !== undefined && refusedHeaderValue(wrong)) allowed.push(400);
        failOn(telegramProblems(ex, allowed), ex);
      }),
      fuzzParameters(60),
    );
    await rig.assertAlive();
  });

  it('answers every good Telegram update, and never a refused one, without library text', async (t) => {
    const good = [...expected];
    const answered = (chatId: number) => sent.some((m) => m.chatId === chatId);
    await waitFor('a reply to every good update', () => good.every(([id]) => answered(id))).catch(
      () => {
        const missing = good
          .filter(([id]) => !answered(id))
          .map(([id, text]) => `${String(id)}: ${excerpt(text, 200)}`);
        assert.fail(`updates never answered:\n${missing.join('\n')}`);
      },
    );
    const everything = posted.join('\n');
    const problems: string[] = [];
    for (const message of sent) {
      const text = typeof message.text === 'string' ? message.text : JSON.stringify(message.text);
      const leak = leakIn(text, everything);
      if (leak !== undefined) problems.push(`chat ${String(message.chatId)} was sent ${leak}`);
      const chat = typeof message.chatId === 'number' ? message.chatId : NaN;
      const unsigned = refused.get(chat);
      if (unsigned !== undefined) {
        problems.push(`${excerpt(unsigned, 300)} without the secret got ${excerpt(text, 200)}`);
      }
      const asked = expected.get(chat);
      // DESIGN §10: a command with a control character is INVALID_TEXT on every channel.
      const rule = asked === undefined ? undefined : textRule(asked);
      if (asked !== undefined && rule !== undefined && !text.includes(ERRORS[rule].message)) {
        problems.push(`${excerpt(asked, 200)} was answered ${excerpt(text, 200)}, not ${rule}`);
      }
    }
    t.diagnostic(
      `${String(good.length)} good updates answered, ${String(sent.length)} messages sent`,
    );
    assert.deepEqual(problems, []);
  });

  /** Posts a form to a Twilio route, signed as twilio's own helper signs, or not. */
  const postTwilio = (path: string, params: Record<string, string>, signature: string | null) => {
    const body = formOf(params);
    posted.push(body);
    return send(port, {
      method: 'POST',
      target: `/twilio${path}`,
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ...(signature === null ? [] : [['X-Twilio-Signature', signature] as const]),
      ],
      body,
    });
  };
  const sign = (path: string, params: Record<string, string>) =>
    twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/twilio${path}`, params);

  /** Problems of a signed Twilio answer: 200 with TwiML that XML can carry, no leak. */
  const twimlProblems = (ex: Exchange): string[] => {
    const problems = httpProblems(ex, { required: true });
    const answer = ex.answers[0];
    if (answer === undefined) return problems;
    // Twilio's forms are a few KiB; the router reads 64 KiB at most (413 past that).
    const tooBig = ex.sent.length > 64 * 1024 && answer.status === 413;
    if (answer.status !== 200 && !tooBig) {
      problems.push(`a signed request got ${String(answer.status)}`);
    }
    if (answer.status === 200 && !/^<\?xml[^>]*\?><Response\b/.test(answer.body)) {
      problems.push('not TwiML');
    }
    if (NOT_XML.test(answer.body)) problems.push('TwiML with a character XML cannot carry');
    return problems;
  };

  it('answers signed Twilio SMS with TwiML, silently for a refused text', async () => {
    await fc.assert(
      fc.asyncProperty(twilioForm('sms'), async (params) => {
        const ex = await postTwilio('/sms', params, sign('/sms', params));
        const problems = twimlProblems(ex);
        // A text the input stages refuse (badRequest, tooLarge) is never paid for with a reply.
        const body = (params.Body ?? '').toWellFormed();
        if (textRule(body) !== undefined && /<Message>/.test(ex.answers[0]?.body ?? '')) {
          problems.push(`${textRule(body) ?? ''} was answered with a paid <Message>`);
        }
        failOn(problems, ex);
      }),
      fuzzParameters(100),
    );
    await rig.assertAlive();
  });

  it('answers signed Twilio voice calls and keypad digits with TwiML', async () => {
    const call = fc.oneof(
      twilioForm('voice').map((params) => ({ path: '/voice', params })),
      twilioForm('digits').map((params) => ({ path: '/voice/digits', params })),
    );
    await fc.assert(
      fc.asyncProperty(call, async ({ path, params }) => {
        const ex = await postTwilio(path, params, sign(path, params));
        failOn(twimlProblems(ex), ex);
      }),
      fuzzParameters(100),
    );
    await rig.assertAlive();
  });

  it('refuses unsigned or wrongly signed Twilio requests with 403 and runs nothing', async () => {
    const route = fc.constantFrom('/sms', '/voice', '/voice/digits', '/sms?x=1', '/SMS', '/voice/');
    const signature = fc.oneof(
      fc.constant(null),
      fc.constantFrom('', 'AAAA', 'x'.repeat(28)),
      nastyText(40).map((t) => t.replace(/[\r\n]/g, '')),
    );
    await fc.assert(
      fc.asyncProperty(
        route,
        twilioForm('sms'),
        signature,
        fc.boolean(),
        async (path, params, sig, other) => {
          // A real signature for other params or another route is as wrong as none.
          const forged = other ? sign(path === '/sms' ? '/voice' : '/sms', params) : sig;
          const ex = await postTwilio(path, params, forged);
          const problems = httpProblems(ex, { required: true });
          const status = ex.answers[0]?.status;
          // Node's parser answers a bare 400 to header bytes HTTP does not allow (a NUL, say).
          const badHeader = forged !== null && refusedHeaderValue(forged);
          // The body is read (64 KiB at most) before the signature is checked: 413 comes first.
          const tooBig = Buffer.byteLength(formOf(params)) > 64 * 1024 && status === 413;
          if (
            status !== undefined &&
            ![403, 404].includes(status) &&
            !(badHeader && status === 400) &&
            !tooBig
          ) {
            problems.push(`an unsigned request got ${String(status)}`);
          }
          if (/<Message>|<Say>/.test(ex.answers[0]?.body ?? '')) problems.push('it was answered');
          failOn(problems, ex);
        },
      ),
      fuzzParameters(80),
    );
    await rig.assertAlive();
  });

  it('is still up afterwards, and logged no error from all of it', async () => {
    await rig.assertAlive();
    rig.assertNoErrorLogged();
  });
});
